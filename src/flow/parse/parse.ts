/**
 * Parsing YAML 1.2 and JSON into plain values while keeping the source offset of every mapping,
 * sequence and value, so that every later finding can say file:line:column.
 *
 * Guards: duplicate keys, non-scalar keys, alias expansion (no "billion laughs"), nesting depth,
 * `__proto__` keys (kept as plain data: every mapping is a prototype-less object).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

/** A problem found while parsing; `offset` is in the parsed text (-1 when unknown). */
export interface ParseProblem {
  code: 'parse-error' | 'duplicate-key' | 'non-scalar-key' | 'alias-limit' | 'too-deep';
  message: string;
  offset: number;
}

/** Offsets of a mapping or sequence and of each of its values (and a mapping's keys). */
interface Positions {
  self: number;
  children: Map<string | number, number>;
  keys?: Map<string, number>;
}

/** A parsed document: plain values plus a side table of source offsets. */
export interface ParsedDocument {
  value: unknown;
  problems: ParseProblem[];
  /** Offset of a mapping/sequence, or of its child `key`; -1 when unknown (fast path). */
  offsetOf(container: object, key?: string | number): number;
  /**
   * Offset of a mapping's key itself (where `offsetOf` gives its value, which may stand on a later
   * line): for messages about the key, such as an unknown one. Only {@link parseYaml} keeps it.
   */
  keyOffsetOf?(container: object, key: string): number;
  /** Whether positions were kept. */
  readonly hasPositions: boolean;
}

/** Limits for parsing. */
export interface ParseLimits {
  /** Most nodes that alias expansion may add in total. @default 10000 */
  maxAliasNodes?: number;
  /** Deepest nesting accepted. @default 400 */
  maxDepth?: number;
}

const NO_POSITIONS: ParsedDocument['offsetOf'] = () => -1;

