/**
 * What `deploy/restore.ts` does when putting a flow back does not go as planned (issue 21 §1,
 * issue 22's Stryker survivors): an import of the recorded content that publishes another flow (the
 * flow was renamed in Architect since), or that leaves the org on the version it published before,
 * or on a version whose content is not the recorded one; a republish the platform refuses, with
 * and without recorded content to fall back on; a republish answered as done that left the org as
 * it was, or on a version of other content; a lock or an abort during the republish, which are
 * never turned into "the platform did not publish". Each is read from the error, the step's notes
 * in the ledger and the calls the org received.
 *
 * The outside changes between two calls are made by the emulated org itself (another client's
 * publish, a rename, a lock), started from a hook on the client's call that precedes them: the
 * step's requests stay real HTTP. The step is the publish step of `Versioned IVR` (2.0 published,
 * 1.0 before it, 3.0 checked in), restored to 1.0.
 */
import { describe, expect, it } from 'vitest';
import { reimport, restoreVersion, republish } from '../../src/deploy/restore.js';
import { importArchy, publishExistingVersion, rollBackStep } from '../../src/deploy/steps.js';
import type { StepContext } from '../../src/deploy/steps.js';
import { inboundFlow, publishedVersion } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { IMPORT_MANIFEST, publishManifest, rejection, STEP_SEED, stepBench } from '../helpers/step-bench.js';

/** The recorded content of version 1.0: what an import of it publishes as a new version. */
const OLD = inboundFlow('Versioned IVR', { say: 'Version one' });

/** A client whose `group.method` runs `after` once it resolved (the org changes in between). */
function afterCall(
  c: StepContext,
  group: 'jobs' | 'flows',
  method: 'follow' | 'followOperation' | 'publish',
  after: () => void,
  before = false,
): StepContext {
  const calls = c.client[group] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const original = calls[method]!;
  const wrapped = async (...a: unknown[]) => {
    if (before) after();
    const r = await original(...a);
    if (!before) after();
    return r;
  };
  return { ...c, client: { ...c.client, [group]: { ...calls, [method]: wrapped } } };
}

