/**
 * The ledger: what flowgate has planned, done and seen, durable across processes. One interface,
 * kept portable (plain SQL, no engine-only features), so that SQLite (embedded default) and
 * PostgreSQL (a team's shared ledger) implement the same contract.
 *
 * Every state change of a step is committed before the API call it leads to; a run killed at any
 * moment therefore resumes from the ledger without publishing anything twice.
 */

/** Where a step is in its life. */
export type StepState =
  | 'planned'
  | 'scheduled'
  | 'waiting'
  | 'publishing'
  | 'published'
  | 'unchanged'
  | 'blocked'
  | 'failed'
  | 'cancelled'
  | 'rolled-back';

/** Where a deployment is. */
export type DeploymentStatus =
  | 'planned'
  | 'scheduled'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'partial'
  | 'rolled-back'
  | 'interrupted'
  | 'cancelled';

/** One deployment (a run of a manifest against an org). */
export interface DeploymentRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: DeploymentStatus;
  /** The OAuth client id that deploys (never a secret). */
  actor: string;
  /** The org's API base URL. */
  org: string;
  env?: string | undefined;
  manifest?: string | undefined;
  atomic: boolean;
  /**
   * A `rollback` (of a deployment, a flow, or by the health gate) is reported as one; a `prune`
   * (`flowgate prune --apply`) deletes or deactivates flows, one step each, and is never resumed.
   */
  purpose?: 'rollback' | 'prune' | undefined;
  /** The hash of the plan it was made from (`deploy/artifact.ts`: what an approval is bound to). */
  planHash?: string | undefined;
  /** The environment's gates as they stood when it was recorded (`deploy/gates.ts`), all met. */
  gates?: GateSummary[] | undefined;
}

/** One gate of an environment as a deployment recorded it. */
export interface GateSummary {
  /** `passed:<env>`, `healthy:<env>` or `approvals`. */
  gate: string;
  met: boolean;
  /** What it found: `2 of 2 flows`, `1 of 1 approval`, or what is missing. */
  detail: string;
}

/** The final verdict of a step's health gate. */
export type HealthOutcome = 'healthy' | 'degraded' | 'insufficient';

/** One approval of a plan (`flowgate approve`). */
export interface ApprovalRecord {
  id: string;
  /** The plan's hash: a changed plan has another, and needs approvals of its own. */
  planHash: string;
  env?: string | undefined;
  /** The deployment named when approving, when one was. */
  deploymentId?: string | undefined;
  /** The OAuth client id, or the CI's identity given with `--as`. */
  actor: string;
  at: string;
  note?: string | undefined;
}

/** A step with the deployment it belongs to (for the gates). */
export type StepWithDeployment = StepRecord & { deployment: DeploymentRecord };

/** What a step does: publish (an import or an existing version), or, in a prune, delete or deactivate. */
export type StepKind = 'import' | 'publish' | 'delete' | 'deactivate';

/** The step kinds that publish a flow (what `lastPublished` reads). */
export const PUBLISHING_KINDS: readonly StepKind[] = ['import', 'publish'];

