/** Compressed sparse row adjacency: the out-neighbours of node `u` are `targets[offsets[u] .. offsets[u+1])`. */
export interface Csr {
  nodeCount: number;
  offsets: Int32Array;
  targets: Int32Array;
}

/** Builds a CSR from parallel edge arrays in O(n + m). Edges with an endpoint out of range are skipped. */
export function buildCsr(nodeCount: number, from: Int32Array, to: Int32Array, edgeCount = from.length): Csr {
  const offsets = new Int32Array(nodeCount + 1);
  let valid = 0;
  for (let e = 0; e < edgeCount; e++) {
    const u = from[e]!;
    const v = to[e]!;
    if (u >= 0 && u < nodeCount && v >= 0 && v < nodeCount) {
      offsets[u + 1]!++;
      valid++;
    }
  }
  for (let i = 0; i < nodeCount; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, nodeCount);
  const targets = new Int32Array(valid);
  for (let e = 0; e < edgeCount; e++) {
    const u = from[e]!;
    const v = to[e]!;
    if (u >= 0 && u < nodeCount && v >= 0 && v < nodeCount) targets[fill[u]!++] = v;
  }
  return { nodeCount, offsets, targets };
}
