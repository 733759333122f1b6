/**
 * Ctrl-C during `flowgate prune --apply` (a real child process against the emulator): the call in
 * flight finishes and is recorded, nothing after it is sent, the prune ends `interrupted` with its
 * report and exit 130, and the next prune says what the earlier one left before it plans.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { FAST } from '../helpers/emulator.js';

const manifest = (...files: string[]) =>
  `version: 1\nflows:\n${files.map((f) => `  - file: ${f}\n`).join('')}`;

describe('flowgate prune --apply, Ctrl-C (child process)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clientSecret: 'prune-secret', settings: FAST });
  });
  afterAll(async () => {
    await emu.stop();
  });
  const env = () => ({
    GENESYSCLOUD_BASE_URL: emu.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: 'prune-secret',
  });
  const active = (name: string) => emu.control.state().flows.find((f) => f.name === name)?.active !== false;

  it('stops after the deactivate in flight: interrupted, its report, 130; the next prune names it', async () => {
    const dir = workspace({
      'flowgate.yaml': manifest('a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'),
      'a.yaml': inboundFlow('Stop A'),
      'b.yaml': inboundFlow('Stop B'),
      'c.yaml': inboundFlow('Stop C'),
      'd.yaml': inboundFlow('Stop D'),
    });
    const s = librarySession(emu, dir, join(dir, '.flowgate/ledger.db'));
    await s.deploy();
    await s.ledger.close();
    writeFileSync(join(dir, 'flowgate.yaml'), manifest('a.yaml'));
    const deactivates = () =>
      emu.control.requests().filter((r) => r.path === '/api/v2/flows/actions/deactivate').length;
    // The second deactivate is slow: Ctrl-C lands while it is in flight or before it is sent.
    emu.control.addFault({
      path: 'flows/actions/deactivate',
      action: 'latency',
      latencyMs: 1500,
      skip: 1,
      times: 1,
    });
    const child = spawn(
      process.execPath,
      [join(process.cwd(), 'bin/flowgate.js'), 'prune', '--apply', '--deactivate', '--json'],
      { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env() } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    while (deactivates() < 1 && child.exitCode === null) await new Promise((r) => setImmediate(r));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('stopping: no new steps start');
    const report = JSON.parse(stdout) as { status: string; items: { flowName: string; outcome: string }[] };
    expect(report.status).toBe('interrupted');
    const outcomes = report.items.map((i) => i.outcome);
    expect(outcomes).toContain('cancelled');
    expect(outcomes).not.toContain('failed');
    // The org and the report agree: what was deactivated says so, nothing cancelled was sent.
    for (const i of report.items) expect(active(i.flowName), i.flowName).toBe(i.outcome !== 'deactivated');
    const history = JSON.parse((await runCli(['history', '--json'], { cwd: dir })).stdout) as {
      steps: { state: string; kind: string }[];
    };
    expect(history.steps.filter((x) => x.kind === 'deactivate').map((x) => x.state)).not.toContain(
      'publishing',
    );

    const next = await runCli(['prune', '--deactivate'], { env: env(), cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/prune d-\S+ was left unfinished by an earlier run \(interrupted\)/);
    const again = await runCli(['prune', '--deactivate'], { env: env(), cwd: dir });
    expect(again.stderr).not.toContain('left unfinished');
  }, 60_000);
});
