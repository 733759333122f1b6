/**
 * Validation: load every file, run the graph checks, the deployment checks and the policy, and
 * return sorted diagnostics. Library code: never prints, never exits.
 */
import { checkGraph } from './checks.js';
import { checkDependencyCycles, checkOrgReferences, publishOrder } from './deployment-checks.js';
import { diagnostic, sortDiagnostics, summarize, type Diagnostic } from './diagnostics.js';
import type { FlowGraph } from './flow-graph.js';
import { loadFlowFile, type LoadedFlow, type LoadOptions } from './load.js';
import { applySeverity, checkPolicy, type OrgFlow, type Policy } from './policy.js';

/** Options of {@link validateFlows}. */
export interface ValidateOptions extends LoadOptions {
  policy?: Policy;
  /** Flows already in the org: for the live max-flows count, and to check references to flows. */
  orgFlows?: readonly OrgFlow[];
  /** Most findings of one code per file; the rest are summarised. @default 200 */
  maxPerCode?: number;
}

/** The outcome of validating a set of files. */
export interface ValidationReport {
  files: LoadedFlow[];
  diagnostics: Diagnostic[];
  summary: { files: number; errors: number; warnings: number; infos: number };
  /** The files in publish order (what a flow references comes first); null when flows form a cycle. */
  publishOrder: string[] | null;
}

/** Validates already-loaded flows (the graphs of one deployment). */
export function validateLoaded(files: LoadedFlow[], options: ValidateOptions = {}): ValidationReport {
  const all: Diagnostic[] = [];
  const graphs: FlowGraph[] = [];
  for (const f of files) {
    all.push(...f.diagnostics);
    if (!f.graph) continue;
    graphs.push(f.graph);
    all.push(...checkGraph(f.graph, { loops: options.policy?.loops ?? 'allow-with-exit' }));
  }
  all.push(...checkDependencyCycles(graphs));
  if (options.orgFlows) all.push(...checkOrgReferences(graphs, options.orgFlows));
  if (options.policy) all.push(...checkPolicy(graphs, options.policy, options.orgFlows));
  const capped = capPerCode(applySeverity(all, options.policy?.severity), options.maxPerCode ?? 200);
  const diagnostics = sortDiagnostics(capped);
  const order = publishOrder(graphs);
  return {
    files,
    diagnostics,
    summary: { files: files.length, ...summarize(diagnostics) },
    publishOrder: order ? order.map((i) => graphs[i]!.file) : null,
  };
}

/** Loads and validates files. */
export async function validateFlows(
  paths: readonly string[],
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const files: LoadedFlow[] = [];
  for (const p of paths) files.push(await loadFlowFile(p, options));
  return validateLoaded(files, options);
}

function capPerCode(diagnostics: Diagnostic[], max: number): Diagnostic[] {
  const counts = new Map<string, number>();
  const out: Diagnostic[] = [];
  const dropped = new Map<string, { n: number; d: Diagnostic }>();
  for (const d of diagnostics) {
    const key = `${d.file}\u0000${d.code}`;
    const c = (counts.get(key) ?? 0) + 1;
    counts.set(key, c);
    if (c <= max) out.push(d);
    else {
      const e = dropped.get(key);
      if (e) e.n++;
      else dropped.set(key, { n: 1, d });
    }
  }
  for (const { n, d } of dropped.values()) {
    out.push(
      diagnostic(
        'truncated',
        `${n} more '${d.code}' finding${n === 1 ? '' : 's'} left out`,
        { file: d.file },
        { hint: 'Fix the ones shown first.' },
      ),
    );
  }
  return out;
}
