/**
 * The fast path for big graph-JSON files: one pass over the bytes that validates the JSON syntax,
 * reads node ids, types, names and edges, and interns ids in an open-addressing hash table over
 * byte ranges, so that edges never become strings. It keeps line:column positions (columns count
 * bytes, which equals characters in ASCII files). Measured: faster than `JSON.parse` alone on the
 * same file (BENCHMARKS.md).
 *
 * Anything outside the plain shape (escapes in ids, duplicate top-level keys, odd node or edge
 * shapes, deep nesting) returns `undefined`, and the caller falls back to the general path, which
 * reports every problem with its position.
 */
import { FlowGraphBuilder, NodeFlag, type FlowGraph } from '../flow-graph.js';
import { applyStarts, danglingEdgeFinding, duplicateIdFinding, EXIT_TYPE } from './graph-json.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_DEPTH = 400;

class Unsupported extends Error {}

/** Scans a graph-JSON document; `undefined` when it is not plain graph JSON (use the general path). */
export function scanGraphJson(bytes: Uint8Array, file: string): FlowGraph | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return new Scanner(buf, file).run();
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
}

class Scanner {
  private pos = 0;
  /** The byte range of the last string or number read (fields, not tuples: no garbage per token). */
  private tokStart = 0;
  private tokEnd = 0;
  /** Keeps the prefetch loop's result alive, so the compiler cannot drop the loop. */
  sink = 0;
  private line = 1;
  private lineStart = 0;
  // Node columns.
  private nodeCount = 0;
  private idStart = new Int32Array(1024);
  private idLen = new Int32Array(1024);
  private idHash = new Int32Array(1024);
  /** Id bytes copied into one small contiguous arena: lookups then touch little memory. */
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private arenaOff = new Int32Array(1024);
  private typeOf: string[] = [];
  private nameStart = new Int32Array(1024);
  private nameLen = new Int32Array(1024);
  private nodeLine = new Int32Array(1024);
  private nodeCol = new Int32Array(1024);
  // Edge columns: byte ranges of source and target, resolved after the scan.
  private edgeCount = 0;
  private edgeRanges = new Int32Array(4096);
  private edgeHash = new Int32Array(2048);
  private edgeLine = new Int32Array(1024);
  private edgeCol = new Int32Array(1024);
  private readonly typeCache = new Map<number, Array<{ start: number; len: number; text: string }>>();
  private startIds: string[] | undefined;
  private startLine = 0;
  private startCol = 0;
  private nodesLine = 0;
  private nodesCol = 0;
  private flowName: string | undefined;
  private flowType: string | undefined;

  constructor(
    private readonly buf: Buffer,
    private readonly file: string,
  ) {}

  run(): FlowGraph {
    this.ws();
    this.expect(0x7b);
    const seen = new Set<string>();
    this.ws();
    if (this.peek() !== 0x7d) {
      for (;;) {
        this.ws();
        this.string();
        const ks = this.tokStart;
        const ke = this.tokEnd;
        const key = this.text(ks, ke);
        if (seen.has(key)) throw new Unsupported();
        seen.add(key);
        this.ws();
        this.expect(0x3a);
        this.ws();
        if (key === 'nodes') this.nodes();
        else if (key === 'edges') this.edges();
        else if (key === 'start') this.start();
        else if ((key === 'name' || key === 'type') && this.peek() === QUOTE) {
          this.string();
          const s = this.tokStart;
          const e = this.tokEnd;
          if (key === 'name') this.flowName = this.text(s, e);
          else this.flowType = this.text(s, e).toLowerCase();
        } else this.skipValue();
        this.ws();
        if (this.peek() === 0x2c) {
          this.pos++;
          continue;
        }
        break;
      }
    }
    this.expect(0x7d);
    this.ws();
    if (this.pos !== this.buf.length) throw new Unsupported();
    if (!seen.has('nodes')) throw new Unsupported();
    return this.build();
  }

