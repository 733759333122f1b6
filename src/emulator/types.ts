/**
 * The emulator's state: plain JSON, so it can be seeded from a file and saved to one.
 */

/** An OAuth client of the emulated org. */
export interface EmClient {
  id: string;
  name: string;
  secret: string;
  /** Permissions (`architect:flow:publish`, wildcards `architect:*:*`, or `*`). */
  permissions: string[];
  /** OAuth scopes reported by `tokens/me`. */
  scopes: string[];
}

/** A user (lock holders; client-credentials tokens have no user, docs/platform-api.md#oauth-client-credentials). */
export interface EmUser {
  id: string;
  name: string;
}

/** Who did something. */
export interface EmActor {
  kind: 'user' | 'client';
  id: string;
  name: string;
}

/** One version of a flow. */
export interface EmVersion {
  id: string;
  type: 'PUBLISH' | 'CHECKIN' | 'SAVE';
  dateCreated: number;
  createdBy?: EmActor;
  /** Archy YAML text, or an opaque configuration object. */
  configuration: unknown;
  /**
   * Probability that an outcome of this version is a failed one. Only versions whose configuration
   * sets outcomes (`initializeFlowOutcome` / `setFlowOutcome`) record outcomes at all.
   */
  failureProbability?: number;
  /** How this version's executions end, reason by reason (over the flow's own; the rest exit normally). */
  exitReasons?: ExitMix;
  /** This version's time in flow against the usual (1: 5 to 180 s), for a version that keeps callers longer. */
  timeInFlowScale?: number;
}

/** Probabilities of exit reasons (`exitReason`); what they leave ends in the flow type's usual exit. */
export type ExitMix = Partial<Record<string, number>>;

/** A span of time during which a version was the published one. */
export interface EmPublication {
  versionId: string;
  start: number;
  end?: number;
}

/** An asynchronous operation (publish, checkin). */
export interface EmOperation {
  id: string;
  actionName: 'PUBLISH' | 'CHECKIN' | 'DELETE';
  actionStatus: 'STARTED' | 'SUCCESS' | 'FAILURE';
  complete: boolean;
  actor: EmActor;
  startedAt: number;
  completeAt: number;
  versionId?: string;
  /** A publish of an old version that the org makes a new version of (`republishOldVersion: new-version`). */
  asNewVersion?: boolean;
  errorCode?: string;
  errorMessage?: string;
}

/**
 * What the org does with a publish of a version older than the checked-in one. No source says
 * which the platform does (docs/archy-format.md#rollback: Genesys documents reverting as export + import), so
 * the emulator can do each: publish it again as it is (`in-place`), make a new version with its
 * configuration and publish that (`new-version`), or refuse (`refuse`, 400 `invalid.value`).
 */
export type RepublishOldVersion = 'in-place' | 'new-version' | 'refuse';

/** A flow. */
export interface EmFlow {
  id: string;
  name: string;
  /** UPPERCASE API type. */
  type: string;
  description?: string;
  divisionId: string;
  versions: EmVersion[];
  publications: EmPublication[];
  checkedInVersionId?: string | undefined;
  savedVersionId?: string | undefined;
  lock?: EmActor | undefined;
  currentOperation?: EmOperation;
  deleted: boolean;
  /** When it was deleted (simulated epoch ms): dependency tracking lags behind (`settings.dependencyLagMs`). */
  deletedAt?: number | undefined;
  active: boolean;
  /** Simulated executions per minute while a version is published. */
  arrivalsPerMinute: number;
  /** Default outcome-failure probability of this flow's versions. */
  failureProbability: number;
  /** How this flow's executions end (over the emulator's default mix; a version may override it). */
  exitReasons?: ExitMix;
}

/** A configured failure of the next publishes of a flow. */
export interface EmPublishFailure {
  flowId: string;
  errorCode: string;
  errorMessage: string;
  /** How many publishes fail; then they succeed again. */
  remaining: number;
}

/** A lock another user takes at a given moment (a fault). */
export interface EmScheduledLock {
  flowId: string;
  user: EmUser;
  at: number;
}

/** One audit entry (`AuditLogMessage`, docs/platform-api.md#audit-log-message). */
export interface EmAudit {
  id: string;
  eventDate: string;
  action: string;
  entityType: string;
  entityId: string;
  entityName: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING';
  clientId?: string;
  userId?: string;
}

/**
 * The kinds of org object a flow names by name (issue 25), each listed by its own endpoint.
 * Users are {@link EmulatorState.users}; flows (bot flows, common modules) are flows.
 */
export const ORG_OBJECT_KINDS = [
  'queue',
  'integration',
  'dataAction',
  'dataTable',
  'prompt',
  'systemPrompt',
  'schedule',
  'scheduleGroup',
  'emergencyGroup',
  'skill',
  'language',
  'wrapupCode',
  'group',
  'outcome',
  'milestone',
] as const;

/** One of {@link ORG_OBJECT_KINDS}. */
export type OrgObjectKind = (typeof ORG_OBJECT_KINDS)[number];

/** An org object: a name and what a flow's use of it depends on. */
export interface EmOrgObject {
  id: string;
  name: string;
  /** Queues, data tables, schedules, wrap-up codes, outcomes, milestones… live in a division. */
  divisionId?: string;
  /** A data action: its integration's id, its category (the integration's name), whether it is secure. */
  integrationId?: string;
  category?: string;
  secure?: boolean;
  /** A data table: its columns (the key first). */
  columns?: string[];
  /** A prompt: its resources per language, with audio (`audio: true`) or a TTS string. */
  resources?: Array<{ language: string; tts?: string; audio?: boolean }>;
}

/** The emulated org. */
export interface EmulatorState {
  org: { id: string; name: string };
  divisions: Array<{ id: string; name: string }>;
  users: EmUser[];
  clients: EmClient[];
  flows: EmFlow[];
  /** Queues, data actions, prompts… by kind (absent in states saved before issue 25). */
  objects?: Partial<Record<OrgObjectKind, EmOrgObject[]>>;
  audits: EmAudit[];
  /** Limits by namespace and key (docs/platform-api.md#organization-limits). */
  limits: Record<string, Record<string, number>>;
  publishFailures: EmPublishFailure[];
  scheduledLocks: EmScheduledLock[];
  settings: {
    /** How long a publish or checkin takes. */
    operationDelayMs: number;
    /** How long an import job runs after its upload. */
    jobDelayMs: number;
    /** How long an async audit query takes. */
    auditQueryDelayMs: number;
    /** Access-token lifetime (docs/platform-api.md#oauth-client-credentials: default 24 h). */
    tokenTtlSeconds: number;
    /** Seed of all simulated randomness. */
    randomSeed: number;
    /** Simulated clock speed (1 = real time). */
    clockSpeed: number;
    /** A publish of an old version. @default 'in-place' */
    republishOldVersion?: RepublishOldVersion;
    /**
     * How long (simulated ms) dependency tracking still counts a deleted flow as consuming what it
     * called or transferred to: its listing, and the delete's 409 `architect.dependency.object.in.use`
     * (the platform builds the data asynchronously, docs/platform-api.md). @default 0
     */
    dependencyLagMs?: number;
  };
}
