/**
 * Ctrl-C during `flowgate rollback` (real child processes against an emulator in this process):
 * it stops as `deploy` does (the step in flight recorded, the rollback `interrupted`, its report,
 * exit 130), and the next `flowgate rollback` finishes it, asking the org what the import job did,
 * so the flow is published once; the next plan counts what the rollback published as flowgate's.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';

/** Starts `flowgate <args>`, sends SIGINT once the emulator has taken `uploadsBefore + 1` uploads. */
async function interruptAfterUpload(
  emu: RunningEmulator,
  cwd: string,
  args: string[],
  uploadsBefore: number,
) {
  const child = spawn(process.execPath, [join(process.cwd(), 'bin/flowgate.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...emulatorEnv(emu) },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const uploads = () => emu.control.requests().filter((r) => r.method === 'PUT').length;
  // The import job's upload taken: the step is truly in flight (its job never ends on a stopped clock).
  while (uploads() <= uploadsBefore && child.exitCode === null) await new Promise((r) => setImmediate(r));
  child.kill('SIGINT');
  const code = await exited;
  return { code, stderr, stdout };
}

describe('flowgate rollback, Ctrl-C (child processes)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('Ctrl-C mid-import: stopping, the rollback interrupted with its report, 130; rollback again finishes it once', async () => {
    const emu = e.get();
    const v1 = inboundFlow('Int IVR', { say: 'One' });
    const dir = workspace({ 'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n', 'a.yaml': v1 });
    expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Int IVR', { say: 'Two' }));
    expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
    const uploads = emu.control.requests().filter((r) => r.method === 'PUT').length;
    emu.control.setClock({ speed: 0 });
    const stopped = await interruptAfterUpload(emu, dir, ['rollback', 'Int IVR'], uploads);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain('stopping: no new steps start');
    expect(stopped.stderr).toContain('flowgate rollback --resume continues');
    expect(stopped.stdout).toMatch(/interrupted/);
    const status = await runCli(['history', '--json'], { cwd: dir });
    expect(status.stdout).not.toContain('"running"');
    // The job ends in the org while nobody watches.
    emu.control.setClock({ speed: 1 });
    while (publishedVersion(emu, 'Int IVR') !== '3.0') await new Promise((r) => setImmediate(r));
    // Before it is finished, the plan names flowgate's own rollback, not a change in Architect.
    const blocked = await runCli(['plan'], { env: emulatorEnv(emu), cwd: dir });
    expect(blocked.code, blocked.stdout).toBe(3);
    expect(blocked.stdout).toMatch(/the content flowgate's own rollback d-\S+ imports \(left unfinished/);
    expect(blocked.stdout).not.toContain('changed in Architect');
    const again = await runCli(['rollback', 'Int IVR'], { env: emulatorEnv(emu), cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming rollback');
    expect(again.stderr).toContain('not planned again');
    // 1.0, 2.0, and the rollback's one import (3.0): nothing published twice.
    expect(publishesOf(emu, 'Int IVR')).toBe(3);
    expect(publishedVersion(emu, 'Int IVR')).toBe('3.0');
    expect((await runCli(['rollback', '--resume'], { env: emulatorEnv(emu), cwd: dir })).stderr).toContain(
      'nothing to resume',
    );
    // What the rollback published is flowgate's: the plan updates it, no drift.
    const plan = await runCli(['plan'], { env: emulatorEnv(emu), cwd: dir });
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).not.toContain('changed in Architect');
  }, 60_000);
});
