/**
 * The graph checks (`src/flow/check/checks.ts`) on plain graph JSON, whose shape is fully in the
 * test's hands: unreached regions (`unreachable` vs `disconnected`, named by their first node with a
 * count of the rest), loops (`infinite-loop` vs `loop`, the example cycle as a path and as related
 * locations, the loop policy, the cap of 200 loops with a way out), and a property test of both
 * against brute-force oracles. Findings are read straight from `checkGraph`, before any collector.
 */
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { checkGraph, type LoopPolicy } from '../../src/flow/check/checks.js';
import type { Diagnostic } from '../../src/flow/diagnostics.js';
import { FlowGraphBuilder, NodeFlag } from '../../src/flow/graph/flow-graph.js';
import { loadFlowText } from '../../src/flow/load.js';

interface Node {
  id: string;
  type?: string;
}

/**
 * Graph JSON with node i on line 3 + i, column 3, so a finding's position names its node.
 * The start is always given (no `implicit-start`); the root has no `type` (no terminal rule).
 */
function graphText(nodes: Node[], edges: Array<[string, string]>, start: string): string {
  const lines = nodes.map((n) => `  ${JSON.stringify(n)}`).join(',\n');
  const es = edges.map(([source, target]) => ({ source, target }));
  return `{"start": ${JSON.stringify(start)},\n "nodes": [\n${lines}\n ],\n "edges": ${JSON.stringify(es)}}\n`;
}

/** The graph checks' own findings for a graph JSON text (the loader must find nothing). */
function check(text: string, loops?: LoopPolicy): Diagnostic[] {
  const f = loadFlowText(text, 'g.json');
  expect(f.diagnostics).toEqual([]);
  const out: Diagnostic[] = [];
  checkGraph(f.graph!, loops ? { loops } : {}, { push: (d) => out.push(d) });
  return out;
}

const at = (index: number) => ({ line: 3 + index, column: 3 });
const ring = (ids: string[]): Array<[string, string]> => ids.map((id, k) => [id, ids[(k + 1) % ids.length]!]);
const named = (prefix: string, count: number) => Array.from({ length: count }, (_, k) => `${prefix}${k}`);

const INFINITE_HINT =
  'Add a way out (a menu, a decision that leaves the loop, a transfer or a disconnect). Architect aborts a call after 10,000 actions.';
const LOOP_HINT = 'Legitimate when it repeats on bad input; make sure it ends.';

