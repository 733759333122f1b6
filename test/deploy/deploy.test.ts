/** Deployments over real HTTP against the emulator (one emulator per test), through the library. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowId, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, librarySession, publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';
import { runDeployment } from '../../src/deploy/executor.js';
import { deploymentReport } from '../../src/deploy/report.js';

const manifest = (flows: string, extra = '') => `version: 1\n${extra}flows:\n${flows}`;

describe('deploy against the emulator', () => {
  const e = useEmulator({ settings: { operationDelayMs: 30, jobDelayMs: 30 } });

  it('publishes in dependency order, records every step and call, and verifies the published version', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest('  - file: a.yaml\n  - file: b.yaml\n'),
      // a transfers to b: b must be published first although the manifest lists a first.
      'a.yaml': inboundFlow('Flow A', { transferTo: 'Flow B' }),
      'b.yaml': inboundFlow('Flow B'),
    });
    const s = librarySession(emu, dir);
    const { plan, outcome } = await s.deploy();
    expect(plan.order.map((i) => plan.steps[i]!.flowName)).toEqual(['Flow B', 'Flow A']);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps.map((x) => [x.flowName, x.state, x.publishedVersion])).toEqual([
      ['Flow B', 'published', '1.0'],
      ['Flow A', 'published', '1.0'],
    ]);
    // The emulator published B before A.
    const audits = emu.control.state().audits.filter((a) => a.action === 'Publish' && a.status === 'SUCCESS');
    expect(audits.map((a) => a.entityName).slice(-2)).toEqual(['Flow B', 'Flow A']);
    const report = (await deploymentReport(s.ledger, outcome.deploymentId))!;
    expect(report.totals.calls).toBeGreaterThan(6);
    expect(
      report.steps.every((x) => x.calls > 0 && x.latencyP50Ms !== null && x.latencyP95Ms! >= x.latencyP50Ms),
    ).toBe(true);
    const events = await s.ledger.events(outcome.deploymentId);
    expect(events.filter((x) => x.index === 0).map((x) => x.to)).toEqual([
      'planned',
      'publishing',
      'publishing', // the job registered
      'publishing', // the flow the job touched, noted before it is checked
      'published',
    ]);
  });

  it('an unchanged flow is not published again; a changed one is, with a semantic diff', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest('  - file: a.yaml\n  - file: b.yaml\n'),
      'a.yaml': inboundFlow('Flow A'),
      'b.yaml': inboundFlow('Flow B'),
    });
    const s = librarySession(emu, dir);
    await s.deploy();
    writeFileSync(join(dir, 'b.yaml'), inboundFlow('Flow B', { transferTo: 'Flow A' }));
    const second = await s.deploy();
    const byName = Object.fromEntries(second.plan.steps.map((x) => [x.flowName, x]));
    expect(byName['Flow A']!.action).toBe('unchanged');
    expect(byName['Flow B']!.action).toBe('update');
    const diff = byName['Flow B']!.diff;
    expect(typeof diff === 'object' && diff.actionsAdded.map((a) => a.type)).toEqual(['transferToFlow']);
    expect(typeof diff === 'object' && diff.references).toEqual([
      expect.objectContaining({ via: 'transferToFlow', added: ['Flow A (inboundcall)'] }),
    ]);
    expect(publishesOf(emu, 'Flow A')).toBe(1);
    expect(publishesOf(emu, 'Flow B')).toBe(2);
    const third = await s.deploy();
    expect(third.plan.steps.every((x) => x.action === 'unchanged')).toBe(true);
    expect(publishesOf(emu, 'Flow B')).toBe(2);
  });

  it('a flow locked by another user is blocked, naming the holder; --force-unlock takes the lock and says who held it', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest("  - name: Sales IVR\n    type: inboundcall\n    version: '2.0'\n"),
    });
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    expect(plan.blocked).toBe(true);
    expect(plan.steps[0]!.blocked).toEqual([
      { kind: 'locked', message: 'locked in Architect by user Alex Designer' },
    ]);
    await expect(s.deploy()).rejects.toMatchObject({ code: 'DEPLOY_BLOCKED' });
    const forced = await s.deploy({ forceUnlock: true });
    expect(forced.outcome.status).toBe('succeeded');
    const events = await s.ledger.events(forced.outcome.deploymentId);
    expect(events.some((x) => x.detail === 'force-unlocking: the lock was held by user Alex Designer')).toBe(
      true,
    );
    expect(publishedVersion(emu, 'Sales IVR')).toBe('2.0');
  });

  it('drift: the checked-in version differs from expectCheckedIn, so the deployment stops before anything', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest(
        "  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n    expectCheckedIn: '2.0'\n",
      ),
    });
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    expect(plan.steps[0]!.blocked[0]).toMatchObject({ kind: 'drift' });
    expect(plan.steps[0]!.blocked[0]!.message).toContain(
      'checked-in version is 3.0, the manifest expects 2.0',
    );
    const before = publishesOf(emu, 'Main IVR');
    await expect(s.deploy()).rejects.toMatchObject({ code: 'DEPLOY_BLOCKED' });
    expect(publishesOf(emu, 'Main IVR')).toBe(before);
  });

  it('atomic: a failed publish puts the flows already published back on their previous versions', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest(
        "  - file: new.yaml\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n  - name: Authenticate Caller\n    type: commonmodule\n    version: '1.0'\n",
        'deploy:\n  concurrency: 1\n',
      ),
      'new.yaml': inboundFlow('Brand New'),
    });
    emu.control.failPublishes(
      flowId(emu, 'Authenticate Caller'),
      1,
      'architect.flow.cannot.publish.missing.dependencies',
      'Flow version cannot be published due to having one or more missing dependencies.',
    );
    const s = librarySession(emu, dir);
    const { outcome } = await s.deploy({ concurrency: 1 });
    expect(outcome.status).toBe('rolled-back');
    const state = emu.control.state();
    const flow = (name: string) => state.flows.find((f) => f.name === name)!;
    expect(publishedVersion(emu, 'Main IVR')).toBe('3.0');
    expect(publishedVersion(emu, 'Authenticate Caller')).toBe('2.0');
    expect(flow('Brand New').active).toBe(false);
    const byName = Object.fromEntries(outcome.steps.map((x) => [x.flowName, x]));
    expect(byName['Authenticate Caller']!.state).toBe('failed');
    expect(byName['Authenticate Caller']!.error).toContain(
      'architect.flow.cannot.publish.missing.dependencies',
    );
    expect(byName['Main IVR']!.state).toBe('rolled-back');
    expect(byName['Brand New']!.state).toBe('rolled-back');
    // The emulator's audit trail: Main IVR published to 1.0, then back to 3.0; the new flow deactivated.
    const mainAudits = state.audits.filter(
      (a) => a.entityName === 'Main IVR' && a.action === 'Publish' && a.status === 'SUCCESS',
    );
    expect(mainAudits.length).toBeGreaterThanOrEqual(2);
    expect(state.audits.some((a) => a.entityName === 'Brand New' && a.action === 'Deactivate')).toBe(true);
  });

  it('not atomic: the others stay published and the deployment is partial', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest(
        "  - file: new.yaml\n  - name: Authenticate Caller\n    type: commonmodule\n    version: '1.0'\n",
      ),
      'new.yaml': inboundFlow('Kept'),
    });
    emu.control.failPublishes(flowId(emu, 'Authenticate Caller'), 1);
    const s = librarySession(emu, dir);
    const { outcome } = await s.deploy({ atomic: false });
    expect(outcome.status).toBe('partial');
    expect(publishedVersion(emu, 'Kept')).toBe('1.0');
  });

  it("a failed import job reports the platform's own words and what to do next", async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest('  - file: a.yaml\n'),
      'a.yaml': inboundFlow('Flow A'),
    });
    emu.control.failNextJob("Unable to resolve the queue 'Sales' in the flow 'Flow A'.");
    const s = librarySession(emu, dir);
    const { outcome } = await s.deploy();
    // Atomic, but nothing was published: nothing rolled back, so the deployment failed.
    expect(outcome.status).toBe('failed');
    expect(outcome.steps.map((x) => x.state)).toEqual(['failed']);
    const error = outcome.steps[0]!.error!;
    expect(error).toContain("Unable to resolve the queue 'Sales' in the flow 'Flow A'.");
    expect(error).toContain(`import job ${outcome.steps[0]!.jobId!}`);
    expect(error).toContain('next:');
  });

  it('the org flow count over the policy maximum refuses the deployment before anything is published', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest('  - file: a.yaml\n', 'policy:\n  maxFlows: 10\n'),
      'a.yaml': inboundFlow('One Too Many'),
    });
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    expect(plan.blocked).toBe(true);
    expect(plan.steps[0]!.blocked[0]).toMatchObject({ kind: 'policy' });
    expect(plan.steps[0]!.blocked[0]!.message).toContain('11 flows (10 now + 1 new)');
    emu.control.clearRequests();
    await expect(s.deploy()).rejects.toMatchObject({ code: 'DEPLOY_BLOCKED' });
    expect(emu.control.requests().filter((r) => r.method !== 'GET' && r.path !== '/oauth/token')).toEqual([]);
  });

  it('an activation window is honoured within one second (simulated clock), then the step publishes', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const start = emu.control.org.now();
    const activateAt = new Date(start + 90_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': manifest(`  - file: a.yaml\n    activateAt: ${activateAt}\n  - file: b.yaml\n`),
      'a.yaml': inboundFlow('Windowed'),
      'b.yaml': inboundFlow('Right Away'),
    });
    const advance = (ms: number) => {
      emu.control.setClock({ advanceMs: ms });
      return Promise.resolve();
    };
    const s = librarySession(emu, dir);
    const { outcome } = await s.deploy({
      now: () => emu.control.org.now(),
      sleep: advance,
      poll: { intervalMs: 20, sleep: advance, now: () => emu.control.org.now() },
    });
    expect(outcome.status).toBe('succeeded');
    const publishedAt = (name: string) =>
      Date.parse(
        emu.control.state().audits.find((a) => a.entityName === name && a.action === 'Publish')!.eventDate,
      );
    expect(publishedAt('Windowed')).toBeGreaterThanOrEqual(Date.parse(activateAt));
    expect(publishedAt('Windowed') - Date.parse(activateAt)).toBeLessThan(1000);
  });

  it('--schedule-only records the window and run-scheduled publishes it when due, within one second', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const now = () => emu.control.org.now();
    const activateAt = new Date(now() + 3_600_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': manifest(`  - file: a.yaml\n    activateAt: ${activateAt}\n`),
      'a.yaml': inboundFlow('Tonight'),
    });
    const advance = (ms: number) => {
      emu.control.setClock({ advanceMs: ms });
      return Promise.resolve();
    };
    const poll = { intervalMs: 20, sleep: advance, now };
    const s = librarySession(emu, dir);
    const first = await s.deploy({ scheduleOnly: true, onlyDue: true, now, poll });
    expect(first.outcome.status).toBe('scheduled');
    expect(first.outcome.steps[0]!.state).toBe('scheduled');
    expect(publishesOf(emu, 'Tonight')).toBe(0);
    // A scheduled job before the time: nothing is due.
    const early = await runDeployment(first.outcome.deploymentId, {
      client: s.client,
      ledger: s.ledger,
      onlyDue: true,
      now,
      poll,
    });
    expect(early.status).toBe('scheduled');
    expect(publishesOf(emu, 'Tonight')).toBe(0);
    void advance(Date.parse(activateAt) - now() + 200);
    const due = await runDeployment(first.outcome.deploymentId, {
      client: s.client,
      ledger: s.ledger,
      onlyDue: true,
      now,
      poll,
    });
    expect(due.status).toBe('succeeded');
    const at = Date.parse(
      emu.control.state().audits.find((a) => a.entityName === 'Tonight' && a.action === 'Publish')!.eventDate,
    );
    expect(at - Date.parse(activateAt)).toBeGreaterThanOrEqual(0);
    expect(at - Date.parse(activateAt)).toBeLessThan(1000);
  });

  it('a step caught mid-publish (the process died after sending it) is checked against the org on resume, not sent again', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 }); // the dead run's publish stays in progress until we move time
    const dir = workspace({
      'flowgate.yaml': manifest("  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n"),
    });
    const s = librarySession(emu, dir);
    const { createDeployment } = await import('../../src/deploy/executor.js');
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: true });
    // What a run killed at that moment leaves: the step recorded as publishing, the publish sent.
    const flow = await s.client.flows.get(flowId(emu, 'Main IVR'));
    await s.ledger.transition(
      id,
      0,
      'publishing',
      { operationBefore: flow.currentOperation?.id },
      'publishing version 1.0',
    );
    await s.ledger.setStatus(id, 'running');
    await s.client.flows.publish(flow.id, '1.0');
    const sent = () =>
      emu.control.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/actions/publish')).length;
    expect(sent()).toBe(1);
    const resumed = runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      poll: {
        intervalMs: 5,
        sleep: (ms) => (emu.control.setClock({ advanceMs: ms * 20 }), Promise.resolve()),
      },
    });
    const outcome = await resumed;
    expect(outcome.status).toBe('succeeded');
    expect(sent()).toBe(1);
    expect(publishedVersion(emu, 'Main IVR')).toBe('1.0');
    const events = await s.ledger.events(id);
    expect(events.some((x) => x.detail === 'resume: found the publish the earlier run started')).toBe(true);
  });

  it('two processes on one ledger never run the same deployment at once: a clear error naming the holder', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest('  - file: a.yaml\n'),
      'a.yaml': inboundFlow('Flow A'),
    });
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    const { createDeployment } = await import('../../src/deploy/executor.js');
    const id = await createDeployment(plan, s.ledger, { atomic: true });
    // Another live process (this test's parent) holds it.
    const held = await s.ledger.acquire(id, {
      pid: process.ppid,
      host: (await import('node:os')).hostname(),
      since: 'earlier',
      actor: 'ci-runner-7',
    });
    await expect(runDeployment(id, { client: s.client, ledger: s.ledger })).rejects.toMatchObject({
      code: 'LEDGER_BUSY',
      message: expect.stringContaining(`process ${process.ppid}`),
    });
    await held.release();
    expect(
      (await runDeployment(id, { client: s.client, ledger: s.ledger, poll: { intervalMs: 20 } })).status,
    ).toBe('succeeded');
  });

  it('the semantic diff of two versions of a real flow from examples/', async () => {
    const emu = e.get();
    const real = readFileSync(
      'examples/flows/public/simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0.yaml',
      'utf8',
    );
    const dir = workspace({
      'flowgate.yaml': manifest(
        '  - file: ivr.yaml\n',
        'substitutions:\n  division: Home\n  default_language: en-us\n',
      ),
      'ivr.yaml': real,
    });
    const s = librarySession(emu, dir);
    const first = await s.deploy();
    expect(first.outcome.status).toBe('succeeded');
    // A second version: a menu choice removed, a queue changed.
    const v2 = real
      .replace(/\n(\s+)- menuTransferToAcd:[\s\S]*?(?=\n\1- |\n\s*$)/, '')
      .replace('General Support', 'Premium Support');
    expect(v2).not.toBe(real);
    writeFileSync(join(dir, 'ivr.yaml'), v2);
    const plan = await s.plan();
    const d = plan.steps[0]!.diff;
    expect(plan.steps[0]!.action).toBe('update');
    expect(typeof d === 'object' && !d.empty).toBe(true);
    if (typeof d === 'object')
      expect(
        [
          ...d.actionsRemoved,
          ...d.references.flatMap((r) => r.removed.map((x) => ({ type: r.via, name: x }))),
        ].length,
      ).toBeGreaterThan(0);
  });
});
