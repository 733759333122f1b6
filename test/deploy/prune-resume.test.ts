/**
 * `finishUnfinishedPrunes`: a prune a kill or Ctrl-C left with a step in doubt (`publishing`) is
 * settled by asking the org, nothing sent again: a flow the org no longer has was deleted, an
 * inactive one deactivated, an active one not (failed, listed again by the plan).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishUnfinishedPrunes } from '../../src/deploy/prune-resume.js';
import type { StepRecord } from '../../src/ledger/types.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

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
    // Finished once: the next prune finds nothing left.
    expect(
      await finishUnfinishedPrunes(s.ledger, s.client, { manifest: join(dir, 'flowgate.yaml'), org }),
    ).toEqual([]);
    await s.ledger.close();
  });
});