describe('unreached regions', () => {
  it('two unreached nodes that each lead into the reached part are two unreachable findings, not one region', () => {
    // s → t is reached; x → t and y → t are not, and touch only reached nodes.
    const text = graphText(
      [{ id: 's' }, { id: 't', type: 'disconnect' }, { id: 'x' }, { id: 'y' }],
      [
        ['s', 't'],
        ['x', 't'],
        ['y', 't'],
      ],
      's',
    );
    const hint = 'Nothing leads to it from the start: connect it, or delete it.';
    expect(check(text)).toEqual([
      {
        code: 'unreachable',
        severity: 'warning',
        message: "node 'x' is never reached from the start",
        file: 'g.json',
        ...at(2),
        hint,
      },
      {
        code: 'unreachable',
        severity: 'warning',
        message: "node 'y' is never reached from the start",
        file: 'g.json',
        ...at(3),
        hint,
      },
    ]);
  });

  it('an island is one disconnected finding at its first node, counting the others (1, 2, 3 nodes)', () => {
    // Islands of 1 (a0), 2 (b0 → b1) and 3 (c0 → c1 → c2) nodes; none has an edge to the reached s.
    const nodes = ['s', 'a0', 'b0', 'b1', 'c0', 'c1', 'c2'].map((id) => ({ id }));
    const text = graphText(
      nodes,
      [
        ['b0', 'b1'],
        ['c0', 'c1'],
        ['c1', 'c2'],
      ],
      's',
    );
    const hint = 'Connect it to the flow, or delete it.';
    const finding = (message: string, index: number) => ({
      code: 'disconnected',
      severity: 'warning',
      message,
      file: 'g.json',
      ...at(index),
      hint,
    });
    expect(check(text)).toEqual([
      finding("node 'a0' is not connected to the rest of the flow", 1),
      finding("node 'b0' (with 1 more node) is not connected to the rest of the flow", 2),
      finding("node 'c0' (with 2 more nodes) is not connected to the rest of the flow", 4),
    ]);
  });

  it('a region named by a later container: the container names it, and it is unreachable', () => {
    // No loader puts a region's container after one of its actions, but checkGraph is public and
    // takes any graph: the region x ← T is named by the task T, with the container's hint.
    const b = new FlowGraphBuilder('built', 'archy');
    const s = b.addNode('s', 'task', 'task', 'Start', -1, 1, 1, NodeFlag.Container | NodeFlag.Exit);
    const x = b.addNode('t/x', 'action', 'playAudio', 'say', 1, 9, 5);
    const t = b.addNode('t', 'task', 'task', 'T', -1, 8, 3, NodeFlag.Container);
    b.addEdge(t, x);
    b.starts.push(s);
    const out: Diagnostic[] = [];
    checkGraph(b.build(), {}, out);
    expect(out).toEqual([
      {
        code: 'unreachable',
        severity: 'warning',
        message: "task 'T' (t) (with 1 more node) is never reached from the start",
        file: 'built',
        line: 8,
        column: 3,
        hint: 'Nothing jumps to it: reference it (targetMenuRef/targetTaskRef or startUpRef), or delete it.',
      },
    ]);
  });

  it('an unreached loop is reported as unreachable only, never as a loop', () => {
    const text = graphText(
      [{ id: 's', type: 'disconnect' }, { id: 'u0' }, { id: 'u1' }],
      [
        ['u0', 'u1'],
        ['u1', 'u0'],
      ],
      's',
    );
    expect(check(text)).toEqual([
      {
        code: 'disconnected',
        severity: 'warning',
        message: "node 'u0' (with 1 more node) is not connected to the rest of the flow",
        file: 'g.json',
        ...at(1),
        hint: 'Connect it to the flow, or delete it.',
      },
    ]);
  });
});

