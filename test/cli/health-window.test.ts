/**
 * Issue 20 §9: `deploy --health-window PT15M`, as the README shows it, runs the health gate with
 * that window (it was refused as an unknown option); a bad duration is a usage error before
 * anything is published (real CLI child processes against an emulator in this process).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';

// Main IVR publishes 3.0 in the example org: publishing 1.0 is an update the gate watches.
const MANIFEST = "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n";

describe('flowgate deploy --health-window (child processes)', () => {
  const e = useEmulator();

  it('watches the published flow for the window given, look by look, and exits with the verdict', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': MANIFEST });
    const r = await runCli(['deploy', '--health-window', 'PT3S'], { env: emulatorEnv(emu), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(publishedVersion(emu, 'Main IVR')).toBe('1.0');
    expect(r.stderr).toContain('health gate: watching for PT3S (3 looks; disconnects +2 pts');
    // Three seconds of traffic is too little to judge: each look says so, and nothing rolls back.
    for (const look of [1, 2, 3])
      expect(r.stderr).toMatch(new RegExp(`health Main IVR \\(look ${look}\\): insufficient`));
    const history = JSON.parse((await runCli(['history', '--json'], { cwd: dir })).stdout) as {
      steps: Array<{ state: string }>;
    };
    expect(history.steps.map((s) => s.state)).toEqual(['published']);
  });

  it('a window that is not an ISO-8601 duration is refused (exit 2) before anything is planned or published', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': MANIFEST });
    for (const bad of ['15m', 'PT0S', 'PT', 'P1D']) {
      const r = await runCli(['deploy', '--health-window', bad], { env: emulatorEnv(emu), cwd: dir });
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain(
        `error [USAGE_HEALTH_WINDOW] --health-window '${bad}' is not an ISO-8601 duration`,
      );
    }
    expect(publishesOf(emu, 'Main IVR')).toBe(0);
    // Nothing was recorded: not even a ledger file was made (a named ledger that is not there says so).
    const history = await runCli(['history', '--ledger', join(dir, '.flowgate', 'ledger.db')], { cwd: dir });
    expect(history.stderr).toContain('[LEDGER_OPEN] no ledger at');
    expect(history.code).toBe(1);
  });
});
