/**
 * The event model: one typed, versioned event per deployment fact, the same for the audit log,
 * callbacks and webhooks. It never carries a secret: the actor is the OAuth client id.
 */
import { randomUUID } from 'node:crypto';

/** The kinds of deployment facts. */
export type DeploymentEventType =
  | 'deployment.planned'
  | 'deployment.resumed'
  | 'deployment.waiting-for-lock'
  | 'step.waiting'
  | 'step.publishing'
  | 'step.published'
  | 'step.unchanged'
  | 'step.failed'
  | 'step.cancelled'
  | 'step.rolling-back'
  | 'step.rolled-back'
  | 'step.interrupted'
  | 'step.deleted'
  | 'step.deactivated'
  | 'step.kept'
  | 'deployment.completed'
  | 'health.verdict'
  | 'approval.recorded';

/** What an event says about the API calls behind it. */
export interface EventCalls {
  /** Final HTTP statuses of the calls, in order. */
  statuses: number[];
  attempts: number;
  correlationIds: string[];
  latencyMs: number;
}

/** One event (schema version 1). */
export interface DeploymentEvent {
  schemaVersion: 1;
  /** Unique per event: the webhooks' idempotency key. */
  id: string;
  type: DeploymentEventType;
  time: string;
  deploymentId: string;
  /** The OAuth client id that deploys (never a secret). */
  actor: string;
  /** The org's API base URL. */
  org: string;
  flow?: { id?: string | undefined; name: string; type: string } | undefined;
  versionBefore?: string | undefined;
  versionAfter?: string | undefined;
  contentHash?: string | undefined;
  /** `succeeded`, `failed`, `rolled-back`, … for outcomes; absent for progress. */
  result?: string | undefined;
  message: string;
  calls?: EventCalls | undefined;
  /** On `approval.recorded`: the plan approved (its hash), for which environment, and why. */
  approval?:
    { id: string; planHash: string; env?: string | undefined; note?: string | undefined } | undefined;
  /**
   * On `deployment.completed`, when there is an audit log: its head just before this event (the
   * entry `seq` and the hash of its line). A receiver that keeps it holds an anchor of the log
   * kept outside it: `flowgate audit verify --expect-head <hash>` fails if the log was later cut
   * before that entry or rewritten.
   */
  auditHead?: { seq: number; hash: string } | undefined;
}

/** Builds an event with a fresh id. */
export function newEvent(fields: Omit<DeploymentEvent, 'schemaVersion' | 'id'>): DeploymentEvent {
  return { schemaVersion: 1, id: randomUUID(), ...fields };
}
