/**
 * Checks over the set of flows of one deployment: dependency cycles between flows.
 */
import { buildCsr } from '../algorithms/csr.js';
import { exampleCycle } from '../algorithms/reach.js';
import { publishSequence } from '../algorithms/publish-sequence.js';
import { stronglyConnectedComponents } from '../algorithms/scc.js';
import { diagnostic, type DiagnosticSink } from '../diagnostics.js';
import type { FlowGraph } from '../graph/flow-graph.js';

/** The key that identifies a flow in an org: its type and name (the import service upserts by both, FLOWS.md §4.2). */
export function flowKey(flowType: string | undefined, name: string | undefined): string {
  return `${(flowType ?? '').toLowerCase()}:${name ?? ''}`;
}

/** What the dependency derivation reads of a flow: its identity and what it references. */
export type DependencyNode = Pick<FlowGraph, 'name' | 'flowType' | 'references'>;

/**
 * Edges between the flows of a deployment, from their references: the one derivation that
 * `validate` (cycles, publish order) and `plan` (each step's `dependsOn`) share.
 */
export function dependencyEdges(
  graphs: readonly DependencyNode[],
): Array<{ from: number; to: number; line: number; column: number; via: string }> {
  const byKey = new Map<string, number>();
  graphs.forEach((g, i) => {
    if (g.name !== undefined) byKey.set(flowKey(g.flowType, g.name), i);
  });
  const edges: Array<{ from: number; to: number; line: number; column: number; via: string }> = [];
  graphs.forEach((g, i) => {
    for (const r of g.references) {
      if (r.kind !== 'flow') continue;
      const j = byKey.get(flowKey(r.flowType, r.name));
      if (j !== undefined && j !== i)
        edges.push({ from: i, to: j, line: r.line, column: r.column, via: r.via });
    }
  });
  return edges;
}

const CALLS = new Set(['callCommonModule', 'callBotFlow', 'callDigitalBotFlow']);

/** Reports each dependency cycle between flows once, with one example cycle. */
export function checkDependencyCycles(graphs: readonly FlowGraph[], out: DiagnosticSink): void {
  const edges = dependencyEdges(graphs);
  if (edges.length === 0) return;
  const csr = buildCsr(
    graphs.length,
    Int32Array.from(edges, (e) => e.from),
    Int32Array.from(edges, (e) => e.to),
  );
  const { component, count } = stronglyConnectedComponents(csr);
  const size = new Int32Array(count);
  for (let i = 0; i < graphs.length; i++) size[component[i]!]!++;
  const seen = new Set<number>();
  for (let i = 0; i < graphs.length; i++) {
    const c = component[i]!;
    if (size[c]! < 2 || seen.has(c)) continue;
    seen.add(c);
    const cycle = exampleCycle(csr, component, i);
    const names = [...cycle, i].map((k) => `'${graphs[k]!.name ?? graphs[k]!.file}'`).join(' → ');
    const first = edges.find((e) => e.from === i && component[e.to] === c);
    // Calls (common modules, bot flows) in a cycle recurse forever: that traps callers. Transfers
    // back and forth are legitimate at run time (FLOWS.md §2.4) and Architect publishes them, but
    // no publish order satisfies both sides at once: the first side needs a stub pass.
    const calls = edges.some((e) => component[e.from] === c && component[e.to] === c && CALLS.has(e.via));
    out.push(
      diagnostic(
        'dependency-cycle',
        calls
          ? `flows call each other in a cycle: ${names}; the calls recurse without end`
          : `flows transfer to each other in a cycle: ${names}; no publish order satisfies every reference`,
        {
          file: graphs[i]!.file,
          line: first?.line ?? 0,
          column: first?.column ?? 0,
        },
        {
          severity: calls ? 'error' : 'warning',
          hint: calls
            ? 'Break the cycle: a common module or bot flow must not call back into its caller.'
            : 'Publish one side first (a first pass without the back reference), or break the cycle.',
          related: cycle.map((k) => ({
            message: `flow '${graphs[k]!.name ?? ''}'`,
            line: 1,
            column: 1,
            file: graphs[k]!.file,
          })),
        },
      ),
    );
  }
}

/** For each flow, the flows of the deployment it references (each once, in reference order). */
export function dependencyLists(graphs: readonly DependencyNode[]): number[][] {
  const deps: number[][] = graphs.map(() => []);
  for (const e of dependencyEdges(graphs)) if (!deps[e.from]!.includes(e.to)) deps[e.from]!.push(e.to);
  return deps;
}

/**
 * Flows of a deployment in publish order (dependencies first, the given order breaking ties), or
 * undefined when they form a cycle (which `checkDependencyCycles` reports).
 */
export function publishOrder(graphs: readonly DependencyNode[]): number[] | undefined {
  const deps = dependencyLists(graphs);
  const order = publishSequence(graphs.length, deps);
  const at = new Int32Array(graphs.length);
  order.forEach((g, i) => (at[g] = i));
  const broken = deps.some((list, i) => list.some((d) => at[d]! > at[i]!));
  return broken ? undefined : order;
}

/**
 * With the org's flows known, every flow a definition references must be in this deployment or in
 * the org: Architect refuses to publish a flow with missing dependencies
 * (`architect.flow.cannot.publish.missing.dependencies`, API.md §2.8). A target that exists but was
 * never published is a warning: calls use its latest published version.
 */
export function checkOrgReferences(
  graphs: readonly FlowGraph[],
  orgFlows: ReadonlyArray<{ name: string; type: string; published?: boolean }>,
  out: DiagnosticSink,
): void {
  const deployed = new Set(
    graphs.filter((g) => g.name !== undefined).map((g) => flowKey(g.flowType, g.name)),
  );
  const org = new Map(orgFlows.map((f) => [flowKey(f.type, f.name), f]));
  for (const g of graphs) {
    for (const r of g.references) {
      if (r.kind !== 'flow') continue;
      const key = flowKey(r.flowType, r.name);
      if (deployed.has(key)) continue;
      const found = org.get(key);
      const where = { file: g.file, line: r.line, column: r.column };
      if (!found) {
        out.push(
          diagnostic(
            'missing-dependency',
            `${r.via} references ${r.flowType ?? 'flow'} '${r.name}', which is neither in this deployment nor in the org`,
            where,
            {
              hint: 'Add the flow to the deployment, fix the name, or create it first: Architect refuses to publish flows with missing dependencies.',
            },
          ),
        );
      } else if (found.published === false) {
        out.push(
          diagnostic(
            'missing-dependency',
            `${r.via} references ${r.flowType ?? 'flow'} '${r.name}', which exists in the org but has never been published`,
            where,
            {
              severity: 'warning',
              hint: 'Publish it first (or add it to this deployment): callers use its latest published version.',
            },
          ),
        );
      }
    }
  }
}