  // ---- tokens -------------------------------------------------------------------

  private peek(): number {
    return this.buf[this.pos] ?? -1;
  }

  private expect(ch: number): void {
    if (this.buf[this.pos] !== ch) throw new Unsupported();
    this.pos++;
  }

  private ws(): void {
    const b = this.buf;
    let p = this.pos;
    for (;;) {
      const c = b[p];
      if (c === 0x20 || c === 0x09 || c === 0x0d) p++;
      else if (c === 0x0a) {
        p++;
        this.line++;
        this.lineStart = p;
      } else break;
    }
    this.pos = p;
  }

  /** A string without escapes; returns the byte range of its content. */
  private string(): void {
    const b = this.buf;
    if (b[this.pos] !== QUOTE) throw new Unsupported();
    const start = ++this.pos;
    const end = b.indexOf(QUOTE, start);
    if (end === -1) throw new Unsupported();
    for (let p = start; p < end; p++) {
      const c = b[p]!;
      if (c === BACKSLASH || c < 0x20) throw new Unsupported();
    }
    this.pos = end + 1;
    this.tokStart = start;
    this.tokEnd = end;
  }

  /** A string, escapes allowed (for values that are only skipped). */
  private skipString(): void {
    const b = this.buf;
    let p = this.pos + 1;
    for (;;) {
      const c = b[p];
      if (c === undefined || c < 0x20) throw new Unsupported();
      if (c === QUOTE) break;
      p += c === BACKSLASH ? 2 : 1;
    }
    this.pos = p + 1;
  }

  /** A JSON number; returns its byte range. */
  private number(): void {
    const b = this.buf;
    const start = this.pos;
    let p = start;
    if (b[p] === 0x2d) p++;
    const digits = () => {
      const from = p;
      while ((b[p] ?? 0) >= 0x30 && (b[p] ?? 0) <= 0x39) p++;
      if (p === from) throw new Unsupported();
    };
    digits();
    if (b[p] === 0x2e) {
      p++;
      digits();
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      digits();
    }
    this.pos = p;
    this.tokStart = start;
    this.tokEnd = p;
  }

  private literal(word: string): void {
    for (let i = 0; i < word.length; i++)
      if (this.buf[this.pos + i] !== word.charCodeAt(i)) throw new Unsupported();
    this.pos += word.length;
  }

