/**
 * A publish step whose publish the platform refuses puts the flow back another way only when the
 * step is a restore: it carries the content recorded for its version (then that content is
 * imported), or the ledger holds an earlier deployment of the same flow that replaced this step's
 * target by its previous version (then the version is named for Architect). Anything else is a
 * plain failure, with the platform's own error. A refusal for a lock is never a restore. The step
 * publishes 1.0 of Versioned IVR (2.0 published); the emulator fails its next publish; earlier
 * deployments are written to the ledger as a finished run leaves them. Over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { publishExistingVersion } from '../../src/deploy/steps.js';
import { FlowgateError } from '../../src/errors.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { StepRecord } from '../../src/ledger/types.js';
import type { PlatformClient } from '../../src/platform/client.js';
import { inboundFlow, publishedVersion } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { publishManifest, rejection, STEP_SEED, stepBench } from '../helpers/step-bench.js';

const MISSING =
  'architect.flow.cannot.publish.missing.dependencies: Flow version cannot be published due to having one or more missing dependencies.';
const FIX = 'Fix what the error names (missing dependencies, variables) and publish again.';

describe('isRestore: a refused publish is a restore only when the ledger says so', () => {
  const e = useEmulator({ seed: STEP_SEED });

  /** The step, its next publish failing; `tweak` changes the plan first. */
  async function refused(tweak?: Parameters<typeof stepBench>[2]) {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': publishManifest('1.0') }, tweak);
    const flowId = b.flow('Versioned IVR').id;
    expect(await b.step()).toMatchObject({
      kind: 'publish',
      targetVersion: '1.0',
      previousVersion: '2.0',
      flowId,
    });
    emu.control.failPublishes(flowId, 1);
    emu.control.clearRequests();
    return { emu, b, flowId, original: `PUBLISH of flow ${flowId} failed with ${MISSING}` };
  }

  /** A deployment that finished before this one, with one step of this flow (as `patch` says). */
  async function earlier(
    emu: RunningEmulator,
    b: Awaited<ReturnType<typeof stepBench>>,
    patch: Partial<StepRecord>,
  ) {
    const at = new Date(emu.control.org.now() - 3_600_000).toISOString();
    const id = 'd-earlier';
    const base = {
      createdAt: at,
      updatedAt: at,
      actor: emu.credentials.clientId,
      org: emu.url,
      atomic: true,
    };
    await b.s.ledger.createDeployment({ id, status: 'succeeded', ...base }, [
      {
        ...(await b.step()),
        deploymentId: id,
        index: 0,
        state: 'published',
        targetVersion: '2.0',
        previousVersion: '1.0',
        publishedVersion: '2.0',
        updatedAt: at,
        ...patch,
      },
    ]);
  }

  /** The platform's error, thrown as it is: nothing imported, nothing noted about a restore. */
  async function expectPlainFailure(r: Awaited<ReturnType<typeof refused>>) {
    const error = await rejection(publishExistingVersion(await r.b.step(), r.b.ctx));
    expect(error).toMatchObject({ code: 'OPERATION_FAILED', message: r.original, hint: FIX });
    expect(await r.b.step()).toMatchObject({ state: 'publishing' });
    expect((await r.b.notes()).some((n) => n.startsWith('the platform did not publish'))).toBe(false);
    expect(r.b.sent()).toMatchObject({ publishes: 1, jobs: 0 });
    expect(publishedVersion(r.emu, 'Versioned IVR')).toBe('2.0');
  }

  it('nothing recorded: the platform’s error', async () => {
    await expectPlainFailure(await refused());
  });

  it('the step carries the recorded content: it is imported instead, and the step published', async () => {
    const content = inboundFlow('Versioned IVR', { say: 'Version one' });
    const r = await refused((p) => void (p.steps[0]!.content = content));
    const done = await publishExistingVersion(await r.b.step(), r.b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '4.0' });
    const notes = await r.b.notes();
    expect(notes).toContain(
      `the platform did not publish version 1.0 again (OPERATION_FAILED: ${r.original}); importing the content the ledger recorded for version 1.0 instead`,
    );
    expect(notes.at(-1)).toMatch(/^back on version 1\.0's content: imported as version 4\.0 \(.*: equal\)$/);
    expect(r.b.sent()).toMatchObject({ publishes: 1, jobs: 1 });
    expect(publishedVersion(r.emu, 'Versioned IVR')).toBe('4.0');
  });

  it('an earlier deployment replaced this target by this previous version: the version is named for Architect', async () => {
    const r = await refused();
    await earlier(r.emu, r.b, {});
    const error = await rejection(publishExistingVersion(await r.b.step(), r.b.ctx));
    const problem = `the platform did not publish version 1.0 again (OPERATION_FAILED: ${r.original})`;
    expect(error).toMatchObject({
      code: 'VERSION_NOT_REPUBLISHED',
      message: `Versioned IVR: ${problem}, and the ledger holds no content of version 1.0: restore version 1.0 in Architect`,
      hint: "In Architect, open version 1.0 of Versioned IVR, export it and import it, then publish (Genesys' documented way back to an earlier version).",
    });
    expect((await r.b.notes()).at(-1)).toBe(problem);
    expect(r.b.sent()).toMatchObject({ publishes: 1, jobs: 0 });
    expect(publishedVersion(r.emu, 'Versioned IVR')).toBe('2.0');
  });

  it.each<[string, Partial<StepRecord>]>([
    ['of another flow of that name (another id)', { flowId: 'f0000000-0000-4000-8000-000000000000' }],
    ['whose step was rolled back', { state: 'rolled-back' }],
    ['whose step failed after its version went out', { state: 'failed' }],
    ['that published another version than this previous one', { publishedVersion: '3.0' }],
    ['that replaced another version than this target', { previousVersion: '3.0' }],
  ])('an earlier deployment %s does not make it a restore', async (_, patch) => {
    const r = await refused();
    await earlier(r.emu, r.b, patch);
    await expectPlainFailure(r);
  });

  it('a step of this same deployment does not count as an earlier one', async () => {
    const r = await refused((p) => {
      p.steps.push({ ...p.steps[0]! });
      p.order.push(p.steps.length - 1);
    });
    await r.b.publishing({}, 1);
    await r.b.s.ledger.transition(
      r.b.id,
      1,
      'published',
      { publishedVersion: '2.0', previousVersion: '1.0' },
      'published',
    );
    expect(await r.b.step(1)).toMatchObject({
      state: 'published',
      publishedVersion: '2.0',
      previousVersion: '1.0',
    });
    await expectPlainFailure(r);
  });

  it('a publish refused for a lock is not a restore, content or not: the lock as the platform said', async () => {
    const content = inboundFlow('Versioned IVR', { say: 'Version one' });
    const r = await refused((p) => void (p.steps[0]!.content = content));
    // Someone in Architect takes the lock between the step's look at the flow and its publish.
    const real = r.b.ctx.client;
    const client: PlatformClient = {
      ...real,
      flows: {
        ...real.flows,
        publish: (id, version) => (
          r.emu.control.lockByUser(id, 'Late Editor'),
          real.flows.publish(id, version)
        ),
      },
    };
    const error = await rejection(publishExistingVersion(await r.b.step(), { ...r.b.ctx, client }));
    // The publish's own refusal (not a later lock check of a restore's import).
    expect(error).toMatchObject({
      code: 'API_LOCKED',
      message: `POST /api/v2/flows/actions/publish?flow=${r.flowId}&version=1.0 failed with 409 architect.flow.locked.by.user: Flow is locked by another user.`,
      hint: 'The flow is locked by user Late Editor in Architect. Ask them to check it in, or force-unlock it (needs architect:flow:unlock).',
    });
    expect((await r.b.notes()).some((n) => n.includes('importing the content'))).toBe(false);
    expect(r.b.sent()).toMatchObject({ jobs: 0 });
    expect(publishedVersion(r.emu, 'Versioned IVR')).toBe('2.0');
  });

  it.each([
    [
      'a cancelled call (ABORTED)',
      new FlowgateError('ABORTED', 'POST /api/v2/flows/actions/publish: cancelled', { hint: 'resume' }),
    ],
    ['an error that is no FlowgateError', new TypeError('fetch failed')],
  ])('%s is thrown as it is, content or not: nothing imported', async (_, thrown) => {
    const content = inboundFlow('Versioned IVR', { say: 'Version one' });
    const r = await refused((p) => void (p.steps[0]!.content = content));
    const real = r.b.ctx.client;
    const client: PlatformClient = {
      ...real,
      flows: { ...real.flows, publish: () => Promise.reject(thrown) },
    };
    const error = await rejection(publishExistingVersion(await r.b.step(), { ...r.b.ctx, client }));
    expect(error).toBe(thrown);
    expect(await r.b.step()).toMatchObject({ state: 'publishing' });
    expect((await r.b.notes()).some((n) => n.startsWith('the platform did not publish'))).toBe(false);
    expect(r.b.sent()).toMatchObject({ publishes: 0, jobs: 0 });
    expect(publishedVersion(r.emu, 'Versioned IVR')).toBe('2.0');
  });

  it('a refused publish after Ctrl-C is thrown as it is, content or not: no restore starts', async () => {
    const content = inboundFlow('Versioned IVR', { say: 'Version one' });
    const r = await refused((p) => void (p.steps[0]!.content = content));
    // Ctrl-C while the publish is followed; the operation's failure is the next thing it learns.
    const ctrlC = new AbortController();
    const sleep = () => (ctrlC.abort(), r.b.advance(1_000)); // the operation ends meanwhile
    const ctx = { ...r.b.ctx, poll: { ...r.b.ctx.poll, sleep, signal: ctrlC.signal } };
    const error = await rejection(publishExistingVersion(await r.b.step(), ctx));
    expect(error).toMatchObject({ code: 'OPERATION_FAILED', message: r.original, hint: FIX });
    expect((await r.b.notes()).some((n) => n.startsWith('the platform did not publish'))).toBe(false);
    expect(r.b.sent()).toMatchObject({ publishes: 1, jobs: 0 });
  });

  it('not a restore: a publish reported done while the org publishes another version fails, naming both', async () => {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': publishManifest('1.0') });
    // Someone publishes 3.0 in Architect right after ours completes, before the step looks again.
    let moved = false;
    const sleep = async (ms: number) => {
      await b.advance(ms + 1_000);
      if (moved) return;
      moved = true;
      b.publishOutside('Versioned IVR', '3.0');
      await b.advance(1_000);
    };
    const ctx = { ...b.ctx, poll: { ...b.ctx.poll, sleep } };
    const error = await rejection(publishExistingVersion(await b.step(), ctx));
    expect(error).toMatchObject({
      code: 'OPERATION_FAILED',
      message:
        "Versioned IVR: the platform answered the publish of version 1.0 with a new version 3.0 whose content is not 1.0's",
      hint: 'Someone may have published another version at the same time; check the flow in Architect.',
    });
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('3.0');
  });
});
