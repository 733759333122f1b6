import type { Csr } from './csr.js';

/** Strongly connected components: `component[u]` is u's component id; ids are in reverse topological order. */
export interface SccResult {
  component: Int32Array;
  count: number;
}

/**
 * Tarjan's algorithm, iterative (an explicit call stack of typed arrays), O(n + m).
 * Recursive versions (graphology, graphlib) overflow the stack at 1e5 nodes (docs/design-notes.md#graph-algorithms).
 */
export function stronglyConnectedComponents(g: Csr): SccResult {
  const n = g.nodeCount;
  const { offsets, targets } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let counter = 0;
  let count = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = offsets[root]!;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const u = callNode[depth]!;
      const e = callEdge[depth]!;
      if (e < offsets[u + 1]!) {
        callEdge[depth] = e + 1;
        const v = targets[e]!;
        if (index[v] === -1) {
          index[v] = low[v] = counter++;
          stack[sp++] = v;
          onStack[v] = 1;
          depth++;
          callNode[depth] = v;
          callEdge[depth] = offsets[v]!;
        } else if (onStack[v] && index[v]! < low[u]!) {
          low[u] = index[v]!;
        }
        continue;
      }
      if (low[u] === index[u]) {
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          component[w] = count;
        } while (w !== u);
        count++;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        if (low[u]! < low[parent]!) low[parent] = low[u]!;
      }
    }
  }
  return { component, count };
}
