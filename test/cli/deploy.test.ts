/**
 * Deployments through the real CLI in child processes, against an emulator in this process:
 * SIGKILL at random moments and resume (exactly once), Ctrl-C (130), partial (5), schedule-only
 * and run-scheduled, plan formats, and the demo.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clientFor, emulatorEnv, flowId, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, publishesOf, publishedVersion, workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';
import { clockAhead } from '../helpers/shifted-clock.js';
import type { RunningEmulator } from '../../src/emulator/server.js';

/** Starts `flowgate deploy` and resolves when it exits; `killAfterLines` SIGKILLs it after that many progress lines. */
function deployChild(emu: RunningEmulator, cwd: string, killAfterLines?: number, extraDelayMs = 0) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(process.cwd(), 'bin/flowgate.js'), 'deploy', '--concurrency', '4'],
        {
          cwd,
          env: { PATH: process.env.PATH, NO_COLOR: '1', ...emulatorEnv(emu) },
        },
      );
      let stderr = '';
      let lines = 0;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        lines = stderr.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l)).length;
        if (killAfterLines !== undefined && lines >= killAfterLines && child.exitCode === null)
          setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      });
      child.stdout.resume();
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    },
  );
}

describe('flowgate deploy (child processes)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('SIGKILL at random moments of a 20-flow deployment, then resume: every flow published exactly once', async () => {
    const emu = e.get();
    const names = Array.from({ length: 20 }, (_, i) => `Kill Flow ${String(i).padStart(2, '0')}`);
    const files: Record<string, string> = {
      'flowgate.yaml': `version: 1\nflows:\n${names.map((_, i) => `  - file: f${i}.yaml\n`).join('')}`,
    };
    // Some flows transfer to the next one, so the order matters too.
    names.forEach(
      (n, i) =>
        (files[`f${i}.yaml`] = inboundFlow(
          n,
          i % 3 === 0 && i + 1 < names.length ? { transferTo: names[i + 1]! } : {},
        )),
    );
    const dir = workspace(files);
    // Kill moments: after the k-th progress line, plus up to 15 ms (mid-request), from a seeded generator.
    const moments = fc.sample(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 15 })), {
      numRuns: 6,
      seed: 20261125,
    });
    let kills = 0;
    for (const [lines, delay] of moments) {
      const r = await deployChild(emu, dir, lines, delay);
      if (r.signal === 'SIGKILL') kills++;
      if (r.code === 0) break;
    }
    expect(kills).toBeGreaterThan(0);
    const final = await deployChild(emu, dir);
    expect(final.code).toBe(0);
    for (const n of names) expect(publishesOf(emu, n), n).toBe(1);
    for (const n of names) expect(publishedVersion(emu, n), n).toBe('1.0');
  }, 120_000);

  it('Ctrl-C stops starting new steps, records in-flight ones, exits 130; deploy --resume finishes', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 }); // jobs never finish until resumed: the run is surely in flight
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n',
      'a.yaml': inboundFlow('Int A'),
      'b.yaml': inboundFlow('Int B'),
    });
    const child = spawn(
      process.execPath,
      [join(process.cwd(), 'bin/flowgate.js'), 'deploy', '--concurrency', '1'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, NO_COLOR: '1', ...emulatorEnv(emu) },
      },
    );
    let stderr = '';
    const publishing = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('Int A: publishing') || stderr.includes('Int B: publishing')) resolve();
      }),
    );
    child.stdout.resume();
    await publishing;
    // Wait for the import job's upload: then the step is truly in flight.
    while (!emu.control.requests().some((r) => r.method === 'PUT')) await new Promise((r) => setImmediate(r));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('stopping: no new steps start');
    emu.control.setClock({ speed: 1 });
    const resumed = await runCli(['deploy', '--resume'], { env: emulatorEnv(emu), cwd: dir });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('resuming deployment');
    expect(publishesOf(emu, 'Int A') + publishesOf(emu, 'Int B')).toBe(2);
  }, 60_000);

  it('--no-atomic with a failed flow exits 5 (partial), the report names the failure', async () => {
    const emu = e.get();
    emu.control.failPublishes(flowId(emu, 'Authenticate Caller'), 1);
    const dir = workspace({
      'flowgate.yaml':
        "version: 1\nflows:\n  - file: a.yaml\n  - name: Authenticate Caller\n    type: commonmodule\n    version: '1.0'\n",
      'a.yaml': inboundFlow('Partial A'),
    });
    const r = await runCli(['deploy', '--no-atomic', '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(r.code).toBe(5);
    const report = JSON.parse(r.stdout);
    expect(report.deployment.status).toBe('partial');
    expect(
      report.steps.find((s: { flowName: string }) => s.flowName === 'Authenticate Caller').error,
    ).toContain('architect.flow.cannot.publish.missing.dependencies');
  });

  it('a blocked plan exits 3 and names the holder; plan --format markdown fits a pull-request comment', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml':
        "version: 1\nflows:\n  - name: Sales IVR\n    type: inboundcall\n    version: '2.0'\n  - file: a.yaml\n",
      'a.yaml': inboundFlow('Md A'),
    });
    const plan = await runCli(['plan', '--format', 'markdown'], { env: emulatorEnv(emu), cwd: dir });
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('### flowgate plan ❌ blocked');
    expect(plan.stdout).toContain(
      '| 1 | Sales IVR | inboundcall | blocked: locked in Architect by user Alex Designer |',
    );
    const deploy = await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir });
    expect(deploy.code).toBe(3);
    expect(deploy.stderr).toContain('[DEPLOY_BLOCKED]');
    const forced = await runCli(['deploy', '--force-unlock'], { env: emulatorEnv(emu), cwd: dir });
    expect(forced.code).toBe(0);
  });

  it('--schedule-only records and exits; run-scheduled publishes only when due; schedule list and cancel', async () => {
    const emu = e.get();
    // An hour away: not due at the first run-scheduled on any machine, however slow. The later
    // run is given a clock an hour and a minute ahead (no waiting for it).
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: a.yaml\n    activateAt: ${soon}\n`,
      'b/flowgate.yaml': `version: 1\nflows:\n  - file: b.yaml\n    activateAt: ${later}\n`,
      'a.yaml': inboundFlow('Soon'),
      'b/b.yaml': inboundFlow('Tomorrow'),
    });
    const ledger = join(dir, 'ledger.db');
    expect(
      (await runCli(['deploy', '--schedule-only', '--ledger', ledger], { env: emulatorEnv(emu), cwd: dir }))
        .code,
    ).toBe(0);
    expect(
      (
        await runCli(['deploy', '--schedule-only', '--ledger', ledger, '-m', 'b/flowgate.yaml'], {
          env: emulatorEnv(emu),
          cwd: dir,
        })
      ).code,
    ).toBe(0);
    expect(publishesOf(emu, 'Soon')).toBe(0);
    const list = await runCli(['schedule', 'list', '--ledger', ledger, '--json'], { cwd: dir });
    const scheduled = JSON.parse(list.stdout).scheduled as Array<{ deployment: string; flow: string }>;
    expect(scheduled.map((x) => x.flow).sort()).toEqual(['Soon', 'Tomorrow']);
    const early = await runCli(['run-scheduled', '--ledger', ledger], { env: emulatorEnv(emu), cwd: dir });
    expect(early.code).toBe(0);
    expect(publishesOf(emu, 'Soon')).toBe(0);
    const due = await runCli(['run-scheduled', '--ledger', ledger], {
      env: { ...emulatorEnv(emu), ...clockAhead(3_660_000) },
      cwd: dir,
    });
    expect(due.code, due.stderr).toBe(0);
    expect(publishesOf(emu, 'Soon')).toBe(1);
    expect(publishesOf(emu, 'Tomorrow')).toBe(0);
    const tomorrow = scheduled.find((x) => x.flow === 'Tomorrow')!.deployment;
    expect((await runCli(['schedule', 'cancel', tomorrow, '--ledger', ledger], { cwd: dir })).code).toBe(0);
    const after = JSON.parse(
      (await runCli(['schedule', 'list', '--ledger', ledger, '--json'], { cwd: dir })).stdout,
    );
    expect(after.scheduled).toEqual([]);
    const status = await runCli(['status', tomorrow, '--ledger', ledger, '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout).deployment.status).toBe('cancelled');
  });

  it('rollback <flow> publishes the previous version from the ledger; history lists both', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n",
    });
    expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
    expect(publishedVersion(emu, 'Main IVR')).toBe('1.0');
    const back = await runCli(['rollback', 'Main IVR'], { env: emulatorEnv(emu), cwd: dir });
    expect(back.code).toBe(0);
    expect(publishedVersion(emu, 'Main IVR')).toBe('3.0');
    const history = JSON.parse((await runCli(['history', 'Main IVR', '--json'], { cwd: dir })).stdout);
    expect(history.steps.map((s: { targetVersion: string }) => s.targetVersion)).toEqual(['3.0', '1.0']);
  });
});

describe('flowgate demo', () => {
  it('runs in an empty folder with nothing set up: plan, window, report, traffic, a changed flow with its diff, promoted to prod past its gates; all state under .flowgate/demo, started over on every run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-demo-'));
    const entries: number[] = [];
    for (const run of [1, 2]) {
      const r = await runCli(['demo'], { cwd: dir, timeoutMs: 60_000 });
      expect(r.code, `run ${run}: ${r.stderr}`).toBe(0);
      // The call-path scenarios beside the demo's flows run first (flowgate test).
      expect(r.stderr).toMatch(/call-path scenarios \(flowgate test\): 6 cases: 6 passed, 0 failed/);
      expect(r.stderr).toContain('Authenticate Caller: unchanged, skipped');
      expect(r.stderr).toMatch(/Demo After Hours: waiting until/);
      expect(r.stdout).toMatch(/Deployment d-\S+: succeeded/);
      expect(r.stdout).toMatch(/Main IVR \[inboundcall\]\s+published\s+3\.0 → 4\.0/);
      expect(r.stderr).toMatch(/Main IVR {2}version 4\.0 \(before 3\.0\)/);
      expect(r.stderr).toMatch(/window: \S+ to \S+ \(the platform's clock\)/);
      // The calls in the flow at the publish end on 3.0: the share climbs instead of starting at 100 %.
      const share = /share on 4\.0: (\d+\.\d)% of \d+ \S+ \S+ {2}(\S)/.exec(r.stderr);
      expect(Number(share?.[1])).toBeLessThan(100);
      expect(share?.[2]).not.toBe('█');
      // The verdict of each flow, from its own section of the report: the two new flows have
      // nothing to compare with; Main IVR's 4.0 fails 2 % of calls against 3 % for 3.0 (the seed
      // and the demo's traffic), so it is healthy (a false "degraded" needs z about 4 σ above its
      // mean: a chance near 1 in 100,000).
      const verdictOf = (flow: string) =>
        r.stderr
          .split(/\n(?=\S)/)
          .find((section) => section.startsWith(`${flow}  version`))
          ?.match(/health: (\w+)/)?.[1];
      expect(['Demo Support Line', 'Demo After Hours', 'Main IVR'].map(verdictOf)).toEqual([
        'insufficient',
        'insufficient',
        'healthy',
      ]);
      const html = readFileSync(join(dir, '.flowgate', 'demo', 'adoption.html'), 'utf8');
      expect((html.match(/<svg class="chart share"/g) ?? []).length).toBe(3);
      expect(r.stderr).toMatch(/events: \d+ recorded in \S*\.flowgate\/demo\/audit\.jsonl/);
      // The second deployment: a changed Main IVR, its plan with a semantic diff, then published.
      const change = r.stderr.slice(r.stderr.indexOf('A change to Main IVR'));
      const plan = change.slice(0, change.indexOf('planned by'));
      expect(plan).toMatch(/~ Main IVR \[inboundcall\]\s+update/);
      expect(plan).toContain('Sales Priority');
      expect(r.stdout).toMatch(/Main IVR \[inboundcall\]\s+published\s+4\.0 → 5\.0/);
      promotion(r, dir);
      // Nothing outside .flowgate/demo; its audit log starts over with the run and verifies.
      expect(readdirSync(join(dir, '.flowgate'))).toEqual(['demo']);
      const log = join('.flowgate', 'demo', 'audit.jsonl');
      const verify = await runCli(['audit', 'verify', '--log', log, '--json'], { cwd: dir });
      expect(verify.code).toBe(0);
      entries.push((JSON.parse(verify.stdout) as { entries: number }).entries);
    }
    expect(entries[1]).toBe(entries[0]);
    const shown = JSON.parse(
      (
        await runCli(
          [
            'audit',
            'show',
            '--log',
            join('.flowgate', 'demo', 'audit.jsonl'),
            '--flow',
            'Main IVR',
            '--result',
            'succeeded',
            '--json',
          ],
          { cwd: dir },
        )
      ).stdout,
    );
    expect(
      shown.entries.map((x: { event: { type: string; versionAfter: string } }) => [
        x.event.type,
        x.event.versionAfter,
      ]),
    ).toEqual([
      ['step.published', '4.0'],
      ['step.published', '5.0'],
      ['step.published', '4.0'], // in prod
    ]);
  }, 150_000);
});

/**
 * The demo's promotion to its prod org: refused by the missing queue, then by the missing
 * approval (GATE_UNMET), approved, then deployed with exactly the artifacts dev published (the
 * first deployment's new flows and the changed Main IVR), which the prod org then publishes with
 * prod's values.
 */
function promotion(r: { stdout: string; stderr: string }, dir: string): void {
  const step = r.stderr.slice(r.stderr.indexOf('Promotion to prod'));
  const prodUrl = /a second org on (\S+)/.exec(step)![1]!;
  expect(step).toMatch(
    /1\. refused, the plan is blocked:\n {3}error \[DEPLOY_BLOCKED\] .*\n {3}examples\/demo\/flows\/support-line\.yaml:19:17: transferToAcd uses queue 'Support-Prod', which does not exist in org 'Flowgate Demo Org \(prod\)'; did you mean 'Support'\?/,
  );
  const hash =
    /error \[GATE_UNMET\] the deployment to prod is refused by its gates: approvals: plan ([0-9a-f]{64}): 1 more approval needed/.exec(
      step,
    )?.[1];
  expect(hash).toBeDefined();
  expect(step).toContain(`approved plan ${hash} (prod) as cab:sam.supervisor`);
  // stdout: dev's two reports, then prod's; each flow's artifact in prod is the one dev published.
  const reports = r.stdout.split(/^(?=Deployment d-)/m);
  expect(reports).toHaveLength(3);
  const artifact = (report: string, flow: string) =>
    new RegExp(`^ {2}${flow} \\[\\w+\\]\\s+published\\s.*\\b([0-9a-f]{12})$`, 'm').exec(report)?.[1];
  const dev = {
    'Demo Support Line': artifact(reports[0]!, 'Demo Support Line'),
    'Demo After Hours': artifact(reports[0]!, 'Demo After Hours'),
    'Main IVR': artifact(reports[1]!, 'Main IVR'),
  };
  for (const [flow, hash12] of Object.entries(dev)) {
    expect(hash12).toMatch(/^[0-9a-f]{12}$/);
    expect(artifact(reports[2]!, flow), flow).toBe(hash12);
  }
  expect(reports[2]).toMatch(/Main IVR \[inboundcall\]\s+published\s+3\.0 → 4\.0/);
  expect(reports[2]).toContain('gates of prod: ✓ passed dev (3 of 3 flows); ✓ approvals (1 of 1 approval');
  // The prod org as the run left it: the promoted versions published, with prod's values.
  const org = JSON.parse(readFileSync(join(dir, '.flowgate', 'demo', 'org-prod.json'), 'utf8')) as {
    flows: Array<{
      name: string;
      publications: Array<{ versionId: string; end?: number }>;
      versions: Array<{ id: string; configuration?: string }>;
    }>;
  };
  const published = (name: string) => {
    const f = org.flows.find((x) => x.name === name)!;
    const id = f.publications.find((p) => p.end === undefined)?.versionId;
    return { id, configuration: f.versions.find((v) => v.id === id)?.configuration ?? '' };
  };
  expect(published('Demo Support Line').id).toBe('1.0');
  expect(published('Demo Support Line').configuration).toContain('Support-Prod');
  expect(published('Demo After Hours').id).toBe('1.0');
  expect(published('Main IVR').id).toBe('4.0');
  expect(published('Main IVR').configuration).toContain('Sales Priority');
  // The approval in the audit log names the prod org.
  const approval = readFileSync(join(dir, '.flowgate', 'demo', 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { event: { type: string; org: string } }).event)
    .find((e) => e.type === 'approval.recorded');
  expect(approval?.org).toBe(prodUrl);
}

describe('flowgate adoption (child process)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('--deployment reads the flows from the ledger; a degraded version exits 3; --html writes the report', async () => {
    const emu = e.get();
    const id = flowId(emu, 'Main IVR');
    // Main IVR sets no outcomes: its callers hanging up in the flow (10 % → 30 %) are what degrades.
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 60 });
    emu.control.setTraffic({ flowId: id, version: '2.0', exitReasons: { DISCONNECT: 0.3 } });
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '2.0'\n",
    });
    const deploy = await runCli(['deploy', '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(deploy.code).toBe(0);
    const deploymentId = JSON.parse(deploy.stdout).deployment.id as string;
    emu.control.setClock({ speed: 0 });
    emu.control.setClock({ advanceMs: 60 * 60_000 });
    const until = new Date(emu.control.org.now()).toISOString(); // the emulator's clock is an hour ahead
    const r = await runCli(
      ['adoption', '--deployment', deploymentId, '--until', until, '--json', '--html', 'report.html'],
      {
        env: emulatorEnv(emu),
        cwd: dir,
      },
    );
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout).reports[0];
    expect(report).toMatchObject({
      flowName: 'Main IVR',
      newVersion: '2.0',
      previousVersion: '3.0',
      verdict: {
        verdict: 'degraded',
        signals: [{ signal: 'disconnects', verdict: 'degraded' }, { signal: 'exits' }],
      },
    });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg class="chart failures"');
    const unknown = await runCli(['adoption', 'No Such Flow'], { env: emulatorEnv(emu), cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no flow 'No Such Flow' in the org");
  });
});

describe('flowgate audit reconcile (child process)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20, auditQueryDelayMs: 20 } });

  it('exit 0 when every publish is flowgate’s; exit 3 naming a publish made outside flowgate', async () => {
    const emu = e.get();
    const since = new Date(Date.now() - 60_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Reconcile CLI'),
    });
    expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
    const clean = await runCli(['audit', 'reconcile', '--since', since, '--json'], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ outside: [], missing: [], localPublishes: 1 });
    // Someone publishes a flow straight through the API.
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Holiday_Flow');
    await client.flows.followOperation(id, await client.flows.publish(id), { intervalMs: 20 });
    const found = await runCli(['audit', 'reconcile', '--since', since], { env: emulatorEnv(emu), cwd: dir });
    expect(found.code).toBe(3);
    expect(found.stdout).toMatch(/outside flowgate .*Holiday_Flow/);
  });
});

describe('reading commands in a folder without a ledger', () => {
  it('status says the deployment is unknown, history that nothing is recorded, and neither creates a ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-noledger-'));
    const status = await runCli(['status', 'd-nope'], { cwd: dir });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('[DEPLOY_NOT_FOUND]');
    const history = await runCli(['history'], { cwd: dir });
    expect(history.code).toBe(0);
    expect(history.stdout).toContain('the ledger is empty');
    expect(existsSync(join(dir, '.flowgate'))).toBe(false);
  });
});