describe('restore.ts when the platform does not put the flow back as asked', () => {
  const e = useEmulator({ seed: STEP_SEED });

  async function bench(mode?: 'in-place' | 'new-version' | 'refuse') {
    const emu = e.get();
    if (mode) emu.control.setRepublishOldVersion(mode);
    const b = await stepBench(emu, { 'flowgate.yaml': publishManifest('1.0') });
    const step = await b.step();
    expect(step).toMatchObject({ kind: 'publish', previousVersion: '2.0', flowName: 'Versioned IVR' });
    emu.control.clearRequests();
    /** Another client publishes `version` of the flow and the operation completes. */
    const outsidePublish = (version: string) => {
      b.publishOutside('Versioned IVR', version);
      emu.control.setClock({ advanceMs: emu.control.org.state.settings.operationDelayMs + 1 });
      emu.control.org.settle();
    };
    return { emu, b, step, flowId: step.flowId!, outsidePublish };
  }

  const notes = async (b: Awaited<ReturnType<typeof bench>>['b']) => (await b.notes()).slice(-3);

  it('already on the version: nothing is sent but one read', async () => {
    const { b, step, emu } = await bench();
    b.publishOutside('Versioned IVR', '1.0');
    emu.control.setClock({ advanceMs: emu.control.org.state.settings.operationDelayMs + 1 });
    emu.control.clearRequests();
    const r = await restoreVersion(step, b.ctx, { versionId: '1.0', content: OLD, contentFirst: true });
    expect(r).toEqual({ publishedVersion: '1.0', detail: 'back on version 1.0' });
    expect(b.sent()).toEqual({ jobs: 0, publishes: 0, deactivations: 0, flowReads: 1 });
  });

  it('an import that published another flow (renamed in Architect since) is ROLLBACK_UNVERIFIED naming it', async () => {
    const { b, step, emu } = await bench();
    b.flow('Versioned IVR').name = 'Renamed IVR';
    const error = await rejection(reimport(step, b.ctx, '1.0', OLD));
    const created = b.flow('Versioned IVR');
    expect(created.id).not.toBe(step.flowId);
    expect(error).toMatchObject({
      code: 'ROLLBACK_UNVERIFIED',
      message: `Versioned IVR: the import of version 1.0's content succeeded, but it published flow ${created.id} (Versioned IVR)`,
      hint: 'Check Versioned IVR in Architect; restore version 1.0 there if needed.',
    });
    expect(publishedVersion(emu, 'Renamed IVR')).toBe('2.0');
    expect(b.sent().jobs).toBe(1);
  });

  it('an import after which the org still publishes the version before it is ROLLBACK_UNVERIFIED', async () => {
    const { b, step, outsidePublish } = await bench();
    // Someone publishes 2.0 again between the job's end and flowgate's check.
    const ctx = afterCall(b.ctx, 'jobs', 'follow', () => outsidePublish('2.0'));
    const error = await rejection(reimport(step, ctx, '1.0', OLD));
    expect(error).toMatchObject({
      code: 'ROLLBACK_UNVERIFIED',
      message: "Versioned IVR: the import of version 1.0's content succeeded, but the org publishes 2.0",
    });
  });

  it('an import after which the org publishes other content is ROLLBACK_UNVERIFIED with the comparison', async () => {
    const { b, step, outsidePublish } = await bench();
    const ctx = afterCall(b.ctx, 'jobs', 'follow', () => outsidePublish('3.0'));
    const error = await rejection(reimport(step, ctx, '1.0', OLD));
    expect(error.code).toBe('ROLLBACK_UNVERIFIED');
    expect(error.message).toBe(
      // The seed's 3.0 holds a configuration without Archy text: compared with 1.0's configuration.
      "Versioned IVR: version 1.0's content was imported as version 3.0, but its content differs (version 3.0's configuration against version 1.0's)",
    );
    expect(error.hint).toBe(
      'Compare version 3.0 with version 1.0 in Architect; restore 1.0 there if they differ.',
    );
  });

  it('a refused republish with no recorded content: VERSION_NOT_REPUBLISHED naming the version, noted', async () => {
    const { b, step, emu, flowId } = await bench('refuse');
    const error = await rejection(restoreVersion(step, b.ctx, { versionId: '1.0', contentFirst: false }));
    expect(error).toMatchObject({
      code: 'VERSION_NOT_REPUBLISHED',
      hint: "In Architect, open version 1.0 of Versioned IVR, export it and import it, then publish (Genesys' documented way back to an earlier version).",
      details: { flowId, version: '1.0' },
    });
    expect(error.message).toMatch(
      /^Versioned IVR: the platform did not publish version 1\.0 again \(API_BAD_REQUEST: .+\), and the ledger holds no content of version 1\.0: restore version 1\.0 in Architect$/,
    );
    expect((await notes(b)).at(-1)).toMatch(
      /^the platform did not publish version 1\.0 again \(API_BAD_REQUEST: /,
    );
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('2.0');
    expect(b.sent()).toMatchObject({ publishes: 1, jobs: 0 });
  });

  it('a refused republish with recorded content imports it instead, saying so first', async () => {
    const { b, step, emu } = await bench('refuse');
    const r = await restoreVersion(step, b.ctx, { versionId: '1.0', content: OLD, contentFirst: false });
    expect(r.publishedVersion).toBe('4.0');
    expect(r.detail).toMatch(
      /^back on version 1\.0's content: imported as version 4\.0 \(normalized hash .+: equal\)$/,
    );
    const said = await b.notes();
    const fallback = said.findIndex((n) =>
      /^the platform did not publish version 1\.0 again \(API_BAD_REQUEST: .+\); importing the content the ledger recorded for version 1\.0 instead$/.test(
        n,
      ),
    );
    expect(fallback).toBeGreaterThanOrEqual(0);
    const job = said.findIndex((n) => /^rollback: import job \S+ registered$/.test(n));
    expect(job).toBeGreaterThan(fallback);
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('4.0');
    expect(b.sent()).toMatchObject({ publishes: 1, jobs: 1 });
  });

  it('a republish answered as done that left the org on the version before it is a problem, not a success', async () => {
    const { b, step, outsidePublish } = await bench();
    const ctx = afterCall(b.ctx, 'flows', 'followOperation', () => outsidePublish('2.0'));
    expect(await republish(step, ctx, '1.0')).toEqual({
      problem: 'the publish of version 1.0 reported success, but the org publishes 2.0',
    });
    const error = await rejection(
      restoreVersion(
        step,
        afterCall(b.ctx, 'flows', 'followOperation', () => outsidePublish('2.0')),
        { versionId: '1.0', contentFirst: false },
      ),
    );
    expect(error).toMatchObject({ code: 'VERSION_NOT_REPUBLISHED' });
    expect(error.message).toContain('the publish of version 1.0 reported success, but the org publishes 2.0');
  });

  it('a republish answered with a new version of equal content is a restore', async () => {
    const equal = await bench('new-version');
    expect(await republish(equal.step, equal.b.ctx, '1.0')).toEqual({
      publishedVersion: '4.0',
      detail:
        "the platform published version 1.0 as a new version 4.0 (version 4.0's configuration against version 1.0's: equal)",
    });
  });

  it('a republish answered with a version of other content is a problem naming both', async () => {
    const { b, step, outsidePublish } = await bench('new-version');
    // The new version 4.0 lands, then another client publishes 3.0 over it before flowgate looks:
    // in this org that too becomes a new version, 5.0, holding 3.0's content.
    const ctx = afterCall(b.ctx, 'flows', 'followOperation', () => outsidePublish('3.0'));
    expect(await republish(step, ctx, '1.0')).toEqual({
      problem:
        "the platform answered the publish of version 1.0 with a new version 5.0 whose content is not 1.0's",
    });
  });

  it('a lock taken during the republish is API_LOCKED, not a refusal to fall back from', async () => {
    const { b, step, emu, flowId } = await bench();
    const ctx = afterCall(b.ctx, 'flows', 'publish', () => emu.control.lockByUser(flowId), true);
    const error = await rejection(
      restoreVersion(step, ctx, { versionId: '1.0', content: OLD, contentFirst: false }),
    );
    expect(error.code).toBe('API_LOCKED');
    expect((await b.notes()).some((n) => n.includes('did not publish'))).toBe(false);
    expect(b.sent()).toMatchObject({ jobs: 0 });
  });

  it('an abort during the republish is thrown as it is: no fallback import', async () => {
    const { b, step, emu } = await bench('refuse');
    const abort = new AbortController();
    const base: StepContext = { ...b.ctx, poll: { ...b.ctx.poll, signal: abort.signal } };
    const ctx = afterCall(base, 'flows', 'publish', () => abort.abort(), true);
    const error = await rejection(
      restoreVersion(step, ctx, { versionId: '1.0', content: OLD, contentFirst: false }),
    );
    expect(error.code).not.toBe('VERSION_NOT_REPUBLISHED');
    expect((await b.notes()).some((n) => n.includes('did not publish'))).toBe(false);
    expect(b.sent()).toMatchObject({ jobs: 0 });
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('2.0');
  });
});

describe("a rollback's import step (it restores targetVersion's recorded content)", () => {
  const e = useEmulator({ seed: STEP_SEED });

  /** The import of OLD as the restore of version 1.0 of Versioned IVR (2.0 published). */
  async function rollbackImport() {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': IMPORT_MANIFEST, 'a.yaml': OLD }, (p) => {
      p.steps[0]!.targetVersion = '1.0';
    });
    const step = await b.step();
    expect(step).toMatchObject({ kind: 'import', targetVersion: '1.0', previousVersion: '2.0' });
    return { emu, b, step };
  }

  it('is published when the new version holds the recorded content, saying how it was compared', async () => {
    const { b, step } = await rollbackImport();
    const done = await importArchy(step, b.ctx);
    expect(done).toMatchObject({ state: 'published', publishedVersion: '4.0' });
    expect((await b.notes()).at(-1)).toMatch(
      /^back on version 1\.0's content: imported as version 4\.0 \(normalized hash [0-9a-f]{12}… of version 4\.0's configuration against the recorded content: equal\)$/,
    );
  });

  it('is ROLLBACK_UNVERIFIED when the org then publishes other content', async () => {
    const { b, step, emu } = await rollbackImport();
    const ctx = afterCall(b.ctx, 'jobs', 'follow', () => {
      b.publishOutside('Versioned IVR', '3.0');
      emu.control.setClock({ advanceMs: emu.control.org.state.settings.operationDelayMs + 1 });
    });
    const error = await rejection(importArchy(step, ctx));
    expect(error).toMatchObject({
      code: 'ROLLBACK_UNVERIFIED',
      message:
        "Versioned IVR: version 1.0's content was imported as version 3.0, but its content differs (version 3.0's configuration against version 1.0's)",
      hint: 'Compare version 3.0 with version 1.0 in Architect.',
    });
    expect(await b.step()).toMatchObject({ state: 'publishing' });
  });
});

