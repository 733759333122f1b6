import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanGraphJson } from '../../src/flow/graph/graph-json/graph-json-scan.js';
import { loadFlowText } from '../../src/flow/load.js';
import type { FlowGraph } from '../../src/flow/graph/flow-graph.js';

/** The parts of a graph both paths must agree on. */
function view(g: FlowGraph) {
  return {
    ids: g.ids,
    types: g.types,
    names: g.names,
    flags: [...g.flags],
    lines: [...g.lines],
    columns: [...g.columns],
    edges: [...g.edgeFrom].map((f, i) => [f, g.edgeTo[i]]),
    starts: g.starts,
    name: g.name,
    flowType: g.flowType,
    diagnostics: g.diagnostics.map((d) => [d.code, d.message, d.line, d.column, d.related ?? []]),
  };
}

const id = fc.oneof(
  fc.constantFrom('a', 'b', 'menu-1', 'x y', 'é'),
  fc.nat(30).map((n) => `n${n}`),
  fc.nat(5),
);
const doc = fc.record(
  {
    nodes: fc.array(
      fc.record(
        {
          id,
          type: fc.constantFrom('menu', 'disconnect', 'transferToAcd', 'play'),
          name: fc.string({ maxLength: 6 }),
          extra: fc.option(fc.jsonValue({ maxDepth: 2 })),
        },
        { requiredKeys: ['id'] },
      ),
      { maxLength: 25 },
    ),
    edges: fc.array(fc.record({ source: id, target: id, label: fc.option(fc.string({ maxLength: 4 })) }), {
      maxLength: 40,
    }),
    start: fc.option(fc.oneof(id.map(String), fc.array(id.map(String), { maxLength: 2 }))),
    name: fc.option(fc.string({ maxLength: 5 })),
  },
  { requiredKeys: ['nodes', 'edges'] },
);

describe('the byte scanner agrees with the general graph-JSON path', () => {
  it('same graph, positions and findings; most generated documents are scanned, not declined', () => {
    // Counted inside this test: no other test's runs (or their absence) change what it checks.
    const stats = { total: 0, scanned: 0 };
    const agree = (
      d: typeof doc extends fc.Arbitrary<infer T> ? T : never,
      indent: number | string,
      ascii: boolean,
    ) => {
      const clean = JSON.parse(
        JSON.stringify(d, (_k, v: unknown) => (v === null ? undefined : v)),
      ) as unknown;
      let text = JSON.stringify(clean, null, indent);
      stats.total++;
      if (ascii)
        text = text.replace(
          /[^\x20-\x7e\n\t]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
      const scanned = scanGraphJson(Buffer.from(text), 'g.json');
      const general = loadFlowText(text, 'g.json');
      expect(general.graph).toBeDefined();
      // Escapes (\\u…) are outside the scanner's plain subset: it must decline, never disagree.
      if (scanned !== undefined) stats.scanned++;
      if (scanned === undefined) {
        expect(/\\/.test(text)).toBe(true);
        return;
      }
      if (/[^\x20-\x7e\n\t]/.test(text)) {
        // Non-ASCII: byte columns differ from character columns; compare everything else.
        const { columns: _a, diagnostics: _b, ...s } = view(scanned);
        const { columns: _c, diagnostics: _d, ...g } = view(general.graph!);
        expect(s).toEqual(g);
        return;
      }
      expect(view(scanned)).toEqual(view(general.graph!));
    };
    fc.assert(fc.property(doc, fc.constantFrom(0, 2, '\t'), fc.boolean(), agree), { numRuns: 400 });
    expect(stats.total).toBe(400);
    // About half the documents carry an escape (fast-check strings hold quotes and backslashes), so
    // the share scanned varies around 0.5 from seed to seed; a third shows the scanner is exercised.
    expect(stats.scanned / stats.total).toBeGreaterThan(0.33);
  });

  it('declines what it does not support, so the general path can report it', () => {
    const cases = [
      '{"nodes":[{"id":"a","id":"b"}],"edges":[]}',
      '{"nodes":[{"id":"a\\"b"}],"edges":[]}',
      '{"nodes":[{"id":"a"}],"edges":[{"source":"a"}]}',
      '{"nodes":[{"id":"a"}],"edges":[]',
      '{"nodes":[{"id":"a"}],"edges":[]} trailing',
      '{"nodes":[{"id":1.5}],"edges":[]}',
      '{"nodes":[{"name":"no id"}],"edges":[]}',
      '{"nodes":[null],"edges":[]}',
      '{"nodes":[],"nodes":[]}',
      '{"edges":[]}',
      `{"nodes":[{"id":"a","x":${'['.repeat(1000)}${']'.repeat(1000)}}],"edges":[]}`,
    ];
    for (const c of cases) expect(scanGraphJson(Buffer.from(c), 'g.json'), c.slice(0, 40)).toBeUndefined();
  });

  it('handles 1e5 nodes and reports dangling edges and duplicates with positions', () => {
    const nodes = Array.from(
      { length: 100_000 },
      (_, i) => `{"id":"n${i}","type":"${i % 7 === 0 ? 'disconnect' : 'menu'}"}`,
    );
    nodes.push('{"id":"n5"}');
    const edges = Array.from(
      { length: 100_000 },
      (_, i) => `{"source":"n${i}","target":"n${(i * 7919) % 100_000}"}`,
    );
    edges.push('{"source":"n1","target":"missing"}');
    const text = `{"start":"n0","nodes":[\n${nodes.join(',\n')}\n],"edges":[\n${edges.join(',\n')}\n]}`;
    const g = scanGraphJson(Buffer.from(text), 'big.json')!;
    expect(g.nodeCount).toBe(100_001);
    expect(g.edgeCount).toBe(100_000);
    expect(g.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['duplicate-id', 100_002, 1],
      ['dangling-edge', 200_004, 1],
    ]);
  });
});
