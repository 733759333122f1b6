/**
 * What a step may become: every state and the changes of state allowed from it, as data. The
 * ledger refuses any other change (`LEDGER_TRANSITION`), so a run that goes wrong cannot, say,
 * publish a cancelled step or cancel one in doubt. `deploy/step-states.ts` names the groups the
 * run works with over this table.
 */
import { FlowgateError } from '../errors.js';
import type { StepState } from './types.js';

/** Every step state, in the order of a step's life. */
export const STEP_STATES = [
  'planned',
  'scheduled',
  'waiting',
  'publishing',
  'published',
  'unchanged',
  'blocked',
  'failed',
  'cancelled',
  'rolled-back',
] as const satisfies readonly StepState[];

/** Where a step that has not started may go: each path of `deploy/executor.ts` and `steps.ts`. */
const FROM_NOT_STARTED: readonly StepState[] = [
  'waiting', // an activation window ahead
  'publishing', // the request is about to be sent
  'published', // the org already publishes the target version
  'unchanged', // another deployment published this content meanwhile (`replanAfterOthers`)
  'failed', // refused before anything was sent (a lock, a lookup)
  'cancelled', // a dependency failed, the run stopped before it, the schedule was cancelled
];

/**
 * The allowed changes of state. `publishing → publishing` is a resumed step sending again what
 * the org shows it never received (or a prune's delete tried again); `publishing → blocked` is a
 * prune's delete the platform still refused as in use when its retries ended (the flow is kept);
 * a failed step may be rolled back when its import changed the org anyway. Final states lead
 * nowhere, except a published or failed step to its rollback.
 */
export const STEP_TRANSITIONS: Readonly<Record<StepState, readonly StepState[]>> = {
  // A run that publishes only what is due (`deploy --schedule-only` finishing an interrupted
  // deployment) leaves a step whose activation time is ahead `scheduled`, for `run-scheduled`.
  planned: [...FROM_NOT_STARTED, 'scheduled'],
  scheduled: FROM_NOT_STARTED,
  waiting: [...FROM_NOT_STARTED.filter((s) => s !== 'waiting'), 'scheduled'],
  publishing: ['publishing', 'published', 'failed', 'blocked'],
  published: ['rolled-back'],
  failed: ['rolled-back'],
  unchanged: [],
  blocked: [],
  cancelled: [],
  'rolled-back': [],
};

/** Whether the table allows `from → to`. */
export function mayTransition(from: StepState, to: StepState): boolean {
  return STEP_TRANSITIONS[from]?.includes(to) ?? false;
}

/** Throws LEDGER_TRANSITION unless the table allows `from → to` for this step. */
export function assertTransition(
  step: { deploymentId: string; index: number; flowName: string },
  from: StepState,
  to: StepState,
): void {
  if (mayTransition(from, to)) return;
  throw new FlowgateError(
    'LEDGER_TRANSITION',
    `deployment ${step.deploymentId}, step ${step.index} (${step.flowName}): a step ${from} cannot become ${to}`,
    {
      hint: `The step stays ${from}. From ${from} a step may become: ${STEP_TRANSITIONS[from].join(', ') || 'nothing (it is final)'}.`,
      details: { deploymentId: step.deploymentId, index: step.index, from, to },
    },
  );
}
