/**
 * Appending to the audit log whatever the file holds at its end: half a line left by a crash or
 * a full disk is dropped before the next entry (the chain stays whole), a last line longer than
 * the 64 KiB read window is still found, and an anchor stamped into an event names the entry
 * before it; a write the disk refuses is an error, never an entry; appending holds no file open.
 * Found missing by Stryker (issue 22, BENCHMARKS.md "Mutation testing"): no test wrote a torn tail
 * or a long last line, a torn tail longer than the window or ending at its edge, or a full disk.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineHash } from '../../src/events/audit-entry.js';
import { AuditLog, verifyAuditText, type AuditEntry } from '../../src/events/audit-log.js';
import { newEvent } from '../../src/events/model.js';

const event = (message: string) =>
  newEvent({
    type: 'step.published',
    time: '2026-12-01T00:00:00.000Z',
    deploymentId: 'd-append',
    actor: 'client-1',
    org: 'https://api.example',
    message,
  });

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');
const freshLog = () => new AuditLog(join(mkdtempSync(join(tmpdir(), 'flowgate-append-')), 'audit.jsonl'));

describe('appending to the audit log', () => {
  it('half a line at the end (a write cut short) is dropped, and the next entry chains to the last whole one', async () => {
    const log = freshLog();
    await log.append(event('one'));
    await log.append(event('two'));
    const whole = lines(log.path);
    appendFileSync(log.path, '{"seq":3,"prev":"00');
    const third = await log.append(event('three'));
    expect(third).toMatchObject({ seq: 3, prev: lineHash(whole[1]!) });
    expect(lines(log.path)).toEqual([...whole, JSON.stringify(third)]);
    expect(verifyAuditText(readFileSync(log.path, 'utf8'))).toMatchObject({ ok: true, entries: 3 });
  });

  it('a torn first line leaves an empty log, and the next entry starts the chain', async () => {
    const log = freshLog();
    appendFileSync(log.path, '{"seq":1,"pr');
    const first = await log.append(event('first'));
    expect(first).toMatchObject({ seq: 1, prev: '0'.repeat(64) });
    expect(lines(log.path)).toEqual([JSON.stringify(first)]);
  });

  it('a last line longer than the read window (300 KB) is found whole', async () => {
    const log = freshLog();
    await log.append(event('short'));
    await log.append(event('x'.repeat(300_000)));
    const next = await log.append(event('after the long one'));
    const all = lines(log.path);
    expect(next).toMatchObject({ seq: 3, prev: lineHash(all[1]!) });
    expect(verifyAuditText(readFileSync(log.path, 'utf8'))).toMatchObject({ ok: true, entries: 3 });
  });

  it('withHead stamps the entry before it: its sequence number and the hash of its line', async () => {
    const log = freshLog();
    const first = await log.append(event('one'), { withHead: true });
    expect(first.event.auditHead).toEqual({ seq: 0, hash: '0'.repeat(64) });
    await log.append(event('two'));
    const third = await log.append(event('completed'), { withHead: true });
    const all = lines(log.path);
    expect(third.event.auditHead).toEqual({ seq: 2, hash: lineHash(all[1]!) });
    expect((JSON.parse(all[2]!) as AuditEntry).event.auditHead).toEqual(third.event.auditHead);
  });

  // The tail is scanned backwards in 64 KiB windows: lengths on either side of a window's edge
  // (a newline exactly at a window's first byte, a torn line spanning several windows).
  it.each([1, 65_535, 65_536, 65_537, 200_000])(
    'a torn tail of %i bytes is dropped whole, and no whole entry before it',
    async (length) => {
      const log = freshLog();
      for (const m of ['one', 'two', 'three']) await log.append(event(m));
      const whole = lines(log.path);
      appendFileSync(log.path, '{' + 'x'.repeat(length - 1));
      const fourth = await log.append(event('four'));
      expect(fourth).toMatchObject({ seq: 4, prev: lineHash(whole[2]!) });
      expect(lines(log.path)).toEqual([...whole, JSON.stringify(fourth)]);
    },
  );

  // /dev/full takes the open and refuses every write with ENOSPC: a full disk without a tmpfs.
  // Skipped only off CI on a system without it; under CI=true its absence fails, saying why.
  it.skipIf(!existsSync('/dev/full') && process.env.CI !== 'true')(
    'a write the disk refuses is AUDIT_LOG_WRITE naming the log and the cause, not an entry',
    async () => {
      expect(existsSync('/dev/full'), 'this test needs /dev/full (Linux)').toBe(true);
      const dir = mkdtempSync(join(tmpdir(), 'flowgate-full-'));
      const path = join(dir, 'audit.jsonl');
      symlinkSync('/dev/full', path);
      await expect(new AuditLog(path).append(event('lost'))).rejects.toMatchObject({
        code: 'AUDIT_LOG_WRITE',
        message: expect.stringMatching(new RegExp(`^cannot append to the audit log ${path}: .*ENOSPC`)),
        hint: expect.stringContaining('Free disk space'),
      });
      // The lock is released for the next attempt.
      expect(readdirSync(dir)).toEqual(['audit.jsonl']);
    },
  );

  // A webhook server or scheduler appends for as long as it runs: each append closes what it opens.
  // Bounded far above what the rest of this process could open meanwhile (tests of a file run in
  // sequence, one process per file), far below one descriptor per append.
  it.skipIf(!existsSync('/proc/self/fd') && process.env.CI !== 'true')(
    '200 appends leave no file descriptor open',
    async () => {
      expect(existsSync('/proc/self/fd'), 'this test needs /proc (Linux)').toBe(true);
      const log = freshLog();
      await log.append(event('warm-up'));
      const before = readdirSync('/proc/self/fd').length;
      for (let i = 0; i < 200; i++) await log.append(event(`entry ${i}`));
      expect(readdirSync('/proc/self/fd').length - before).toBeLessThan(50);
    },
  );
});
