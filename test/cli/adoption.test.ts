/**
 * `flowgate adoption` as a user runs it: a real child process against the emulator in this
 * process, after the emulator's clock was moved with its documented control. "Now" is the
 * platform's (the Date of its answers), a window without data says so, every figure of one report
 * covers the one window the report names, and without arguments the last deployment is reported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientFor, emulatorEnv, flowId, useEmulator } from '../helpers/emulator.js';
import { workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { AdoptionReport } from '../../src/adoption/report.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Moves the emulator's clock through its HTTP control, as the README documents. */
async function clock(emu: RunningEmulator, body: { speed?: number; advanceMs?: number }) {
  const r = await fetch(`${emu.url}/__emulator/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.status).toBe(200);
}

/** Main IVR at 40 calls a minute, its clock two days ahead of this machine's, 2.0 deployed through the CLI. */
async function deployed(emu: RunningEmulator) {
  emu.control.setTraffic({
    flowId: flowId(emu, 'Main IVR'),
    arrivalsPerMinute: 40,
    failureProbability: 0.02,
  });
  await clock(emu, { advanceMs: 2 * DAY });
  const dir = workspace({
    'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '2.0'\n",
  });
  const deploy = await runCli(['deploy', '--json'], { env: emulatorEnv(emu), cwd: dir });
  expect(deploy.code, deploy.stderr).toBe(0);
  const deploymentId = JSON.parse(deploy.stdout).deployment.id as string;
  // An hour of calls on the emulator's clock, then frozen so the figures hold still.
  await clock(emu, { speed: 0 });
  await clock(emu, { advanceMs: 60 * MINUTE });
  return { dir, deploymentId };
}

const reportsOf = (stdout: string) => (JSON.parse(stdout) as { reports: AdoptionReport[] }).reports;

describe('flowgate adoption (child process)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it("takes now from the platform's clock (moved two days ahead), not this machine's", async () => {
    const emu = e.get();
    const { dir, deploymentId } = await deployed(emu);
    const r = await runCli(['adoption', '--deployment', deploymentId, '--json'], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const [report] = reportsOf(r.stdout);
    expect(report!.window.clock).toBe('platform');
    // The Date header has whole seconds: the window ends within a second of the emulator's time.
    expect(Math.abs(Date.parse(report!.window.until) - emu.control.org.now())).toBeLessThan(1_000);
    expect(Date.parse(report!.window.until)).toBeGreaterThan(Date.now() + DAY);
    expect(report!.overallShare.trials).toBeGreaterThan(2000); // 40 a minute for an hour
    expect(report!.notes).toEqual([]);
  });

  it('without arguments reports the last deployment; a window with no data says so', async () => {
    const emu = e.get();
    const { dir, deploymentId } = await deployed(emu);
    const last = await runCli(['adoption'], { env: emulatorEnv(emu), cwd: dir });
    expect(last.code, last.stderr).toBe(0);
    expect(last.stderr).toContain(`deployment ${deploymentId} (the newest that published`);
    expect(last.stdout).toMatch(/^Main IVR {2}version 2\.0 \(before 3\.0\)/);
    // A month before the flow's first publish: nothing ran.
    const since = new Date(emu.control.org.now() - 30 * DAY).toISOString();
    const until = new Date(emu.control.org.now() - 30 * DAY + 30 * MINUTE).toISOString();
    const empty = await runCli(['adoption', 'Main IVR', '--since', since, '--until', until], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain(`no data: no executions of Main IVR from ${since} to ${until}`);
    const none = await runCli(['adoption'], { env: emulatorEnv(emu), cwd: workspace({}) });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no flow given, and the ledger holds no deployment');
  });

  it("judges by the manifest's health: rule, as the deployment's gate does; a missing --manifest is a usage error", async () => {
    const emu = e.get();
    const { dir, deploymentId } = await deployed(emu);
    const args = ['adoption', '--deployment', deploymentId, '--json'];
    const plain = reportsOf((await runCli(args, { env: emulatorEnv(emu), cwd: dir })).stdout)[0]!;
    // About 2,400 calls on each side: enough for the default minimum of 200.
    expect(plain.verdict.verdict).not.toBe('insufficient');
    expect(plain.verdict.signals.map((s) => s.signal)).toContain('exits');
    const manifest = (health: string) =>
      `version: 1\nhealth:\n${health}\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '2.0'\n`;
    writeFileSync(join(dir, 'flowgate.yaml'), manifest('  window: PT15M\n  minExecutions: 1000000'));
    const strict = await runCli(args, { env: emulatorEnv(emu), cwd: dir });
    expect(strict.code, strict.stderr).toBe(0);
    expect(reportsOf(strict.stdout)[0]!.verdict.verdict).toBe('insufficient');
    writeFileSync(join(dir, 'other.yaml'), manifest('  window: PT15M\n  signals: { exits: false }'));
    const chosen = await runCli([...args, '--manifest', 'other.yaml'], { env: emulatorEnv(emu), cwd: dir });
    const signals = reportsOf(chosen.stdout)[0]!.verdict.signals.map((s) => s.signal);
    expect(signals).not.toContain('exits');
    expect(signals).toContain('disconnects');
    const missing = await runCli([...args, '--manifest', 'nope.yaml'], { env: emulatorEnv(emu), cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('--deployment judges the version that deployment published, though the org published another since', async () => {
    const emu = e.get();
    const { dir, deploymentId } = await deployed(emu);
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Main IVR');
    // Someone publishes again in Architect after the deployment.
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    await client.flows.followOperation(id, await client.flows.publish(id), {
      intervalMs: 10,
      sleep: advance,
    });
    await clock(emu, { advanceMs: 10 * MINUTE });
    const now = (await client.flows.get(id)).publishedVersion?.id;
    expect(now).not.toBe('2.0');
    const r = await runCli(['adoption', '--deployment', deploymentId, '--json'], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(reportsOf(r.stdout)[0]!.newVersion).toBe('2.0');
    // Named on the command line, the flow is judged on what the org publishes now.
    const named = await runCli(['adoption', 'Main IVR', '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(named.code, named.stderr).toBe(0);
    expect(reportsOf(named.stdout)[0]!.newVersion).toBe(now);
  });

  it('--since before the publish: every figure covers that one window, and the report says which', async () => {
    const emu = e.get();
    const { dir } = await deployed(emu);
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Main IVR');
    const published = Date.parse(
      (await client.flows.versions(id)).find((v) => v.id === '2.0')!.datePublished!,
    );
    const since = new Date(published - 30 * MINUTE).toISOString();
    const until = new Date(published + 30 * MINUTE).toISOString();
    const args = ['adoption', 'Main IVR', '--since', since, '--until', until, '--granularity', 'PT5M'];
    const r = await runCli([...args, '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const [report] = reportsOf(r.stdout);
    expect(report!.window).toMatchObject({ from: since, until });
    // The intervals cover the window exactly, and every total agrees with them.
    expect(report!.share.map((s) => s.start)).toEqual(
      Array.from({ length: 12 }, (_, i) => new Date(Date.parse(since) + i * 5 * MINUTE).toISOString()),
    );
    const inShare = report!.share.reduce((n, s) => n + s.total, 0);
    const inRows = report!.versions.reduce((n, v) => n + v.executions, 0);
    expect(report!.overallShare.trials).toBe(inShare);
    expect(inRows).toBe(inShare);
    const byVersion = Object.fromEntries(report!.versions.map((v) => [v.version, v.executions]));
    // The old version ran the first half hour of the window: about 1,200 calls, not 0.
    expect(byVersion['3.0']).toBeGreaterThan(1000);
    expect(byVersion['2.0']).toBeGreaterThan(1000);
    expect(report!.overallShare.rate!).toBeGreaterThan(0.4);
    expect(report!.overallShare.rate!).toBeLessThan(0.6);
    const pretty = await runCli(args, { env: emulatorEnv(emu), cwd: dir });
    expect(pretty.stdout).toContain(`window: ${since} to ${until} (`);
    expect(pretty.stdout).toMatch(/version 3\.0 +\d{4} executions/);
  });
});