describe('loops', () => {
  it('a node that only goes to itself: an infinite loop of 1 node', () => {
    const text = graphText([{ id: 'a' }], [['a', 'a']], 'a');
    expect(check(text)).toEqual([
      {
        code: 'infinite-loop',
        severity: 'error',
        message: "infinite routing loop of 1 node with no way out: node 'a' → node 'a'",
        file: 'g.json',
        ...at(0),
        hint: INFINITE_HINT,
        related: [{ message: "node 'a'", ...at(0) }],
      },
    ]);
  });

  it('a ring of 6 shows all six; a ring of 7 shows six and "… 1 more"; both start at their first node', () => {
    const six = named('n', 6);
    const seven = named('n', 7);
    const path = (ids: string[]) => ids.map((id) => `node '${id}'`).join(' → ');
    expect(
      check(
        graphText(
          six.map((id) => ({ id })),
          ring(six),
          'n0',
        ),
      ),
    ).toEqual([
      {
        code: 'infinite-loop',
        severity: 'error',
        message: `infinite routing loop of 6 nodes with no way out: ${path([...six, 'n0'])}`,
        file: 'g.json',
        ...at(0),
        hint: INFINITE_HINT,
        related: six.map((id, k) => ({ message: `node '${id}'`, ...at(k) })),
      },
    ]);
    expect(
      check(
        graphText(
          seven.map((id) => ({ id })),
          ring(seven),
          'n0',
        ),
      ),
    ).toEqual([
      {
        code: 'infinite-loop',
        severity: 'error',
        message: `infinite routing loop of 7 nodes with no way out: ${path(six)} → … 1 more → node 'n0'`,
        file: 'g.json',
        ...at(0),
        hint: INFINITE_HINT,
        related: seven.map((id, k) => ({ message: `node '${id}'`, ...at(k) })),
      },
    ]);
  });

  it('a ring of 21 with a way out: a loop note, "… 15 more" in its path, 20 related locations', () => {
    const ids = named('n', 21);
    const nodes = [...ids.map((id) => ({ id })), { id: 'bye', type: 'disconnect' }];
    const text = graphText(nodes, [...ring(ids), ['n10', 'bye']], 'n0');
    const shown = ids.slice(0, 6).map((id) => `node '${id}'`);
    expect(check(text)).toEqual([
      {
        code: 'loop',
        severity: 'info',
        message: `loop of 21 nodes with a way out: ${shown.join(' → ')} → … 15 more → node 'n0'`,
        file: 'g.json',
        ...at(0),
        hint: LOOP_HINT,
        related: ids.slice(0, 20).map((id, k) => ({ message: `node '${id}'`, ...at(k) })),
      },
    ]);
  });

  it('a loop of 1 node with a way out, placed after other nodes, is reported at its own node', () => {
    // s → t(disconnect) and s → l, l → l, l → t: the loop is node 2, not node 0 or 1.
    const text = graphText(
      [{ id: 's' }, { id: 't', type: 'disconnect' }, { id: 'l' }],
      [
        ['s', 't'],
        ['s', 'l'],
        ['l', 'l'],
        ['l', 't'],
      ],
      's',
    );
    const loop = {
      code: 'loop',
      severity: 'info',
      message: "loop of 1 node with a way out: node 'l' → node 'l'",
      file: 'g.json',
      ...at(2),
      hint: LOOP_HINT,
      related: [{ message: "node 'l'", ...at(2) }],
    };
    expect(check(text)).toEqual([loop]);
    expect(check(text, 'error')).toEqual([
      { ...loop, severity: 'error', hint: 'The policy forbids loops (loops: error).' },
    ]);
  });

  /**
   * s → a_k for k < count; a_k → a_k and a_k → bye: `count` loops with a way out; and `infinite`
   * traps z_k → z_k, listed first when `trapsFirst` (the order the components are met in).
   */
  function manyLoops(count: number, infinite = 0, trapsFirst = false): string {
    const loops = named('a', count);
    const traps = named('z', infinite);
    const loopEdges = loops.flatMap((a): Array<[string, string]> => [
      ['s', a],
      [a, a],
      [a, 'bye'],
    ]);
    const trapEdges = traps.flatMap((z): Array<[string, string]> => [
      ['s', z],
      [z, z],
    ]);
    const inner = trapsFirst ? [...traps, ...loops] : [...loops, ...traps];
    const nodes = [{ id: 's' }, { id: 'bye', type: 'disconnect' }, ...inner.map((id) => ({ id }))];
    return graphText(nodes, trapsFirst ? [...trapEdges, ...loopEdges] : [...loopEdges, ...trapEdges], 's');
  }

  it('200 loops with a way out are shown; the 201st and 202nd are counted in one truncated note', () => {
    const one = check(manyLoops(201));
    expect(one.filter((d) => d.code === 'loop')).toHaveLength(200);
    expect(one.filter((d) => d.code !== 'loop')).toEqual([
      {
        code: 'truncated',
        severity: 'info',
        message: '1 more loop with a way out left out',
        file: 'g.json',
        line: 0,
        column: 0,
        hint: 'The first ones are shown.',
      },
    ]);
    const two = check(manyLoops(202));
    expect(two.filter((d) => d.code === 'loop')).toHaveLength(200);
    expect(two.filter((d) => d.code !== 'loop').map((d) => d.message)).toEqual([
      '2 more loops with a way out left out',
    ]);
    expect(check(manyLoops(200)).map((d) => d.code)).toEqual(Array<string>(200).fill('loop'));
  });

  it('infinite loops are never capped and do not use up the 200 loops with a way out', () => {
    for (const trapsFirst of [false, true]) {
      const out = check(manyLoops(200, 200, trapsFirst));
      expect(out.filter((d) => d.code === 'loop')).toHaveLength(200);
      expect(out.filter((d) => d.code === 'infinite-loop')).toHaveLength(200);
      expect(out).toHaveLength(400);
    }
  });
});

/** Floyd–Warshall transitive closure (reflexive). */
function closure(n: number, edges: Array<[number, number]>): boolean[][] {
  const r = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j));
  for (const [u, v] of edges) r[u]![v] = true;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (r[i]![k] && r[k]![j]) r[i]![j] = true;
  return r;
}

const flowArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 18 }),
    exits: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

