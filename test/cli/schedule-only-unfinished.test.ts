/**
 * New-user trial: `deploy --schedule-only` after a Ctrl-C (of an earlier `--schedule-only`, or of
 * a deploy waiting for a future `activateAt`) scheduled the same step a second time, and so did
 * running it again: the ledger held two schedules of one flow's step, `run-scheduled` two
 * publishes of it. One schedule per step: a Ctrl-C while planning records nothing; an interrupted
 * deployment is finished as the schedule (no wait); the next run says the step is already
 * scheduled, naming the deployment, and records no second; another change of a scheduled flow is
 * blocked, naming the schedule. Real child processes of the built CLI against an emulator in this
 * process; the interrupted deploy made through the library.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { clockAhead } from '../helpers/shifted-clock.js';

/** The scheduled steps `flowgate schedule list --json` shows. */
async function scheduleList(
  ledger: string,
  cwd: string,
): Promise<Array<{ deployment: string; flow: string }>> {
  const r = await runCli(['schedule', 'list', '--ledger', ledger, '--json'], { cwd });
  return (JSON.parse(r.stdout) as { scheduled: Array<{ deployment: string; flow: string }> }).scheduled.map(
    ({ deployment, flow }) => ({ deployment, flow }),
  );
}

/** The states of a flow's steps in the ledger, newest first (`flowgate history <flow> --json`). */
async function statesOf(flow: string, ledger: string, cwd: string): Promise<string[]> {
  const r = await runCli(['history', flow, '--ledger', ledger, '--json'], { cwd });
  return (JSON.parse(r.stdout) as { steps: Array<{ state: string }> }).steps.map((s) => s.state);
}

