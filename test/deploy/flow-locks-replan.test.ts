/**
 * `deploy/flow-locks.ts` one function at a time (issue 22, Stryker's survivors of the module):
 * `lockScope`, the flows a run locks, and `replanAfterOthers`, what a step not yet started learns
 * of other deployments before the run starts it. The ledger holds earlier deployments as a
 * finished run leaves them; the org is the emulator over HTTP (`Versioned IVR` publishes 2.0). Each
 * case says which of another deployment's steps count ("published this flow since this one was
 * planned, or this very content at any time"), and what the step then records: nothing, a note
 * with the version to return to, or *unchanged*.
 */
import { describe, expect, it } from 'vitest';
import { lockScope, replanAfterOthers } from '../../src/deploy/flow-locks.js';
import type { StepRecord, StepState } from '../../src/ledger/types.js';
import { inboundFlow } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { IMPORT_MANIFEST, publishManifest, STEP_SEED, stepBench } from '../helpers/step-bench.js';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
/** When this deployment was planned (`since`). */
const SINCE = iso(0);

/** A step in a state, with an activation time or none. */
const step = (flowKey: string, state: StepState, activateAt?: string) =>
  ({ flowKey, state, ...(activateAt ? { activateAt } : {}) }) as StepRecord;

describe('lockScope: the flows a run locks', () => {
  const states: StepState[] = [
    'planned',
    'scheduled',
    'waiting',
    'publishing',
    'published',
    'unchanged',
    'failed',
    'cancelled',
    'rolled-back',
  ];

  it('every step it may still publish or roll back, and no other', () => {
    expect(lockScope(states.map((s) => step(`k-${s}`, s)))).toEqual([
      'k-planned',
      'k-scheduled',
      'k-waiting',
      'k-publishing',
      'k-published',
    ]);
  });

  it('with dueBy: the steps due by then, and every published one whatever its time', () => {
    const steps = [
      step('due', 'scheduled', iso(-1)),
      step('due-exactly', 'scheduled', iso(0)),
      step('later', 'scheduled', iso(1)),
      step('no-time', 'planned'),
      step('published-later', 'published', iso(60_000)),
      step('unchanged-due', 'unchanged', iso(-1)),
    ];
    expect(lockScope(steps, T0)).toEqual(['due', 'due-exactly', 'no-time', 'published-later']);
    expect(lockScope(steps)).toEqual(['due', 'due-exactly', 'later', 'no-time', 'published-later']);
  });
});

