/**
 * flowgate: validate, publish and observe Genesys Cloud Architect flows.
 *
 * The library's public face. Library code never prints and never exits: it returns values or
 * throws a {@link FlowgateError} with a stable `code`.
 *
 * @example
 * ```ts
 * import { validateFlows, createPlatformClient, loadConnectionSettings } from 'flowgate';
 *
 * const report = await validateFlows(['flows/main.yaml'], { substitutions: { env: 'prod' } });
 * if (report.summary.errors > 0) throw new Error('broken flow');
 *
 * const client = createPlatformClient(loadConnectionSettings(process.env));
 * const op = await client.flows.publish(flowId);
 * await client.flows.followOperation(flowId, op.id);
 * ```
 * The emulator has its own entry, `flowgate/emulator`, so that this one does not load it.
 * @packageDocumentation
 */

// Errors
export { FlowgateError, ConfigError, isFlowgateError, type FlowgateErrorOptions } from './errors.js';
export { ERROR_CODES, outcomeOf, type ErrorCode, type ErrorCodeInfo, type Outcome } from './error-codes.js';

// Manifest and deployment inputs
export {
  loadDeployment,
  loadDeploymentFlows,
  type DeploymentOverrides,
  type DeploymentInput,
  type LoadedDeployment,
} from './config/deployment.js';

// Flow definitions and validation
export {
  validateFlows,
  validateLoaded,
  type ValidateOptions,
  type ValidationReport,
} from './flow/validate.js';
export { loadFlowFile, loadFlowText, loadFlowBytes, type LoadOptions, type LoadedFlow } from './flow/load.js';
export {
  applySubstitutions,
  findSubstitutionKeys,
  type SubstitutionResult,
  type UnresolvedToken,
} from './flow/index.js';
export {
  DIAGNOSTIC_CODES,
  summarize,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type Severity,
} from './flow/index.js';
export { NodeFlag, describeNode, type FlowGraph, type FlowReference, type NodeKind } from './flow/index.js';
export { checkGraph, type GraphCheckOptions, type LoopPolicy } from './flow/index.js';
export { checkDependencyCycles, dependencyEdges, publishOrder, flowKey } from './flow/index.js';
export { checkPolicy, type OrgFlow } from './flow/index.js';
export { PolicySchema, type Policy } from './flow/check/policy-schema.js';
export { ARCHY_ROOT_KEYS } from './flow/index.js';

// Configuration
export { loadManifest, ManifestSchema, type LoadedManifest, type ManifestFlow } from './config/manifest.js';
export { DEFAULT_MANIFEST } from './config/defaults.js';
export { loadConfigFile } from './config/config-file.js';

// Platform client
export { createPlatformClient, type PlatformClient, type PlatformClientOptions } from './platform/client.js';
export { loadConnectionSettings, type ConnectionSettings } from './platform/credentials.js';
export {
  REGIONS,
  resolveRegion,
  resolveBaseUrl,
  isLoopbackHost,
  type Region,
  type Endpoints,
} from './platform/regions.js';
export {
  ApiError,
  NetworkError,
  TimeoutError,
  AuthError,
  ResponseShapeError,
  OperationFailedError,
  extractPermissions,
  type GenesysErrorBody,
} from './platform/errors.js';
export { RateLimiter, type RateLimiterOptions } from './platform/rate-limiter.js';
export {
  TokenProvider,
  type ClientCredentials,
  type TokenProviderOptions,
} from './platform/token-provider.js';
export { parseRetryAfter, fullJitterDelay } from './platform/retry-after.js';
export { pollUntil, type PollOptions } from './platform/poll.js';
export { Redactor, redactPatterns } from './platform/redact.js';
export type { CallRecord, RetryEvent, RequestOptions, ApiResult, RequestFn } from './platform/request.js';
export type {
  Flow,
  FlowVersion,
  Operation,
  JobState,
  AuditLogMessage,
  FlowAggregateResponse,
} from './platform/schemas.js';
export type { FlowAggregationQuery } from './platform/calls/analytics.js';
export type { AuditQuery } from './platform/calls/audits.js';
