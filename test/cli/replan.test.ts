/**
 * Issue 20 §3, §5 (unchanged by meaning) and §6: the plan's baseline is what the org publishes
 * now, whoever put it there; runners deploying one commit at once publish each flow once; a
 * change of quoting, key order or layout only is unchanged. Real child processes.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, publishesOf, publishedVersion, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import type { RunningEmulator } from '../../src/emulator/server.js';

/** Starts `flowgate deploy` in a child process at once; resolves with its exit code. */
function deployAtOnce(emu: RunningEmulator, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin/flowgate.js'), 'deploy'], {
      cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...emulatorEnv(emu) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('plan against what the org publishes now', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('after a rollback, plan compares with the version the org publishes; the rollback reports "rolled back"', async () => {
    const emu = e.get();
    const v1 = inboundFlow('Rolling IVR', { say: 'Version one' });
    const v2 = inboundFlow('Rolling IVR', { say: 'Version two' });
    const dir = workspace({ 'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n', 'f.yaml': v1 });
    expect((await runCli(['deploy'], { cwd: dir, env: emulatorEnv(emu) })).code).toBe(0);
    writeFileSync(join(dir, 'f.yaml'), v2);
    expect((await runCli(['deploy'], { cwd: dir, env: emulatorEnv(emu) })).code).toBe(0);
    const back = await runCli(['rollback', 'Rolling IVR'], { cwd: dir, env: emulatorEnv(emu) });
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/\(rollback\): rolled back/);
    expect(back.stdout).not.toContain('not atomic');
    // The org publishes version one's content again: a plan of v2 shows what changes from it.
    const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env: emulatorEnv(emu) });
    const step = JSON.parse(plan.stdout).steps[0];
    expect(step.action).toBe('update');
    expect(typeof step.diff).toBe('object');
    expect(JSON.stringify(step.diff)).toContain('Version one');
    // And a plan of version one's file is unchanged: that is what the org publishes.
    writeFileSync(join(dir, 'f.yaml'), v1);
    const same = await runCli(['plan', '--format', 'json'], { cwd: dir, env: emulatorEnv(emu) });
    expect(JSON.parse(same.stdout).steps[0].action).toBe('unchanged');
  });

  it('a change of quoting, key order or layout only is unchanged and not published again', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Layout IVR'),
    });
    expect((await runCli(['deploy'], { cwd: dir, env: emulatorEnv(emu) })).code).toBe(0);
    const reformatted = `# reformatted
inboundCall:
  defaultLanguage: "en-us"
  name: 'Layout IVR'
  startUpRef: "./tasks/task[main]"
  tasks:
    - task: { refId: main, name: Main, actions: [ { playAudio: { name: Hello, audio: { tts: "Hello" } } }, { disconnect: { name: Bye } } ] }
`;
    writeFileSync(join(dir, 'f.yaml'), reformatted);
    const r = await runCli(['deploy'], { cwd: dir, env: emulatorEnv(emu) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Layout IVR: unchanged, skipped');
    expect(publishesOf(emu, 'Layout IVR')).toBe(1);
    // A change of meaning still deploys.
    writeFileSync(join(dir, 'f.yaml'), reformatted.replace('tts: "Hello"', 'tts: "Hello there"'));
    expect((await runCli(['deploy'], { cwd: dir, env: emulatorEnv(emu) })).code).toBe(0);
    expect(publishesOf(emu, 'Layout IVR')).toBe(2);
  });

  it('four runners deploying one commit at once on one SQLite ledger publish each flow once', async () => {
    const emu = e.get();
    const names = ['Runner A', 'Runner B', 'Runner C'];
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n${names.map((_, i) => `  - file: f${i}.yaml\n`).join('')}`,
      ...Object.fromEntries(names.map((n, i) => [`f${i}.yaml`, inboundFlow(n)])),
    });
    const runs = await Promise.all([1, 2, 3, 4].map(() => deployAtOnce(emu, dir)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    for (const n of names) {
      expect(publishesOf(emu, n)).toBe(1);
      expect(publishedVersion(emu, n)).toBe('1.0');
    }
  });
});
