/**
 * How a run ends: the final status (`scheduler.ts`'s decision), an atomic deployment's rollback,
 * the steps it will not publish cancelled, the status recorded, `completed` told. A lost ledger
 * ends the run with an error listing what is known of each step.
 */
import type { DeploymentStatus, StepRecord } from '../ledger/types.js';
import { withCallContext } from './call-context.js';
import { ledgerLostError } from './flow-locks.js';
import { stepInfo } from './run-events.js';
import { cancelsRest, finalStatus, leftForLater, notStarted } from './scheduler.js';
import { describeFailure, type Run } from './step-runner.js';
import { rollBackStep } from './steps.js';

/** How a run of a deployment ended. */
export interface RunOutcome {
  deploymentId: string;
  status: DeploymentStatus;
  steps: StepRecord[];
}

/** Records how the run ended and returns it; throws when the ledger was lost or an event failed. */
export async function finishRun(run: Run): Promise<RunOutcome> {
  const { ledger } = run.ctx;
  const id = run.deployment.id;
  if (run.tally.ledgerLost !== undefined) {
    await run.events.emit({
      type: 'completed',
      message: `deployment ${id}: stopped, the ledger is unreachable`,
      result: 'interrupted',
    });
    throw ledgerLostError(id, run.tally.ledgerLost, run.book.all);
  }
  const decided = finalStatus({
    interrupted: run.tally.interrupted || run.signal?.aborted === true,
    eventFailed: run.events.failed,
    failed: run.tally.failed,
    atomic: run.deployment.atomic,
    onlyDue: run.onlyDue,
    steps: run.book.all,
  });
  const status = decided === 'roll-back' ? await rollBack(run) : decided;
  if (cancelsRest(status))
    for (const s of notStarted(run.book.all))
      run.book.update(
        await ledger.transition(id, s.index, 'cancelled', {}, 'the deployment stopped before it'),
      );
  // `run-scheduled` runs the scheduled steps that are due: one no run waits for any more is one.
  if (status === 'scheduled')
    for (const s of leftForLater(run.book.all, run.now()))
      run.book.update(
        await ledger.transition(
          id,
          s.index,
          'scheduled',
          {},
          `left for run-scheduled: activation at ${s.activateAt}`,
        ),
      );
  await ledger.setStatus(id, status);
  const steps = await ledger.steps(id);
  await run.events.emit({ type: 'completed', message: `deployment ${id}: ${status}`, result: status });
  // The ledger holds the truth; the caller hears why the run stopped.
  run.events.throwIfFailedAtEnd();
  return { deploymentId: id, status, steps };
}

/**
 * Puts back, newest first, every flow the deployment changed; `failed` when one cannot be, and when
 * it changed none: nothing was rolled back, and `rolled-back` would say something was.
 */
async function rollBack(run: Run): Promise<DeploymentStatus> {
  // Also a failed step whose import did change the org (a flow created under another name, a
  // version published that failed its check): the ledger noted the flow before the check.
  const changed = run.book.all.filter((s) => s.state === 'published' || changedOrg(s)).reverse();
  if (changed.length === 0) return 'failed';
  let ok = true;
  for (const s of changed) ok = (await rollBackOne(run, s)) && ok;
  return ok ? 'rolled-back' : 'failed';
}

async function rollBackOne(run: Run, s: StepRecord): Promise<boolean> {
  const { events, ctx } = run;
  const info = stepInfo(s);
  await events.emit({ type: 'rolling-back', step: info, message: `${s.flowName}: rolling back` });
  try {
    const done = await withCallContext(run.deployment.id, s.index, () => rollBackStep(s, ctx));
    run.book.update(done.step);
    await events.emit({
      type: 'rolled-back',
      result: 'rolled-back',
      step: info,
      message: done.message,
      versionBefore: s.publishedVersion,
      // What the org publishes now: the previous version, or a new one holding its content.
      versionAfter: done.versionAfter,
    });
    return true;
  } catch (e) {
    const why = describeFailure(e);
    await ctx.ledger.note(
      run.deployment.id,
      s.index,
      { error: `rollback failed: ${why}` },
      'rollback failed',
    );
    await events.emit({ type: 'failed', step: info, message: `${s.flowName}: rollback failed: ${why}` });
    return false;
  }
}

/** A failed step that nevertheless left a flow it created or a version it published. */
function changedOrg(s: StepRecord): boolean {
  return (
    s.state === 'failed' &&
    s.flowId !== undefined &&
    (s.createdFlow || (s.publishedVersion !== undefined && s.publishedVersion !== s.previousVersion))
  );
}
