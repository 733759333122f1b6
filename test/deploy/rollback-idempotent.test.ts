/**
 * `rollback` asked again does nothing more (library, against the emulator): a flow whose newest
 * change in the org is a rollback back to that version is left alone, whether the rollback is asked
 * by flow or by deployment, so a second `rollback` never undoes the first and a re-run pipeline
 * never publishes twice. Anything deployed since makes it undoable again, and a rollback named by
 * its own id is undone. In a ledger shared by two orgs, only this org's deployments count.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { rollbackPlan } from '../../src/deploy/rollback-plan.js';
import { isFlowgateError } from '../../src/errors.js';
import { inboundFlow, librarySession, publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

type Session = ReturnType<typeof librarySession>;

/** Plans and runs `rollback <target>`; the outcome's status, or undefined when nothing was planned. */
async function rollBack(s: Session, target: string) {
  const plan = await rollbackPlan(target, s.ledger, s.client);
  if (plan.steps.length === 0) return { plan, status: undefined };
  const id = await createDeployment(plan, s.ledger, { atomic: false });
  const outcome = await runDeployment(id, {
    client: s.client,
    ledger: s.ledger,
    poll: { intervalMs: 5, maxIntervalMs: 10 },
  });
  return { plan, status: outcome.status, id };
}

/** A workspace deploying one flow saying `say`, and a function to change what it says. */
function oneFlow(name: string) {
  const dir = workspace({
    'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
    'f.yaml': inboundFlow(name, { say: 'One' }),
  });
  return { dir, say: (text: string) => writeFileSync(join(dir, 'f.yaml'), inboundFlow(name, { say: text })) };
}

describe('rollback asked again', () => {
  const e = useEmulator();

  it('by flow and by deployment: the second plans nothing, publishes nothing, names the rollback that did it', async () => {
    const emu = e.get();
    const w = oneFlow('Again IVR');
    const s = librarySession(emu, w.dir);
    await s.deploy();
    w.say('Two');
    const second = await s.deploy();
    expect(publishedVersion(emu, 'Again IVR')).toBe('2.0');

    const first = await rollBack(s, 'Again IVR');
    expect(first.status).toBe('succeeded');
    expect(first.plan.alreadyRolledBack).toEqual([]);
    const onOne = publishedVersion(emu, 'Again IVR');
    const publishes = publishesOf(emu, 'Again IVR');

    for (const target of ['Again IVR', second.outcome.deploymentId]) {
      const again = await rollBack(s, target);
      expect(again.status, target).toBeUndefined();
      expect(again.plan.steps).toEqual([]);
      expect(again.plan.alreadyRolledBack).toEqual([
        { flowName: 'Again IVR', by: first.id, version: '1.0', publishedVersion: onOne },
      ]);
    }
    expect(publishesOf(emu, 'Again IVR')).toBe(publishes);
    expect(publishedVersion(emu, 'Again IVR')).toBe(onOne);
  });

  it('a deployment after the rollback makes the flow undoable again; the rollback named by id is undone', async () => {
    const emu = e.get();
    const w = oneFlow('Onward IVR');
    const s = librarySession(emu, w.dir);
    await s.deploy();
    w.say('Two');
    await s.deploy();
    const back = await rollBack(s, 'Onward IVR');
    expect(back.status).toBe('succeeded');

    // Undoing the rollback itself (by its id) puts 2.0's content back: that is what was asked.
    const undo = await rollBack(s, back.id!);
    expect(undo.plan.alreadyRolledBack).toEqual([]);
    expect(undo.plan.steps.map((x) => [x.flowName, x.targetVersion])).toEqual([['Onward IVR', '2.0']]);
    expect(undo.status).toBe('succeeded');

    w.say('Three');
    const third = await s.deploy();
    expect(third.outcome.status).toBe('succeeded');
    const after = await rollbackPlan('Onward IVR', s.ledger, s.client);
    expect(after.alreadyRolledBack).toEqual([]);
    expect(after.steps).toHaveLength(1);
    expect(after.steps[0]!.previousVersion).toBe(publishedVersion(emu, 'Onward IVR'));
  });
});