  /** Skips any JSON value, validating it, without recursion. */
  private skipValue(): void {
    const base = this.kinds.length;
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c === 0x7b || c === 0x5b) {
        if (this.kinds.length - base >= MAX_DEPTH) throw new Unsupported();
        this.pos++;
        this.kinds.push(c);
        this.ws();
        if (this.peek() === (c === 0x7b ? 0x7d : 0x5d)) {
          this.pos++;
          this.kinds.pop();
        } else {
          if (c === 0x7b) this.key();
          continue;
        }
      } else if (c === QUOTE) this.skipString();
      else if (c === 0x74) this.literal('true');
      else if (c === 0x66) this.literal('false');
      else if (c === 0x6e) this.literal('null');
      else this.number();
      // After a value: a comma continues the container, a bracket closes it.
      for (;;) {
        if (this.kinds.length === base) return;
        this.ws();
        const n = this.peek();
        if (n === 0x2c) {
          this.pos++;
          if (this.inObject()) this.key();
          break;
        }
        if (n === 0x7d || n === 0x5d) {
          this.pos++;
          this.closeContainer(n);
          continue;
        }
        throw new Unsupported();
      }
    }
  }

  // Containers opened by skipValue, to check that brackets match and keys precede values.
  private kinds: number[] = [];

  private inObject(): boolean {
    return this.kinds[this.kinds.length - 1] === 0x7b;
  }

  private closeContainer(close: number): void {
    const open = this.kinds.pop();
    if ((open === 0x7b && close !== 0x7d) || (open === 0x5b && close !== 0x5d)) throw new Unsupported();
  }

  private key(): void {
    this.ws();
    this.skipString();
    this.ws();
    this.expect(0x3a);
  }

  private text(s: number, e: number): string {
    return this.buf.toString('utf8', s, e);
  }

  // ---- the graph --------------------------------------------------------------------

  /** `[item, item, …]`. */
  private array(item: () => void): void {
    this.expect(0x5b);
    this.ws();
    if (this.peek() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      item();
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x5d) return;
      throw new Unsupported();
    }
  }

  /**
   * Members of a flat object `{"key": value, …}` (at least one): call `nextKey()` until it returns
   * -1, reading or skipping each value in between. No closure per object: this runs 4e6 times.
   */
  private nextKey(): number {
    if (this.inMembers) {
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c === 0x7d) {
        this.inMembers = false;
        return -1;
      }
      if (c !== 0x2c) throw new Unsupported();
    } else {
      this.expect(0x7b);
      this.inMembers = true;
      this.seenKeys = 0;
    }
    this.ws();
    this.string();
    const k = this.keyCode(this.tokStart, this.tokEnd);
    this.ws();
    this.expect(0x3a);
    this.ws();
    // A repeated known key: the general path reports it as a duplicate key.
    if (k !== 0 && this.seenKeys & (1 << k)) throw new Unsupported();
    this.seenKeys |= 1 << k;
    return k;
  }

  private inMembers = false;
  private seenKeys = 0;

  private nodes(): void {
    this.nodesLine = this.line;
    this.nodesCol = this.pos - this.lineStart + 1;
    this.array(() => this.node());
  }

  private node(): void {
    const i = this.nodeCount;
    if (i >= this.idStart.length) this.growNodes();
    this.nodeLine[i] = this.line;
    this.nodeCol[i] = this.pos - this.lineStart + 1;
    let hasId = false;
    let type = 'node';
    this.nameStart[i] = -1;
    for (let k = this.nextKey(); k !== -1; k = this.nextKey()) {
      if (k === KEY_ID) {
        if (this.peek() === QUOTE) this.string();
        else this.integer();
        const s = this.tokStart;
        const e = this.tokEnd;
        this.idStart[i] = s;
        this.idLen[i] = e - s;
        this.idHash[i] = hashBytes(this.buf, s, e);
        this.copyToArena(i, s, e);
        hasId = true;
      } else if (k === KEY_TYPE && this.peek() === QUOTE) {
        this.string();
        const s = this.tokStart;
        const e = this.tokEnd;
        type = this.internType(s, e);
      } else if (k === KEY_NAME && this.peek() === QUOTE) {
        this.string();
        // Names are decoded only when a message needs one.
        this.nameStart[i] = this.tokStart;
        this.nameLen[i] = this.tokEnd - this.tokStart;
      } else this.skipValue();
    }
    if (!hasId) throw new Unsupported();
    this.typeOf.push(type);
    this.nodeCount = i + 1;
  }

  private edges(): void {
    this.array(() => this.edge());
  }

  private edge(): void {
    const e = this.edgeCount;
    if (e * 4 + 4 > this.edgeRanges.length) this.growEdges();
    this.edgeLine[e] = this.line;
    this.edgeCol[e] = this.pos - this.lineStart + 1;
    let got = 0;
    for (let k = this.nextKey(); k !== -1; k = this.nextKey()) {
      if (k === KEY_SOURCE || k === KEY_TARGET) {
        if (this.peek() === QUOTE) this.string();
        else this.integer();
        const s = this.tokStart;
        const end = this.tokEnd;
        const side = k === KEY_SOURCE ? 0 : 1;
        this.edgeRanges[e * 4 + side * 2] = s;
        this.edgeRanges[e * 4 + side * 2 + 1] = end - s;
        this.edgeHash[e * 2 + side] = hashBytes(this.buf, s, end);
        got |= 1 << side;
      } else this.skipValue();
    }
    if (got !== 3) throw new Unsupported();
    this.edgeCount = e + 1;
  }

  private start(): void {
    this.startLine = this.line;
    this.startCol = this.pos - this.lineStart + 1;
    if (this.peek() === QUOTE) {
      this.string();
      const s = this.tokStart;
      const e = this.tokEnd;
      this.startIds = [this.text(s, e)];
      return;
    }
    const ids: string[] = [];
    this.array(() => {
      this.string();
      ids.push(this.text(this.tokStart, this.tokEnd));
    });
    this.startIds = ids;
  }

  /** Integer ids only (`5`, not `5.0`): they must read the same as the string `"5"`. */
  private copyToArena(i: number, s: number, e: number): void {
    if (this.arenaUsed + (e - s) > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + (e - s)));
      bigger.set(this.arena);
      this.arena = bigger;
    }
    // A byte loop: ids are short, and a subarray per id would allocate a Buffer each time.
    const arena = this.arena;
    const buf = this.buf;
    for (let p = s, q = this.arenaUsed; p < e; p++, q++) arena[q] = buf[p]!;
    this.arenaOff[i] = this.arenaUsed;
    this.arenaUsed += e - s;
  }

  private integer(): void {
    this.number();
    const s = this.tokStart;
    const e = this.tokEnd;
    for (let p = s; p < e; p++) {
      const c = this.buf[p]!;
      if (c < 0x30 || c > 0x39) throw new Unsupported();
    }
  }

  private keyCode(s: number, e: number): number {
    const b = this.buf;
    // By length first: this runs for every member of every node and edge.
    switch (e - s) {
      case 2:
        return equalsAt(b, s, ID) ? KEY_ID : 0;
      case 4:
        return equalsAt(b, s, TYPE) ? KEY_TYPE : equalsAt(b, s, NAME) ? KEY_NAME : 0;
      case 6:
        return equalsAt(b, s, SOURCE) ? KEY_SOURCE : equalsAt(b, s, TARGET) ? KEY_TARGET : 0;
      default:
        return 0;
    }
  }

  private internType(s: number, e: number): string {
    const h = hashBytes(this.buf, s, e);
    const bucket = this.typeCache.get(h);
    if (bucket)
      for (const t of bucket) if (t.len === e - s && sameBytes(this.buf, t.start, s, t.len)) return t.text;
    const text = this.text(s, e);
    const entry = { start: s, len: e - s, text };
    if (bucket) bucket.push(entry);
    else this.typeCache.set(h, [entry]);
    return text;
  }

  private growNodes(): void {
    const size = this.idStart.length * 2;
    this.idStart = grow(this.idStart, size);
    this.idLen = grow(this.idLen, size);
    this.idHash = grow(this.idHash, size);
    this.nameStart = grow(this.nameStart, size);
    this.nameLen = grow(this.nameLen, size);
    this.arenaOff = grow(this.arenaOff, size);
    this.nodeLine = grow(this.nodeLine, size);
    this.nodeCol = grow(this.nodeCol, size);
  }

  private growEdges(): void {
    this.edgeRanges = grow(this.edgeRanges, this.edgeRanges.length * 2);
    this.edgeHash = grow(this.edgeHash, this.edgeHash.length * 2);
    this.edgeLine = grow(this.edgeLine, this.edgeLine.length * 2);
    this.edgeCol = grow(this.edgeCol, this.edgeCol.length * 2);
  }

  private build(): FlowGraph {
    const n = this.nodeCount;
    const buf = this.buf;
    const b = new FlowGraphBuilder(this.file, 'graph-json', n, this.edgeCount);
    // Open addressing with 32-byte slots [hash, node + 1, length, arena offset, bytes 0-3, bytes
    // 4-7, -, -]: ids of up to 8 bytes compare inside the slot, so a lookup usually touches one
    // cache line; longer ids are confirmed against their bytes in the arena.
    let cap = 1;
    while (cap < n * 2) cap <<= 1;
    const table = new Int32Array(cap * SLOT);
    const mask = cap - 1;
    const { arena } = this;
    let w0 = 0;
    let w1 = 0;
    const pack = (src: Uint8Array, s: number, len: number) => {
      w0 = 0;
      w1 = 0;
      if (len > 8) return;
      for (let k = 0; k < len; k++) {
        if (k < 4) w0 |= src[s + k]! << (8 * k);
        else w1 |= src[s + k]! << (8 * (k - 4));
      }
    };
    const lookup = (h: number, src: Uint8Array, s: number, len: number): number => {
      pack(src, s, len);
      let slot = h & mask;
      for (;;) {
        const base = slot * SLOT;
        const v = table[base + 1]!;
        if (v === 0) return -1 - slot;
        if (table[base] === h && table[base + 2] === len) {
          if (
            len <= 8
              ? table[base + 4] === w0 && table[base + 5] === w1
              : sameBytesAcross(arena, table[base + 3]!, src, s, len)
          )
            return v - 1;
        }
        slot = (slot + 1) & mask;
      }
    };
    const exitTypes = new Map<string, boolean>();
    let sink = 0;
    for (let i = 0; i < n; i++) {
      if ((i & (BATCH - 1)) === 0) {
        // As for edges below: overlap the cache misses of a batch of inserts.
        const end = Math.min(n, i + BATCH);
        for (let k = i; k < end; k++) sink ^= table[(this.idHash[k]! & mask) * SLOT]!;
      }
      const s = this.idStart[i]!;
      const len = this.idLen[i]!;
      const type = this.typeOf[i]!;
      let exit = exitTypes.get(type);
      if (exit === undefined) exitTypes.set(type, (exit = EXIT_TYPE.test(type)));
      b.addNode(
        '',
        'node',
        type,
        undefined,
        -1,
        this.nodeLine[i]!,
        this.nodeCol[i]!,
        exit ? NodeFlag.Exit | NodeFlag.Terminal : 0,
      );
      const found = lookup(this.idHash[i]!, buf, s, len);
      if (found >= 0) {
        b.diagnostics.push(
          duplicateIdFinding(
            this.text(s, s + len),
            found,
            { file: this.file, line: this.nodeLine[i]!, column: this.nodeCol[i]! },
            {
              line: this.nodeLine[found]!,
              column: this.nodeCol[found]!,
            },
          ),
        );
      } else {
        // `lookup` left the id's packed bytes in w0/w1.
        const base = (-1 - found) * SLOT;
        table[base] = this.idHash[i]!;
        table[base + 1] = i + 1;
        table[base + 2] = len;
        table[base + 3] = this.arenaOff[i]!;
        table[base + 4] = w0;
        table[base + 5] = w1;
      }
    }
    // Ids and names become strings only when read (messages need a few; a million cost ~0.2 s).
    b.ids = lazyStrings(n, (i) => this.text(this.idStart[i]!, this.idStart[i]! + this.idLen[i]!));
    b.names = lazyStrings(n, (i) =>
      this.nameStart[i]! < 0
        ? undefined
        : this.text(this.nameStart[i]!, this.nameStart[i]! + this.nameLen[i]!),
    );
    const hasIn = new Uint8Array(n);
    const r = this.edgeRanges;
    const hashes = this.edgeHash;
    const edgeCount = this.edgeCount;
    for (let e = 0; e < edgeCount; e++) {
      if ((e & (BATCH - 1)) === 0) {
        // Touch the slots of the next batch first: these loads do not depend on each other, so
        // the CPU overlaps their cache misses instead of waiting for each lookup in turn.
        const end = Math.min(edgeCount, e + BATCH) * 2;
        for (let k = e * 2; k < end; k++) sink ^= table[(hashes[k]! & mask) * SLOT]!;
      }
      const src = lookup(this.edgeHash[e * 2]!, buf, r[e * 4]!, r[e * 4 + 1]!);
      const dst = lookup(this.edgeHash[e * 2 + 1]!, buf, r[e * 4 + 2]!, r[e * 4 + 3]!);
      if (src < 0 || dst < 0) {
        const which = src < 0 ? 'source' : 'target';
        const at = src < 0 ? e * 4 : e * 4 + 2;
        b.diagnostics.push(
          danglingEdgeFinding(e, which, this.text(r[at]!, r[at]! + r[at + 1]!), {
            file: this.file,
            line: this.edgeLine[e]!,
            column: this.edgeCol[e]!,
          }),
        );
        continue;
      }
      b.addEdge(src, dst);
      hasIn[dst] = 1;
    }
    this.sink = sink;
    const encoder = new TextEncoder();
    applyStarts(
      b,
      hasIn,
      this.startIds,
      (id) => {
        const bytes = encoder.encode(id);
        // Look the start id up among the node ids by value.
        for (let i = 0; i < n; i++)
          if (this.idLen[i] === bytes.length && equalsAt(buf, this.idStart[i]!, bytes)) return i;
        return undefined;
      },
      { file: this.file, line: this.startLine, column: this.startCol },
      { file: this.file, line: this.nodesLine, column: this.nodesCol },
    );
    const extra: Partial<Pick<FlowGraph, 'name' | 'flowType'>> = {};
    if (this.flowName !== undefined) extra.name = this.flowName;
    if (this.flowType !== undefined) extra.flowType = this.flowType;
    return b.build(extra);
  }
}

