import type { Csr } from './csr.js';

/** Breadth-first reachability from a set of start nodes, O(n + m). `reached[u] === 1` when u is reachable. */
export function reachableFrom(g: Csr, starts: readonly number[]): Uint8Array {
  const n = g.nodeCount;
  const reached = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (const s of starts) {
    if (s >= 0 && s < n && !reached[s]) {
      reached[s] = 1;
      queue[tail++] = s;
    }
  }
  const { offsets, targets } = g;
  while (head < tail) {
    const u = queue[head++]!;
    for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
      const v = targets[k]!;
      if (!reached[v]) {
        reached[v] = 1;
        queue[tail++] = v;
      }
    }
  }
  return reached;
}

/**
 * One shortest cycle through `start` inside its strongly connected component (`component[u] === c`),
 * found by BFS restricted to the component: O(size of the component's edges). Returns the node
 * sequence start → … → (back to start), or `[start]` for a self-loop. `scratch` (length n, filled
 * with -2) may be passed to avoid allocating per call; it is left as it was found.
 */
export function exampleCycle(g: Csr, component: Int32Array, start: number, scratch?: Int32Array): number[] {
  const c = component[start]!;
  const { offsets, targets } = g;
  for (let k = offsets[start]!; k < offsets[start + 1]!; k++) if (targets[k] === start) return [start];
  const parent = scratch ?? new Int32Array(g.nodeCount).fill(-2);
  const queue = [start];
  parent[start] = -1;
  let found = -1;
  search: for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
      const v = targets[k]!;
      if (component[v] !== c) continue;
      if (v === start) {
        found = u;
        break search;
      }
      if (parent[v] === -2) {
        parent[v] = u;
        queue.push(v);
      }
    }
  }
  const path: number[] = [];
  for (let w = found; w !== -1 && w !== -2; w = parent[w]!) path.push(w);
  for (const q of queue) parent[q] = -2;
  return found === -1 ? [start] : path.reverse();
}
