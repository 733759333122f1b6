/** `flowgate export` as a user runs it: a child process against the emulator, real files. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../helpers/cli.js';
import { workspace } from '../helpers/deploy.js';
import { FAST } from '../helpers/emulator.js';

describe('flowgate export (child process against the emulator)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clientSecret: 'export-secret', settings: FAST });
  });
  afterAll(async () => {
    await emu.stop();
  });
  const env = () => ({
    GENESYSCLOUD_BASE_URL: emu.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: 'export-secret',
  });

  it('--out naming a file: EXPORT_OUT before any export job, exit 2', async () => {
    const cwd = workspace({ 'taken.txt': 'a file' });
    const before = emu.control.requests().length;
    const r = await runCli(['export', '--out', 'taken.txt/flows'], { env: env(), cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[EXPORT_OUT] cannot export into taken.txt/flows');
    expect(r.stderr).not.toContain('INTERNAL');
    expect(
      emu.control
        .requests()
        .slice(before)
        .filter((q) => q.path.includes('/export/jobs')),
    ).toEqual([]);
  });

  it('--init --env prod --json: files, a manifest, substitutions; a re-run says every file is unchanged', async () => {
    const cwd = workspace({});
    const r = await runCli(['export', '--init', '--env', 'prod', '--json'], { env: env(), cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.exported).toHaveLength(9);
    expect(json.skipped).toEqual([expect.objectContaining({ name: 'Callback Outbound' })]);
    expect(json.manifest.change).toBe('created');
    expect(existsSync(join(cwd, 'flows/inboundcall/main-ivr.yaml'))).toBe(true);
    expect(readFileSync(join(cwd, 'substitutions/prod.yaml'), 'utf8')).toContain('flow_main_ivr: Main IVR');

    const again = await runCli(['export', '--init', '--env', 'prod'], { env: env(), cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('9 exported (0 new, 0 changed, 9 unchanged), 1 skipped, 0 failed');
    // Not a terminal: one line per flow on stderr, the skipped one with its reason.
    expect(again.stderr.split('\n').filter((l) => l.startsWith('= '))).toHaveLength(9);
    expect(again.stderr).toContain("outboundcall 'Callback Outbound' skipped: never published");

    // The round trip as a user runs it: the written manifest validates with its environment's
    // values; without them every token is unresolved, and the advice names --env.
    const valid = await runCli(['validate', '--env', 'prod'], { cwd });
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    const bare = await runCli(['validate'], { cwd });
    expect(bare.code).toBe(3);
    expect(bare.stdout + bare.stderr).toContain('--env NAME');
  });

  it('--version with --saved is a usage error (exit 2)', async () => {
    const r = await runCli(['export', '--version', '1.0', '--saved'], { env: env(), cwd: workspace({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--version and --saved');
  });
});