const SLOT = 8;
const BATCH = 64;
const KEY_ID = 1;
const KEY_TYPE = 2;
const KEY_NAME = 3;
const KEY_SOURCE = 4;
const KEY_TARGET = 5;
/** The member names the scanner reads, as bytes, so keys are compared without making strings. */
const ascii = (text: string) => new TextEncoder().encode(text);
const ID = ascii('id');
const TYPE = ascii('type');
const NAME = ascii('name');
const SOURCE = ascii('source');
const TARGET = ascii('target');

/** FNV-1a over bytes with murmur3's finalizer: FNV alone leaves the low bits (the table index) weak. */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let p = s; p < e; p++) h = Math.imul(h ^ b[p]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function sameBytes(b: Uint8Array, a: number, c: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (b[a + k] !== b[c + k]) return false;
  return true;
}

function sameBytesAcross(a: Uint8Array, at: number, b: Uint8Array, bt: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (a[at + k] !== b[bt + k]) return false;
  return true;
}

function equalsAt(b: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let k = 0; k < bytes.length; k++) if (b[at + k] !== bytes[k]) return false;
  return true;
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a);
  return out;
}

/**
 * An array of `n` strings decoded on first read. A `Proxy` over a sparse array: index reads decode
 * and cache; everything else (length, iteration, JSON) behaves as an ordinary array.
 */
function lazyStrings<T extends string | undefined>(n: number, decode: (i: number) => T): T[] {
  const cache = new Array<T>(n);
  const done = new Uint8Array(n);
  const fill = () => {
    for (let i = 0; i < n; i++) {
      if (!done[i]) {
        cache[i] = decode(i);
        done[i] = 1;
      }
    }
  };
  return new Proxy(cache, {
    // Enumerating (Object.keys, deep equality) wants every element: decode them all once.
    ownKeys(target) {
      fill();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, prop) {
      fill();
      return Reflect.getOwnPropertyDescriptor(target, prop);
    },
    get(target, prop, receiver) {
      if (typeof prop === 'string') {
        const i = prop.length < 11 ? Number(prop) : NaN;
        if (Number.isInteger(i) && i >= 0 && i < n) {
          if (!done[i]) {
            target[i] = decode(i);
            done[i] = 1;
          }
          return target[i];
        }
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
    has(target, prop) {
      if (typeof prop === 'string') {
        const i = Number(prop);
        if (Number.isInteger(i) && i >= 0 && i < n) return true;
      }
      return Reflect.has(target, prop);
    },
  });
}
