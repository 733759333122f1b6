/**
 * The ledger's decisions about deployments as a whole, for the CLI and library users alike:
 * which deployments a new run resumes first, which scheduled ones are due, cancelling a
 * schedule, and what a deployment's status means as an outcome.
 */
import { FlowgateError } from '../errors.js';
import type { Outcome } from '../error-codes.js';
import type { DeploymentStatus, Ledger, StepRecord, StepState } from '../ledger/types.js';
import { inGroup, isDue, NOT_STARTED, type StepGroup } from './step-states.js';
import { sameManifest } from '../config/manifest-identity.js';

/**
 * The deployments of this manifest and org that a killed or interrupted run left, oldest first:
 * a new run finishes them before planning anything, so nothing they published is published again.
 */
export async function unfinishedDeployments(
  ledger: Ledger,
  where: { manifest: string | undefined; org: string },
): Promise<string[]> {
  const list = await ledger.listDeployments({ status: ['running', 'interrupted'], limit: 20 });
  return (
    list
      // A prune is never resumed by a deploy: its next run reads the org again instead.
      .filter((d) => sameManifest(d.manifest, where.manifest) && d.org === where.org && d.purpose !== 'prune')
      .reverse()
      .map((d) => d.id)
  );
}

/**
 * The rollbacks of `org` that a killed or interrupted run left, oldest first. A rollback has no
 * manifest, so a deploy never resumes it: `flowgate rollback` finishes it (its steps in doubt are
 * checked against the org first) before it plans another.
 */
export async function unfinishedRollbacks(ledger: Ledger, org: string): Promise<string[]> {
  const list = await ledger.listDeployments({ status: ['running', 'interrupted'], limit: 20 });
  return list
    .filter((d) => d.org === org && d.purpose === 'rollback')
    .reverse()
    .map((d) => d.id);
}

/** What `run-scheduled` finds in the ledger. */
export interface DueDeployments {
  /** Scheduled deployments of the org with a step due, oldest first. */
  due: string[];
  /** Every scheduled deployment of the org, due or not. */
  scheduled: number;
}

/**
 * The scheduled deployments of `org` with a scheduled step due at `now` (ms). A team ledger holds
 * other orgs' deployments too: only this org's are returned.
 */
export async function dueDeployments(ledger: Ledger, org: string, now: number): Promise<DueDeployments> {
  const scheduled = (await ledger.listDeployments({ status: ['scheduled'], limit: 1000 })).filter(
    (d) => d.org === org,
  );
  const due: string[] = [];
  for (const d of scheduled.reverse())
    if ((await ledger.steps(d.id)).some((s) => s.state === 'scheduled' && isDue(s, now))) due.push(d.id);
  return { due, scheduled: scheduled.length };
}

/** One step waiting for its activation time. */
export interface ScheduledStep {
  deployment: string;
  flow: string;
  type: string;
  activateAt: string | null;
}

/** Every scheduled step of every scheduled deployment, newest deployment first. */
export async function scheduledSteps(ledger: Ledger): Promise<ScheduledStep[]> {
  const rows: ScheduledStep[] = [];
  for (const d of await ledger.listDeployments({ status: ['scheduled'], limit: 1000 }))
    for (const s of await ledger.steps(d.id))
      if (s.state === 'scheduled')
        rows.push({ deployment: d.id, flow: s.flowName, type: s.flowType, activateAt: s.activateAt ?? null });
  return rows;
}

/** A step another deployment of the org still publishes later: a schedule of the flow. */
export interface PendingSchedule {
  deploymentId: string;
  /** The deployment's status: `scheduled`, or `interrupted`/`running` with a window ahead. */
  status: DeploymentStatus;
  step: StepRecord;
}

/** Steps held for their activation time (a `running` deployment's `planned` ones are its run's). */
const FOR_LATER: StepGroup = new Set<StepState>(['scheduled', 'waiting']);

/** Deployment statuses whose steps may still publish later. */
const UNENDED: DeploymentStatus[] = ['scheduled', 'interrupted', 'running'];

/**
 * The org's schedules of flows: each step not started of a scheduled deployment, and each step a
 * deployment interrupted or running now holds for its activation time (`scheduled`, `waiting`).
 * The plan schedules no flow twice from these; a prune is never one.
 */
export async function pendingSchedules(ledger: Ledger, org: string): Promise<PendingSchedule[]> {
  const out: PendingSchedule[] = [];
  for (const d of await ledger.listDeployments({ status: UNENDED, limit: 1000 })) {
    if (d.org !== org || d.purpose === 'prune') continue;
    for (const step of await ledger.steps(d.id))
      if (d.status === 'scheduled' ? inGroup(step, NOT_STARTED) : inGroup(step, FOR_LATER))
        out.push({ deploymentId: d.id, status: d.status, step });
  }
  return out;
}

/**
 * Cancels a scheduled deployment: its scheduled steps and itself become `cancelled`. Asked again,
 * it does nothing more and says so (`already-cancelled`), so a pipeline's repeated cancel is safe.
 * @throws {FlowgateError} `DEPLOY_NOT_FOUND` for no deployment of that id, or one that is not
 *   scheduled (its status named: nothing of it waits to be cancelled).
 */
export async function cancelSchedule(
  ledger: Ledger,
  id: string | undefined,
): Promise<'cancelled' | 'already-cancelled'> {
  const d = id === undefined ? undefined : await ledger.getDeployment(id);
  if (d?.status === 'cancelled') return 'already-cancelled';
  if (!id || !d || d.status !== 'scheduled')
    throw new FlowgateError(
      'DEPLOY_NOT_FOUND',
      d
        ? `deployment ${d.id} is ${d.status}, not scheduled: nothing to cancel`
        : `no scheduled deployment ${id ?? '(none given)'}`,
      { hint: 'flowgate schedule list shows what is scheduled.' },
    );
  for (const s of await ledger.steps(d.id))
    if (s.state === 'scheduled')
      await ledger.transition(d.id, s.index, 'cancelled', {}, 'schedule cancelled');
  await ledger.setStatus(d.id, 'cancelled');
  return 'cancelled';
}

/** A deployment's outcome: `success`, or the outcome class an error of the same end has. */
export type DeploymentOutcome = 'success' | Extract<Outcome, 'failure' | 'partial' | 'interrupted'>;

/** The one table from a deployment's status to its outcome (the CLI maps outcomes to exit codes). */
export const OUTCOME_OF_STATUS: Readonly<Record<DeploymentStatus, DeploymentOutcome>> = {
  succeeded: 'success',
  // Recorded for later: `run-scheduled` publishes the rest when due.
  scheduled: 'success',
  partial: 'partial',
  interrupted: 'interrupted',
  failed: 'failure',
  'rolled-back': 'failure',
  cancelled: 'failure',
  planned: 'failure',
  running: 'failure',
};

/** The outcome of a deployment that ended with `status`. */
export function deploymentOutcome(status: DeploymentStatus): DeploymentOutcome {
  return OUTCOME_OF_STATUS[status];
}
