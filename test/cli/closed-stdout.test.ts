/**
 * Issue 20 §10: `flowgate history | head -1` crashed with an EPIPE stack trace. A reader that
 * closes stdout early ends a reading command quietly with exit 0, and does not cut short a command
 * that changes something (real child processes; the outputs are far larger than a pipe's buffer,
 * so the command is still writing when the reader goes away).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS, lineHash } from '../../src/events/audit-entry.js';
import { newEvent } from '../../src/events/model.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { StepRecord } from '../../src/ledger/types.js';
import { inboundFlow, publishedVersion, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

const BIN = resolve('bin/flowgate.js');

/** Runs the CLI and destroys the read side of its stdout after the first chunk. */
function runAndCloseEarly(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; first: string }>(
    (done, fail) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd,
        env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString();
        child.stdout.destroy();
      });
      child.on('error', fail);
      child.on('close', (code, signal) => done({ code, signal, stderr, first }));
    },
  );
}

/** `bash -c 'flowgate … | head -1'` as a user types it; flowgate's own exit code goes to stderr. */
function throughHead(args: string[], cwd: string) {
  return new Promise<{ stdout: string; stderr: string }>((done, fail) => {
    const quoted = args.map((a) => `'${a}'`).join(' ');
    const script = `"${process.execPath}" "${BIN}" ${quoted} | head -1; echo "flowgate exit \${PIPESTATUS[0]}" >&2`;
    const child = spawn('bash', ['--noprofile', '--norc', '-c', script], {
      cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', () => done({ stdout, stderr }));
  });
}

/** An audit log of `n` entries with a valid chain, written directly (no fsync per entry). */
function bigAuditLog(dir: string, n: number): void {
  mkdirSync(join(dir, '.flowgate'), { recursive: true });
  let prev = GENESIS;
  const lines: string[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const event = newEvent({
      type: 'step.published',
      time: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
      deploymentId: `d-${seq}`,
      actor: 'ci-client',
      org: 'https://api.example.test',
      flow: { id: `f-${seq}`, name: `Flow number ${seq}`, type: 'inboundcall' },
      versionBefore: '1.0',
      versionAfter: '2.0',
      result: 'succeeded',
      message: `published Flow number ${seq}`,
    });
    const line = JSON.stringify({ seq, prev, event, hash: entryHash(seq, prev, event) });
    lines.push(line);
    prev = lineHash(line);
  }
  writeFileSync(join(dir, '.flowgate', 'audit.jsonl'), `${lines.join('\n')}\n`);
}

/** A ledger with one deployment of `n` steps. */
async function bigLedger(dir: string, n: number): Promise<void> {
  mkdirSync(join(dir, '.flowgate'), { recursive: true });
  const ledger = openSqliteLedger(join(dir, '.flowgate', 'ledger.db'));
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const steps: StepRecord[] = Array.from({ length: n }, (_, index) => ({
    deploymentId: 'd-big',
    index,
    flowKey: `inboundcall:flow ${index}`,
    flowName: `Flow ${index}`,
    flowType: 'inboundcall',
    kind: 'import',
    previousVersion: '1.0',
    publishedVersion: '2.0',
    createdFlow: false,
    state: 'published',
    dependsOn: [],
    updatedAt: at,
  }));
  await ledger.createDeployment(
    {
      id: 'd-big',
      createdAt: at,
      updatedAt: at,
      status: 'succeeded',
      actor: 'ci-client',
      org: 'https://api.example.test',
      atomic: true,
    },
    steps,
  );
  await ledger.close();
}

describe('a reader that closes stdout early (child processes)', () => {
  it('history and audit show end quietly with exit 0 when the pipe closes after the first chunk', async () => {
    const dir = workspace({});
    bigAuditLog(dir, 20_000);
    await bigLedger(dir, 5_000);
    for (const args of [
      ['history', '--limit', '5000'],
      ['audit', 'show'],
      ['audit', 'show', '--json'],
    ]) {
      const r = await runAndCloseEarly(args, dir);
      expect(r.first.length, args.join(' ')).toBeGreaterThan(0);
      expect(r.stderr, args.join(' ')).toBe('');
      expect({ code: r.code, signal: r.signal }, args.join(' ')).toEqual({ code: 0, signal: null });
    }
  });

  it("bash -c 'flowgate history | head -1': one line, no stack trace, flowgate exits 0", async () => {
    const dir = workspace({});
    await bigLedger(dir, 5_000);
    bigAuditLog(dir, 20_000);
    for (const args of [
      ['history', '--limit', '5000'],
      ['audit', 'show'],
    ]) {
      const r = await throughHead(args, dir);
      expect(r.stdout.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).not.toMatch(/EPIPE|Error|at /);
      expect(r.stderr.trim(), args.join(' ')).toBe('flowgate exit 0');
    }
  });
});

describe('a closed stdout does not cut short what changes the org (child processes)', () => {
  const e = useEmulator();

  it('run-scheduled publishes every due deployment although the reader left after the first report', async () => {
    const emu = e.get();
    const env = {
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
    };
    const later = new Date(Date.UTC(2099, 0, 1)).toISOString();
    const names = ['Due One', 'Due Two', 'Due Three'];
    const dir = workspace(
      Object.fromEntries(
        names.flatMap((n, i) => [
          [`m${i}/flowgate.yaml`, `version: 1\nflows:\n  - file: f.yaml\n    activateAt: ${later}\n`],
          [`m${i}/f.yaml`, inboundFlow(n)],
        ]),
      ),
    );
    const ledgerPath = join(dir, 'ledger.db');
    for (const i of [0, 1, 2]) {
      const r = await runCli(
        ['deploy', '--schedule-only', '--ledger', ledgerPath, '-m', `m${i}/flowgate.yaml`],
        {
          env,
          cwd: dir,
        },
      );
      expect(r.code, r.stderr).toBe(0);
    }
    // Due now: the activation moves into the past (the ledger's own way to change a step).
    const ledger = openSqliteLedger(ledgerPath);
    for (const d of await ledger.listDeployments({ status: ['scheduled'] }))
      await ledger.note(
        d.id,
        0,
        { activateAt: new Date(Date.UTC(2020, 0, 1)).toISOString() },
        'test: due now',
      );
    await ledger.close();
    const r = await runAndCloseEarly(['run-scheduled', '--ledger', ledgerPath], dir, env);
    expect(r.first).toMatch(/Deployment d-\S+: succeeded/);
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    for (const n of names) expect(publishedVersion(emu, n), n).toBe('1.0');
  });
});

describe('a closed stdout does not change a verdict (child processes)', () => {
  it('validate of files with errors exits 3, not 0, when the reader leaves after the first chunk', async () => {
    // 400 files, each with one error finding: far more output than a pipe holds.
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++)
      files[`flows/f${i}.yaml`] =
        `inboundCall:\n  name: Broken ${i}\n  defaultLanguage: en-us\n  startUpRef: ./tasks/task[nope]\n  tasks:\n    - task:\n        name: Main\n        refId: main\n        actions:\n          - disconnect:\n              name: Bye\n`;
    const dir = workspace(files);
    const r = await runAndCloseEarly(['validate', 'flows'], dir);
    expect(r.first).toContain('error');
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 3, signal: null });
  });
});