describe('deploy --schedule-only schedules each step once', () => {
  const e = useEmulator();

  it('after a deploy interrupted while it waited: finishes that deployment as the schedule, at once; records no second; run-scheduled publishes once', async () => {
    const emu = e.get();
    // A day away: a resume that waited would hold the command for a day.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: a.yaml\n    activateAt: ${later}\n`,
      'a.yaml': inboundFlow('Tonight'),
    });
    const ledger = join(dir, 'ledger.db');
    // A deploy (not schedule-only) waits for the activation time; Ctrl-C while it waits.
    const abort = new AbortController();
    const s = librarySession(emu, dir, ledger);
    const { outcome } = await s.deploy({
      signal: abort.signal,
      onEvent: (ev) => {
        if (ev.type === 'waiting') abort.abort(new Error('interrupted'));
      },
    });
    expect(outcome.status).toBe('interrupted');
    await s.ledger.close();
    const x = outcome.deploymentId;

    // The manifest named as the library named it (the ledger compares the path as given).
    const manifest = join(dir, 'flowgate.yaml');
    const r = await runCli(['deploy', '--schedule-only', '-m', manifest, '--ledger', ledger], {
      env: emulatorEnv(emu),
      cwd: dir,
      timeoutMs: 15_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `resuming deployment ${x} left unfinished by an earlier run as a schedule (what is due now, the rest for run-scheduled)`,
    );
    expect(r.stderr).toContain(
      `scheduled: 1 flow; flowgate run-scheduled publishes it when due (deployment ${x})`,
    );
    expect(r.stderr).toContain(
      `already scheduled: Tonight by deployment ${x} (scheduled, activation at ${later}); not scheduled again`,
    );
    expect(r.stderr).toMatch(/nothing new to schedule: every other flow is unchanged \(deployment d-/);
    expect(publishesOf(emu, 'Tonight')).toBe(0);

    const status = await runCli(['status', x, '--ledger', ledger, '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout).deployment.status).toBe('scheduled');
    expect(await scheduleList(ledger, dir)).toEqual([{ deployment: x, flow: 'Tonight' }]);
    // The ledger holds one schedule of the step: the new deployment's step is unchanged.
    expect(await statesOf('Tonight', ledger, dir)).toEqual(['unchanged', 'scheduled']);

    // Due (the CLI's clock two days ahead): published once, by the one schedule.
    const due = await runCli(['run-scheduled', '--ledger', ledger], {
      env: { ...emulatorEnv(emu), ...clockAhead(2 * 86_400_000) },
      cwd: dir,
    });
    expect(due.code, due.stderr).toBe(0);
    expect(publishesOf(emu, 'Tonight')).toBe(1);
    expect(await scheduleList(ledger, dir)).toEqual([]);
    // Newest change first: the schedule's step, published.
    expect(await statesOf('Tonight', ledger, dir)).toEqual(['published', 'unchanged']);
  });

  it('Ctrl-C of --schedule-only while it plans records nothing (130); the next run schedules once; the one after says it is already scheduled', async () => {
    const emu = e.get();
    // The seed's Holiday_Flow, changed: the org publishes a version this ledger has no record
    // of, so the plan reads it with an export job, which a stopped clock holds.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const holiday = readFileSync(
      'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml',
      'utf8',
    ).replace('Hello, this is the initial greeting.', 'Hello, we are closed today.');
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: holiday.yaml\n    activateAt: ${later}\n`,
      'holiday.yaml': holiday,
    });
    const ledger = join(dir, 'ledger.db');
    emu.control.setClock({ speed: 0 });
    const child = spawn(
      process.execPath,
      [join(process.cwd(), 'bin/flowgate.js'), 'deploy', '--schedule-only', '--ledger', ledger],
      { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1', ...emulatorEnv(emu) } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const exporting = () =>
      emu.control.requests().some((q) => q.method === 'POST' && q.path === '/api/v2/flows/export/jobs');
    while (!exporting() && child.exitCode === null) await new Promise((res) => setImmediate(res));
    child.kill('SIGINT');
    while (!stderr.includes('stopping:') && child.exitCode === null)
      await new Promise((res) => setImmediate(res));
    // The export job ends: the plan is made, after the Ctrl-C.
    emu.control.setClock({ speed: 1 });
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain(
      'error [ABORTED] interrupted before the deployment was recorded: nothing was recorded or published',
    );
    expect(await statesOf('Holiday_Flow', ledger, dir)).toEqual([]);

    const first = await runCli(['deploy', '--schedule-only', '--ledger', ledger], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(first.code, first.stderr).toBe(0);
    const scheduled = await scheduleList(ledger, dir);
    expect(scheduled.map((x) => x.flow)).toEqual(['Holiday_Flow']);
    const x = scheduled[0]!.deployment;
    expect(first.stderr).toContain(
      `scheduled: 1 flow; flowgate run-scheduled publishes it when due (deployment ${x})`,
    );

    const again = await runCli(['deploy', '--schedule-only', '--ledger', ledger], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      `already scheduled: Holiday_Flow by deployment ${x} (scheduled, activation at ${later}); not scheduled again`,
    );
    expect(again.stderr).not.toMatch(/^scheduled: /m);
    expect(await scheduleList(ledger, dir)).toEqual([{ deployment: x, flow: 'Holiday_Flow' }]);
    expect(await statesOf('Holiday_Flow', ledger, dir)).toEqual(['unchanged', 'scheduled']);
    expect(publishesOf(emu, 'Holiday_Flow')).toBe(0);
  });

  it('another change of a scheduled flow is blocked, naming the schedule (exit 3, nothing recorded); once it is cancelled, the change is scheduled', async () => {
    const emu = e.get();
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: a.yaml\n    activateAt: ${later}\n`,
      'a.yaml': inboundFlow('Tomorrow', { say: 'One' }),
    });
    const ledger = join(dir, 'ledger.db');
    const run = () =>
      runCli(['deploy', '--schedule-only', '--ledger', ledger], { env: emulatorEnv(emu), cwd: dir });
    expect((await run()).code).toBe(0);
    const [first] = await scheduleList(ledger, dir);
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Tomorrow', { say: 'Two' }));
    const blocked = await run();
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain('[DEPLOY_BLOCKED]');
    expect(blocked.stdout).toContain(
      `Tomorrow: deployment ${first!.deployment} already schedules other content of the flow (scheduled, activation at ${later}); one schedule per flow: cancel that schedule, or let it publish, before another change of the flow`,
    );
    expect(blocked.stderr).toContain('flowgate schedule cancel <deployment> cancels it');
    expect(await scheduleList(ledger, dir)).toEqual([first]);

    expect(
      (await runCli(['schedule', 'cancel', first!.deployment, '--ledger', ledger], { cwd: dir })).code,
    ).toBe(0);
    expect((await run()).code).toBe(0);
    const now = await scheduleList(ledger, dir);
    expect(now).toHaveLength(1);
    expect(now[0]!.deployment).not.toBe(first!.deployment);
  });
});
