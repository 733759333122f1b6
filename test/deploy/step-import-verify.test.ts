/**
 * What an import step checks once its job succeeded (README: an import is verified): the job names
 * a flow (or the planned name finds one), that flow has the planned name, and it publishes a new
 * version. The flow the job touched is recorded on the step before the checks, so a failed check
 * still leaves rollback something to clean up; `createdFlow` says whether the job made it. The
 * earlier run's job is set up as the org would leave it (a flow reference missing, another name,
 * the old version published again), then `importArchy` resumes the step, over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { importArchy, rollBackStep } from '../../src/deploy/steps.js';
import { inboundFlow, publishedVersion } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { IMPORT_MANIFEST, OUTSIDE, rejection, STEP_SEED, stepBench } from '../helpers/step-bench.js';

describe('verifyImport: what a succeeded import job published', () => {
  const e = useEmulator({ seed: STEP_SEED });

  /** A deployment importing `name` (a new flow, or the seeded Planned IVR), and its earlier run's job of `upload`. */
  async function resumedJob(name: string, upload: string = inboundFlow(name)) {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': IMPORT_MANIFEST, 'a.yaml': inboundFlow(name) });
    const jobId = await b.jobOfEarlierRun(upload);
    await b.advance(1_000);
    expect(emu.control.org.jobs.get(jobId)!.status).toBe('Success');
    return { emu, b, jobId };
  }

  it('a job that names no flow, when no flow has the planned name: OPERATION_FAILED, nothing recorded', async () => {
    const { emu, b, jobId } = await resumedJob('Nameless IVR', inboundFlow('Stray IVR'));
    delete emu.control.org.jobs.get(jobId)!.flowId; // its answer has no `flow` reference

    const error = await rejection(importArchy(await b.step(), b.ctx));
    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'the import job of Nameless IVR succeeded, but names no flow',
      hint: 'Check the flow in Architect.',
    });
    const step = await b.step();
    expect(step).toMatchObject({ state: 'publishing', createdFlow: false });
    expect(step.flowId).toBeUndefined();
    expect((await b.notes()).some((n) => n.startsWith('the import job touched'))).toBe(false);
  });

  it('a job that names no flow is taken for the flow of the planned name', async () => {
    const { emu, b, jobId } = await resumedJob('Found IVR');
    delete emu.control.org.jobs.get(jobId)!.flowId;

    const done = await importArchy(await b.step(), b.ctx);
    expect(done).toMatchObject({
      state: 'published',
      flowId: b.flow('Found IVR').id,
      createdFlow: true,
      publishedVersion: '1.0',
    });
  });

  it('a job that published a flow of another name: OPERATION_FAILED naming it; the flow is on the step, and rollback deactivates it', async () => {
    const { emu, b } = await resumedJob('Planned IVR', inboundFlow('Stray IVR'));
    const planned = b.flow('Planned IVR');
    const stray = b.flow('Stray IVR');
    expect(await b.step()).toMatchObject({ flowId: planned.id, previousVersion: '1.0' });

    const error = await rejection(importArchy(await b.step(), b.ctx));
    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: "the import job of Planned IVR published a flow named 'Stray IVR' instead",
      hint: 'The text sent was not the text validated; the flow is cleaned up on rollback.',
    });
    const step = await b.step();
    expect(step).toMatchObject({
      state: 'publishing',
      flowId: stray.id,
      createdFlow: true,
      publishedVersion: '1.0',
      previousVersion: '1.0',
    });
    expect((await b.notes()).at(-1)).toBe(`the import job touched flow ${stray.id} (Stray IVR)`);

    // The run records the failure; its rollback deactivates the stray flow, the planned one is untouched.
    const failed = await b.s.ledger.transition(b.id, 0, 'failed', { error: error.message }, 'failed');
    emu.control.clearRequests();
    const back = await rollBackStep(failed, b.ctx);
    expect(back.step.state).toBe('rolled-back');
    expect((await b.notes()).at(-1)).toBe('created by this deployment: Stray IVR deactivated, not deleted');
    expect(stray).toMatchObject({ active: false, deleted: false });
    expect(planned).toMatchObject({ active: true, deleted: false });
    expect(publishedVersion(emu, 'Planned IVR')).toBe('1.0');
    expect(b.sent()).toMatchObject({ deactivations: 1, publishes: 0, jobs: 0 });
  });

  it('the org publishing the version before the job: OPERATION_FAILED, the one before, nothing published recorded', async () => {
    const { b } = await resumedJob('Planned IVR');
    const planned = b.flow('Planned IVR');
    expect(publishedVersion(e.get(), 'Planned IVR')).toBe('2.0');
    b.publishOutside('Planned IVR', '1.0'); // as when the job checked it in without publishing
    await b.advance(1_000);

    const error = await rejection(importArchy(await b.step(), b.ctx));
    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'the import job of Planned IVR succeeded, but the org publishes version 1.0, the one before',
      hint: 'Check the flow in Architect; the job may have checked it in without publishing.',
    });
    const step = await b.step();
    expect(step).toMatchObject({ state: 'publishing', flowId: planned.id, createdFlow: false });
    expect(step.publishedVersion).toBeUndefined();
  });

  it('a new flow the job left unpublished: OPERATION_FAILED, no version', async () => {
    const { emu, b } = await resumedJob('Unpublished IVR');
    const flow = b.flow('Unpublished IVR');
    emu.control.org.deactivate(flow, OUTSIDE);
    expect(publishedVersion(emu, 'Unpublished IVR')).toBeUndefined();

    const error = await rejection(importArchy(await b.step(), b.ctx));
    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'the import job of Unpublished IVR succeeded, but the org publishes no version',
      hint: 'Check the flow in Architect; the job may have checked it in without publishing.',
    });
    const step = await b.step();
    expect(step).toMatchObject({ state: 'publishing', flowId: flow.id, createdFlow: true });
    expect(step.publishedVersion).toBeUndefined();
  });

  it('an update of a flow the org has: published, createdFlow false', async () => {
    const { b } = await resumedJob('Planned IVR');
    const done = await importArchy(await b.step(), b.ctx);
    expect(done).toMatchObject({
      state: 'published',
      flowId: b.flow('Planned IVR').id,
      createdFlow: false,
      previousVersion: '1.0',
      publishedVersion: '2.0',
    });
    expect((await b.notes()).at(-1)).toBe('resume: the earlier run’s import job finished');
  });

  it('a new flow: published, createdFlow true', async () => {
    const { b } = await resumedJob('Brand New IVR');
    const done = await importArchy(await b.step(), b.ctx);
    expect(done).toMatchObject({
      state: 'published',
      flowId: b.flow('Brand New IVR').id,
      createdFlow: true,
      publishedVersion: '1.0',
    });
    expect(done.previousVersion).toBeUndefined();
  });
});
