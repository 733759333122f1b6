/**
 * A publish step found `publishing`: the run that sent it died. A PUBLISH operation on the flow
 * that was not there before the step (its id is not the step's `operationBefore`) is the earlier
 * run's: it is followed (when not complete), never sent again. Any other operation (the one seen
 * before, a checkin) or none means the publish never landed: it is sent. A step not yet
 * publishing takes no operation for its own. `publishExistingVersion` called on the ledger as the
 * dead run left it, over HTTP against the emulator.
 */
import { describe, expect, it } from 'vitest';
import { publishExistingVersion } from '../../src/deploy/steps.js';
import { publishedVersion, publishesOf } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { OUTSIDE, publishManifest, STEP_SEED, stepBench } from '../helpers/step-bench.js';

const FOUND = 'resume: found the publish the earlier run started';

describe('publishExistingVersion resuming a step found publishing', () => {
  const e = useEmulator({ seed: STEP_SEED });

  /** A deployment publishing version 3.0 of Versioned IVR (2.0 published), recorded and not run. */
  async function bench() {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': publishManifest('3.0') });
    const flowId = b.flow('Versioned IVR').id;
    expect(await b.step()).toMatchObject({ kind: 'publish', targetVersion: '3.0', previousVersion: '2.0' });
    return { emu, b, flowId };
  }

  it.each([
    ['still running: followed', 0, 5],
    ['already complete: not followed', 1_000, 2],
  ])('the earlier run’s publish, %s; nothing sent again', async (_, waitMs, reads) => {
    const { emu, b, flowId } = await bench();
    await b.publishing({ operationBefore: undefined });
    const op = await b.s.client.flows.publish(flowId, '3.0'); // the POST that landed before the kill
    await b.advance(waitMs);
    expect(b.flow('Versioned IVR').currentOperation!.complete).toBe(waitMs > 0);
    emu.control.clearRequests();

    const done = await publishExistingVersion(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '3.0', operationId: op.id });
    expect((await b.notes()).slice(-2)).toEqual([FOUND, 'the org publishes the version']);
    // Read; followed (read at 0, 20 and 60 ms: the operation takes 40), or not; read again. Never
    // published again.
    expect(b.sent()).toMatchObject({ publishes: 0, flowReads: reads });
    expect(publishesOf(emu, 'Versioned IVR')).toBe(1);
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('3.0');
  });

  it('the operation the step saw before it sent (its operationBefore) is not its own: the publish is sent', async () => {
    const { emu, b } = await bench();
    // Someone published 2.0 again before; the step recorded that operation, then died before its POST.
    const before = b.publishOutside('Versioned IVR', '2.0');
    await b.advance(1_000);
    await b.publishing({ operationBefore: before.id });
    emu.control.clearRequests();

    const done = await publishExistingVersion(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '3.0', operationBefore: before.id });
    expect(done.operationId).not.toBe(before.id);
    const notes = await b.notes();
    expect(notes).not.toContain(FOUND);
    expect(notes.slice(-3)).toEqual(['publishing version 3.0', 'publish operation started', 'published']);
    expect(b.sent().publishes).toBe(1);
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('3.0');
  });

  it('an operation that is not a PUBLISH (a checkin) is not the earlier run’s: the publish is sent', async () => {
    const { emu, b } = await bench();
    await b.publishing({ operationBefore: undefined });
    // Someone checks in a change in Architect (a CHECKIN operation, then 4.0 checked in).
    const flow = b.flow('Versioned IVR');
    emu.control.org.checkout(flow, OUTSIDE);
    emu.control.org.saveVersion(flow, { name: 'Versioned IVR', edited: true }, OUTSIDE);
    const checkin = emu.control.org.checkin(flow, OUTSIDE);
    await b.advance(1_000);
    expect(flow.currentOperation).toMatchObject({ id: checkin.id, actionName: 'CHECKIN', complete: true });
    emu.control.clearRequests();

    const done = await publishExistingVersion(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '3.0' });
    expect(done.operationId).not.toBe(checkin.id);
    expect(await b.notes()).not.toContain(FOUND);
    expect(b.sent().publishes).toBe(1);
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('3.0');
  });

  it('no operation on the flow (the run died before its POST): the publish is sent', async () => {
    const { emu, b } = await bench();
    await b.publishing({ operationBefore: undefined });
    expect(b.flow('Versioned IVR').currentOperation).toBeUndefined();
    emu.control.clearRequests();

    const done = await publishExistingVersion(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '3.0' });
    expect((await b.notes()).slice(-3)).toEqual([
      'publishing version 3.0',
      'publish operation started',
      'published',
    ]);
    expect(b.sent().publishes).toBe(1);
    expect(publishesOf(emu, 'Versioned IVR')).toBe(1);
  });

  it('a step not yet publishing takes no operation on the flow for its own', async () => {
    const { emu, b } = await bench();
    const other = b.publishOutside('Versioned IVR', '2.0'); // someone's publish, before this run
    await b.advance(1_000);
    emu.control.clearRequests();

    const done = await publishExistingVersion(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '3.0', operationBefore: other.id });
    expect(await b.notes()).not.toContain(FOUND);
    expect(b.sent().publishes).toBe(1);
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('3.0');
  });

  it('a step published in one go records the operation it started', async () => {
    const { b } = await bench();
    const done = await publishExistingVersion(await b.step(), b.ctx);
    const op = b.flow('Versioned IVR').currentOperation!;
    expect(op).toMatchObject({ actionName: 'PUBLISH', complete: true });
    expect(done).toMatchObject({ state: 'published', publishedVersion: '3.0', operationId: op.id });
  });
});

describe('publishExistingVersion resuming where the platform publishes an old version as a new one', () => {
  const e = useEmulator({
    seed: { ...STEP_SEED, settings: { republishOldVersion: 'new-version' as const } },
  });

  it("the earlier run's publish of 1.0 landed as a new version 4.0 with 1.0's content: published, never sent again", async () => {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': publishManifest('1.0') });
    const flowId = b.flow('Versioned IVR').id;
    await b.publishing({ operationBefore: undefined });
    await b.s.client.flows.publish(flowId, '1.0'); // the POST that landed before the kill
    await b.advance(1_000);
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('4.0');
    emu.control.clearRequests();

    const done = await publishExistingVersion(await b.step(), b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '4.0' });
    expect((await b.notes()).at(-1)).toBe(
      "the platform published version 1.0 as a new version 4.0 (version 4.0's configuration against version 1.0's: equal)",
    );
    expect(b.sent().publishes).toBe(0);
    expect(publishesOf(emu, 'Versioned IVR')).toBe(1);
  });
});
