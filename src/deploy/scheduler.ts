/**
 * The run's decisions, pure: which steps start now, which a failed dependency cancels, and how
 * the deployment ends. No ledger, no clock of their own, no I/O: `test/deploy/scheduler.test.ts`
 * checks them against brute-force oracles.
 */
import type { DeploymentStatus, StepRecord } from '../ledger/types.js';
import { DEPENDENCY_FAILED, DONE, FINAL, NOT_STARTED, isDue } from './step-states.js';

/** What the scheduler needs to know besides the steps. */
export interface SchedulerView {
  /** Indexes of the steps running now. */
  running: ReadonlySet<number>;
  /** Steps at once. */
  concurrency: number;
  /** With `run-scheduled`: only steps due by then (ms) are considered; later ones are left as they are. */
  dueBy?: number | undefined;
}

/** Whether one of the step's dependencies failed or was cancelled (then it cannot publish). */
export function dependencyFailed(s: StepRecord, byIndex: ReadonlyMap<number, StepRecord>): boolean {
  return s.dependsOn.some((d) => DEPENDENCY_FAILED.has(byIndex.get(d)!.state));
}

/** Steps the run may act on now: not running, not final, due. */
function candidates(steps: readonly StepRecord[], v: SchedulerView): StepRecord[] {
  return steps.filter(
    (s) => !v.running.has(s.index) && !FINAL.has(s.state) && (v.dueBy === undefined || isDue(s, v.dueBy)),
  );
}

/**
 * Steps to cancel now, because a flow they depend on failed (or was cancelled): only steps not
 * started. A step in doubt (`publishing`, its request perhaps sent) is never cancelled: the ledger
 * refuses it, and the org may publish it already; it stays open for a resume to settle.
 */
export function cancelledByDependency(steps: readonly StepRecord[], v: SchedulerView): StepRecord[] {
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  return candidates(steps, v).filter((s) => NOT_STARTED.has(s.state) && dependencyFailed(s, byIndex));
}

/**
 * Steps to start now, in publish order, as many as free slots allow: every dependency done and
 * none failed.
 */
export function readySteps(steps: readonly StepRecord[], v: SchedulerView): StepRecord[] {
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  const free = Math.max(0, v.concurrency - v.running.size);
  return candidates(steps, v)
    .filter((s) => !dependencyFailed(s, byIndex) && s.dependsOn.every((d) => DONE.has(byIndex.get(d)!.state)))
    .slice(0, free);
}

/** What the run learnt, for its final status. */
export interface RunFacts {
  /** A step was interrupted, or the run's signal aborted. */
  interrupted: boolean;
  /** An event could not be recorded (the audit log failed). */
  eventFailed: boolean;
  /** A step failed. */
  failed: boolean;
  atomic: boolean;
  /** `run-scheduled`: steps not yet due stay scheduled. */
  onlyDue: boolean;
  steps: readonly StepRecord[];
}

/**
 * Whether the deployment has a failed step: one of this run, or one an earlier run of it left in
 * the ledger (a resume of an atomic deployment rolls back and starts nothing more; none ends
 * `succeeded` with a failed flow).
 */
export function deploymentFailed(failedThisRun: boolean, steps: readonly StepRecord[]): boolean {
  return failedThisRun || steps.some((s) => s.state === 'failed');
}

/** A deployment's final status, or `roll-back` when an atomic deployment must put back what it published. */
export function finalStatus(f: RunFacts): DeploymentStatus | 'roll-back' {
  if (f.interrupted) return 'interrupted';
  // Nothing more was published once the audit log failed: the run failed, nothing is rolled back.
  if (f.eventFailed) return 'failed';
  const failed = deploymentFailed(f.failed, f.steps);
  if (failed && f.atomic) return 'roll-back';
  if (failed) return f.steps.some((s) => s.state === 'published') ? 'partial' : 'failed';
  // A step left neither done nor failed: waiting for its window (run-scheduled), or stuck.
  if (f.steps.some((s) => !FINAL.has(s.state))) return f.onlyDue ? 'scheduled' : 'failed';
  return 'succeeded';
}

/**
 * The steps a run that ends `scheduled` leaves for `run-scheduled`, recorded as `scheduled`: not
 * started, not yet `scheduled`, with an activation time after `now` (ms). A deployment interrupted
 * while it waited for a window, finished by `deploy --schedule-only`, becomes a schedule so.
 */
export function leftForLater(steps: readonly StepRecord[], now: number): StepRecord[] {
  return steps.filter((s) => (s.state === 'planned' || s.state === 'waiting') && !isDue(s, now));
}

/** Statuses after which the steps not started are cancelled: the deployment will not publish them. */
export function cancelsRest(status: DeploymentStatus): boolean {
  return status === 'rolled-back' || status === 'failed' || status === 'partial';
}

/** The steps the end of a stopped deployment cancels. */
export function notStarted(steps: readonly StepRecord[]): StepRecord[] {
  return steps.filter((s) => NOT_STARTED.has(s.state));
}
