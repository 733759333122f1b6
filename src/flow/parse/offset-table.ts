/**
 * The source offsets of every mapping and sequence of a parsed document, compact enough for a
 * 50 MB flow (millions of containers): one growable Int32Array holds, per container, its own offset,
 * its number of children and each child's offset in insertion order; a Map finds a container's
 * place. A mapping's child is found by the key's rank in `Object.keys`, which is insertion order
 * unless a key looks like an array index (V8 lists those first): such mappings, and big ones, keep
 * a Map of their own.
 */

/** Mappings with more keys than this are looked up through a Map instead of `Object.keys`. */
const RANK_LOOKUP_MAX = 32;
const INDEX_LIKE = /^(?:0|[1-9][0-9]{0,8})$/;

/** Offsets of the containers of one document. */
export class OffsetTable {
  private arena = new Int32Array(1 << 16);
  private used = 0;
  private readonly place = new Map<object, number>();
  private readonly byKey = new Map<object, Map<string, number>>();

  /**
   * Records a finished container. `keys` (mappings only) are its keys in insertion order, parallel
   * to `children`.
   */
  add(container: object, self: number, children: readonly number[], keys?: readonly string[]): void {
    if (keys && (keys.length > RANK_LOOKUP_MAX || keys.some((k) => INDEX_LIKE.test(k)))) {
      const m = new Map<string, number>();
      keys.forEach((k, i) => m.set(k, children[i]!));
      this.byKey.set(container, m);
    }
    const need = this.used + 2 + children.length;
    if (need > this.arena.length) {
      const grown = new Int32Array(Math.max(need, this.arena.length * 2));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    const at = this.used;
    this.arena[at] = self;
    this.arena[at + 1] = children.length;
    for (let i = 0; i < children.length; i++) this.arena[at + 2 + i] = children[i]!;
    this.used = need;
    this.place.set(container, at);
  }

  /** The offset of a container, or of its child `key`; -1 when unknown. */
  offsetOf(container: object, key?: string | number): number {
    const at = this.place.get(container);
    if (at === undefined) return -1;
    const self = this.arena[at]!;
    if (key === undefined) return self;
    const n = this.arena[at + 1]!;
    let rank: number;
    if (Array.isArray(container)) rank = key as number;
    else {
      const m = this.byKey.get(container);
      if (m) return m.get(String(key)) ?? self;
      rank = Object.keys(container).indexOf(String(key));
    }
    return rank >= 0 && rank < n ? this.arena[at + 2 + rank]! : self;
  }

  /** A sequence's own offset and its items' (for putting a list parsed in pieces back together). */
  sequence(container: unknown[]): { self: number; items: number[] } | undefined {
    const at = this.place.get(container);
    if (at === undefined) return undefined;
    const n = this.arena[at + 1]!;
    return { self: this.arena[at]!, items: Array.from(this.arena.subarray(at + 2, at + 2 + n)) };
  }

  /** Changes the offset recorded for a mapping's key. */
  setChild(container: object, key: string, offset: number): void {
    const at = this.place.get(container);
    if (at === undefined) return;
    const m = this.byKey.get(container);
    if (m) {
      m.set(key, offset);
      return;
    }
    const rank = Object.keys(container).indexOf(key);
    if (rank >= 0 && rank < this.arena[at + 1]!) this.arena[at + 2 + rank] = offset;
  }
}