describe('replanAfterOthers: what a step not yet started learns of other deployments', () => {
  const e = useEmulator({ seed: STEP_SEED });
  /** What the import step carries: its flow's content. */
  const content = inboundFlow('Versioned IVR', { say: 'New' });

  async function bench(manifest: 'import' | 'publish' = 'import', tweak?: Parameters<typeof stepBench>[2]) {
    const emu = e.get();
    const files =
      manifest === 'import'
        ? { 'flowgate.yaml': IMPORT_MANIFEST, 'a.yaml': content }
        : { 'flowgate.yaml': publishManifest('1.0') };
    const b = await stepBench(emu, files, tweak);
    const mine = await b.step();
    expect(mine).toMatchObject({
      state: 'planned',
      previousVersion: '2.0',
      flowId: b.flow('Versioned IVR').id,
    });
    let n = 0;
    /** Another deployment with one step of this flow (as `patch` says), finished. */
    const other = async (patch: Partial<StepRecord>) => {
      const id = `d-other-${++n}`;
      const at = patch.updatedAt ?? iso(60_000);
      await b.s.ledger.createDeployment(
        { id, status: 'succeeded', createdAt: at, updatedAt: at, actor: 'ci', org: emu.url, atomic: false },
        [
          {
            ...mine,
            deploymentId: id,
            index: 0,
            state: 'published',
            publishedVersion: '2.0',
            updatedAt: at,
            ...patch,
          },
        ],
      );
      return id;
    };
    const replan = async (waited: boolean) => {
      emu.control.clearRequests();
      const notesBefore = (await b.notes()).length;
      await replanAfterOthers(b.id, SINCE, waited, b.s.ledger, b.s.client);
      return { step: await b.step(), notes: (await b.notes()).slice(notesBefore), sent: b.sent() };
    };
    return { emu, b, mine, other, replan };
  }

  it('no other deployment and no wait: the org is not even asked', async () => {
    const { replan, mine } = await bench();
    const r = await replan(false);
    expect(r).toEqual({
      step: mine,
      notes: [],
      sent: { jobs: 0, publishes: 0, deactivations: 0, flowReads: 0 },
    });
  });

  it.each([
    ['published before this plan, other content', { updatedAt: iso(-1), contentHash: 'other' }],
    ['not published (failed) since this plan', { updatedAt: iso(1), state: 'failed' as const }],
    ['rolled back since this plan', { updatedAt: iso(1), state: 'rolled-back' as const }],
    ['published before this plan, no content recorded', { updatedAt: iso(-1), contentHash: undefined }],
  ])('another deployment %s does not count: the org is not asked', async (_, patch) => {
    const { replan, mine, other } = await bench('publish');
    expect(mine.contentHash).toBeUndefined();
    await other(patch);
    const r = await replan(false);
    expect(r.notes).toEqual([]);
    expect(r.sent.flowReads).toBe(0);
    expect(r.step).toEqual(mine);
  });

  it('a publish of the flow at the very moment of this plan counts: the org is asked', async () => {
    const { replan, other } = await bench('publish');
    await other({ updatedAt: SINCE, contentHash: 'other' });
    expect((await replan(false)).sent.flowReads).toBe(1);
  });

  it('this very content published before this plan counts, and the step is unchanged', async () => {
    const { replan, mine, other, b } = await bench();
    const id = await other({ updatedAt: iso(-3_600_000), contentHash: mine.contentHash });
    const r = await replan(false);
    expect(r.notes).toEqual([
      `deployment ${id} published this content (version 2.0) after this one was planned`,
    ]);
    expect(r.step).toMatchObject({
      state: 'unchanged',
      flowId: b.flow('Versioned IVR').id,
      previousVersion: '2.0',
    });
  });

  it('content another deployment published as a newer version: unchanged, returning to that version', async () => {
    const { replan, mine, other, b, emu } = await bench();
    b.publishOutside('Versioned IVR', '3.0');
    emu.control.setClock({ advanceMs: emu.control.org.state.settings.operationDelayMs + 1 });
    const id = await other({ updatedAt: iso(1), contentHash: mine.contentHash, publishedVersion: '3.0' });
    const r = await replan(false);
    expect(r.notes).toEqual([
      `deployment ${id} published this content (version 3.0) after this one was planned`,
    ]);
    expect(r.step).toMatchObject({ state: 'unchanged', previousVersion: '3.0', flowId: mine.flowId });
  });

  it('the content published by another deployment but no longer what the org publishes: not unchanged', async () => {
    const { replan, mine, other } = await bench();
    await other({ updatedAt: iso(1), contentHash: mine.contentHash, publishedVersion: '1.0' });
    const r = await replan(false);
    expect(r.step.state).toBe('planned');
    expect(r.notes).toEqual([]);
  });

  it("the same content in another flow's step of the same key is not this flow's", async () => {
    const { replan, mine, other } = await bench();
    await other({
      updatedAt: iso(1),
      contentHash: mine.contentHash,
      flowId: '00000000-0000-4000-8000-000000000000',
    });
    expect((await replan(false)).step.state).toBe('planned');
  });

  it('a publish step whose version another deployment published is not unchanged: only imports compare content', async () => {
    const { replan, other } = await bench('publish', (p) => {
      p.steps[0]!.contentHash = 'same';
    });
    await other({ updatedAt: iso(1), contentHash: 'same' });
    const r = await replan(false);
    expect(r.step.state).toBe('planned');
  });

  it('an import with no content hash never matches another without one', async () => {
    const { replan, other } = await bench('import', (p) => {
      delete p.steps[0]!.contentHash;
    });
    await other({ updatedAt: iso(1), contentHash: undefined });
    expect((await replan(false)).step.state).toBe('planned');
  });

  it('after a wait, a flow that is as planned is left alone; one changed since learns its version, saying so', async () => {
    const { replan, mine, b, emu } = await bench();
    const same = await replan(true);
    expect(same).toMatchObject({ step: mine, notes: [] });
    expect(same.sent.flowReads).toBe(1);
    b.publishOutside('Versioned IVR', '3.0');
    emu.control.setClock({ advanceMs: emu.control.org.state.settings.operationDelayMs + 1 });
    const changed = await replan(true);
    expect(changed.notes).toEqual([
      'another deployment changed the flow since this one was planned: the org now publishes version 3.0',
    ]);
    expect(changed.step).toMatchObject({ state: 'planned', previousVersion: '3.0', flowId: mine.flowId });
  });

  it('a flow that is gone is skipped; one the org no longer publishes is noted as none', async () => {
    const { replan, mine, b } = await bench();
    b.flow('Versioned IVR').publications.at(-1)!.end = T0;
    const none = await replan(true);
    expect(none.notes).toEqual([
      'another deployment changed the flow since this one was planned: the org now publishes version none',
    ]);
    expect(none.step.previousVersion).toBeUndefined();
    b.flow('Versioned IVR').deleted = true;
    const gone = await replan(true);
    expect(gone.notes).toEqual([]);
    expect(gone.step.flowId).toBe(mine.flowId);
  });
});
