/**
 * Rolling back a step whose flow had no earlier version (README: what cannot be undone): a flow
 * the deployment created, or one it published for the first time, is deactivated, never deleted,
 * and checked to be inactive afterwards; one already inactive is left alone. A flow with a version
 * to return to is restored instead. `rollBackStep` on steps `importArchy` published, over HTTP;
 * the deactivation the platform answers without applying is the emulator's
 * `POST /__emulator/deactivation-ignored`.
 */
import { describe, expect, it } from 'vitest';
import { importArchy, rollBackStep } from '../../src/deploy/steps.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, publishedVersion } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { IMPORT_MANIFEST, OUTSIDE, rejection, STEP_SEED, stepBench } from '../helpers/step-bench.js';

/** The next deactivation of a flow is answered and not applied, through the HTTP control. */
async function ignoreNextDeactivation(emu: RunningEmulator, flowId: string): Promise<void> {
  const res = await fetch(`${emu.url}/__emulator/deactivation-ignored`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ flowId }),
  });
  expect(res.status).toBe(200);
}

describe('rollBackStep of a step with no earlier version', () => {
  const e = useEmulator({ seed: STEP_SEED });

  /** `name` imported and published by a step of a deployment; the requests cleared after it. */
  async function imported(name: string) {
    const emu = e.get();
    const b = await stepBench(emu, {
      'flowgate.yaml': IMPORT_MANIFEST,
      'a.yaml': inboundFlow(name, { say: 'New' }),
    });
    const step = await importArchy(await b.step(), b.ctx);
    expect(step.state).toBe('published');
    emu.control.clearRequests();
    return { emu, b, step, flow: b.flow(name) };
  }

  it('a flow the deployment created is deactivated, not deleted', async () => {
    const { emu, b, step, flow } = await imported('Fresh IVR');
    expect(step).toMatchObject({ createdFlow: true, publishedVersion: '1.0' });
    expect(flow.active).toBe(true);

    const back = await rollBackStep(step, b.ctx);
    expect(back).toMatchObject({
      step: { state: 'rolled-back', flowId: flow.id },
      message: 'Fresh IVR: created by this deployment, deactivated (not deleted)',
    });
    expect(back.versionAfter).toBeUndefined();
    expect((await b.notes()).at(-1)).toBe('created by this deployment: Fresh IVR deactivated, not deleted');
    expect(flow).toMatchObject({ active: false, deleted: false });
    expect(publishedVersion(emu, 'Fresh IVR')).toBeUndefined();
    expect(b.sent()).toMatchObject({ deactivations: 1, publishes: 0, jobs: 0 });
  });

  it('a created flow already inactive is not deactivated again', async () => {
    const { emu, b, step, flow } = await imported('Fresh IVR');
    emu.control.org.deactivate(flow, OUTSIDE); // someone deactivated it in Architect

    const back = await rollBackStep(step, b.ctx);
    expect(back.step.state).toBe('rolled-back');
    expect((await b.notes()).at(-1)).toBe('created by this deployment: Fresh IVR deactivated, not deleted');
    expect(flow).toMatchObject({ active: false, deleted: false });
    expect(b.sent().deactivations).toBe(0);
  });

  it('a created flow still active after its deactivation: OPERATION_FAILED, the step stays published', async () => {
    const { emu, b, step, flow } = await imported('Fresh IVR');
    await ignoreNextDeactivation(emu, flow.id);
    emu.control.clearRequests();

    const error = await rejection(rollBackStep(step, b.ctx));
    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: `Fresh IVR (${flow.id}) is still active after deactivation`,
      hint: 'Deactivate it in Architect.',
    });
    expect(await b.step()).toMatchObject({ state: 'published', publishedVersion: '1.0' });
    expect(flow).toMatchObject({ active: true, deleted: false });
    expect(b.sent().deactivations).toBe(1);
    // The fault was one deactivation: the next rollback deactivates it.
    expect((await rollBackStep(step, b.ctx)).step.state).toBe('rolled-back');
    expect(flow.active).toBe(false);
  });

  it('a flow the org had but never published (no previous version) is deactivated too, and said so', async () => {
    const { emu, b, step, flow } = await imported('Draft IVR');
    expect(step).toMatchObject({ createdFlow: false, flowId: flow.id, publishedVersion: '2.0' });
    expect(step.previousVersion).toBeUndefined();

    const back = await rollBackStep(step, b.ctx);
    // It was there before: the ledger and the report do not say this deployment created it.
    expect(back).toMatchObject({
      step: { state: 'rolled-back' },
      message: 'Draft IVR: not published before this deployment, deactivated (not deleted)',
    });
    expect((await b.notes()).at(-1)).toBe(
      'not published before this deployment: Draft IVR deactivated, not deleted',
    );
    expect(flow).toMatchObject({ active: false, deleted: false });
    expect(publishedVersion(emu, 'Draft IVR')).toBeUndefined();
    expect(b.sent().deactivations).toBe(1);
  });

  it('a flow with a previous version is put back on it, not deactivated', async () => {
    const { emu, b, step, flow } = await imported('Planned IVR');
    expect(step).toMatchObject({ createdFlow: false, previousVersion: '1.0', publishedVersion: '2.0' });

    const back = await rollBackStep(step, b.ctx);
    expect(back).toMatchObject({ step: { state: 'rolled-back' }, versionAfter: '1.0' });
    expect((await b.notes()).at(-1)).toBe('back on version 1.0');
    expect(flow.active).toBe(true);
    expect(publishedVersion(emu, 'Planned IVR')).toBe('1.0');
    expect(b.sent()).toMatchObject({ deactivations: 0, publishes: 1 });
  });
});
