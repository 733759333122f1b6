/**
 * Checks over the set of flows of one deployment: dependency cycles between flows, and references
 * to flows that are neither in the deployment nor in the org. The dependencies themselves are
 * derived in `graph/dependencies.ts`.
 */
import { buildCsr } from '../algorithms/csr.js';
import { exampleCycle } from '../algorithms/reach.js';
import { stronglyConnectedComponents } from '../algorithms/scc.js';
import { diagnostic, type DiagnosticSink } from '../diagnostics.js';
import { dependencyEdges, flowKey } from '../graph/dependencies.js';
import type { FlowGraph } from '../graph/flow-graph.js';

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
