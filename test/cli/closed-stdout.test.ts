/**
 * Issue 20 §10: `flowgate history | head -1` crashed with an EPIPE stack trace. A reader that
 * closes stdout early ends the command quietly with exit 0 (real child processes; the outputs are
 * far larger than a pipe's buffer, so the command is still writing when the reader goes away).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS, lineHash } from '../../src/events/audit-entry.js';
import { newEvent } from '../../src/events/model.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { StepRecord } from '../../src/ledger/types.js';
import { workspace } from '../helpers/deploy.js';

const BIN = resolve('bin/flowgate.js');

/** Runs the CLI and destroys the read side of its stdout after the first chunk. */
function runAndCloseEarly(args: string[], cwd: string) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; first: string }>(
    (done, fail) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd,
        env: { PATH: process.env.PATH, NO_COLOR: '1' },
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
