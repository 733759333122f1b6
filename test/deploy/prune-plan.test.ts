/**
 * `planPrune` (deploy/prune.ts, prune-consumers.ts) in process, over real HTTP against the
 * emulator: the order a chain of flows goes in, the words of a kept flow (only what blocks it),
 * each source of consumers on its own (dependency tracking, the content flowgate deployed, the
 * manifest), a flow found by its recorded id after a rename in Architect, and the rule that a
 * prune at the same moment as a publish counts as later. Stryker found these reached only by the
 * CLI's child processes or not at all (BENCHMARKS.md, `prune`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrunePlan } from '../../src/deploy/prune.js';
import { useEmulator } from '../helpers/emulator.js';
import { inboundFlow } from '../helpers/deploy.js';
import { moduleYaml as commonModule } from '../helpers/generated-org.js';
import { deploymentRecord, stepRecord } from '../helpers/ledger-records.js';
import { deployedThenListing, deployElsewhere, liveFlow as live } from '../helpers/prune.js';

const actions = (p: PrunePlan) => p.items.map((i) => `${i.flowName} ${i.action}`);

describe('planPrune: order and consumers', () => {
  const e = useEmulator();

  it('a chain goes consumer first, however the names sort; what does not act comes after, by key', async () => {
    const emu = e.get();
    const { s, plan } = await deployedThenListing(
      emu,
      {
        'z.yaml': inboundFlow('Flow Z', { transferTo: 'Flow Y' }),
        'y.yaml': inboundFlow('Flow Y', { transferTo: 'Flow X' }),
        'x.yaml': inboundFlow('Flow X'),
        'a.yaml': inboundFlow('Flow A'),
        'b.yaml': inboundFlow('Flow B'),
        'k.yaml': inboundFlow('Flow K'),
      },
      ['k.yaml'],
    );
    await s.client.flows.delete(live(emu, 'Flow B')!.id);
    await s.client.flows.delete(live(emu, 'Flow A')!.id);
    const p = await plan();
    expect(actions(p)).toEqual([
      'Flow Z delete',
      'Flow Y delete',
      'Flow X delete',
      'Flow A gone',
      'Flow B gone',
    ]);
    const last = p.items[0]!.lastDeployment;
    expect(p.items[0]!.reason).toBe(`no longer in the manifest (last deployed by ${last})`);
    expect(p.items[3]!.reason).toBe('the org no longer has it');
    expect(p.items[1]!.consumers).toEqual([
      {
        name: 'Flow Z',
        id: live(emu, 'Flow Z')!.id,
        flowKey: 'inboundcall:Flow Z',
        source: 'dependency tracking',
      },
    ]);
  });

  it('a kept flow names only what blocks it, each consumer once, in words joined by commas', async () => {
    const emu = e.get();
    const { plan } = await deployedThenListing(
      emu,
      {
        'a.yaml': inboundFlow('Flow A', { transferTo: 'Flow B' }),
        'b.yaml': inboundFlow('Flow B'),
        'k.yaml': inboundFlow('Flow K'),
      },
      ['k.yaml'],
    );
    await deployElsewhere(emu, {
      'd.yaml': inboundFlow('Flow D', { transferTo: 'Flow B' }),
      'e.yaml': inboundFlow('Flow E', { transferTo: 'Flow B' }),
    });
    const p = await plan();
    expect(actions(p)).toEqual(['Flow A delete', 'Flow B keep']);
    const b = p.items[1]!;
    expect(b.reason).toBe("still used by 'Flow D' (dependency tracking), 'Flow E' (dependency tracking)");
    // Flow A is named by dependency tracking and by the content flowgate deployed: listed once.
    expect(b.consumers.map((c) => `${c.name} (${c.source})`).sort()).toEqual([
      'Flow A (dependency tracking)',
      'Flow D (dependency tracking)',
      'Flow E (dependency tracking)',
    ]);
  });

  it('a flow that transfers to itself is not its own consumer', async () => {
    const emu = e.get();
    const { plan } = await deployedThenListing(
      emu,
      { 'b.yaml': inboundFlow('Flow B', { transferTo: 'Flow B' }), 'k.yaml': inboundFlow('Flow K') },
      ['k.yaml'],
    );
    const p = await plan();
    expect(actions(p)).toEqual(['Flow B delete']);
    expect(p.items[0]!.consumers).toEqual([]);
  });

  it('a consumer deleted a moment ago, still listed by dependency tracking as deleted, keeps nothing', async () => {
    const emu = e.get();
    const { s, plan } = await deployedThenListing(
      emu,
      { 'b.yaml': inboundFlow('Flow B'), 'k.yaml': inboundFlow('Flow K') },
      ['k.yaml'],
    );
    await deployElsewhere(emu, { 'c.yaml': inboundFlow('Flow C', { transferTo: 'Flow B' }) });
    emu.control.setDependencyLag(60_000);
    await s.client.flows.delete(live(emu, 'Flow C')!.id);
    const tracked = await s.client.dependencies.consumingResources(
      live(emu, 'Flow B')!.id,
      'INBOUNDCALLFLOW',
    );
    expect(tracked).toMatchObject([{ name: 'Flow C', deleted: true }]);
    expect(actions(await plan())).toEqual(['Flow B delete']);
  });

  it('the content flowgate deployed keeps a flow dependency tracking no longer names, while its consumer lives', async () => {
    const emu = e.get();
    const { dir, s, plan } = await deployedThenListing(
      emu,
      {
        'a.yaml': inboundFlow('Flow A', { transferTo: 'Flow B' }),
        'b.yaml': inboundFlow('Flow B'),
      },
      ['a.yaml'],
    );
    // Flow A changed outside flowgate (another ledger), and in the working tree, not yet deployed.
    await deployElsewhere(emu, { 'a.yaml': inboundFlow('Flow A') });
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Flow A'));
    const p = await plan();
    expect(actions(p)).toEqual(['Flow B keep']);
    expect(p.items[0]!.consumers).toEqual([
      { name: 'Flow A', flowKey: 'inboundcall:Flow A', source: 'deployed content' },
    ]);
    // Once the org no longer has Flow A, what flowgate deployed of it consumes nothing.
    await s.client.flows.delete(live(emu, 'Flow A')!.id);
    expect(actions(await plan())).toEqual(['Flow B delete']);
  });

  it("the manifest's flows keep a flow they transfer to that is not deployed yet; a queue of the same name does not", async () => {
    const emu = e.get();
    const { dir, plan } = await deployedThenListing(
      emu,
      { 'a.yaml': inboundFlow('Flow A'), 'b.yaml': inboundFlow('Flow B'), 'c.yaml': inboundFlow('Flow C') },
      ['a.yaml', 'q.yaml'],
    );
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Flow A', { transferTo: 'Flow B' }));
    writeFileSync(join(dir, 'q.yaml'), inboundFlow('Flow Q', { queue: 'Flow C' }));
    const p = await plan();
    expect(actions(p)).toEqual(['Flow C delete', 'Flow B keep']);
    expect(p.items[1]!.consumers).toEqual([
      { name: 'Flow A', flowKey: 'inboundcall:Flow A', source: 'manifest' },
    ]);
  });

  it('a flow the org lost stays gone even when the manifest still transfers to it', async () => {
    const emu = e.get();
    const { dir, s, plan } = await deployedThenListing(
      emu,
      { 'a.yaml': inboundFlow('Flow A'), 'b.yaml': inboundFlow('Flow B') },
      ['a.yaml'],
    );
    await s.client.flows.delete(live(emu, 'Flow B')!.id);
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Flow A', { transferTo: 'Flow B' }));
    const p = await plan();
    expect(actions(p)).toEqual(['Flow B gone']);
    expect(p.items[0]!.consumers).toEqual([]);
  });
});

/** A workflow that calls a common module. */
const workflowCalling = (name: string, module: string) => `workflow:
  name: ${name}
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      none: true
  startUpRef: /workflow/states/state[Initial State_10]
  states:
    - state:
        name: Initial State
        refId: Initial State_10
        actions:
          - callCommonModule:
              name: Check
              commonModule:
                ${module}:
                  ver_latestPublished: {}
          - endWorkflow:
              name: End
`;

