/**
 * Which steps an atomic rollback puts back (deploy/run-finish.ts): every published step, and a
 * failed one whose import changed the org all the same (a flow it created, a version it
 * published); a failed step that changed nothing is left alone. The org is changed at the exact
 * moment an import job finishes (a proxy in front of the emulator acts on the upload's answer):
 * someone renames the flow in Architect, deactivates it, or publishes the version before again.
 * Checked where the user reads it: the org, the ledger's steps and notes (`flowgate history`, the
 * report), the audit log. And a rollback that cannot put a flow back says so. Stryker found the
 * failed-step rules unheld (BENCHMARKS.md, `deploy/run-finish.ts`). Library over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDeployment } from '../../src/deploy/executor.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { EmFlow } from '../../src/emulator/types.js';
import { cutProxy, type CutProxy } from '../helpers/cut-proxy.js';
import { inboundFlow, publishedVersion, workspace } from '../helpers/deploy.js';
import { flowId, useEmulator } from '../helpers/emulator.js';
import { auditedSession, flowsWorkspace, type LoggedFact } from '../helpers/run-facts.js';

const OUTSIDE = { kind: 'user' as const, id: 'u-outside', name: 'Architect User' };

describe('what an atomic rollback puts back', () => {
  const e = useEmulator();
  let proxy: CutProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /**
   * Deploys `names` (one at a time, atomic) on a frozen clock; when the import job of `target` has
   * been uploaded, the job is run to its end and `act` changes the flow it published.
   */
  async function deployWith(
    names: string[],
    target: string,
    act: (flow: EmFlow, emu: RunningEmulator) => void,
  ) {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const now = () => emu.control.org.now();
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const poll = { intervalMs: 20, sleep: advance, now };
    let uploads = 0;
    proxy = await cutProxy(emu.url, (a) => {
      if (
        a.method === 'PUT' &&
        a.path.startsWith('/__emulator/uploads/') &&
        ++uploads === names.indexOf(target) + 1
      ) {
        emu.control.setClock({ advanceMs: 60_000 });
        emu.control.org.settle();
        act(
          emu.control.state().flows.find((f) => f.name === target && !f.deleted)!,
          emu,
        );
      }
      return 'relay';
    });
    const mainId = flowId(emu, 'Main IVR');
    const dir = flowsWorkspace(names, { say: 'New greeting' });
    const s = auditedSession({ ...emu, url: proxy.url }, dir);
    const id = await createDeployment(await s.plan({ poll }), s.ledger, { atomic: true });
    const outcome = await s.run(id, { concurrency: 1, now, poll });
    await s.close();
    const rows = async () => (await s.ledger.steps(id)).map((x) => [x.flowName, x.state, x.error ?? null]);
    // The report's notes (`--json`), each with its step's flow.
    const notes = async () => {
      const flow = new Map((await s.ledger.steps(id)).map((x) => [x.index, x.flowName]));
      return (await s.ledger.events(id)).map((x) => [flow.get(x.index), x.to, x.detail ?? null]);
    };
    return {
      emu,
      s,
      id,
      mainId,
      outcome,
      rows,
      notes,
      fact: (f: Omit<LoggedFact, 'deploymentId' | 'actor' | 'org'>) => s.fact(id, f),
    };
  }

  /** The audit log's rollback facts of a deployment, and the fact it ended with. */
  const rollbackFacts = (log: LoggedFact[]) =>
    log.filter((x) => x.type.startsWith('step.roll') || x.type === 'deployment.completed');

  it('a failed step that created a flow (renamed in Architect as its job ended): the flow is deactivated', async () => {
    // The emulator has no rename call: its org's state is changed as Architect's rename would.
    const r = await deployWith(['Made Here', 'Made After'], 'Made Here', (f) => {
      f.name = 'Made Here renamed';
    });
    expect(r.outcome.status).toBe('rolled-back');
    const made = r.emu.control.state().flows.find((f) => f.name === 'Made Here renamed')!;
    expect(made).toMatchObject({ active: false, deleted: false });
    const failure =
      "the import job of Made Here published a flow named 'Made Here renamed' instead (next: The text sent was not the text validated; the flow is cleaned up on rollback.)";
    expect(await r.rows()).toEqual([
      ['Made Here', 'rolled-back', failure],
      ['Made After', 'cancelled', null],
    ]);
    const notes = await r.notes();
    expect(notes).toContainEqual([
      'Made Here',
      'rolled-back',
      'created by this deployment: Made Here renamed deactivated, not deleted',
    ]);
    expect(notes).toContainEqual(['Made After', 'cancelled', 'the deployment stopped before it']);
    expect(rollbackFacts(r.s.audit(r.id))).toEqual([
      r.fact({ type: 'step.rolling-back', flow: 'Made Here', message: 'Made Here: rolling back' }),
      r.fact({
        type: 'step.rolled-back',
        flow: 'Made Here',
        versionBefore: '1.0',
        result: 'rolled-back',
        message: 'Made Here: created by this deployment, deactivated (not deleted)',
      }),
      r.fact({
        type: 'deployment.completed',
        result: 'rolled-back',
        message: `deployment ${r.id}: rolled-back`,
      }),
    ]);
  });

  it('a failed step that created a flow the org then publishes no version of is rolled back too', async () => {
    const r = await deployWith(['Made Idle'], 'Made Idle', (f, emu) =>
      emu.control.org.deactivate(f, OUTSIDE),
    );
    expect(r.outcome.status).toBe('rolled-back');
    expect(await r.rows()).toEqual([
      [
        'Made Idle',
        'rolled-back',
        'the import job of Made Idle succeeded, but the org publishes no version (next: Check the flow in Architect; the job may have checked it in without publishing.)',
      ],
    ]);
    expect(r.emu.control.state().flows.find((f) => f.name === 'Made Idle')).toMatchObject({ active: false });
    expect(rollbackFacts(r.s.audit(r.id)).map((x) => x.message)).toEqual([
      'Made Idle: rolling back',
      'Made Idle: created by this deployment, deactivated (not deleted)',
      `deployment ${r.id}: rolled-back`,
    ]);
  });

  it('a failed step that published a version of an existing flow (renamed as its job ended): the version before is published again', async () => {
    const r = await deployWith(['Main IVR'], 'Main IVR', (f) => {
      f.name = 'Main IVR renamed';
    });
    expect(r.outcome.status).toBe('rolled-back');
    expect(r.emu.control.state().flows.find((f) => f.name === 'Main IVR renamed')).toMatchObject({
      id: r.mainId,
      active: true,
    });
    expect(publishedVersion(r.emu, 'Main IVR renamed')).toBe('3.0');
    expect(await r.rows()).toEqual([
      [
        'Main IVR',
        'rolled-back',
        "the import job of Main IVR published a flow named 'Main IVR renamed' instead (next: The text sent was not the text validated; the flow is cleaned up on rollback.)",
      ],
    ]);
    expect(await r.notes()).toContainEqual(['Main IVR', 'rolled-back', 'back on version 3.0']);
    expect(rollbackFacts(r.s.audit(r.id))).toEqual([
      r.fact({ type: 'step.rolling-back', flow: 'Main IVR', message: 'Main IVR: rolling back' }),
      r.fact({
        type: 'step.rolled-back',
        flow: 'Main IVR',
        versionBefore: '4.0',
        versionAfter: '3.0',
        result: 'rolled-back',
        message: 'Main IVR: back on version 3.0',
      }),
      r.fact({
        type: 'deployment.completed',
        result: 'rolled-back',
        message: `deployment ${r.id}: rolled-back`,
      }),
    ]);
  });

  it('a failed step that changed nothing (the org publishes the version before) is left alone; the rest is rolled back', async () => {
    const r = await deployWith(['Other First', 'Main IVR'], 'Main IVR', (f, emu) => {
      emu.control.org.publish(f, '3.0', OUTSIDE);
      emu.control.setClock({ advanceMs: 60_000 });
      emu.control.org.settle();
    });
    expect(r.outcome.status).toBe('rolled-back');
    expect(await r.rows()).toEqual([
      ['Other First', 'rolled-back', null],
      [
        'Main IVR',
        'failed',
        'the import job of Main IVR succeeded, but the org publishes version 3.0, the one before (next: Check the flow in Architect; the job may have checked it in without publishing.)',
      ],
    ]);
    expect(r.emu.control.state().flows.find((f) => f.name === 'Other First')).toMatchObject({
      active: false,
    });
    expect(publishedVersion(r.emu, 'Main IVR')).toBe('3.0');
    expect(rollbackFacts(r.s.audit(r.id)).map((x) => [x.type, x.flow ?? null])).toEqual([
      ['step.rolling-back', 'Other First'],
      ['step.rolled-back', 'Other First'],
      ['deployment.completed', null],
    ]);
    expect((await r.notes()).filter((x) => x[0] === 'Main IVR').map((x) => x[1])).not.toContain(
      'rolled-back',
    );
  });

  it('a flow the rollback cannot put back: the step says why, the others are still put back, and the deployment failed', async () => {
    const emu = e.get();
    const mainId = flowId(emu, 'Main IVR');
    const dir = workspace({
      'flowgate.yaml':
        "version: 1\nflows:\n  - file: ok.yaml\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n  - file: fails.yaml\n",
      'ok.yaml': inboundFlow('Brand Ok'),
      'fails.yaml': inboundFlow('Fails Here'),
    });
    const s = auditedSession(emu, dir);
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: true });
    const outcome = await s.run(id, {
      concurrency: 1,
      // Once Main IVR is published, the org refuses to publish it again, and the next job fails.
      also: (x) => {
        if (x.type !== 'published' || x.step?.flowName !== 'Main IVR') return;
        emu.control.failPublishes(
          mainId,
          1,
          'architect.flow.cannot.publish',
          'Flow version cannot be published.',
        );
        emu.control.failNextJob("Unable to resolve the queue 'Sales' in the flow 'Fails Here'.");
      },
    });
    await s.close();

    expect(outcome.status).toBe('failed');
    expect(publishedVersion(emu, 'Main IVR')).toBe('1.0');
    expect(emu.control.state().flows.find((f) => f.name === 'Brand Ok')).toMatchObject({ active: false });
    const why =
      `Main IVR: the platform did not publish version 3.0 again (OPERATION_FAILED: PUBLISH of flow ${mainId} failed with architect.flow.cannot.publish: Flow version cannot be published.), ` +
      "and the ledger holds no content of version 3.0: restore version 3.0 in Architect (next: In Architect, open version 3.0 of Main IVR, export it and import it, then publish (Genesys' documented way back to an earlier version).)";
    const steps = await s.ledger.steps(id);
    // The report prints each step's error under it.
    expect(steps.map((x) => [x.flowName, x.state, x.error ?? null])).toEqual([
      ['Brand Ok', 'rolled-back', null],
      ['Main IVR', 'published', `rollback failed: ${why}`],
      [
        'Fails Here',
        'failed',
        `import job ${steps[2]!.jobId} failed: Unable to resolve the queue 'Sales' in the flow 'Fails Here'. (next: Fix what the error names (missing dependencies, variables) and publish again.)`,
      ],
    ]);
    const notes = (await s.ledger.events(id)).filter((x) => x.index === 1).map((x) => [x.to, x.detail]);
    expect(notes.at(-1)).toEqual(['published', 'rollback failed']);
    const log = s.audit(id);
    const fact = (f: Omit<LoggedFact, 'deploymentId' | 'actor' | 'org'>) => s.fact(id, f);
    expect(log.slice(log.findIndex((x) => x.type === 'step.rolling-back'))).toEqual([
      fact({ type: 'step.rolling-back', flow: 'Main IVR', message: 'Main IVR: rolling back' }),
      fact({ type: 'step.failed', flow: 'Main IVR', message: `Main IVR: rollback failed: ${why}` }),
      fact({ type: 'step.rolling-back', flow: 'Brand Ok', message: 'Brand Ok: rolling back' }),
      fact({
        type: 'step.rolled-back',
        flow: 'Brand Ok',
        versionBefore: '1.0',
        result: 'rolled-back',
        message: 'Brand Ok: created by this deployment, deactivated (not deleted)',
      }),
      fact({ type: 'deployment.completed', result: 'failed', message: `deployment ${id}: failed` }),
    ]);
  });
});