describe('rollback of a deployment that created a flow', () => {
  const e = useEmulator();

  it('puts back the flow it updated and names the one it created as left active', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Kept IVR', { say: 'One' }),
    });
    const s = librarySession(emu, dir);
    await s.deploy();
    writeFileSync(join(dir, 'flowgate.yaml'), 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n');
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Kept IVR', { say: 'Two' }));
    writeFileSync(join(dir, 'b.yaml'), inboundFlow('Newcomer IVR'));
    const both = await s.deploy();
    const plan = await rollbackPlan(both.outcome.deploymentId, s.ledger, s.client);
    expect(plan.steps.map((x) => [x.flowName, x.targetVersion])).toEqual([['Kept IVR', '1.0']]);
    expect(plan.createdLeft).toEqual(['Newcomer IVR']);
  });
});

describe('rollback in a ledger two orgs share', () => {
  const dev = useEmulator();
  const prod = useEmulator();

  it("by flow: only this org's deployments count; a deployment of the other org is refused, naming its org", async () => {
    const w = oneFlow('Shared IVR');
    const ledgerPath = join(w.dir, 'shared.db');
    const inDev = librarySession(dev.get(), w.dir, ledgerPath);
    const inProd = librarySession(prod.get(), w.dir, ledgerPath);
    await inProd.deploy();
    w.say('Two');
    const prodSecond = await inProd.deploy();
    // Dev deploys the flow three times after prod: its steps are the newest in the ledger.
    for (const say of ['One', 'Two', 'Three']) {
      w.say(say);
      await inDev.deploy();
    }
    const plan = await rollbackPlan('Shared IVR', inProd.ledger, inProd.client);
    expect(plan.steps.map((x) => [x.flowId, x.targetVersion, x.previousVersion])).toEqual([
      [prodSecond.plan.steps[0]!.flowId, '1.0', '2.0'],
    ]);

    const refused = await rollbackPlan(prodSecond.outcome.deploymentId, inDev.ledger, inDev.client).catch(
      (err: unknown) => err,
    );
    expect(isFlowgateError(refused) && refused.code).toBe('DEPLOY_NOT_FOUND');
    expect((refused as Error).message).toBe(
      `deployment ${prodSecond.outcome.deploymentId} was made in the org ${inProd.client.endpoints.apiBaseUrl}, not in ${inDev.client.endpoints.apiBaseUrl}`,
    );
  });
});

describe('rollback of a name two flows have', () => {
  const e = useEmulator();

  it('is refused naming both (type:name); named with its type, that flow is rolled back', async () => {
    const emu = e.get();
    const s = librarySession(emu, workspace({}));
    const org = s.client.endpoints.apiBaseUrl;
    for (const [i, type] of (['inboundcall', 'inqueuecall'] as const).entries()) {
      const id = `d-twin-${type}`;
      const at = new Date(Date.UTC(2026, 11, 2, 10, i)).toISOString();
      await s.ledger.createDeployment(
        { id, createdAt: at, updatedAt: at, status: 'succeeded', actor: 'ci', org, atomic: true },
        [
          {
            deploymentId: id,
            index: 0,
            flowKey: `${type}:Twin`,
            flowName: 'Twin',
            flowType: type,
            flowId: `flow-${type}`,
            kind: 'publish',
            createdFlow: false,
            state: 'published',
            targetVersion: '2.0',
            previousVersion: '1.0',
            publishedVersion: '2.0',
            dependsOn: [],
            updatedAt: at,
          },
        ],
      );
    }
    const refused = await rollbackPlan('Twin', s.ledger, s.client).catch((err: unknown) => err);
    expect(isFlowgateError(refused) && refused.code).toBe('FLOW_AMBIGUOUS');
    expect((refused as Error).message).toBe("'Twin' names 2 flows: inboundcall:Twin, inqueuecall:Twin");
    expect(isFlowgateError(refused) && refused.hint).toBe(
      'Name the flow with its type, as the ledger does: flowgate rollback "inboundcall:Twin".',
    );
    for (const type of ['inboundcall', 'inqueuecall']) {
      const plan = await rollbackPlan(`${type}:Twin`, s.ledger, s.client);
      expect(plan.steps.map((x) => [x.flowType, x.flowId, x.targetVersion])).toEqual([
        [type, `flow-${type}`, '1.0'],
      ]);
    }
    // By id, too.
    expect((await rollbackPlan('flow-inqueuecall', s.ledger, s.client)).steps[0]!.flowType).toBe(
      'inqueuecall',
    );
  });
});
