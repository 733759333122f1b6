/**
 * The step states as the run sees them: the states and the allowed changes of state (the table
 * the ledger enforces, `ledger/step-states.ts`), the named groups every decision uses, and
 * whether a step is due. A group is spelled out here once, never again at its use.
 */
import type { StepRecord, StepState } from '../ledger/types.js';

export { STEP_STATES, STEP_TRANSITIONS, mayTransition } from '../ledger/step-states.js';

/** A group of step states. */
export type StepGroup = ReadonlySet<StepState>;

/** Nothing has been sent for it yet: replanned after a wait, cancelled when the run stops before it. */
export const NOT_STARTED: StepGroup = new Set<StepState>(['planned', 'scheduled', 'waiting']);

/** Sent, its outcome unknown until the org is asked (the next run does). */
export const IN_DOUBT: StepGroup = new Set<StepState>(['publishing']);

/** The flow is as the deployment wants it: a step depending on it may start. */
export const DONE: StepGroup = new Set<StepState>(['published', 'unchanged']);

/** A dependency in one of these states means the step cannot publish: it is cancelled. */
export const DEPENDENCY_FAILED: StepGroup = new Set<StepState>(['failed', 'cancelled']);

/** The run has nothing more to do for it. */
export const FINAL: StepGroup = new Set<StepState>([
  'published',
  'unchanged',
  'failed',
  'cancelled',
  'rolled-back',
  'blocked',
]);

/** The run may still publish it or roll it back, so it holds the flow's lock. */
export const NEEDS_LOCK: StepGroup = new Set<StepState>([...NOT_STARTED, ...IN_DOUBT, 'published']);

/** Whether the step's state is in the group. */
export function inGroup(s: Pick<StepRecord, 'state'>, group: StepGroup): boolean {
  return group.has(s.state);
}

/** Whether the step may publish at `now` (ms): it has no activation time, or that time has come. */
export function isDue(s: Pick<StepRecord, 'activateAt'>, now: number): boolean {
  return !s.activateAt || Date.parse(s.activateAt) <= now;
}