describe('planPrune: a workflow consumer', () => {
  const e = useEmulator();

  it("dependency tracking's WORKFLOW is the workflow flow type (no FLOW suffix): both go, the workflow first", async () => {
    const emu = e.get();
    const { s, plan } = await deployedThenListing(
      emu,
      {
        'cm.yaml': commonModule('Shared CM'),
        'wf.yaml': workflowCalling('Nightly WF', 'Shared CM'),
        'k.yaml': inboundFlow('Flow K'),
      },
      ['k.yaml'],
    );
    const cm = emu.control.state().flows.find((f) => f.name === 'Shared CM')!;
    expect(await s.client.dependencies.consumingResources(cm.id, 'COMMONMODULEFLOW')).toMatchObject([
      { name: 'Nightly WF', type: 'WORKFLOW' },
    ]);
    const p = await plan();
    expect(actions(p)).toEqual(['Nightly WF delete', 'Shared CM delete']);
    expect(p.items[1]!.consumers).toContainEqual(
      expect.objectContaining({ flowKey: 'workflow:Nightly WF', source: 'dependency tracking' }),
    );
  });
});

describe('planPrune: which flow, and which history', () => {
  const e = useEmulator();

  it('a flow renamed in Architect is found by the id flowgate recorded', async () => {
    const emu = e.get();
    const { plan } = await deployedThenListing(
      emu,
      { 'b.yaml': inboundFlow('Flow B'), 'k.yaml': inboundFlow('Flow K') },
      ['k.yaml'],
    );
    const b = live(emu, 'Flow B')!;
    b.name = 'Flow B (renamed in Architect)';
    const p = await plan();
    expect(p.items).toMatchObject([{ flowName: 'Flow B', action: 'delete', flowId: b.id }]);
  });

  it('a step recorded without an id is matched by name and type', async () => {
    const emu = e.get();
    const { s, plan } = await deployedThenListing(emu, { 'k.yaml': inboundFlow('Flow K') }, ['k.yaml']);
    await deployElsewhere(emu, { 'n.yaml': inboundFlow('Flow N') });
    const org = s.client.endpoints.apiBaseUrl;
    const at = '2030-01-07T08:00:00.000Z';
    await s.ledger.createDeployment(deploymentRecord('d-old', { org }, at), [
      stepRecord('d-old', 0, {
        flowKey: 'inboundcall:Flow N',
        flowName: 'Flow N',
        state: 'published',
        updatedAt: at,
      }),
    ]);
    expect((await plan()).items).toMatchObject([
      { flowName: 'Flow N', action: 'delete', flowId: live(emu, 'Flow N')!.id, lastDeployment: 'd-old' },
    ]);
  });

  it('a prune recorded at the same moment as the publish counts as later; an earlier one does not', async () => {
    const emu = e.get();
    const { s, plan } = await deployedThenListing(
      emu,
      { 'b.yaml': inboundFlow('Flow B'), 'k.yaml': inboundFlow('Flow K') },
      ['k.yaml'],
    );
    const org = s.client.endpoints.apiBaseUrl;
    const [published] = (await s.ledger.latestSteps(org, ['import'], ['published'])).filter(
      (x) => x.flowName === 'Flow B',
    );
    const prunedAt = async (id: string, at: string) =>
      s.ledger.createDeployment(deploymentRecord(id, { org, purpose: 'prune' }, at), [
        stepRecord(id, 0, {
          flowKey: 'inboundcall:Flow B',
          flowName: 'Flow B',
          kind: 'delete',
          state: 'published',
          updatedAt: at,
        }),
      ]);
    await prunedAt('d-before', new Date(Date.parse(published!.updatedAt) - 1).toISOString());
    expect(actions(await plan())).toEqual(['Flow B delete']);
    await prunedAt('d-same', published!.updatedAt);
    expect(actions(await plan())).toEqual([]);
  });
});
