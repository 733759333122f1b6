/** Disjoint sets with path halving and union by size: near-constant time per operation. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  /** The representative of x's set. */
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }

  /** Merges the sets of a and b; returns false when they were already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return true;
  }
}

/** Weakly connected components (edge direction ignored): `component[u]` is a dense id, O(n + m α(n)). */
export function weaklyConnectedComponents(
  nodeCount: number,
  from: Int32Array,
  to: Int32Array,
  edgeCount = from.length,
): { component: Int32Array; count: number } {
  const uf = new UnionFind(nodeCount);
  for (let e = 0; e < edgeCount; e++) {
    const u = from[e]!;
    const v = to[e]!;
    if (u >= 0 && v >= 0 && u < nodeCount && v < nodeCount) uf.union(u, v);
  }
  const component = new Int32Array(nodeCount).fill(-1);
  const ids = new Int32Array(nodeCount).fill(-1);
  let count = 0;
  for (let u = 0; u < nodeCount; u++) {
    const r = uf.find(u);
    if (ids[r] === -1) ids[r] = count++;
    component[u] = ids[r]!;
  }
  return { component, count };
}
