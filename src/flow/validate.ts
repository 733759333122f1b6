/**
 * Validation: load every file, run the graph checks, the deployment checks and the policy, and
 * return sorted diagnostics. Library code: never prints, never exits.
 */
import { checkGraph } from './check/checks.js';
import { checkDependencyCycles, checkOrgReferences } from './check/deployment-checks.js';
import { DiagnosticCollector, sortDiagnostics, summarize, type Diagnostic } from './diagnostics.js';
import { publishOrder } from './graph/dependencies.js';
import type { FlowGraph } from './graph/flow-graph.js';
import { loadFlowFile, type LoadedFlow, type LoadOptions } from './load.js';
import { checkPolicy, type OrgFlow, type Policy } from './check/policy.js';

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
  // Findings are capped while they are collected: any number costs linear time and bounded memory.
  const sink = new DiagnosticCollector(options.maxPerCode ?? 200, options.policy?.severity);
  const graphs: FlowGraph[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) sink.push(d);
    if (!f.graph) continue;
    graphs.push(f.graph);
    checkGraph(f.graph, { loops: options.policy?.loops ?? 'allow-with-exit' }, sink);
  }
  checkDependencyCycles(graphs, sink);
  if (options.orgFlows) checkOrgReferences(graphs, options.orgFlows, sink);
  if (options.policy) checkPolicy(graphs, options.policy, options.orgFlows, sink);
  const diagnostics = sortDiagnostics(sink.result());
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
