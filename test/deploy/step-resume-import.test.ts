/**
 * An import step found `publishing` with a job id: the run that registered the job died. The job
 * tells whether the import happened (docs/ARCHITECTURE.md: the org is asked before anything is sent
 * again): a job Started or done is followed, not sent again; a job that failed transiently is
 * replaced by a new one; one that failed on the flow's content fails the step, no new job; a job
 * never uploaded to (Registered) is replaced. `importArchy` called on the ledger as the dead run
 * left it, over HTTP against the emulator; the permanent failure also through a resumed run.
 */
import { describe, expect, it } from 'vitest';
import { runDeployment } from '../../src/deploy/executor.js';
import { importArchy } from '../../src/deploy/steps.js';
import { inboundFlow, publishedVersion, publishesOf } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { IMPORT_MANIFEST, rejection, STEP_SEED, stepBench } from '../helpers/step-bench.js';

const RESUMED = 'resume: the earlier run’s import job finished';
const CONTENT_FAILURE = "Unable to resolve the queue 'Sales' in the flow 'Resumed IVR'.";

describe('importArchy resuming a step whose earlier run registered an import job', () => {
  const e = useEmulator({ seed: STEP_SEED });

  async function bench() {
    const emu = e.get();
    const b = await stepBench(emu, {
      'flowgate.yaml': IMPORT_MANIFEST,
      'a.yaml': inboundFlow('Resumed IVR'),
    });
    return { emu, b, content: (await b.step()).content! };
  }

  it.each([
    ['Started', 0],
    ['Success', 1_000],
  ])('a job %s is followed: no second job, one publish', async (status, waitMs) => {
    const { emu, b, content } = await bench();
    const jobId = await b.jobOfEarlierRun(content);
    await b.advance(waitMs);
    expect(emu.control.org.jobs.get(jobId)!.status).toBe(status);
    emu.control.clearRequests();

    const done = await importArchy(await b.step(), b.ctx);
    const flow = b.flow('Resumed IVR');
    expect(done).toMatchObject({
      state: 'published',
      jobId,
      flowId: flow.id,
      createdFlow: true,
      publishedVersion: '1.0',
    });
    expect(await b.step()).toEqual(done);
    expect((await b.notes()).slice(-2)).toEqual([
      `the import job touched flow ${flow.id} (Resumed IVR)`,
      RESUMED,
    ]);
    expect(b.sent().jobs).toBe(0);
    expect(publishesOf(emu, 'Resumed IVR')).toBe(1);
    expect(publishedVersion(emu, 'Resumed IVR')).toBe('1.0');
    expect(flow.versions.map((v) => v.id)).toEqual(['1.0']);
  });

  it('a job that failed transiently is replaced by a new job, the attempt counted; one publish', async () => {
    const { emu, b, content } = await bench();
    emu.control.failNextJobs({ transient: true });
    const jobId = await b.jobOfEarlierRun(content);
    await b.advance(1_000);
    expect(emu.control.org.jobs.get(jobId)!.status).toBe('Failure');
    emu.control.clearRequests();

    const done = await importArchy(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', createdFlow: true, publishedVersion: '1.0' });
    expect(done.jobId).not.toBe(jobId);
    expect(b.sent().jobs).toBe(1);
    expect(publishesOf(emu, 'Resumed IVR')).toBe(1);
    const notes = await b.notes();
    expect(notes).toContain(
      `import attempt 1 of 5: import job ${jobId} failed transiently (Archy failed with exit code: 107); a new job in 15 s`,
    );
    expect(notes.at(-1)).toBe('imported and published');
    expect(notes).not.toContain(RESUMED);
  });

  it('a job that failed on the content fails the step with its words; no new job', async () => {
    const { emu, b, content } = await bench();
    emu.control.failNextJobs({ message: CONTENT_FAILURE });
    const jobId = await b.jobOfEarlierRun(content);
    await b.advance(1_000);
    emu.control.clearRequests();

    const error = await rejection(importArchy(await b.step(), b.ctx));
    const hint = 'Fix what the error names (missing dependencies, variables) and publish again.';
    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: `import job ${jobId} failed: ${CONTENT_FAILURE}`,
      hint,
    });
    expect(await b.step()).toMatchObject({ state: 'publishing', jobId });
    expect((await b.notes()).some((n) => n.startsWith('import attempt'))).toBe(false);
    // The run resumed by the executor: the step ends failed with the job's words, still no new job.
    const outcome = await runDeployment(b.id, { client: b.s.client, ledger: b.s.ledger, poll: b.ctx.poll });
    expect(outcome.status).toBe('failed');
    expect(outcome.steps[0]).toMatchObject({
      state: 'failed',
      error: `import job ${jobId} failed: ${CONTENT_FAILURE} (next: ${hint})`,
    });
    expect(b.sent().jobs).toBe(0);
    expect(publishesOf(emu, 'Resumed IVR')).toBe(0);
    expect(b.flow('Resumed IVR')).toBeUndefined();
  });

  it('a job never uploaded to (Registered) is replaced by a new job; one publish', async () => {
    const { emu, b } = await bench();
    const jobId = await b.jobOfEarlierRun();
    await b.advance(1_000);
    expect(emu.control.org.jobs.get(jobId)!.status).toBe('Registered');
    emu.control.clearRequests();

    const done = await importArchy(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', createdFlow: true, publishedVersion: '1.0' });
    expect(done.jobId).not.toBe(jobId);
    expect(b.sent().jobs).toBe(1);
    expect(publishesOf(emu, 'Resumed IVR')).toBe(1);
    const notes = await b.notes();
    expect(notes.slice(-4)).toEqual([
      'registering an import job',
      'import job registered',
      `the import job touched flow ${b.flow('Resumed IVR').id} (Resumed IVR)`,
      'imported and published',
    ]);
    expect(notes.some((n) => n.startsWith('import attempt'))).toBe(false);
    expect(emu.control.org.jobs.get(jobId)!.status).toBe('Registered');
  });

  it('a step publishing with no job (the run died before it registered one) registers one; one publish', async () => {
    const { emu, b } = await bench();
    await b.s.ledger.transition(b.id, 0, 'publishing', {}, 'registering an import job');
    emu.control.clearRequests();

    const done = await importArchy(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', createdFlow: true, publishedVersion: '1.0' });
    expect(b.sent().jobs).toBe(1);
    expect(publishesOf(emu, 'Resumed IVR')).toBe(1);
    expect((await b.notes()).at(-1)).toBe('imported and published');
  });
});
