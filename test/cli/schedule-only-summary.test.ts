/**
 * New-user trial: `deploy --schedule-only` said `scheduled: flowgate run-scheduled publishes the
 * rest when due` when every step was unchanged, or when the activation time had passed and the
 * flow was published at once; the deployment had succeeded and `schedule list` showed nothing.
 * The plan also showed `activates at <past time>` on unchanged steps. (Real CLI child processes
 * against an emulator in this process.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundFlow, publishesOf, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

describe('deploy --schedule-only says what happened', () => {
  const e = useEmulator();

  it('a past activation time: published now; then unchanged: nothing to schedule, no activation shown', async () => {
    const emu = e.get();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: a.yaml\n    activateAt: ${past}\n`,
      'a.yaml': inboundFlow('Past Due'),
    });
    const ledger = join(dir, 'ledger.db');
    const first = await runCli(['deploy', '--schedule-only', '--ledger', ledger], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(first.code, first.stderr).toBe(0);
    expect(publishesOf(emu, 'Past Due')).toBe(1);
    expect(first.stderr).toMatch(
      /published now \(activation time passed\): 1 flow; nothing left to schedule \(deployment d-/,
    );
    expect(first.stderr).not.toContain('run-scheduled');

    const again = await runCli(['deploy', '--schedule-only', '--ledger', ledger], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/nothing to schedule: every flow is unchanged \(deployment d-/);
    expect(again.stderr).not.toContain('activates at');
    expect(again.stderr).not.toContain('run-scheduled');
    const list = await runCli(['schedule', 'list', '--ledger', ledger, '--json'], { cwd: dir });
    expect((JSON.parse(list.stdout) as { scheduled: unknown[] }).scheduled).toEqual([]);
  });

  it('a future activation time: scheduled, with the count and run-scheduled', async () => {
    const emu = e.get();
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: a.yaml\n    activateAt: ${later}\n`,
      'a.yaml': inboundFlow('Tomorrow Only'),
    });
    const r = await runCli(['deploy', '--schedule-only', '--ledger', join(dir, 'l.db')], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('activates at');
    expect(r.stderr).toMatch(
      /scheduled: 1 flow; flowgate run-scheduled publishes it when due \(deployment d-/,
    );
    expect(publishesOf(emu, 'Tomorrow Only')).toBe(0);
  });

  it('a flow without activateAt beside one scheduled: published now for having no activation time, not as late', async () => {
    const emu = e.get();
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n    activateAt: ${later}\n`,
      'a.yaml': inboundFlow('Right Away'),
      'b.yaml': inboundFlow('Tomorrow Too'),
    });
    const r = await runCli(['deploy', '--schedule-only', '--ledger', join(dir, 'l.db')], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /published now \(no activation time\): 1 flow; scheduled: 1 flow; flowgate run-scheduled publishes it when due \(deployment d-/,
    );
    expect(publishesOf(emu, 'Right Away')).toBe(1);
    expect(publishesOf(emu, 'Tomorrow Too')).toBe(0);
  });
});
