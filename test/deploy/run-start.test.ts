/**
 * How a run starts (deploy/executor.ts): a new deployment's run says it was *planned* (and by
 * whom), the run of one a killed or interrupted run left says it *resumes*, and one recorded by
 * `--schedule-only` says neither; a step is *scheduled* only with both `--schedule-only` and an
 * activation time; a step whose flow another deployment changed since the plan learns the
 * version to return to (deploy/flow-locks.ts). What the user reads is checked where they read it:
 * the audit log (the CLI prints the same messages as its progress lines), the ledger's steps and
 * notes, the errors. Stryker found none of this held (BENCHMARKS.md, `deploy/executor.ts`).
 * Library over real HTTP.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { scheduledSteps } from '../../src/deploy/schedules.js';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { auditedSession, flowsWorkspace } from '../helpers/run-facts.js';

/** Far enough ahead never to be due while a test runs. */
const LATER = '2099-01-01T00:00:00.000Z';

describe('how a run starts', () => {
  const e = useEmulator();

  it("a new deployment's run is planned: its first fact names the deployment and who planned it", async () => {
    const emu = e.get();
    const dir = flowsWorkspace(['Start Changed', 'Start Same']);
    const s = auditedSession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    writeFileSync(join(dir, 'f0.yaml'), inboundFlow('Start Changed', { say: 'Changed' }));
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: true });
    const statusWhilePublishing: Array<string | undefined> = [];

    const outcome = await s.run(id, {
      also: async (x) => {
        if (x.type === 'publishing') statusWhilePublishing.push((await s.ledger.getDeployment(id))?.status);
      },
    });
    await s.close();

    expect(outcome.status).toBe('succeeded');
    // `flowgate status` shows the deployment running while it publishes.
    expect(statusWhilePublishing).toEqual(['running']);
    const { actor, org } = s.who;
    expect(s.audit(id)).toEqual([
      {
        type: 'deployment.planned',
        deploymentId: id,
        actor,
        org,
        message: `deployment ${id} planned by ${actor}`,
      },
      {
        type: 'step.unchanged',
        deploymentId: id,
        actor,
        org,
        flow: 'Start Same',
        message: 'Start Same: unchanged, skipped',
      },
      {
        type: 'step.publishing',
        deploymentId: id,
        actor,
        org,
        flow: 'Start Changed',
        versionBefore: '1.0',
        message: 'Start Changed: publishing',
      },
      {
        type: 'step.published',
        deploymentId: id,
        actor,
        org,
        flow: 'Start Changed',
        versionBefore: '1.0',
        versionAfter: '2.0',
        result: 'succeeded',
        message: 'Start Changed: published version 2.0',
      },
      {
        type: 'deployment.completed',
        deploymentId: id,
        actor,
        org,
        result: 'succeeded',
        message: `deployment ${id}: succeeded`,
      },
    ]);
  });

  // What each kind of earlier run leaves: one killed after it started (the ledger says running),
  // one stopped by Ctrl-C after its first publish (interrupted).
  const earlier = [
    {
      left: 'running',
      leave: async (s: ReturnType<typeof auditedSession>, id: string) => {
        await s.ledger.setStatus(id, 'running');
      },
    },
    {
      left: 'interrupted',
      leave: async (s: ReturnType<typeof auditedSession>, id: string) => {
        const stop = new AbortController();
        const first = await s.run(id, {
          signal: stop.signal,
          also: (x) => {
            if (x.type === 'published') stop.abort();
          },
        });
        expect(first.status).toBe('interrupted');
      },
    },
  ];
  for (const { left, leave } of earlier)
    it(`the run of a deployment an earlier run left ${left} resumes it, and says so`, async () => {
      const emu = e.get();
      const dir = flowsWorkspace([`Resumed One ${left}`, `Resumed Two ${left}`]);
      const s = auditedSession(emu, dir);
      const id = await createDeployment(await s.plan(), s.ledger, { atomic: true });
      await leave(s, id);
      const before = s.facts.length;

      const outcome = await s.run(id, { concurrency: 1 });
      await s.close();

      expect(outcome.status).toBe('succeeded');
      const { actor, org } = s.who;
      const facts = s.facts.slice(before);
      expect(facts[0]).toMatchObject({ type: 'resumed', message: `resuming deployment ${id}` });
      expect(facts.filter((x) => x.type === 'resumed' || x.type === 'planned')).toHaveLength(1);
      const log = s.audit(id).filter((x) => x.type.startsWith('deployment.'));
      expect(log.at(-2)).toEqual({
        type: 'deployment.resumed',
        deploymentId: id,
        actor,
        org,
        message: `resuming deployment ${id}`,
      });
      expect(log.at(-1)).toMatchObject({ type: 'deployment.completed', result: 'succeeded' });
      // Nothing the earlier run published is published again.
      expect([`Resumed One ${left}`, `Resumed Two ${left}`].map((n) => publishesOf(emu, n))).toEqual([1, 1]);
    });

  it('--schedule-only schedules the steps with an activation time; without it, or without one, they are planned', async () => {
    const emu = e.get();
    const names = ['Sched Timed', 'Sched Untimed', 'Sched Same'];
    const dir = flowsWorkspace(names);
    const s = auditedSession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    writeFileSync(
      join(dir, 'flowgate.yaml'),
      `version: 1\nflows:\n  - file: f0.yaml\n    activateAt: ${LATER}\n  - file: f1.yaml\n  - file: f2.yaml\n`,
    );
    for (const [i, n] of names.slice(0, 2).entries())
      writeFileSync(join(dir, `f${i}.yaml`), inboundFlow(n, { say: 'Tonight' }));
    const plan = await s.plan();
    const states = async (id: string) => (await s.ledger.steps(id)).map((x) => [x.flowName, x.state]);

    const scheduled = await createDeployment(plan, s.ledger, { atomic: false, scheduleOnly: true });
    const planned = await createDeployment(plan, s.ledger, { atomic: false });

    expect(await states(scheduled)).toEqual([
      ['Sched Timed', 'scheduled'],
      ['Sched Untimed', 'planned'],
      ['Sched Same', 'unchanged'],
    ]);
    expect((await s.ledger.getDeployment(scheduled))?.status).toBe('scheduled');
    expect(await states(planned)).toEqual([
      ['Sched Timed', 'planned'],
      ['Sched Untimed', 'planned'],
      ['Sched Same', 'unchanged'],
    ]);
    expect((await s.ledger.getDeployment(planned))?.status).toBe('planned');
    // `flowgate schedule list`: the timed step of the scheduled deployment, nothing else.
    expect(await scheduledSteps(s.ledger)).toEqual([
      { deployment: scheduled, flow: 'Sched Timed', type: 'inboundcall', activateAt: LATER },
    ]);

    // Its run (`run-scheduled`) publishes what is due now; it was neither planned nor resumed.
    const before = s.facts.length;
    const outcome = await s.run(scheduled, { onlyDue: true });
    await s.close();
    expect(outcome.status).toBe('scheduled');
    expect(s.facts.slice(before).map((x) => [x.type, x.step?.flowName ?? null])).toEqual([
      ['unchanged', 'Sched Same'],
      ['publishing', 'Sched Untimed'],
      ['published', 'Sched Untimed'],
      ['completed', null],
    ]);
  });

  it('a flow another deployment changed since this one was planned: the step learns the version to return to, and says so', async () => {
    const emu = e.get();
    const dir = flowsWorkspace(['Changed Since']);
    const s = auditedSession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    writeFileSync(join(dir, 'f0.yaml'), inboundFlow('Changed Since', { say: 'Planned first' }));
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: true });
    // Another deployment of other content runs to its end before this one starts (no lock wait).
    writeFileSync(join(dir, 'f0.yaml'), inboundFlow('Changed Since', { say: 'Deployed first' }));
    expect((await s.deploy()).outcome.steps[0]!.publishedVersion).toBe('2.0');

    const outcome = await s.run(id);
    await s.close();

    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[0]).toMatchObject({ previousVersion: '2.0', publishedVersion: '3.0' });
    // The report's notes (`--json`): why the version before is not the one planned.
    expect((await s.ledger.events(id)).map((x) => [x.to, x.detail])).toContainEqual([
      'planned',
      'another deployment changed the flow since this one was planned: the org now publishes version 2.0',
    ]);
    expect(s.audit(id).find((x) => x.type === 'step.publishing')).toMatchObject({ versionBefore: '2.0' });
  });

  it('a blocked plan records nothing, and says where to look; an unknown deployment says where they are', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\npolicy:\n  maxFlows: 10\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('One Too Many'),
    });
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    expect(plan.blocked).toBe(true);

    const blocked = await createDeployment(plan, s.ledger, { atomic: true }).catch((x: unknown) => x);
    const missing = await runDeployment('d-nowhere', { client: s.client, ledger: s.ledger }).catch(
      (x: unknown) => x,
    );

    expect(blocked).toMatchObject({
      code: 'DEPLOY_BLOCKED',
      message: 'the plan has blocked steps; nothing was recorded or published',
      hint: 'Run flowgate plan to see why (validation errors, locks, drift, policy).',
    });
    expect(await s.ledger.listDeployments()).toEqual([]);
    expect(missing).toMatchObject({
      code: 'DEPLOY_NOT_FOUND',
      message: 'the ledger has no deployment d-nowhere',
      hint: 'flowgate history lists the deployments.',
    });
  });
});