/** Parses YAML 1.2 (JSON is YAML too) keeping offsets. */
export function parseYaml(text: string, limits: ParseLimits = {}): ParsedDocument {
  const maxAliasNodes = limits.maxAliasNodes ?? 10_000;
  const maxDepth = limits.maxDepth ?? 400;
  const problems: ParseProblem[] = [];
  const positions = new WeakMap<object, Positions>();
  const offsetOf = (container: object, key?: string | number): number => {
    const p = positions.get(container);
    if (!p) return -1;
    if (key === undefined) return p.self;
    return p.children.get(key) ?? p.self;
  };
  const keyOffsetOf = (container: object, key: string): number =>
    positions.get(container)?.keys?.get(key) ?? offsetOf(container, key);

  let doc;
  try {
    doc = parseDocument(text, { version: '1.2', uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (e) {
    return failed(e, problems, offsetOf);
  }
  // yaml's composer recurses; on very deep input it reports the stack overflow as a parse error.
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
  if (overflow) {
    problems.push({
      code: 'too-deep',
      message: 'the document nests too deeply to parse',
      offset: overflow.pos[0],
    });
    return { value: undefined, problems, offsetOf, hasPositions: true };
  }
  for (const err of doc.errors) {
    const code = err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'parse-error';
    problems.push({ code, message: firstLine(err.message), offset: err.pos[0] });
  }
  if (problems.length > 0) return { value: undefined, problems, offsetOf, hasPositions: true };

  // Iterative conversion: deep documents must not overflow the stack.
  type Task = { node: YamlNode | null; set: (v: unknown) => void; depth: number };
  let root: unknown;
  const stack: Task[] = [{ node: doc.contents, set: (v) => (root = v), depth: 0 }];
  let aliasNodes = 0;
  try {
    while (stack.length > 0) {
      const task = stack.pop()!;
      let node = task.node;
      let viaAlias = false;
      if (node && isAlias(node)) {
        const target = node.resolve(doc);
        if (!target) {
          problems.push({
            code: 'parse-error',
            message: `unknown alias *${node.source}`,
            offset: node.range?.[0] ?? -1,
          });
          continue;
        }
        node = target;
        viaAlias = true;
      }
      if (task.depth > maxDepth) {
        problems.push({
          code: 'too-deep',
          message: `the document nests deeper than ${maxDepth} levels`,
          offset: node?.range?.[0] ?? -1,
        });
        return { value: undefined, problems, offsetOf, hasPositions: true };
      }
      if (viaAlias) aliasNodes++;
      if (node === null || node === undefined) {
        task.set(null);
      } else if (isScalar(node)) {
        task.set(node.value);
      } else if (isMap(node)) {
        const obj = Object.create(null) as Record<string, unknown>;
        const children = new Map<string | number, number>();
        const keys = new Map<string, number>();
        positions.set(obj, { self: node.range?.[0] ?? -1, children, keys });
        task.set(obj);
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const keyNode = pair.key as YamlNode | null;
          if (keyNode !== null && !isScalar(keyNode)) {
            problems.push({
              code: 'non-scalar-key',
              message: 'a mapping key must be a scalar (text or number), not a mapping, sequence or alias',
              offset: keyNode.range?.[0] ?? -1,
            });
            continue;
          }
          const key = keyNode === null ? '' : String(keyNode.value);
          const valueNode = pair.value as YamlNode | null;
          children.set(key, valueNode?.range?.[0] ?? keyNode?.range?.[0] ?? -1);
          keys.set(key, keyNode?.range?.[0] ?? -1);
          obj[key] = null;
          if (viaAlias) aliasNodes++;
          stack.push({ node: valueNode, set: (v) => (obj[key] = v), depth: task.depth + 1 });
        }
      } else if (isSeq(node)) {
        const arr: unknown[] = new Array<unknown>(node.items.length).fill(null);
        const children = new Map<string | number, number>();
        positions.set(arr, { self: node.range?.[0] ?? -1, children });
        task.set(arr);
        node.items.forEach((item, i) => {
          const itemNode = item as YamlNode | null;
          children.set(i, itemNode?.range?.[0] ?? -1);
          if (viaAlias) aliasNodes++;
          stack.push({ node: itemNode, set: (v) => (arr[i] = v), depth: task.depth + 1 });
        });
      } else {
        task.set(null);
      }
      if (aliasNodes > maxAliasNodes) {
        problems.push({
          code: 'alias-limit',
          message: `alias expansion would add more than ${maxAliasNodes} nodes (a "billion laughs" document?)`,
          offset: node?.range?.[0] ?? -1,
        });
        return { value: undefined, problems, offsetOf, hasPositions: true };
      }
    }
  } catch (e) {
    return failed(e, problems, offsetOf);
  }
  return { value: root, problems, offsetOf, keyOffsetOf, hasPositions: true };
}

/**
 * Fast path for big JSON files where positions are not needed: `JSON.parse` alone.
 * `JSON.parse` defines `__proto__` as an own data property, so it cannot reach a prototype.
 */
export function parseJsonFast(text: string): ParsedDocument {
  try {
    return { value: JSON.parse(text) as unknown, problems: [], offsetOf: NO_POSITIONS, hasPositions: false };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    return {
      value: undefined,
      problems: [{ code: 'parse-error', message: firstLine(message), offset: at ? Number(at[1]) : -1 }],
      offsetOf: NO_POSITIONS,
      hasPositions: false,
    };
  }
}

function failed(e: unknown, problems: ParseProblem[], offsetOf: ParsedDocument['offsetOf']): ParsedDocument {
  const tooDeep = e instanceof RangeError;
  problems.push({
    code: tooDeep ? 'too-deep' : 'parse-error',
    message: tooDeep
      ? 'the document nests too deeply to parse'
      : firstLine(String((e as Error)?.message ?? e)),
    offset: -1,
  });
  return { value: undefined, problems, offsetOf, hasPositions: true };
}

/** The first line of a message (parsers put a source excerpt after it). */
export function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i === -1 ? s : s.slice(0, i);
}
