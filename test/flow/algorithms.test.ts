import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { buildCsr } from '../../src/flow/algorithms/csr.js';
import { reachableFrom, exampleCycle } from '../../src/flow/algorithms/reach.js';
import { stronglyConnectedComponents } from '../../src/flow/algorithms/scc.js';
import { weaklyConnectedComponents } from '../../src/flow/algorithms/union-find.js';

const graphArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 40 }),
  }),
);

/** Floyd–Warshall transitive closure: the brute-force oracle. */
function closure(n: number, edges: Array<[number, number]>): boolean[][] {
  const r = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j));
  for (const [u, v] of edges) r[u]![v] = true;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (r[i]![k] && r[k]![j]) r[i]![j] = true;
  return r;
}

function csrOf(n: number, edges: Array<[number, number]>) {
  return buildCsr(
    n,
    Int32Array.from(edges, (e) => e[0]),
    Int32Array.from(edges, (e) => e[1]),
  );
}

describe('graph algorithms against brute-force oracles', () => {
  test.prop([graphArb], { numRuns: 300 })('SCC: same component iff mutually reachable', ({ n, edges }) => {
    const { component, count } = stronglyConnectedComponents(csrOf(n, edges));
    const r = closure(n, edges);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) expect(component[i] === component[j]).toBe(r[i]![j] && r[j]![i]);
    expect(new Set(component).size).toBe(count);
    // Ids come in reverse topological order: an edge never goes to a later component.
    for (const [u, v] of edges) expect(component[u]!).toBeGreaterThanOrEqual(component[v]!);
  });

  test.prop([graphArb, fc.array(fc.nat(11), { maxLength: 3 })], { numRuns: 300 })(
    'BFS reachability equals the closure',
    ({ n, edges }, rawStarts) => {
      const starts = rawStarts.filter((s) => s < n);
      const reached = reachableFrom(csrOf(n, edges), starts);
      const r = closure(n, edges);
      for (let j = 0; j < n; j++) expect(reached[j] === 1).toBe(starts.some((s) => r[s]![j]));
    },
  );

  test.prop([graphArb], { numRuns: 300 })('weak components equal the undirected closure', ({ n, edges }) => {
    const { component } = weaklyConnectedComponents(
      n,
      Int32Array.from(edges, (e) => e[0]),
      Int32Array.from(edges, (e) => e[1]),
    );
    const both = edges.flatMap(([u, v]) => [[u, v] as [number, number], [v, u] as [number, number]]);
    const r = closure(n, both);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) expect(component[i] === component[j]).toBe(r[i]![j]);
  });

  test.prop([graphArb], { numRuns: 300 })(
    'the example cycle is a real cycle inside one component',
    ({ n, edges }) => {
      const g = csrOf(n, edges);
      const { component } = stronglyConnectedComponents(g);
      const set = new Set(edges.map(([u, v]) => `${u}>${v}`));
      for (let s = 0; s < n; s++) {
        const selfLoop = set.has(`${s}>${s}`);
        const size = component.filter((c) => c === component[s]).length;
        if (!selfLoop && size < 2) continue;
        const cycle = exampleCycle(g, component, s);
        expect(cycle[0]).toBe(s);
        for (let k = 0; k < cycle.length; k++) {
          const u = cycle[k]!;
          const v = cycle[(k + 1) % cycle.length]!;
          expect(set.has(`${u}>${v}`)).toBe(true);
          expect(component[u]).toBe(component[s]);
        }
      }
    },
  );

  test.prop([graphArb, fc.integer({ min: 0, max: 3 })], { numRuns: 300 })(
    'a walk (over the BFS budget) also returns a real cycle inside the component',
    ({ n, edges }, budget) => {
      const g = csrOf(n, edges);
      const { component } = stronglyConnectedComponents(g);
      const set = new Set(edges.map(([u, v]) => `${u}>${v}`));
      const scratch = new Int32Array(n).fill(-2);
      for (let s = 0; s < n; s++) {
        const size = component.filter((c) => c === component[s]).length;
        if (size < 2 && !set.has(`${s}>${s}`)) continue;
        const cycle = exampleCycle(g, component, s, scratch, budget);
        expect(cycle.length).toBeGreaterThan(0);
        for (let k = 0; k < cycle.length; k++) {
          expect(set.has(`${cycle[k]}>${cycle[(k + 1) % cycle.length]}`)).toBe(true);
          expect(component[cycle[k]!]).toBe(component[s]);
        }
        expect(new Set(cycle).size).toBe(cycle.length);
        expect([...scratch].every((x) => x === -2)).toBe(true);
      }
    },
  );

  test.prop([fc.integer({ min: 100_000, max: 100_000 })], { numRuns: 1 })(
    'iterative: a 1e5-node chain cycle does not overflow the stack',
    (n) => {
      const from = new Int32Array(n);
      const to = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        from[i] = i;
        to[i] = (i + 1) % n;
      }
      expect(stronglyConnectedComponents(buildCsr(n, from, to)).count).toBe(1);
    },
  );
});
