/**
 * flowgate: validate, publish and observe Genesys Cloud Architect flows.
 *
 * The library's public face: what a program needs to validate flows, and to plan, run and
 * record a deployment (the ledger, the audit log and its verification), as the CLI does. Library
 * code never prints and never exits: it returns values or throws a {@link FlowgateError} with a
 * stable `code` (registered in {@link ERROR_CODES} with its outcome class).
 *
 * @example Deploying a manifest from code (the README's library section runs this very example)
 * ```ts
 * import {
 *   AuditLog, EventHub, createDeployment, createPlatformClient, eventBridge, loadConnectionSettings,
 *   loadDeployment, loadDeploymentFlows, openLedger, planDeployment, recordCallsIn, runDeployment,
 *   verifyAuditLog,
 * } from 'flowgate';
 *
 * const ledger = await openLedger({ kind: 'sqlite', path: '.flowgate/ledger.db' });
 * const client = createPlatformClient({ ...loadConnectionSettings(process.env), onCall: recordCallsIn(() => ledger) });
 * const deployment = await loadDeployment('flowgate.yaml');
 * const plan = await planDeployment(deployment, { client, ledger, loaded: await loadDeploymentFlows(deployment) });
 * const id = await createDeployment(plan, ledger, { atomic: true });
 * const hub = new EventHub({ auditLog: new AuditLog('.flowgate/audit.jsonl') });
 * const { status } = await runDeployment(id, { client, ledger, onEvent: eventBridge(hub, ledger) });
 * await hub.close();
 * await ledger.close();
 * console.log(status, verifyAuditLog('.flowgate/audit.jsonl').ok); // succeeded true
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
export type { FlowGraph, FlowReference, NodeKind, LoopPolicy } from './flow/index.js';
export { checkPolicy, type OrgFlow } from './flow/index.js';
export type { Policy } from './flow/check/policy-schema.js';

// Configuration
export { loadManifest, type LoadedManifest, type ManifestFlow } from './config/manifest.js';
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
export type { ClientCredentials } from './platform/token-provider.js';
export type { PollOptions } from './platform/poll.js';
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

// Deployments: plan, record, run (`docs/ARCHITECTURE.md`: the ledger is written before the platform is called)
export { planDeployment, type PlanOptions } from './deploy/plan.js';
export {
  createDeployment,
  runDeployment,
  DEFAULT_LOCK_WAIT_MS,
  type CreateOptions,
  type RunOptions,
  type RunOutcome,
} from './deploy/executor.js';
export { recordCallsIn } from './deploy/call-context.js';
export type { BlockReason, DeployEvent, DeploymentPlan, PlannedAction, PlannedStep } from './deploy/types.js';
export {
  unfinishedDeployments,
  dueDeployments,
  scheduledSteps,
  cancelSchedule,
  deploymentOutcome,
  OUTCOME_OF_STATUS,
  type DeploymentOutcome,
  type DueDeployments,
  type ScheduledStep,
} from './deploy/schedules.js';
export { STEP_STATES, STEP_TRANSITIONS, mayTransition } from './deploy/step-states.js';

// The ledger
export { openLedger, type LedgerLocation } from './ledger/open.js';
export type {
  Ledger,
  DeploymentRecord,
  DeploymentStatus,
  StepRecord,
  StepState,
  StepEvent,
  CallRow,
} from './ledger/types.js';

// Events: the hash-chained audit log, its verification, the hub that feeds it
export { AuditLog, readAuditLog, verifyAuditLog, type AuditEntry } from './events/audit-log.js';
export type { VerifyExpectations, VerifyResult } from './events/audit-verify.js';
export { EventHub, type EventHubOptions, type EventSummary } from './events/hub.js';
export { eventBridge } from './deploy/event-bridge.js';
export type { DeploymentEvent, DeploymentEventType } from './events/model.js';
