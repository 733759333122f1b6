/** The shapes of a deployment plan and of what a deployment reports. */
import type { ValidationReport } from '../flow/validate.js';
import type { StepKind } from '../ledger/types.js';
import type { SemanticDiff } from './diff.js';
import type { ObjectUse } from './org-references.js';

/** What the plan does with a flow. */
export type PlannedAction = 'create' | 'update' | 'publish' | 'unchanged' | 'blocked';

/** Why a step cannot go ahead. */
export interface BlockReason {
  /**
   * `file`: the manifest names a flow file that gives no text (missing, a folder, empty, too large).
   * `scheduled`: another deployment already schedules the flow, with other content or at another time.
   */
  kind: 'validation' | 'file' | 'locked' | 'drift' | 'not-found' | 'policy' | 'unfinished' | 'scheduled';
  message: string;
}

/** One flow of a plan. */
export interface PlannedStep {
  index: number;
  /** The index of the manifest's flow entry. */
  manifestIndex: number;
  kind: StepKind;
  action: PlannedAction;
  flowName: string;
  flowType: string;
  flowKey: string;
  flowId?: string | undefined;
  /** For `publish`: the version the manifest names. */
  targetVersion?: string | undefined;
  /** The org's published version now (what rollback returns to). */
  previousVersion?: string | undefined;
  checkedInVersion?: string | undefined;
  blocked: BlockReason[];
  /** Who holds the flow's lock in Architect, when someone else does. */
  lockedBy?: string | undefined;
  /** The lock will be taken over (`--force-unlock`). */
  forceUnlock?: boolean;
  /** A note for the reader (a change made outside the pipeline). */
  notes: string[];
  /**
   * Another deployment already schedules this very change (the same content or version, the same
   * activation time): the step is *unchanged* here, so the flow is scheduled once.
   */
  alreadyScheduled?: { deploymentId: string; status: string; activateAt?: string | undefined } | undefined;
  /** The Archy file (for imports) and its content after substitutions, with its SHA-256. */
  file?: string | undefined;
  content?: string | undefined;
  contentHash?: string | undefined;
  /** The artifact (`artifact.ts`): the file's content before substitutions, hashed, and the values'. */
  artifactHash?: string | undefined;
  valuesHash?: string | undefined;
  /** The file's text before substitutions, and its name relative to the manifest's folder. */
  source?: string | undefined;
  sourceFile?: string | undefined;
  activateAt?: string | undefined;
  /** Steps that must publish first (flows this one transfers to or calls). */
  dependsOn: number[];
  /** The org objects the flow names (queues, data actions, prompts…) and their state in the org. */
  objects?: ObjectUse[] | undefined;
  /**
   * Against what the org publishes now (as the ledger recorded it): `new` for a flow the org does
   * not have, `unknown` when the org publishes a version the ledger has no content of.
   */
  diff?: SemanticDiff | 'new' | 'unknown' | undefined;
  /**
   * Whether what the org publishes was read (an export job) to decide the step; set only for a
   * step that needed it (the org publishes a version the ledger has no record of).
   */
  contentCheck?: ContentCheck | undefined;
}

/** The plan's reading of what the org publishes for one step (`plan.ts`, README: content drift). */
export type ContentCheck =
  | { status: 'made' }
  | {
      /** The org's content could not be read: neither *unchanged* nor drift could be told from it. */
      status: 'not-possible';
      /** The error that stopped it (`API_FORBIDDEN`: the client may not run export jobs). */
      code: string;
      /** What happened, in the platform's words. */
      reason: string;
      /** What to change so the check can be made (the permission to give). */
      hint?: string | undefined;
      /** What the plan decided instead, and why. */
      decision: string;
    };

/** A plan: what `deploy` would do. */
export interface DeploymentPlan {
  org: string;
  actor: string;
  env?: string | undefined;
  manifest?: string | undefined;
  steps: PlannedStep[];
  /** Step indexes in publish order. */
  order: number[];
  validation: ValidationReport;
  /** True when any step is blocked or the validation found errors. */
  blocked: boolean;
  /** Set by `rollbackPlan`: the deployment puts flows back, and is reported so. */
  purpose?: 'rollback' | 'prune' | undefined;
  /** What the plan deploys, hashed (`artifact.ts`): approvals are bound to it. */
  planHash?: string | undefined;
  /** The environment's gates (`gates.ts`), when it has any; a deployment refuses an unmet one. */
  gates?: GateResult[] | undefined;
  /** Set by `promotionPlan`: the environment whose deployments these artifacts come from. */
  promotedFrom?: string | undefined;
  /**
   * `deploy.requireTests: true`: the scenario run deploy requires before it plans (`test-requirement.ts`),
   * added to the plan by whoever runs the scenarios (the CLI), so plan and deploy agree.
   */
  tests?: TestRun | undefined;
}

/** A run of the scenarios next to the manifest's flows, as `deploy.requireTests` judges it. */
export interface TestRun {
  /** How many cases ran. */
  cases: number;
  /** Each case that did not pass: `file:line name: why`. */
  failed: string[];
}

/** A flow a gate is not met for, and why. */
export interface GateMiss {
  flowName: string;
  /** The file, relative to the manifest's folder. */
  file?: string | undefined;
  reason: string;
}

/** One gate of an environment, evaluated. */
export interface GateResult {
  /** `passed`: deployed there and not rolled back; `healthy`: its health gate ended healthy there. */
  gate: 'passed' | 'healthy' | 'approvals';
  /** The environment the gate is about (`passed`, `healthy`). */
  env?: string | undefined;
  met: boolean;
  /** What was found, in words: `2 of 2 flows`, `1 of 1 approvals`. */
  detail: string;
  missing: GateMiss[];
}

/** A fact of a running deployment (the events issue builds its event model on these). */
export interface DeployEvent {
  type:
    | 'planned'
    | 'waiting'
    | 'publishing'
    | 'published'
    | 'unchanged'
    | 'failed'
    | 'cancelled'
    | 'rolling-back'
    | 'rolled-back'
    | 'scheduled'
    | 'resumed'
    | 'interrupted'
    | 'lock-wait'
    | 'completed';
  deploymentId: string;
  at: string;
  step?: { index: number; flowName: string; flowType: string; flowId?: string | undefined };
  message: string;
  versionBefore?: string | undefined;
  versionAfter?: string | undefined;
  /** For `waiting`: the activation time. */
  activateAt?: string | undefined;
  /** For outcomes: `succeeded`, `failed`, `rolled-back`, … (the deployment's status when completed). */
  result?: string | undefined;
}
