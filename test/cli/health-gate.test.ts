/**
 * `flowgate deploy` with a `health:` section, as a user runs it: a real child process against the
 * emulator, whose clock runs 1,200 times faster than real time so the gate's few real seconds are
 * an hour of simulated calls. Main IVR sets no outcomes, so the signals the manifest chooses for
 * every flow decide: its callers hanging up more often roll it back.
 */
import { describe, expect, it } from 'vitest';
import { emulatorEnv, flowId, useEmulator } from '../helpers/emulator.js';
import { publishedVersion, workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';

const manifest = `version: 1
health:
  window: PT3S
  looks: 3
  minExecutions: 100
  signals:
    disconnects: { margin: 0.05 }
    outcomes: false
flows:
  - name: Main IVR
    type: inboundcall
    version: '2.0'
`;

describe('flowgate deploy with a health gate (child process)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('a flow without outcomes whose callers hang up more is rolled back on the signals the manifest chose; exit 1', async () => {
    const emu = e.get();
    const id = flowId(emu, 'Main IVR');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 60 });
    emu.control.setTraffic({ flowId: id, version: '2.0', exitReasons: { DISCONNECT: 0.4 } });
    emu.control.setClock({ speed: 1200 });
    const dir = workspace({ 'flowgate.yaml': manifest });
    const r = await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('health gate: watching for PT3S (3 looks; disconnects +5 pts, exits ');
    expect(r.stderr).not.toContain('failed outcomes');
    expect(r.stderr).toMatch(
      /health Main IVR \(look \d\): degraded: disconnects: \d+\.\d+ % against \d+\.\d+ %/,
    );
    expect(r.stderr).toContain('health gate: Main IVR rolled back to 3.0 (succeeded)');
    emu.control.setClock({ speed: 0 });
    expect(publishedVersion(emu, 'Main IVR')).toBe('3.0');
  }, 90_000);

  it('the same deployment with callers as before stays; exit 0', async () => {
    const emu = e.get();
    const id = flowId(emu, 'Main IVR');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 60 });
    emu.control.setClock({ speed: 1200 });
    const dir = workspace({ 'flowgate.yaml': manifest });
    const r = await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/health Main IVR \(look 3\): healthy: disconnects: /);
    emu.control.setClock({ speed: 0 });
    expect(publishedVersion(emu, 'Main IVR')).toBe('2.0');
  }, 90_000);
});