/** One flow of a deployment. */
export interface StepRecord {
  deploymentId: string;
  index: number;
  /** `type:name` in lowercase type: the flow's identity across deployments. */
  flowKey: string;
  flowName: string;
  flowType: string;
  flowId?: string | undefined;
  kind: StepKind;
  /** For `publish`: the version to publish. */
  targetVersion?: string | undefined;
  /** The org's published version before this deployment (what rollback returns to). */
  previousVersion?: string | undefined;
  /** The version this step published. */
  publishedVersion?: string | undefined;
  /** True when this deployment created the flow (nothing to return to). */
  createdFlow: boolean;
  contentHash?: string | undefined;
  /** The deployed content (Archy YAML after substitutions), for the semantic diff of the next plan. */
  content?: string | undefined;
  /**
   * The artifact: the hash of the flow file's normalized content before substitutions, the same
   * in every environment (`deploy/artifact.ts`).
   */
  artifactHash?: string | undefined;
  /** The hash of the values substituted into it (the keys the file uses, with their values). */
  valuesHash?: string | undefined;
  /** The flow file's text before substitutions (what `promote` deploys elsewhere). */
  source?: string | undefined;
  /** The flow file, relative to the manifest's folder (an artifact's identity across environments). */
  sourceFile?: string | undefined;
  /** The health gate's final verdict on this step, when it watched it. */
  health?: HealthOutcome | undefined;
  state: StepState;
  /** ISO-8601 time before which the step must not publish. */
  activateAt?: string | undefined;
  /** Indexes of the steps this one waits for (the flows it transfers to or calls). */
  dependsOn: number[];
  /** The org's `currentOperation` id before the publish (to recognise our own operation on resume). */
  operationBefore?: string | undefined;
  operationId?: string | undefined;
  jobId?: string | undefined;
  error?: string | undefined;
  updatedAt: string;
}

/** One recorded state change of a step. */
export interface StepEvent {
  deploymentId: string;
  index: number;
  at: string;
  from: StepState | null;
  to: StepState;
  detail?: string | undefined;
}

/** One API call (from the platform client's call records). */
export interface CallRow {
  deploymentId: string;
  /** The step the call was made for, when there is one. */
  index?: number | undefined;
  at: string;
  method: string;
  path: string;
  status: number;
  attempts: number;
  latencyMs: number;
  correlationId?: string | undefined;
  error?: string | undefined;
}

/** Who holds a deployment. */
export interface Holder {
  pid: number;
  host: string;
  since: string;
  actor: string;
}

/** Who deploys a flow right now: the run's holder and its deployment. */
export interface FlowLockHolder extends Holder {
  deploymentId: string;
}

/** A flow lock someone holds. */
export interface HeldFlowLock {
  org: string;
  flowKey: string;
  holder: FlowLockHolder;
}

/** How {@link Ledger.lockFlows} waits for a flow another deployment holds. */
export interface FlowLockOptions {
  /** How long to wait for the flows in all; 0 fails at once (`--no-wait`). */
  waitMs: number;
  signal?: AbortSignal | undefined;
  /** Told once, when a flow is held by someone else and the call starts waiting. */
  onWait?: ((held: HeldFlowLock[]) => void | Promise<void>) | undefined;
}

/** Flow locks held by one run. */
export interface FlowLocks {
  /** Whether the run had to wait for another deployment (its plan may be older than the org). */
  readonly waited: boolean;
  /** Rejects with LEDGER_UNAVAILABLE when the locks were lost (the ledger's session ended). */
  check(): Promise<void>;
  release(): Promise<void>;
}

/** Everything the ledger knows of one deployment (for `flowgate ledger migrate`). */
export interface DeploymentBundle {
  deployment: DeploymentRecord;
  steps: StepRecord[];
  events: StepEvent[];
  calls: CallRow[];
}

/** What may change on a step together with its state. */
export type StepPatch = Partial<
  Pick<
    StepRecord,
    | 'flowId'
    | 'previousVersion'
    | 'publishedVersion'
    | 'createdFlow'
    | 'operationBefore'
    | 'operationId'
    | 'jobId'
    | 'error'
    | 'activateAt'
    | 'health'
  >
>;

