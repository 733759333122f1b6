/**
 * A run of a step bench's deployment (test/helpers/step-bench.ts) as the executor builds it
 * (deploy/executor.ts `startRun`), for the step runner and the run loop called alone: the real
 * ledger, flow locks and platform client, a virtual clock for activation windows, and every event
 * kept.
 */
import { EventRecorder } from '../../src/deploy/run-events.js';
import { RunTally, StepBook, type Run } from '../../src/deploy/step-runner.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import type { FlowLocks } from '../../src/ledger/types.js';
import type { StepBench } from './step-bench.js';
import { virtualClock } from './virtual-clock.js';

/** A step bench. */
export type Bench = StepBench;

/** A run of the bench's steps, as the executor builds it, with a virtual clock for windows. */
export async function runOf(
  b: Bench,
  over: Partial<Run> = {},
  onEvent: (e: DeployEvent, run: Run) => void = () => {},
) {
  const clock = virtualClock();
  const deployment = (await b.s.ledger.getDeployment(b.id))!;
  const steps = await b.s.ledger.steps(b.id);
  const flowLocks = await b.s.ledger.lockFlows(
    deployment.org,
    steps.map((s) => s.flowKey),
    {
      pid: process.pid,
      host: 'here',
      since: new Date(clock.now()).toISOString(),
      actor: 'me',
      deploymentId: b.id,
    },
    { waitMs: 0 },
  );
  const events: DeployEvent[] = [];
  const run: Run = {
    deployment,
    ctx: b.ctx,
    events: new EventRecorder(b.id, clock.now, (e) => {
      events.push(e);
      onEvent(e, run);
    }),
    book: new StepBook(steps),
    tally: new RunTally(),
    flowLocks,
    now: clock.now,
    wait: clock.sleep,
    stopWaiting: new AbortController(),
    concurrency: 1,
    onlyDue: false,
    ...over,
  };
  return { run, clock, events, step: steps[0]! };
}

/** A flow lock whose check fails as given (the first thing a due step does after the window). */
export const locksFailing = (error: Error): FlowLocks => ({
  waited: false,
  check: () => Promise.reject(error),
  release: () => Promise.resolve(),
});
