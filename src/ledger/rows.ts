/** Mapping between ledger records and portable SQL rows (snake_case, integers for booleans). */
import type {
  ApprovalRecord,
  CallRow,
  DeploymentRecord,
  FlowLockHolder,
  GateSummary,
  HealthOutcome,
  StepEvent,
  StepRecord,
} from './types.js';

type Row = Record<string, unknown>;

const opt = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;

/** A deployment from its row. */
export function deploymentFromRow(r: Row): DeploymentRecord {
  return {
    id: String(r.id),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    status: String(r.status) as DeploymentRecord['status'],
    actor: String(r.actor),
    org: String(r.org),
    env: opt(r.env),
    manifest: opt(r.manifest),
    atomic: Number(r.atomic) === 1,
    ...(r.purpose === 'rollback' || r.purpose === 'prune' ? { purpose: r.purpose } : {}),
    ...(opt(r.plan_hash) !== undefined ? { planHash: opt(r.plan_hash) } : {}),
    ...(opt(r.gates) !== undefined ? { gates: JSON.parse(String(r.gates)) as GateSummary[] } : {}),
  };
}

/** A deployment from the `d_`-prefixed columns of a step joined with its deployment. */
export function joinedDeploymentFromRow(r: Row): DeploymentRecord {
  const d: Row = {};
  for (const [k, v] of Object.entries(r)) if (k.startsWith('d_')) d[k.slice(2)] = v;
  return deploymentFromRow(d);
}

/** The `d_`-prefixed columns of a deployment, for a query joining steps `s` and deployments `d`. */
export const JOINED_DEPLOYMENT_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'status',
  'actor',
  'org',
  'env',
  'manifest',
  'atomic',
  'purpose',
  'plan_hash',
  'gates',
]
  .map((c) => `d.${c} AS d_${c}`)
  .join(', ');

/** An approval from its row. */
export function approvalFromRow(r: Row): ApprovalRecord {
  return {
    id: String(r.id),
    planHash: String(r.plan_hash),
    env: opt(r.env),
    deploymentId: opt(r.deployment_id),
    actor: String(r.actor),
    at: String(r.at),
    note: opt(r.note),
  };
}

/** A step from its row. */
export function stepFromRow(r: Row): StepRecord {
  return {
    deploymentId: String(r.deployment_id),
    index: Number(r.idx),
    flowKey: String(r.flow_key),
    flowName: String(r.flow_name),
    flowType: String(r.flow_type),
    flowId: opt(r.flow_id),
    kind: String(r.kind) as StepRecord['kind'],
    targetVersion: opt(r.target_version),
    previousVersion: opt(r.previous_version),
    publishedVersion: opt(r.published_version),
    createdFlow: Number(r.created_flow) === 1,
    contentHash: opt(r.content_hash),
    content: opt(r.content),
    artifactHash: opt(r.artifact_hash),
    valuesHash: opt(r.values_hash),
    source: opt(r.source),
    sourceFile: opt(r.source_file),
    health: opt(r.health) as HealthOutcome | undefined,
    state: String(r.state) as StepRecord['state'],
    activateAt: opt(r.activate_at),
    dependsOn: JSON.parse(String(r.depends_on)) as number[],
    operationBefore: opt(r.operation_before),
    operationId: opt(r.operation_id),
    jobId: opt(r.job_id),
    error: opt(r.error),
    updatedAt: String(r.updated_at),
  };
}

/** The row of a step. */
export function stepToRow(s: StepRecord): Row {
  return {
    deployment_id: s.deploymentId,
    idx: s.index,
    flow_key: s.flowKey,
    flow_name: s.flowName,
    flow_type: s.flowType,
    flow_id: s.flowId ?? null,
    kind: s.kind,
    target_version: s.targetVersion ?? null,
    previous_version: s.previousVersion ?? null,
    published_version: s.publishedVersion ?? null,
    created_flow: s.createdFlow ? 1 : 0,
    content_hash: s.contentHash ?? null,
    content: s.content ?? null,
    artifact_hash: s.artifactHash ?? null,
    values_hash: s.valuesHash ?? null,
    source: s.source ?? null,
    source_file: s.sourceFile ?? null,
    health: s.health ?? null,
    state: s.state,
    activate_at: s.activateAt ?? null,
    depends_on: JSON.stringify(s.dependsOn),
    operation_before: s.operationBefore ?? null,
    operation_id: s.operationId ?? null,
    job_id: s.jobId ?? null,
    error: s.error ?? null,
    updated_at: s.updatedAt,
  };
}

/** Column names of the fields a patch may change. */
export const PATCH_COLUMNS: Record<string, string> = {
  flowId: 'flow_id',
  previousVersion: 'previous_version',
  publishedVersion: 'published_version',
  createdFlow: 'created_flow',
  operationBefore: 'operation_before',
  operationId: 'operation_id',
  jobId: 'job_id',
  error: 'error',
  activateAt: 'activate_at',
  health: 'health',
};

/** An event from its row. */
export function eventFromRow(r: Row): StepEvent {
  return {
    deploymentId: String(r.deployment_id),
    index: Number(r.idx),
    at: String(r.at),
    from: (opt(r.from_state) ?? null) as StepEvent['from'],
    to: String(r.to_state) as StepEvent['to'],
    detail: opt(r.detail),
  };
}

/** A call from its row. */
export function callFromRow(r: Row): CallRow {
  return {
    deploymentId: String(r.deployment_id),
    index: r.idx === null || r.idx === undefined ? undefined : Number(r.idx),
    at: String(r.at),
    method: String(r.method),
    path: String(r.path),
    status: Number(r.status),
    attempts: Number(r.attempts),
    latencyMs: Number(r.latency_ms),
    correlationId: opt(r.correlation_id),
    error: opt(r.error),
  };
}

/** Who holds a lock, from a `flow_locks` (or `run_locks`) row. */
export function holderFromRow(r: Row): FlowLockHolder {
  return {
    deploymentId: String(r.deployment_id),
    pid: Number(r.pid),
    host: String(r.host),
    actor: String(r.actor),
    since: String(r.since),
  };
}
