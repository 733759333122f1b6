/**
 * The run loop (deploy/run-loop.ts) called alone on a deployment recorded from a real plan
 * against the emulator over HTTP: a failed flow dooms the flows that depend on it, however long
 * the chain, in a deployment that is not atomic; an atomic one that failed stops the steps waiting
 * for their window at once; an interrupted step stops the run starting others; a ledger lost
 * while cancelling ends the loop with nothing more written. Before these tests the cancelling was
 * reached by no in-process test (BENCHMARKS.md, `loop`).
 */
import { describe, expect, it } from 'vitest';
import { FlowgateError } from '../../src/errors.js';
import { runSteps } from '../../src/deploy/run-loop.js';
import type { FlowLocks, Ledger } from '../../src/ledger/types.js';
import type { Sleep } from '../../src/shared/time.js';
import { inboundFlow } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { STEP_SEED, stepBench } from '../helpers/step-bench.js';
import { runOf, type Bench } from '../helpers/step-run.js';

const HOUR = 3_600_000;

/** Flow C transfers to B, B to A: published A, B, C, each depending on the one before. */
const CHAIN = {
  'flowgate.yaml': 'version: 1\nflows:\n  - file: c.yaml\n  - file: b.yaml\n  - file: a.yaml\n',
  'a.yaml': inboundFlow('Flow A'),
  'b.yaml': inboundFlow('Flow B', { transferTo: 'Flow A' }),
  'c.yaml': inboundFlow('Flow C', { transferTo: 'Flow B' }),
};

/** Two flows that do not depend on each other. */
const PAIR = {
  'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: d.yaml\n',
  'a.yaml': inboundFlow('Flow A'),
  'd.yaml': inboundFlow('Flow D'),
};

const byName = async (b: Bench) => new Map((await b.s.ledger.steps(b.id)).map((s) => [s.flowName, s]));

/** The ledger with its `transition` to `cancelled` failing as given. */
function cancellingFails(ledger: Ledger, error: Error): Ledger {
  return Object.assign(Object.create(ledger) as Ledger, {
    transition: (...a: Parameters<Ledger['transition']>) =>
      a[2] === 'cancelled' ? Promise.reject(error) : ledger.transition(...a),
  });
}

describe('runSteps', () => {
  const e = useEmulator({ seed: STEP_SEED });

  it('not atomic: a failed flow dooms every flow depending on it, down the whole chain', async () => {
    const emu = e.get();
    const b = await stepBench(emu, CHAIN);
    const { run, events } = await runOf(b);
    expect((await b.s.ledger.steps(b.id)).map((s) => [s.flowName, s.dependsOn])).toEqual([
      ['Flow A', []],
      ['Flow B', [0]],
      ['Flow C', [1]],
    ]);
    emu.control.failNextJob("Unable to resolve the queue 'Sales' in the flow 'Flow A'.");

    await runSteps(run);

    const steps = await byName(b);
    expect([...steps.values()].map((s) => s.state)).toEqual(['failed', 'cancelled', 'cancelled']);
    const cancelled = (await b.s.ledger.events(b.id)).filter((x) => x.to === 'cancelled');
    expect(cancelled.map((x) => [x.index, x.detail])).toEqual([
      [1, 'a flow it depends on failed'],
      [2, 'a flow it depends on failed'],
    ]);
    expect(events.filter((x) => x.type === 'cancelled').map((x) => x.message)).toEqual([
      'Flow B: not published, a flow it depends on failed',
      'Flow C: not published, a flow it depends on failed',
    ]);
    expect(run.book.all.map((s) => s.state)).toEqual(['failed', 'cancelled', 'cancelled']);
    expect(b.sent().jobs).toBe(1);
  });

  it('a ledger lost while cancelling ends the loop: the loss is kept, nothing more is cancelled or started', async () => {
    const emu = e.get();
    const b = await stepBench(emu, CHAIN);
    const lost = new FlowgateError('LEDGER_UNAVAILABLE', 'the ledger went away');
    const { run, events } = await runOf(b, { ctx: { ...b.ctx, ledger: cancellingFails(b.s.ledger, lost) } });
    emu.control.failNextJob('Archy: the flow could not be imported (injected)');

    await runSteps(run);

    expect(run.tally.ledgerLost).toBe(lost);
    expect([...(await byName(b)).values()].map((s) => s.state)).toEqual(['failed', 'planned', 'planned']);
    expect(events.filter((x) => x.type === 'cancelled')).toEqual([]);
  });

  it('any other error while cancelling is thrown, not taken for a lost ledger', async () => {
    const emu = e.get();
    const b = await stepBench(emu, CHAIN);
    const bug = new Error('a bug');
    const { run } = await runOf(b, { ctx: { ...b.ctx, ledger: cancellingFails(b.s.ledger, bug) } });
    emu.control.failNextJob('Archy: the flow could not be imported (injected)');

    await expect(runSteps(run)).rejects.toBe(bug);
    expect(run.tally.ledgerLost).toBeUndefined();
  });

  it('atomic: a failure stops the flow waiting for its window at once, which then publishes nothing', async () => {
    const emu = e.get();
    const b = await stepBench(emu, PAIR);
    // The window ends a macrotask after Flow A's failure is told, unless the wait is stopped first:
    // the run stops it within the failure's own turn, so only a run that does not stop it publishes.
    let told = () => {};
    const failureTold = new Promise<void>((resolve) => (told = resolve));
    const waits: number[] = [];
    const wait: Sleep = (ms, signal) =>
      new Promise((resolve, reject) => {
        waits.push(ms);
        signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        void failureTold.then(() => setImmediate(resolve));
      });
    const { run, clock } = await runOf(b, { concurrency: 2, wait }, (x) => x.type === 'failed' && told());
    run.deployment = { ...run.deployment, atomic: true };
    await b.s.ledger.note(
      b.id,
      1,
      { activateAt: new Date(clock.now() + HOUR).toISOString() },
      'a later window',
    );
    run.book.update((await b.s.ledger.steps(b.id))[1]!);
    emu.control.failNextJob('Archy: the flow could not be imported (injected)');

    await runSteps(run);

    const steps = await byName(b);
    expect(steps.get('Flow A')!.state).toBe('failed');
    expect(steps.get('Flow D')!.state).toBe('waiting');
    expect(waits).toEqual([HOUR]);
    expect(b.sent().jobs).toBe(1);
  });

  it('an interrupted step (a cancelled call, no Ctrl-C) stops the run starting the next one', async () => {
    const b = await stepBench(e.get(), PAIR);
    let checks = 0;
    const { run, events } = await runOf(b);
    const real = run.flowLocks;
    const firstCancelled: FlowLocks = {
      waited: false,
      check: () =>
        checks++ === 0
          ? Promise.reject(new FlowgateError('ABORTED', 'the request was cancelled'))
          : real.check(),
      release: () => real.release(),
    };
    run.flowLocks = firstCancelled;

    await runSteps(run);

    expect(run.tally.interrupted).toBe(true);
    expect(checks).toBe(1);
    expect([...(await byName(b)).values()].map((s) => s.state)).toEqual(['planned', 'planned']);
    expect(events.map((x) => x.type)).toEqual(['interrupted']);
  });
});
