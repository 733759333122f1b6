/**
 * `finishUnfinishedPrunes`: a prune a kill or Ctrl-C left with a step in doubt (`publishing`) is
 * settled by asking the org, nothing sent again: a flow the org no longer has was deleted, an
 * inactive one deactivated, an active one not (failed, listed again by the plan).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishUnfinishedPrunes } from '../../src/deploy/prune-resume.js';
import type { StepRecord } from '../../src/ledger/types.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { deploymentRecord, stepRecord } from '../helpers/ledger-records.js';
import { manifestOf } from '../helpers/prune.js';

/** Flows of these names deployed through flowgate, one file each, with a ledger in the folder. */
async function deployed(emu: RunningEmulator, ...names: string[]) {
  const files = Object.fromEntries(names.map((n, i) => [`f${i}.yaml`, inboundFlow(n)]));
  const dir = workspace({ 'flowgate.yaml': manifestOf(...Object.keys(files)), ...files });
  const s = librarySession(emu, dir, join(dir, 'ledger.db'));
  await s.deploy();
  const id = (name: string) => emu.control.state().flows.find((f) => f.name === name)!.id;
  return { dir, s, id, org: s.client.endpoints.apiBaseUrl, manifest: join(dir, 'flowgate.yaml') };
}

/** A prune's deployment as the ledger records it (running, not atomic), for this org and manifest. */
const pruneRecord = (
  id: string,
  where: { org: string; manifest: string },
  at: string,
  extra: Parameters<typeof deploymentRecord>[1] = {},
) =>
  deploymentRecord(
    id,
    { status: 'running', actor: 'me', atomic: false, purpose: 'prune', ...where, ...extra },
    at,
  );

/** A prune's step of the flow `name` (a delete unless `extra` says otherwise), planned. */
const pruneStep = (deploymentId: string, index: number, name: string, extra: Partial<StepRecord> = {}) =>
  stepRecord(deploymentId, index, {
    flowKey: `inboundcall:${name}`,
    flowName: name,
    kind: 'delete',
    updatedAt: new Date().toISOString(),
    ...extra,
  });

