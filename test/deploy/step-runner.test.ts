/**
 * One step of a run (deploy/step-runner.ts) to its outcome, called alone on a deployment recorded
 * from a real plan against the emulator over HTTP, with a virtual clock for the activation window:
 * a step before its window is recorded *waiting* once and waits exactly until then; an atomic
 * deployment that failed stops it (*stopped*), Ctrl-C or a cancelled call interrupts it and leaves
 * it as the ledger has it; a failure is recorded with the platform's own words and what to do next;
 * once the ledger is lost nothing more is recorded. Stryker left these alive when only whole runs
 * reached the step runner (BENCHMARKS.md, `loop`).
 */
import { describe, expect, it } from 'vitest';
import { FlowgateError } from '../../src/errors.js';
import { describeFailure, RunTally, runStep } from '../../src/deploy/step-runner.js';
import type { StepRecord } from '../../src/ledger/types.js';
import { OperationFailedError } from '../../src/platform/errors.js';
import { useEmulator } from '../helpers/emulator.js';
import { publishManifest, STEP_SEED, stepBench } from '../helpers/step-bench.js';
import { locksFailing, runOf } from '../helpers/step-run.js';

const HOUR = 3_600_000;

describe('runStep: the activation window', () => {
  const e = useEmulator({ seed: STEP_SEED });

  it('a step before its window is recorded waiting, says until when, waits exactly that long, then publishes', async () => {
    const b = await stepBench(e.get(), { 'flowgate.yaml': publishManifest('3.0') });
    const { run, clock, events, step } = await runOf(b);
    const at = new Date(clock.now() + HOUR).toISOString();

    const outcome = await runStep({ ...step, activateAt: at }, run);

    expect(outcome).toMatchObject({
      kind: 'published',
      step: { state: 'published', publishedVersion: '3.0' },
    });
    expect(clock.waits).toEqual([HOUR]);
    const waiting = (await b.s.ledger.events(b.id)).filter((x) => x.to === 'waiting');
    expect(waiting.map((x) => x.detail)).toEqual([`activation at ${at}`]);
    expect(events.map((x) => [x.type, x.message])).toEqual([
      ['waiting', `Versioned IVR: waiting until ${at}`],
      ['publishing', 'Versioned IVR: publishing'],
      ['published', 'Versioned IVR: published version 3.0'],
    ]);
    expect(events[0]).toMatchObject({ activateAt: at, step: { index: 0, flowName: 'Versioned IVR' } });
    expect(events[2]).toMatchObject({ result: 'succeeded', versionBefore: '2.0', versionAfter: '3.0' });
  });

  it('a step already waiting (a resumed run) is not recorded waiting again', async () => {
    const b = await stepBench(e.get(), { 'flowgate.yaml': publishManifest('3.0') });
    const { run, clock } = await runOf(b);
    const at = new Date(clock.now() + HOUR).toISOString();
    const waiting = await b.s.ledger.transition(b.id, 0, 'waiting', { activateAt: at }, 'the earlier run');

    expect(await runStep(waiting, run)).toMatchObject({ kind: 'published' });
    expect((await b.s.ledger.events(b.id)).filter((x) => x.to === 'waiting')).toHaveLength(1);
  });

  it('an atomic deployment that failed while the step waited stops it at once: stopped, still waiting, nothing sent', async () => {
    const b = await stepBench(e.get(), { 'flowgate.yaml': publishManifest('3.0') });
    const { run, clock, step } = await runOf(b, {}, (x, r) => x.type === 'waiting' && r.stopWaiting.abort());
    const start = clock.now();
    e.get().control.clearRequests();

    const outcome = await runStep({ ...step, activateAt: new Date(start + HOUR).toISOString() }, run);

    expect(outcome).toEqual({ kind: 'stopped' });
    expect(clock.now()).toBe(start);
    expect((await b.step()).state).toBe('waiting');
    expect(b.sent().publishes).toBe(0);
  });

  it('Ctrl-C while it waits is interrupted, even when the deployment failed too: noted, left waiting', async () => {
    const b = await stepBench(e.get(), { 'flowgate.yaml': publishManifest('3.0') });
    const ctrlC = new AbortController();
    const { run, clock, events, step } = await runOf(b, { signal: ctrlC.signal }, (x, r) => {
      if (x.type !== 'waiting') return;
      r.stopWaiting.abort();
      ctrlC.abort(new FlowgateError('ABORTED', 'interrupted'));
    });

    const outcome = await runStep({ ...step, activateAt: new Date(clock.now() + HOUR).toISOString() }, run);

    expect(outcome).toEqual({ kind: 'interrupted' });
    expect((await b.step()).state).toBe('waiting');
    expect((await b.notes()).at(-1)).toBe('interrupted: the outcome is checked when the run resumes');
    expect(events.at(-1)).toMatchObject({
      type: 'interrupted',
      message: 'Versioned IVR: interrupted',
      step: { index: 0 },
    });
  });
});

