/**
 * `flowgate plan` for an OAuth client that may not run export jobs (the org answers 403): the
 * pretty and JSON plans say, per flow, that the content check was not possible, why, and what
 * deploy does instead. Child processes of the built CLI against an emulator in this process.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { NO_EXPORT, noExportSeed } from '../helpers/no-export-client.js';

const env = (emu: RunningEmulator, client: { clientId: string; clientSecret: string } = emu.credentials) => ({
  GENESYSCLOUD_BASE_URL: emu.url,
  GENESYSCLOUD_OAUTHCLIENT_ID: client.clientId,
  GENESYSCLOUD_OAUTHCLIENT_SECRET: client.clientSecret,
});

describe('plan without the export permission (child processes)', () => {
  const e = useEmulator({ seed: noExportSeed });

  it('pretty and --json say the content check was not possible, why, and what deploy does', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Unread Flow'),
    });
    // Published through another ledger: this one has no record of what the org publishes.
    const first = await runCli(['deploy', '--ledger', join(dir, 'other.db')], { env: env(emu), cwd: dir });
    expect(first.code, first.stderr).toBe(0);

    const pretty = await runCli(['plan'], { env: env(emu, NO_EXPORT), cwd: dir });
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toContain(
      'content not checked: the org refused the export job that reads what it publishes (403): the OAuth client lacks architect:jobExport:create',
    );
    expect(pretty.stdout).toContain(
      'so the ledger has no record of the content the org publishes (version 1.0): deploy publishes the file',
    );
    expect(pretty.stdout).toContain('architect:jobExport:view');
    expect(pretty.stdout).toContain('✓ can be applied, without the content check of 1 flow:');

    const json = await runCli(['plan', '--json'], { env: env(emu, NO_EXPORT), cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout);
    expect(plan.contentNotChecked).toBe(1);
    expect(plan.steps[0].action).toBe('update');
    expect(plan.steps[0].contentCheck).toMatchObject({
      status: 'not-possible',
      code: 'API_FORBIDDEN',
      reason: expect.stringContaining('architect:jobExport:create'),
      decision: expect.stringContaining('deploy publishes the file'),
    });

    // With the permission the check is made, and the JSON says so.
    const checked = JSON.parse((await runCli(['plan', '--json'], { env: env(emu), cwd: dir })).stdout);
    expect(checked.contentNotChecked).toBe(0);
    expect(checked.steps[0]).toMatchObject({ action: 'unchanged', contentCheck: { status: 'made' } });
  });
});
