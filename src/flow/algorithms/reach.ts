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
 * sequence start → … → (back to start), or `[start]` for a self-loop.
 */
export function exampleCycle(g: Csr, component: Int32Array, start: number): number[] {
  const c = component[start]!;
  const { offsets, targets } = g;
  for (let k = offsets[start]!; k < offsets[start + 1]!; k++) if (targets[k] === start) return [start];
  const parent = new Map<number, number>([[start, -1]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
      const v = targets[k]!;
      if (component[v] !== c) continue;
      if (v === start) {
        const path: number[] = [];
        for (let w = u; w !== -1; w = parent.get(w)!) path.push(w);
        return path.reverse();
      }
      if (!parent.has(v)) {
        parent.set(v, u);
        queue.push(v);
      }
    }
  }
  return [start];
}
