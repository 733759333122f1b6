/**
 * One step of a run, start to end, as an outcome: `published`, `failed`, `interrupted` (Ctrl-C:
 * the step stays as the ledger has it, the next run asks the org), `ledger-lost` (nothing more
 * can be recorded), or `stopped` (an atomic deployment failed while this step waited for its
 * window: it is cancelled with the rest). The run folds the outcomes (`RunTally`); no step sets
 * a flag of the run.
 */
import { isFlowgateError } from '../errors.js';
import type { DeploymentRecord, FlowLocks, StepRecord } from '../ledger/types.js';
import type { Sleep, Clock } from '../shared/time.js';
import { withCallContext } from './call-context.js';
import { isLedgerLoss } from './flow-locks.js';
import { stepInfo, type EventRecorder } from './run-events.js';
import { isDue } from './step-states.js';
import { importArchy, publishExistingVersion, type StepContext } from './steps.js';

/** How one step ended. */
export type StepOutcome =
  | { kind: 'published'; step: StepRecord }
  | { kind: 'failed'; step: StepRecord }
  | { kind: 'interrupted' }
  | { kind: 'ledger-lost'; error: Error }
  | { kind: 'stopped' };

/** The steps as this run knows them (the ledger's records, updated as they change). */
export class StepBook {
  private byIndex: Map<number, StepRecord>;

  constructor(steps: StepRecord[]) {
    this.byIndex = new Map(steps.map((s) => [s.index, s]));
  }

  /** Every step, in publish order. */
  get all(): StepRecord[] {
    return [...this.byIndex.values()];
  }

  /** Takes the step's new record. */
  update(s: StepRecord): void {
    this.byIndex.set(s.index, s);
  }
}

/** What a run learnt from its steps' outcomes. */
export class RunTally {
  failed = false;
  interrupted = false;
  /** The first sign the ledger cannot be written: nothing more starts, nothing more is recorded. */
  ledgerLost: Error | undefined;

  /** Folds one outcome in. */
  record(o: StepOutcome): void {
    if (o.kind === 'failed') this.failed = true;
    else if (o.kind === 'interrupted') this.interrupted = true;
    else if (o.kind === 'ledger-lost') this.lost(o.error);
  }

  /** Notes a lost ledger (the first cause is kept). */
  lost(e: unknown): void {
    this.ledgerLost ??= e as Error;
  }
}

/** What a step of a run shares with the others. */
export interface Run {
  deployment: DeploymentRecord;
  ctx: StepContext;
  events: EventRecorder;
  book: StepBook;
  tally: RunTally;
  flowLocks: FlowLocks;
  now: Clock;
  wait: Sleep;
  signal?: AbortSignal | undefined;
  /** Aborted when an atomic deployment failed: steps waiting for their window stop at once. */
  stopWaiting: AbortController;
  concurrency: number;
  onlyDue: boolean;
}

/** Runs one step to its outcome. Throws only what is neither a step's failure nor a lost ledger. */
export async function runStep(s: StepRecord, run: Run): Promise<StepOutcome> {
  const sending = { begun: false };
  try {
    return { kind: 'published', step: await publishStep(s, run, sending) };
  } catch (e) {
    return settleFailure(s, run, e, sending.begun);
  }
}

/** `sending.begun` is set once the step may call the org to change it (past the last check before). */
async function publishStep(s: StepRecord, run: Run, sending: { begun: boolean }): Promise<StepRecord> {
  const { events, deployment } = run;
  if (!isDue(s, run.now())) await waitForWindow(s, run);
  run.signal?.throwIfAborted();
  // The flow locks live as long as the ledger's session: a run that lost them stops here.
  await run.flowLocks.check();
  await events.emit({
    type: 'publishing',
    step: stepInfo(s),
    message: `${s.flowName}: publishing`,
    versionBefore: s.previousVersion,
  });
  events.throwIfFailed();
  sending.begun = true;
  const done = await withCallContext(deployment.id, s.index, () =>
    s.kind === 'publish' ? publishExistingVersion(s, run.ctx) : importArchy(s, run.ctx),
  );
  run.book.update(done);
  await events.emit({
    type: 'published',
    result: 'succeeded',
    step: stepInfo(done),
    message: `${done.flowName}: published version ${done.publishedVersion ?? '?'}`,
    versionBefore: done.previousVersion,
    versionAfter: done.publishedVersion,
  });
  return done;
}

/** Records the step as waiting for its activation time, then waits for it. */
async function waitForWindow(s: StepRecord, run: Run): Promise<void> {
  const at = s.activateAt!;
  if (s.state !== 'waiting')
    run.book.update(
      await run.ctx.ledger.transition(run.deployment.id, s.index, 'waiting', {}, `activation at ${at}`),
    );
  await run.events.emit({
    type: 'waiting',
    activateAt: at,
    step: stepInfo(s),
    message: `${s.flowName}: waiting until ${at}`,
  });
  const signal = run.signal ? AbortSignal.any([run.signal, run.stopWaiting.signal]) : run.stopWaiting.signal;
  await run.wait(Date.parse(at) - run.now(), signal);
}

/**
 * What a throw during a step means, recorded in the ledger and the events. `begun`: the step had
 * begun sending (see {@link publishStep}).
 */
async function settleFailure(s: StepRecord, run: Run, e: unknown, begun: boolean): Promise<StepOutcome> {
  if (isLedgerLoss(e) || run.tally.ledgerLost !== undefined) return ledgerLost(s, run, e, begun);
  if (run.stopWaiting.signal.aborted && !run.signal?.aborted) return { kind: 'stopped' };
  const { ledger } = run.ctx;
  try {
    if (run.signal?.aborted || (isFlowgateError(e) && e.code === 'ABORTED')) {
      // The step stays as the ledger has it (waiting or publishing): resume checks the org.
      await ledger.note(
        run.deployment.id,
        s.index,
        {},
        'interrupted: the outcome is checked when the run resumes',
      );
      await run.events.emit({
        type: 'interrupted',
        step: stepInfo(s),
        message: `${s.flowName}: interrupted`,
      });
      return { kind: 'interrupted' };
    }
    const message = describeFailure(e);
    const failed = await ledger.transition(
      run.deployment.id,
      s.index,
      'failed',
      { error: message },
      'failed',
    );
    run.book.update(failed);
    await run.events.emit({
      type: 'failed',
      result: 'failed',
      step: stepInfo(s),
      message: `${s.flowName}: ${message}`,
    });
    return { kind: 'failed', step: failed };
  } catch (err) {
    if (!isLedgerLoss(err)) throw err;
    return ledgerLost(s, run, err, begun);
  }
}

/**
 * The ledger went away during the step. One that had begun sending may have changed the org (an
 * import job that published, its outcome never recorded): the run knows it as publishing, so the
 * error the run ends with lists it in doubt, not as not started.
 */
function ledgerLost(s: StepRecord, run: Run, e: unknown, begun: boolean): StepOutcome {
  if (begun) run.book.update({ ...s, state: 'publishing' });
  return { kind: 'ledger-lost', error: e as Error };
}

/** The platform's own words and what to do next, in one line. */
export function describeFailure(e: unknown): string {
  if (isFlowgateError(e)) {
    const details = e.details as { errorCode?: string } | undefined;
    const code = details?.errorCode ? `${details.errorCode}: ` : '';
    return `${code}${e.message}${e.hint ? ` (next: ${e.hint})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}
