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
 * One example cycle inside the strongly connected component of `start` (`component[u] === c`).
 * First a BFS restricted to the component looks for the shortest cycle through `start`; if that
 * explores more than `budget` nodes (a giant component), a walk along edges inside the component
 * stops at the first repeated node instead, which finds a cycle in far fewer steps. Returns the
 * node sequence of the cycle (its last node has an edge back to its first), or `[start]` for a
 * self-loop. `scratch` (length n, filled with -2) may be passed to avoid allocating per call; it
 * is left as it was found.
 */
export function exampleCycle(
  g: Csr,
  component: Int32Array,
  start: number,
  scratch?: Int32Array,
  budget = 4096,
): number[] {
  const c = component[start]!;
  const { offsets, targets } = g;
  for (let k = offsets[start]!; k < offsets[start + 1]!; k++) if (targets[k] === start) return [start];
  const mark = scratch ?? new Int32Array(g.nodeCount).fill(-2);
  // A growable typed queue: a giant component must not cost a million array pushes.
  let queue = new Int32Array(16);
  let tail = 0;
  const push = (v: number) => {
    if (tail === queue.length) {
      const bigger = new Int32Array(queue.length * 2);
      bigger.set(queue);
      queue = bigger;
    }
    queue[tail++] = v;
  };
  push(start);
  mark[start] = -1;
  let found = -1;
  let overBudget = false;
  search: for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
      const v = targets[k]!;
      if (component[v] !== c) continue;
      if (v === start) {
        found = u;
        break search;
      }
      if (mark[v] === -2) {
        mark[v] = u;
        push(v);
      }
    }
    if (tail > budget) {
      overBudget = true;
      break;
    }
  }
  const path: number[] = [];
  if (!overBudget) for (let w = found; w !== -1 && w !== -2; w = mark[w]!) path.push(w);
  for (let i = 0; i < tail; i++) mark[queue[i]!] = -2;
  if (!overBudget) return found === -1 ? [start] : path.reverse();

  // The walk: every node of a component with a cycle has an edge that stays inside it.
  tail = 0;
  let u = start;
  while (mark[u] === -2) {
    mark[u] = tail;
    push(u);
    let next = -1;
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
      if (component[targets[k]!] === c) {
        next = targets[k]!;
        break;
      }
    }
    if (next === -1) break;
    u = next;
  }
  const from = mark[u]! >= 0 ? mark[u]! : 0;
  const cycle = Array.from(queue.subarray(from, tail));
  for (let i = 0; i < tail; i++) mark[queue[i]!] = -2;
  return cycle;
}