describe('finishUnfinishedPrunes', () => {
  const e = useEmulator({ settings: { operationDelayMs: 0, jobDelayMs: 0 } });

  it('settles steps in doubt from the org, cancels what never started, records a final status', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n  - file: c.yaml\n',
      'a.yaml': inboundFlow('Doubt A'),
      'b.yaml': inboundFlow('Doubt B'),
      'c.yaml': inboundFlow('Doubt C'),
    });
    const s = librarySession(emu, dir, join(dir, 'ledger.db'));
    await s.deploy();
    const org = s.client.endpoints.apiBaseUrl;
    const id = (name: string) => emu.control.state().flows.find((f) => f.name === name)!.id;
    // A killed prune: A's deactivate reached the org, B's never did, C never started.
    await s.client.flows.deactivate(id('Doubt A'));
    const at = new Date().toISOString();
    const step = (index: number, name: string): StepRecord => ({
      deploymentId: 'd-prune',
      index,
      flowKey: `inboundcall:${name}`,
      flowName: name,
      flowType: 'inboundcall',
      flowId: id(name),
      kind: 'deactivate',
      createdFlow: false,
      state: 'planned',
      dependsOn: [],
      updatedAt: at,
    });
    await s.ledger.createDeployment(
      {
        id: 'd-prune',
        createdAt: at,
        updatedAt: at,
        status: 'running',
        actor: 'me',
        org,
        manifest: join(dir, 'flowgate.yaml'),
        atomic: false,
        purpose: 'prune',
      },
      [step(0, 'Doubt A'), step(1, 'Doubt B'), step(2, 'Doubt C')],
    );
    await s.ledger.transition('d-prune', 0, 'publishing', {}, 'deactivate sent');
    await s.ledger.transition('d-prune', 1, 'publishing', {}, 'deactivate sent');
    const calls = emu.control.requests().length;

    const finished = await finishUnfinishedPrunes(s.ledger, s.client, {
      manifest: join(dir, 'flowgate.yaml'),
      org,
    });
    expect(finished).toEqual([
      {
        deploymentId: 'd-prune',
        was: 'running',
        status: 'partial',
        settled: [
          { flowName: 'Doubt A', flowType: 'inboundcall', kind: 'deactivate', happened: true },
          { flowName: 'Doubt B', flowType: 'inboundcall', kind: 'deactivate', happened: false },
        ],
      },
    ]);
    // Only reads: nothing was sent again.
    expect(
      emu.control
        .requests()
        .slice(calls)
        .every((r) => r.method === 'GET'),
    ).toBe(true);
    expect(emu.control.state().flows.find((f) => f.name === 'Doubt B')!.active).not.toBe(false);
    expect((await s.ledger.steps('d-prune')).map((x) => x.state)).toEqual([
      'published',
      'failed',
      'cancelled',
    ]);
    expect((await s.ledger.getDeployment('d-prune'))!.status).toBe('partial');
    expect((await s.ledger.events('d-prune')).filter((x) => x.index === 2).at(-1)!.detail).toBe(
      'the prune stopped before it',
    );
    // Finished once: the next prune finds nothing left.
    expect(
      await finishUnfinishedPrunes(s.ledger, s.client, { manifest: join(dir, 'flowgate.yaml'), org }),
    ).toEqual([]);
    await s.ledger.close();
  });

  it('settles deletes (a 404 is done, an inactive flow is not deleted, a step without an id did not happen), oldest prune first, only this org and manifest', async () => {
    const emu = e.get();
    const { dir, s, id, org, manifest } = await deployed(emu, 'Gone A', 'Idle B');
    const [a, b] = [id('Gone A'), id('Idle B')];
    await s.client.flows.delete(a);
    await s.client.flows.deactivate(b);
    const prune = async (
      d: string,
      minute: number,
      steps: StepRecord[],
      extra: Parameters<typeof deploymentRecord>[1] = {},
    ) => {
      const at = new Date(Date.UTC(2030, 0, 1, 0, minute)).toISOString();
      await s.ledger.createDeployment(
        pruneRecord(d, { org, manifest }, at, { status: 'interrupted', ...extra }),
        steps,
      );
      for (const x of steps) await s.ledger.transition(d, x.index, 'publishing', {}, 'delete sent');
    };
    await prune('d-new', 2, [pruneStep('d-new', 0, 'Idle B', { flowId: b })]);
    await prune('d-old', 1, [pruneStep('d-old', 0, 'Gone A', { flowId: a }), pruneStep('d-old', 1, 'No id')]);
    await prune('d-other-org', 0, [pruneStep('d-other-org', 0, 'Gone A', { flowId: a })], {
      org: 'https://api.usw2.pure.cloud',
    });
    await prune('d-other-manifest', 0, [pruneStep('d-other-manifest', 0, 'Gone A', { flowId: a })], {
      manifest: join(dir, 'other.yaml'),
    });
    await prune('d-rollback', 0, [pruneStep('d-rollback', 0, 'Gone A', { flowId: a })], {
      purpose: 'rollback',
      status: 'running',
    });

    const finished = await finishUnfinishedPrunes(s.ledger, s.client, { manifest, org });
    expect(finished.map((f) => `${f.deploymentId} ${f.was} → ${f.status}`)).toEqual([
      'd-old interrupted → partial',
      'd-new interrupted → cancelled',
    ]);
    expect(finished[0]!.settled.map((x) => `${x.flowName} ${String(x.happened)}`)).toEqual([
      'Gone A true',
      'No id false',
    ]);
    const [goneA, noId] = await s.ledger.steps('d-old');
    expect(goneA).toMatchObject({ state: 'published' });
    expect((await s.ledger.events('d-old')).filter((x) => x.index === 0).at(-1)!.detail).toBe(
      'deleted: checked by the next prune',
    );
    expect(noId).toMatchObject({
      state: 'failed',
      error: 'not deleted: the org still has it (the prune stopped)',
    });
    expect((await s.ledger.events('d-old')).filter((x) => x.index === 1).at(-1)!.detail).toBe(
      'checked by the next prune: not deleted',
    );
    // Inactive is not deleted.
    expect((await s.ledger.steps('d-new'))[0]).toMatchObject({ state: 'failed' });
    for (const untouched of ['d-other-org', 'd-other-manifest', 'd-rollback'])
      expect((await s.ledger.steps(untouched))[0]!.state).toBe('publishing');
    await s.ledger.close();
  });

  it('a kept (blocked) or gone (unchanged) step does not count: the rest done is succeeded; the deactivate words', async () => {
    const emu = e.get();
    const { s, id, org, manifest } = await deployed(emu, 'Off A', 'On B');
    await s.client.flows.deactivate(id('Off A'));
    const at = new Date().toISOString();
    const step = (d: string, index: number, name: string, state: StepRecord['state']) =>
      pruneStep(d, index, name, {
        flowId: id(name === 'Kept' || name === 'Lost' ? 'On B' : name),
        kind: 'deactivate',
        state,
        updatedAt: at,
      });
    const record = (d: string, steps: StepRecord[]) =>
      s.ledger.createDeployment(pruneRecord(d, { org, manifest }, at), steps);
    await record('d-1', [
      step('d-1', 0, 'Off A', 'planned'),
      step('d-1', 1, 'Kept', 'blocked'),
      step('d-1', 2, 'Lost', 'planned'),
    ]);
    await s.ledger.transition('d-1', 0, 'publishing', {}, 'deactivate sent');
    await s.ledger.transition('d-1', 2, 'unchanged', {}, 'the org no longer has it');
    await record('d-2', [step('d-2', 0, 'On B', 'planned')]);
    await s.ledger.transition('d-2', 0, 'publishing', {}, 'deactivate sent');
    const finished = await finishUnfinishedPrunes(s.ledger, s.client, { manifest, org });
    expect(finished.map((f) => `${f.deploymentId} ${f.status}`).sort()).toEqual([
      'd-1 succeeded',
      'd-2 cancelled',
    ]);
    expect((await s.ledger.events('d-1')).filter((x) => x.index === 0).at(-1)!.detail).toBe(
      'deactivated: checked by the next prune',
    );
    expect((await s.ledger.steps('d-2'))[0]).toMatchObject({
      state: 'failed',
      error: 'not deactivated: the org still has it active (the prune stopped)',
    });
    expect((await s.ledger.events('d-2')).at(-1)!.detail).toBe('checked by the next prune: not deactivated');
    await s.ledger.close();
  });

  it('a flow the org has no record of (404) was deleted; another refusal of the read stops the settling', async () => {
    const emu = e.get();
    const { s, org, manifest } = await deployed(emu, 'Vanished A');
    const flows = emu.control.state().flows;
    const flow = flows.find((f) => f.name === 'Vanished A')!;
    const at = new Date().toISOString();
    await s.ledger.createDeployment(pruneRecord('d-refused', { org, manifest }, at), [
      pruneStep('d-refused', 0, 'Vanished A', { flowId: flow.id, updatedAt: at }),
    ]);
    await s.ledger.transition('d-refused', 0, 'publishing', {}, 'delete sent');
    emu.control.addFault({ method: 'GET', path: `^/api/v2/flows/${flow.id}$`, status: 403, times: 1 });
    await expect(finishUnfinishedPrunes(s.ledger, s.client, { manifest, org })).rejects.toMatchObject({
      status: 403,
    });
    expect((await s.ledger.steps('d-refused'))[0]!.state).toBe('publishing');
    flows.splice(flows.indexOf(flow), 1);
    const finished = await finishUnfinishedPrunes(s.ledger, s.client, { manifest, org });
    expect(finished.map((f) => `${f.deploymentId} ${f.status} ${String(f.settled[0]!.happened)}`)).toEqual([
      'd-refused succeeded true',
    ]);
    await s.ledger.close();
  });
});
