/**
 * The flow module's face towards the rest of flowgate: other folders import from here (or from
 * the two entry points `load.ts` and `validate.ts`), never from a stage's files, so moving a file
 * inside `flow/` changes this file only. `test/architecture.test.ts` enforces it.
 *
 * Three light files stay importable on their own, for configuration code that must not load the
 * parsers and checks (an ES module loads every module it names): `parse/parse.ts` and
 * `source/source-text.ts` (reading manifests with positions) and `check/policy-schema.ts` (zod,
 * which `validate` without a policy never loads; it is therefore not re-exported here).
 */
export { validateFlows, validateLoaded, type ValidateOptions, type ValidationReport } from './validate.js';
export { loadFlowFile, loadFlowText, loadFlowBytes, type LoadOptions, type LoadedFlow } from './load.js';
export {
  DIAGNOSTIC_CODES,
  summarize,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type Severity,
} from './diagnostics.js';

// Stages, for the callers that need one piece: reading and substitutions, parsing.
export { LineIndex, readFailure } from './source/source-text.js';
export {
  applySubstitutions,
  findSubstitutionKeys,
  type SubstitutionResult,
  type UnresolvedToken,
} from './source/substitute.js';
export { parseYaml, type ParsedDocument } from './parse/parse.js';
export { parseYamlEvents } from './parse/parse-events.js';

// The graph, the dependencies between a deployment's flows, and the checks.
export {
  NodeFlag,
  describeNode,
  type FlowGraph,
  type FlowReference,
  type NodeKind,
} from './graph/flow-graph.js';
export {
  dependencyEdges,
  dependencyLists,
  dependencyOrder,
  flowKey,
  publishOrder,
  type DependencyNode,
  type DependencyOrder,
} from './graph/dependencies.js';
export { ARCHY_ROOT_KEYS } from './graph/archy/archy-vocabulary.js';
// The action catalogue and Archy references, for the scenario interpreter (src/scenario/).
export { catalogueAction, catalogueChoice } from './graph/archy/action-catalogue.js';
export { parseContainerRef, type ContainerRef } from './graph/archy/archy-refs.js';
export type { CatalogueAction } from './graph/archy/catalogue/types.js';
export { checkGraph, type GraphCheckOptions, type LoopPolicy } from './check/checks.js';
export { checkDependencyCycles, checkOrgReferences } from './check/deployment-checks.js';
export { checkPolicy, type OrgFlow, type Policy } from './check/policy.js';
export { compileLinearPattern, LINEAR_PATTERN_HINT, type LinearPattern } from './check/linear-pattern.js';
