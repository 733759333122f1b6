/**
 * Choosing the ledger from the CLI: FLOWGATE_LEDGER_URL, the password from the environment or a
 * file (never a flag, never printed), clear errors for a bad URL, a refused password or no server,
 * and `flowgate ledger migrate` from a machine's SQLite file into the team's PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { useEmulator } from '../helpers/emulator.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';
import { postgresDatabase, postgresServer } from '../helpers/postgres.js';

/** A password made for this run (never committed). */
const PW = `pw-${randomBytes(9).toString('hex')}`;

const platform = (emu: RunningEmulator) => ({
  GENESYSCLOUD_BASE_URL: emu.url,
  GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
  GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
});

describe('ledger selection and migrate (child processes)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 10, jobDelayMs: 10 } });

  it('refuses a password on --ledger or in the manifest, and plain TCP off this machine, without printing the password', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('A'),
    });
    const flag = await runCli(['plan', '--ledger', `postgres://ci:${PW}@127.0.0.1:5/x`], {
      cwd: dir,
      env: platform(emu),
    });
    expect(flag.code, flag.stderr).toBe(2);
    expect(flag.stderr).toMatch(/CONFIG_LEDGER/);
    expect(flag.stderr + flag.stdout).not.toContain(PW);

    writeFileSync(
      join(dir, 'flowgate.yaml'),
      `version: 1\nledger:\n  url: postgres://ci:${PW}@db.example.com/flowgate\nflows:\n  - file: a.yaml\n`,
    );
    const manifest = await runCli(['plan'], { cwd: dir, env: platform(emu) });
    expect(manifest.code, manifest.stderr).toBe(2);
    expect(manifest.stderr).toMatch(/ledger\.url carries a password/);
    expect(manifest.stderr + manifest.stdout).not.toContain(PW);

    const clear = await runCli(['history'], {
      cwd: dir,
      env: {
        FLOWGATE_LEDGER_URL: 'postgres://ci@db.example.com/flowgate?sslmode=disable',
        FLOWGATE_LEDGER_PASSWORD: PW,
      },
    });
    expect(clear.code, clear.stderr).toBe(2);
    expect(clear.stderr).toMatch(/off this machine and sslmode=disable/);
    expect(clear.stderr).not.toContain(PW);
  });

  it('a wrong password and a server that is not there are LEDGER_OPEN (exit 1), naming where and not the password', async () => {
    const db = await postgresDatabase();
    const wrong = await runCli(['history'], {
      env: { FLOWGATE_LEDGER_URL: db.url, FLOWGATE_LEDGER_PASSWORD: 'not-the-password' },
    });
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toMatch(/LEDGER_OPEN/);
    expect(wrong.stderr).toMatch(/refused the credentials/);
    expect(wrong.stderr).not.toContain('not-the-password');
    expect(wrong.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const none = await runCli(['history'], {
      env: { FLOWGATE_LEDGER_URL: 'postgres://postgres@127.0.0.1:1/nothing', FLOWGATE_LEDGER_PASSWORD: 'x' },
    });
    expect(none.code, none.stderr).toBe(1);
    expect(none.stderr).toMatch(/LEDGER_OPEN.*cannot be reached/s);

    const missing = await runCli(['history'], { env: { FLOWGATE_LEDGER_URL: db.url } });
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toMatch(/asks for a password and none was given/);
  });

  it('ledger migrate copies a SQLite ledger into PostgreSQL once; history then reads it there (password from a file)', async () => {
    const emu = e.get();
    const db = await postgresDatabase();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n',
      'a.yaml': inboundFlow('Migrated A'),
      'b.yaml': inboundFlow('Migrated B', { transferTo: 'Migrated A' }),
      'pw.txt': `${db.password}\n`,
    });
    const deployed = await runCli(['deploy'], { cwd: dir, env: platform(emu) });
    expect(deployed.code, deployed.stderr).toBe(0);
    const team = { FLOWGATE_LEDGER_URL: db.url, FLOWGATE_LEDGER_PASSWORD_FILE: join(dir, 'pw.txt') };

    const first = await runCli(['ledger', 'migrate', '--json'], { cwd: dir, env: team });
    expect(first.code, first.stderr).toBe(0);
    const counts = JSON.parse(first.stdout) as {
      copied: number;
      skipped: number;
      steps: number;
      calls: number;
    };
    expect(counts).toMatchObject({ copied: 1, skipped: 0, steps: 2 });
    expect(counts.calls).toBeGreaterThan(0);
    const second = await runCli(['ledger', 'migrate'], { cwd: dir, env: team });
    expect(second.stdout).toMatch(/copied 0 deployments .*; 1 already there/);

    const history = await runCli(['history', '--json'], { cwd: workspace({}), env: team });
    expect(history.code, history.stderr).toBe(0);
    const rows = (JSON.parse(history.stdout) as { steps: Array<{ flowName: string; state: string }> }).steps;
    expect(rows.map((r) => `${r.flowName} ${r.state}`).sort()).toEqual([
      'Migrated A published',
      'Migrated B published',
    ]);

    // The next deploy on the team ledger sees what was deployed from the laptop: unchanged.
    const plan = await runCli(['plan', '--json'], { cwd: dir, env: { ...platform(emu), ...team } });
    const steps = (JSON.parse(plan.stdout) as { steps: Array<{ action: string }> }).steps;
    expect(steps.map((s) => s.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('the run has a real PostgreSQL server, reached with the password the tests give flowgate', async () => {
    // The global setup either started one or recorded why not (and then this says why).
    const server = postgresServer();
    const db = await postgresDatabase();
    const rows = await db.admin('SELECT current_database() AS name, version() AS version');
    expect(rows).toEqual([{ name: db.name, version: expect.stringMatching(/^PostgreSQL \d+/) as string }]);
    expect(db.url).toContain(`@${server.host}:${server.port}/`);
    expect(db.password).toBe(server.password);
  });
});
