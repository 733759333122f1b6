/**
 * `flowgate prune` and `plan --overwrite-drift` as a user runs them: child processes against the
 * emulator, on a ledger the library's deploy wrote.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { FAST } from '../helpers/emulator.js';

const manifest = (...files: string[]) =>
  `version: 1\nflows:\n${files.map((f) => `  - file: ${f}\n`).join('')}`;

describe('flowgate prune (child process against the emulator)', () => {
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
  const live = (name: string) => emu.control.state().flows.find((f) => f.name === name && !f.deleted);

  it('a dry run lists the dropped flow and changes nothing (exit 0); --apply --json deletes it and records it in the ledger and the audit log', async () => {
    const dir = workspace({
      'flowgate.yaml': manifest('a.yaml', 'b.yaml'),
      'a.yaml': inboundFlow('Prune A'),
      'b.yaml': inboundFlow('Prune B'),
    });
    const s = librarySession(emu, dir, join(dir, '.flowgate/ledger.db'));
    await s.deploy();
    await s.ledger.close();
    writeFileSync(join(dir, 'flowgate.yaml'), manifest('a.yaml'));

    const dry = await runCli(['prune'], { env: env(), cwd: dir });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Prune (dry run): 1 flow flowgate deployed');
    expect(dry.stdout).toMatch(/ {2}delete {6}Prune B \(inboundcall\): no longer in the manifest/);
    expect(dry.stdout).toContain('Nothing changed. 1 flow would be deleted with --apply.');
    expect(live('Prune B')).toBeDefined();

    const applied = await runCli(['prune', '--apply', '--json'], { env: env(), cwd: dir });
    expect(applied.code).toBe(0);
    const json = JSON.parse(applied.stdout);
    expect(json).toMatchObject({ applied: true, status: 'succeeded', items: [{ outcome: 'deleted' }] });
    expect(live('Prune B')).toBeUndefined();
    // The table says what happened to the flow, not the ledger's state for a done step.
    const table = await runCli(['history', 'Prune B'], { env: env(), cwd: dir });
    expect(table.stdout).toMatch(/Prune B \[inboundcall\] +deleted +— +— +(\S+ → )?deleted\n/);
    const history = await runCli(['history', '--json'], { env: env(), cwd: dir });
    expect(JSON.parse(history.stdout).steps[0]).toMatchObject({
      deploymentId: json.deploymentId,
      kind: 'delete',
      state: 'published',
    });
    const audit = await runCli(['audit', 'show', '--json'], { env: env(), cwd: dir });
    expect(audit.stdout).toContain('step.deleted');
  });

  it('a mistyped flag and a missing manifest are usage errors (exit 2) with a hint', async () => {
    const dir = workspace({});
    const typo = await runCli(['prune', '--aply'], { env: env(), cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("error [USAGE_UNKNOWN_OPTION] unknown option '--aply'");
    expect(typo.stderr).toContain('hint: Did you mean --apply?');
    const none = await runCli(['prune', '--apply'], { env: env(), cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[USAGE_NO_MANIFEST] no flowgate.yaml here');
    expect(none.stderr).toContain('hint: ');
  });

  it('plan: a flow changed in Architect since the last deployment blocks (exit 3) unless --overwrite-drift (exit 0)', async () => {
    const dir = workspace({ 'flowgate.yaml': manifest('f.yaml'), 'f.yaml': inboundFlow('Drift F') });
    const s = librarySession(emu, dir, join(dir, '.flowgate/ledger.db'));
    await s.deploy();
    await s.ledger.close();
    // Someone else (another ledger) publishes other content of the flow.
    const other = workspace({
      'flowgate.yaml': manifest('f.yaml'),
      'f.yaml': inboundFlow('Drift F', { say: 'Changed in Architect' }),
    });
    await librarySession(emu, other).deploy();

    const blocked = await runCli(['plan'], { env: env(), cwd: dir });
    expect(blocked.code).toBe(3);
    expect(blocked.stdout).toContain('Drift F was changed in Architect since deployment');
    const over = await runCli(['plan', '--overwrite-drift', '--json'], { env: env(), cwd: dir });
    expect(over.code).toBe(0);
    expect(JSON.parse(over.stdout).steps[0]).toMatchObject({ flowName: 'Drift F', action: 'update' });
  });
});
