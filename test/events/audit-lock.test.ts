/**
 * The audit log's lock file across real processes: 16 child processes append at once to a log
 * whose lock a dead process left behind. Each must take the stale lock over without forking the
 * chain (before, two of them could both remove and re-take it, and both write entry 1).
 */
import { createHash } from 'node:crypto';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog, verifyAuditText, type AuditEntry } from '../../src/events/audit-log.js';
import { newEvent } from '../../src/events/model.js';

const PROCESSES = 16;
const ROUNDS = Number(process.env.FLOWGATE_LOCK_ROUNDS ?? (process.env.FLOWGATE_STRESS ? 100 : 20));
const PAD = Number(process.env.FLOWGATE_LOCK_PAD ?? 256 * 1024);

const src = (file: string) => JSON.stringify(new URL(`../../src/events/${file}`, import.meta.url).pathname);

/**
 * A child that, for each stdin line "<go file> <log>", says "armed", spins until the go file
 * exists (so that the children arrive at the stale lock within microseconds of each other, not
 * one pipe wake-up after another), appends one entry, then answers "done".
 */
const CHILD = `
  import { existsSync } from 'node:fs';
  import { createInterface } from 'node:readline';
  import { AuditLog } from ${src('audit-log.ts')};
  import { newEvent } from ${src('model.ts')};
  process.stdout.write('ready\\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const [go, path] = line.split(' ');
    process.stdout.write('armed\\n');
    while (!existsSync(go));
    let answer = 'done';
    try {
      await new AuditLog(path, { lockTimeoutMs: 60_000 }).append(newEvent({ type: 'step.published', time: new Date().toISOString(), deploymentId: 'p' + process.pid, actor: 'a', org: 'o', message: 'm' }));
    } catch (e) {
      answer = 'failed ' + e.message;
    }
    process.stdout.write(answer + '\\n');
  }
`;

interface Child {
  process: ChildProcessWithoutNullStreams;
  next: () => Promise<string>;
}

function startChild(): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD]);
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  child.stderr.resume();
  return {
    process: child,
    next: () => {
      const line = lines.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

const event = () =>
  newEvent({
    type: 'step.published',
    time: new Date().toISOString(),
    deploymentId: 'd',
    actor: 'a',
    org: 'o',
    message: 'm',
  });

/** The pid of a process that has exited: a lock naming it is a dead holder's. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => c.on('exit', resolve));
  return c.pid!;
}

describe('the audit log lock across processes', () => {
  const children: Child[] = [];
  afterAll(() => children.forEach((c) => c.process.kill()));

  it(`${PROCESSES} processes take over a dead holder's lock at once without forking the chain (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < PROCESSES; i++) children.push(startChild());
    expect(await Promise.all(children.map((c) => c.next()))).toEqual(children.map(() => 'ready'));
    const root = mkdtempSync(join(tmpdir(), 'flowgate-lock-'));
    const dead = await deadPid();
    const problems: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const dir = join(root, `round-${round}`);
      mkdirSync(dir);
      const path = join(dir, 'audit.jsonl');
      // What a flowgate killed while it held the lock leaves behind. The padding makes reading
      // the lock take a while, so the window between inspecting it and acting on it is wide
      // enough to be hit in every run, not once in a dozen rounds.
      writeFileSync(`${path}.lock`, JSON.stringify({ pid: dead, host: hostname(), pad: 'x'.repeat(PAD) }));
      const go = join(dir, 'go');
      for (const c of children) c.process.stdin.write(`${go} ${path}\n`);
      expect(await Promise.all(children.map((c) => c.next()))).toEqual(children.map(() => 'armed'));
      writeFileSync(go, '');
      expect(await Promise.all(children.map((c) => c.next())), `round ${round}`).toEqual(
        children.map(() => 'done'),
      );
      const text = readFileSync(path, 'utf8');
      const seqs = text
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditEntry).seq);
      if (!verifyAuditText(text).ok || new Set(seqs).size !== PROCESSES || seqs.length !== PROCESSES)
        problems.push(`round ${round}: seq ${seqs.join(',')}`);
      // Nothing is left behind: no lock, no file of a takeover, no half-made lock.
      const left = readdirSync(dir).filter((f) => f !== 'audit.jsonl' && f !== 'go');
      if (left.length > 0) problems.push(`round ${round}: left ${left.join(', ')}`);
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it("a takeover left half-done by a process that died is finished; a live holder's lock is never taken", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-lock-'));
    const path = join(dir, 'audit.jsonl');
    const dead = await deadPid();
    const stale = JSON.stringify({ pid: dead, host: hostname(), nonce: 'n-1' });
    writeFileSync(`${path}.lock`, stale);
    // The breaker a process made for that lock before it died (named after the lock's content).
    const breaker = `${path}.lock.break-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
    writeFileSync(breaker, JSON.stringify({ pid: dead, host: hostname(), nonce: 'n-2' }));
    await new AuditLog(path, { lockTimeoutMs: 5_000 }).append(event());
    expect(readdirSync(dir)).toEqual(['audit.jsonl']);

    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'live' }));
    await expect(new AuditLog(path, { lockTimeoutMs: 50 }).append(event())).rejects.toMatchObject({
      code: 'AUDIT_LOG_WRITE',
      message: expect.stringContaining('stayed locked by another process'),
      // The way out names the file to delete, not just "a lock".
      hint: expect.stringContaining(`${path}.lock`),
    });
    expect(readFileSync(`${path}.lock`, 'utf8')).toContain('"live"');
    expect(verifyAuditText(readFileSync(path, 'utf8'))).toMatchObject({ ok: true, entries: 1 });
  });
});
