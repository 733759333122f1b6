/**
 * The run's loop: cancel what a failed dependency dooms, start what is ready (the scheduler's
 * pure decisions), wait for any step to end, again, until nothing runs. It stops starting steps
 * when the run is interrupted, an atomic deployment failed, an event could not be recorded or
 * the ledger is lost.
 */
import { isLedgerLoss } from './flow-locks.js';
import { stepInfo } from './run-events.js';
import { cancelledByDependency, deploymentFailed, readySteps, type SchedulerView } from './scheduler.js';
import { runStep, type Run } from './step-runner.js';

/** Runs the steps until none is running and none may start. */
export async function runSteps(run: Run): Promise<void> {
  const running = new Map<number, Promise<void>>();
  for (;;) {
    if (mayStart(run)) {
      const view: SchedulerView = {
        running: new Set(running.keys()),
        concurrency: run.concurrency,
        dueBy: run.onlyDue ? run.now() : undefined,
      };
      // A cancelled step may doom the steps depending on it: decide again before starting any.
      if (await cancelDoomed(run, view)) continue;
      for (const s of readySteps(run.book.all, view))
        running.set(
          s.index,
          start(run, s.index).finally(() => running.delete(s.index)),
        );
    }
    if (running.size === 0) return;
    await Promise.race(running.values());
  }
}

/** Whether the run may start another step. */
function mayStart(run: Run): boolean {
  const { tally } = run;
  return (
    !tally.interrupted &&
    !run.signal?.aborted &&
    !(deploymentFailed(tally.failed, run.book.all) && run.deployment.atomic) &&
    !run.events.failed &&
    tally.ledgerLost === undefined
  );
}

async function start(run: Run, index: number): Promise<void> {
  const step = run.book.all.find((s) => s.index === index)!;
  const outcome = await runStep(step, run);
  run.tally.record(outcome);
  // An atomic deployment that failed stops waiting for activation windows at once.
  if (outcome.kind === 'failed' && run.deployment.atomic) run.stopWaiting.abort();
}

/** Cancels the steps a failed dependency dooms; true when it cancelled any. */
async function cancelDoomed(run: Run, view: SchedulerView): Promise<boolean> {
  const doomed = cancelledByDependency(run.book.all, view);
  for (const s of doomed) {
    try {
      run.book.update(
        await run.ctx.ledger.transition(
          run.deployment.id,
          s.index,
          'cancelled',
          {},
          'a flow it depends on failed',
        ),
      );
    } catch (e) {
      if (!isLedgerLoss(e)) throw e;
      run.tally.lost(e);
      return false;
    }
    await run.events.emit({
      type: 'cancelled',
      step: stepInfo(s),
      message: `${s.flowName}: not published, a flow it depends on failed`,
    });
  }
  return doomed.length > 0;
}