/** The storage interface (one contract test suite for every implementation). */
export interface Ledger {
  /** Creates a deployment and its steps in one transaction. */
  createDeployment(d: DeploymentRecord, steps: StepRecord[]): Promise<void>;
  getDeployment(id: string): Promise<DeploymentRecord | undefined>;
  /** Newest first. */
  listDeployments(options?: { status?: DeploymentStatus[]; limit?: number }): Promise<DeploymentRecord[]>;
  setStatus(id: string, status: DeploymentStatus): Promise<void>;
  steps(deploymentId: string): Promise<StepRecord[]>;
  /**
   * Changes a step's state (and fields) and records the event, in one transaction.
   * @throws LEDGER_TRANSITION when `ledger/step-states.ts` does not allow the change (nothing recorded).
   */
  transition(
    deploymentId: string,
    index: number,
    to: StepState,
    patch?: StepPatch,
    detail?: string,
  ): Promise<StepRecord>;
  /** Changes fields of a step without a state change (an id learnt mid-step), recorded as an event. */
  note(deploymentId: string, index: number, patch: StepPatch, detail: string): Promise<void>;
  events(deploymentId: string): Promise<StepEvent[]>;
  recordCall(call: CallRow): Promise<void>;
  calls(deploymentId: string): Promise<CallRow[]>;
  /**
   * The newest step that published this flow (for "unchanged" and the semantic diff), in `org`
   * when given: one team ledger serves several orgs.
   */
  lastPublished(flowKey: string, org?: string): Promise<(StepRecord & { at: string }) | undefined>;
  /**
   * The newest step of each flow in `org` among the steps of these kinds in these states, with its
   * deployment, in flow-key order (what `prune` reads: the flows flowgate published there, and
   * those it pruned).
   */
  latestSteps(
    org: string,
    kinds: readonly StepKind[],
    states: readonly StepState[],
  ): Promise<StepWithDeployment[]>;
  /** Steps of a flow (or of every flow), newest first. */
  history(flowKey?: string, limit?: number): Promise<Array<StepRecord & { status: DeploymentStatus }>>;
  /**
   * Steps of the flow a person named (its key, name or id), newest first: the limit counts that
   * flow's steps, so a busy ledger does not hide a flow's deployments behind other flows'.
   */
  flowHistory(flow: string, limit?: number): Promise<Array<StepRecord & { status: DeploymentStatus }>>;
  /** Every flow name the ledger has a step of, in name order (for "did you mean"). */
  flowNames(): Promise<string[]>;
  /**
   * Takes a deployment for this process. Fails with LEDGER_BUSY naming the holder when another
   * live process holds it; a holder that died is replaced.
   */
  acquire(deploymentId: string, holder: Holder): Promise<{ release(): Promise<void> }>;
  /**
   * Takes the flows of a deployment in `org` for this run, all or none: two runs never deploy one
   * flow at once. Waits up to `waitMs` for flows another deployment holds, then fails with
   * LEDGER_LOCKED naming the holder. A holder that died (its process, or its database session)
   * holds nothing.
   */
  lockFlows(
    org: string,
    flowKeys: string[],
    holder: FlowLockHolder,
    options: FlowLockOptions,
  ): Promise<FlowLocks>;
  /** Who holds which of these flows now (for the plan). */
  flowLockHolders(org: string, flowKeys: string[]): Promise<HeldFlowLock[]>;
  /**
   * Steps that deployed this artifact (same hash, same file relative to the manifest), with their
   * deployments, newest deployment first.
   */
  artifactSteps(artifactHash: string, sourceFile: string): Promise<StepWithDeployment[]>;
  /** Steps of a flow file in an environment, with their deployments, newest deployment first. */
  fileSteps(sourceFile: string, env: string, limit?: number): Promise<StepWithDeployment[]>;
  /** Rollback deployments' steps of a flow in an org created after `after` (ISO-8601). */
  rollbacksSince(org: string, flowKey: string, after: string): Promise<StepWithDeployment[]>;
  /** Records an approval. */
  recordApproval(a: ApprovalRecord): Promise<void>;
  /** The approvals of a plan (or every approval, for `ledger migrate`), oldest first. */
  approvals(planHash?: string): Promise<ApprovalRecord[]>;
  /** Copies a deployment in with its history, unless the ledger has it; true when copied. */
  importDeployment(bundle: DeploymentBundle): Promise<boolean>;
  close(): Promise<void>;
}
