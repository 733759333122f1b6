/**
 * `importWithRetries` (deploy/import-job.ts) called alone, on a step recorded from a real plan
 * against the emulator over HTTP (its clock moves only when a wait asks): the attempts an earlier
 * run spent on this step, and only this step, count against the bound; a rollback's imports count
 * apart from the step's own; a transient failure after which the org publishes another version
 * than the one before says both versions, `none` where there is none, and what to do. Stryker
 * left these alive when only whole runs reached the import (BENCHMARKS.md, `restore`).
 */
import { describe, expect, it } from 'vitest';
import { importWithRetries } from '../../src/deploy/import-job.js';
import type { StepContext } from '../../src/deploy/step-context.js';
import { inboundFlow } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { IMPORT_MANIFEST, rejection, STEP_SEED, stepBench, type StepBench } from '../helpers/step-bench.js';

type Bench = StepBench;

/**
 * The bench's context with three attempts 7 s × the attempt apart, and those waits recorded: the
 * job's own polls wait at most the bench's 5 s, so a wait of 7 s or more is a retry's.
 */
function retrying(b: Bench): { ctx: StepContext; waits: number[] } {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    if (ms >= 7_000) waits.push(ms);
    await b.advance(ms);
  };
  return {
    ctx: { ...b.ctx, importRetry: { attempts: 3, delayMs: 7_000 }, poll: { ...b.ctx.poll, sleep } },
    waits,
  };
}

const attemptNotes = async (b: Bench) =>
  (await b.notes())
    .filter((n) => / attempt \d of \d/.test(n))
    .map((n) => n.replace(/import job \S+/, 'import job J'));

describe('importWithRetries', () => {
  const e = useEmulator({ seed: STEP_SEED });

  it('the attempts an earlier run spent on this step count: the next transient failure is the last one', async () => {
    const emu = e.get();
    const b = await stepBench(emu, {
      'flowgate.yaml': IMPORT_MANIFEST,
      'a.yaml': inboundFlow('Versioned IVR'),
    });
    const step = await b.step();
    await b.s.ledger.note(
      b.id,
      0,
      {},
      'import attempt 1 of 3: import job J0 failed transiently (Archy failed); a new job in 1 s',
    );
    await b.s.ledger.note(
      b.id,
      0,
      {},
      'import attempt 2 of 3: import job J1 failed transiently (Archy failed); a new job in 2 s',
    );
    emu.control.failNextJobs({ transient: true });
    const { ctx, waits } = retrying(b);

    const error = await rejection(importWithRetries(step, ctx, step.content!, '2.0'));

    expect(error.message).toContain('could not find the flow');
    expect(waits).toEqual([]);
    expect((await attemptNotes(b)).at(-1)).toMatch(
      /^import attempt 3 of 3: import job J failed transiently \(.+\); no attempt left$/,
    );
    expect(b.sent().jobs).toBe(1);
  });

  it("another step's attempts, and a rollback's, do not count against this step's own", async () => {
    const emu = e.get();
    const b = await stepBench(emu, {
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n',
      'a.yaml': inboundFlow('Versioned IVR'),
      'b.yaml': inboundFlow('Planned IVR'),
    });
    const [first, second] = [await b.step(0), await b.step(1)];
    const spent = (index: number, note: string) =>
      Promise.all(
        [1, 2].map((n) =>
          b.s.ledger.note(
            b.id,
            index,
            {},
            `${note} ${n} of 3: import job J${n} failed transiently (x); a new job in ${n} s`,
          ),
        ),
      );
    await spent(second.index, 'import attempt');
    await spent(first.index, 'rollback import attempt');
    emu.control.failNextJobs({ transient: true, times: 2 });
    const { ctx, waits } = retrying(b);

    const state = await importWithRetries(first, ctx, first.content!, first.previousVersion);

    expect(state.status).toBe('Success');
    expect(waits).toEqual([7_000, 14_000]);
    const own = (await b.s.ledger.events(b.id)).filter(
      (x) => x.index === first.index && x.detail?.startsWith('import attempt'),
    );
    expect(own.map((x) => x.detail!.replace(/import job \S+/, 'import job J'))).toEqual([
      expect.stringMatching(
        /^import attempt 1 of 3: import job J failed transiently \(.+\); a new job in 7 s$/,
      ),
      expect.stringMatching(
        /^import attempt 2 of 3: import job J failed transiently \(.+\); a new job in 14 s$/,
      ),
    ]);
    // A rollback of the same step counts its own: two spent, so its first failure is its last.
    emu.control.failNextJobs({ transient: true });
    const publishedNow = (await b.ctx.client.flows.get(first.flowId!)).publishedVersion?.id;
    await rejection(importWithRetries(first, ctx, first.content!, publishedNow, { rollback: true }));
    expect((await attemptNotes(b)).at(-1)).toMatch(/^rollback import attempt 3 of 3: .*; no attempt left$/);
  });

  it('a transient failure after which the org publishes another version says both, and is not retried', async () => {
    const emu = e.get();
    const b = await stepBench(emu, {
      'flowgate.yaml': IMPORT_MANIFEST,
      'a.yaml': inboundFlow('Versioned IVR'),
    });
    const step = await b.step();
    emu.control.failNextJobs({ transient: true });
    const { ctx, waits } = retrying(b);

    const error = await rejection(importWithRetries(step, ctx, step.content!, '1.0'));

    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      hint: 'Check the flow in Architect before deploying again.',
    });
    expect(error.message).toMatch(
      /; the org now publishes version 2\.0 of Versioned IVR \(before the job: 1\.0\), so the job is not retried$/,
    );
    expect(waits).toEqual([]);
    expect(b.sent().jobs).toBe(1);
  });

  it("'none' for a version that is not there, before the job or after it", async () => {
    const emu = e.get();
    const b = await stepBench(emu, {
      'flowgate.yaml': IMPORT_MANIFEST,
      'a.yaml': inboundFlow('Versioned IVR'),
    });
    const step = await b.step();
    const { ctx } = retrying(b);

    emu.control.failNextJobs({ transient: true });
    const before = await rejection(importWithRetries(step, ctx, step.content!, undefined));
    expect(before.message).toContain('publishes version 2.0 of Versioned IVR (before the job: none)');

    const draft = { ...step, flowId: b.flow('Draft IVR').id, flowName: 'Draft IVR' };
    emu.control.failNextJobs({ transient: true });
    const after = await rejection(importWithRetries(draft, ctx, step.content!, '1.0'));
    expect(after.message).toContain('publishes version none of Draft IVR (before the job: 1.0)');
  });
});