describe('runStep: failures', () => {
  const e = useEmulator({ seed: STEP_SEED });

  it("a failed publish is recorded failed with the platform's error code, its words and what to do next", async () => {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': publishManifest('3.0') });
    emu.control.failPublishes(
      b.flow('Versioned IVR').id,
      10,
      'flow.publish.missing.dependency',
      'Queue Sales is missing',
    );
    const { run, events, step } = await runOf(b);

    const outcome = await runStep(step, run);

    const error = (await b.step()).error!;
    expect(error).toMatch(/^flow\.publish\.missing\.dependency: .*Queue Sales is missing \(next: .+\)$/);
    expect(outcome).toMatchObject({ kind: 'failed', step: { state: 'failed', error } });
    const failed = (await b.s.ledger.events(b.id)).filter((x) => x.to === 'failed');
    expect(failed.map((x) => x.detail)).toEqual(['failed']);
    expect(events.at(-1)).toEqual({
      deploymentId: b.id,
      at: expect.any(String) as string,
      type: 'failed',
      result: 'failed',
      step: { index: 0, flowName: 'Versioned IVR', flowType: 'inboundcall', flowId: step.flowId },
      message: `Versioned IVR: ${error}`,
    });
    expect(run.book.all[0]).toMatchObject({ state: 'failed', error });
  });

  it('a call cancelled without Ctrl-C (ABORTED) is interrupted, not failed', async () => {
    const b = await stepBench(e.get(), { 'flowgate.yaml': publishManifest('3.0') });
    const { run, step } = await runOf(b, {
      flowLocks: locksFailing(new FlowgateError('ABORTED', 'the request was cancelled')),
    });

    expect(await runStep(step, run)).toEqual({ kind: 'interrupted' });
    expect((await b.step()).state).toBe('planned');
  });

  it('once the run lost its ledger, any failure is ledger-lost and nothing more is recorded', async () => {
    const b = await stepBench(e.get(), { 'flowgate.yaml': publishManifest('3.0') });
    const boom = new Error('the server went away');
    const { run, step } = await runOf(b, { flowLocks: locksFailing(boom) });
    const lost = new FlowgateError('LEDGER_UNAVAILABLE', 'ledger gone');
    run.tally.lost(lost);
    const before = (await b.s.ledger.events(b.id)).length;

    expect(await runStep(step, run)).toEqual({ kind: 'ledger-lost', error: boom });
    expect(await b.s.ledger.events(b.id)).toHaveLength(before);
    expect(run.tally.ledgerLost).toBe(lost);
  });

  it('a ledger lost while the failure is recorded is ledger-lost; any other error recording it is thrown', async () => {
    const b = await stepBench(e.get(), { 'flowgate.yaml': publishManifest('3.0') });
    const { run, step } = await runOf(b, { flowLocks: locksFailing(new Error('the lock check failed')) });
    const gone = new FlowgateError('LEDGER_WRITE', 'disk full');
    const broken = new Error('a bug');
    const ledger = b.ctx.ledger;
    const failingWith = (err: Error) => ({
      ...run,
      ctx: {
        ...run.ctx,
        ledger: Object.assign(Object.create(ledger) as typeof ledger, {
          transition: () => Promise.reject(err),
        }),
      },
    });

    expect(await runStep(step, failingWith(gone))).toEqual({ kind: 'ledger-lost', error: gone });
    await expect(runStep(step, failingWith(broken))).rejects.toBe(broken);
    expect((await b.step()).state).toBe('planned');
  });
});

describe('RunTally', () => {
  const published = { kind: 'published', step: {} as StepRecord } as const;

  it('folds each outcome into what the run learnt', () => {
    const t = new RunTally();
    t.record(published);
    t.record({ kind: 'stopped' });
    expect([t.failed, t.interrupted, t.ledgerLost]).toEqual([false, false, undefined]);
    t.record({ kind: 'failed', step: {} as StepRecord });
    expect([t.failed, t.interrupted]).toEqual([true, false]);
    t.record({ kind: 'interrupted' });
    expect([t.failed, t.interrupted]).toEqual([true, true]);
  });

  it('keeps the first cause of a lost ledger', () => {
    const t = new RunTally();
    const first = new Error('first');
    t.record({ kind: 'ledger-lost', error: first });
    t.lost(new Error('second'));
    t.record({ kind: 'ledger-lost', error: new Error('third') });
    expect(t.ledgerLost).toBe(first);
  });
});

describe('describeFailure', () => {
  it("puts the platform's error code first and the hint last", () => {
    const e = new OperationFailedError(
      'publish of Main IVR',
      'flow.publish.failed',
      'Queue Sales is missing',
    );
    expect(describeFailure(e)).toBe(
      `flow.publish.failed: publish of Main IVR failed with flow.publish.failed: Queue Sales is missing (next: ${e.hint!})`,
    );
  });

  it('without a code or a hint, the message alone; an Error its message; anything else as text', () => {
    expect(describeFailure(new FlowgateError('ABORTED', 'cancelled'))).toBe('cancelled');
    expect(describeFailure(new OperationFailedError('publish', undefined, undefined))).toMatch(
      /^publish failed \(next: /,
    );
    expect(describeFailure(new Error('plain'))).toBe('plain');
    expect(describeFailure('a string')).toBe('a string');
  });
});