describe('graph checks against brute-force oracles', () => {
  test.prop([flowArb], { numRuns: 300 })(
    'one finding per unreached weak region and per reached cyclic component, as the rules say',
    ({ n, edges, exits }) => {
      const type = (i: number) => (exits[i] ? 'disconnect' : 'node');
      const label = (i: number) => `${type(i)} 'n${i}'`;
      const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: type(i) }));
      const out = check(
        graphText(
          nodes,
          edges.map(([u, v]) => [`n${u}`, `n${v}`]),
          'n0',
        ),
      );
      const r = closure(n, edges);
      const reached = (i: number) => r[0]![i]!;

      // Unreached regions: weakly connected over edges between unreached nodes.
      const expectedRegions: Array<{ code: string; message: string; line: number }> = [];
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        if (reached(i) || seen.has(i)) continue;
        const region = [i];
        seen.add(i);
        for (let k = 0; k < region.length; k++)
          for (const [u, v] of edges) {
            const w = u === region[k] ? v : v === region[k] ? u : -1;
            if (w >= 0 && !reached(w) && !seen.has(w)) {
              seen.add(w);
              region.push(w);
            }
          }
        const inRegion = new Set(region);
        const touches = edges.some(
          ([u, v]) => (inRegion.has(u) && reached(v)) || (inRegion.has(v) && reached(u)),
        );
        const more = region.length - 1;
        const tail = more === 0 ? '' : ` (with ${more} more node${more === 1 ? '' : 's'})`;
        expectedRegions.push(
          touches
            ? {
                code: 'unreachable',
                message: `${label(i)}${tail} is never reached from the start`,
                line: 3 + i,
              }
            : {
                code: 'disconnected',
                message: `${label(i)}${tail} is not connected to the rest of the flow`,
                line: 3 + i,
              },
        );
      }
      const regions = out.filter((d) => d.code === 'unreachable' || d.code === 'disconnected');
      expect(
        regions.map(({ code, message, line }) => ({ code, message, line })).sort((a, b) => a.line - b.line),
      ).toEqual(expectedRegions);

      // Loops: a strongly connected component (mutual reachability) with an inner edge, reached.
      const expectedLoops: Array<{ code: string; line: number; size: number; members: number[] }> = [];
      const done = new Set<number>();
      for (let i = 0; i < n; i++) {
        if (done.has(i)) continue;
        const members = Array.from({ length: n }, (_, j) => j).filter((j) => r[i]![j] && r[j]![i]);
        for (const j of members) done.add(j);
        const inner = edges.some(([u, v]) => members.includes(u) && members.includes(v));
        if (!inner || !reached(i)) continue;
        const wayOut =
          members.some((j) => exits[j]) ||
          edges.some(([u, v]) => members.includes(u) && !members.includes(v));
        expectedLoops.push({
          code: wayOut ? 'loop' : 'infinite-loop',
          line: 3 + i,
          size: members.length,
          members,
        });
      }
      const loops = out
        .filter((d) => d.code === 'loop' || d.code === 'infinite-loop')
        .sort((a, b) => a.line - b.line);
      expect(loops.map((d) => ({ code: d.code, line: d.line }))).toEqual(
        expectedLoops.map(({ code, line }) => ({ code, line })),
      );
      loops.forEach((d, k) => {
        const { size, members, line } = expectedLoops[k]!;
        const start = line - 3;
        const cycle = d.related!.map((x) => x.line - 3);
        // The example is a cycle of the component through its start, each node once.
        expect(cycle[0]).toBe(start);
        expect(new Set(cycle).size).toBe(cycle.length);
        for (let m = 0; m < cycle.length; m++) {
          const [u, v] = [cycle[m]!, cycle[(m + 1) % cycle.length]!];
          expect(members).toContain(u);
          expect(edges.some(([a, b]) => a === u && b === v)).toBe(true);
        }
        const what = d.code === 'loop' ? 'loop' : 'infinite routing loop';
        const way = d.code === 'loop' ? 'with a way out' : 'with no way out';
        const more = cycle.length > 6 ? [`… ${cycle.length - 6} more`] : [];
        const path = [...cycle.slice(0, 6).map(label), ...more, label(start)].join(' → ');
        expect(d.message).toBe(`${what} of ${size} node${size === 1 ? '' : 's'} ${way}: ${path}`);
      });
      expect(out).toHaveLength(regions.length + loops.length);
    },
  );
});