describe('rollBackStep of a flow published by version, whose version before has recorded content', () => {
  const e = useEmulator({ seed: STEP_SEED });

  it('publishes that version again first: the recorded content is the fallback, not the way', async () => {
    const emu = e.get();
    const b = await stepBench(emu, { 'flowgate.yaml': publishManifest('1.0') });
    const published = await publishExistingVersion(await b.step(), b.ctx);
    expect(published).toMatchObject({ state: 'published', publishedVersion: '1.0', previousVersion: '2.0' });
    // An earlier deployment published 2.0 from Archy YAML: the ledger holds its content.
    const at = new Date(emu.control.org.now() - 3_600_000).toISOString();
    await b.s.ledger.createDeployment(
      {
        id: 'd-yaml',
        status: 'succeeded',
        createdAt: at,
        updatedAt: at,
        actor: 'ci',
        org: emu.url,
        atomic: false,
      },
      [
        {
          ...published,
          deploymentId: 'd-yaml',
          index: 0,
          kind: 'import',
          publishedVersion: '2.0',
          content: OLD,
          updatedAt: at,
        },
      ],
    );
    emu.control.clearRequests();

    const back = await rollBackStep(published, b.ctx);
    expect(back).toMatchObject({ versionAfter: '2.0', step: { state: 'rolled-back' } });
    expect(b.sent()).toMatchObject({ publishes: 1, jobs: 0 });
    expect(publishedVersion(emu, 'Versioned IVR')).toBe('2.0');
  });
});
