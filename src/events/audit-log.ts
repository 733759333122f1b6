/**
 * The audit log: append-only JSON lines (default `.flowgate/audit.jsonl`), one entry per event,
 * ready for SIEM ingestion as it is. Each entry carries its sequence number, the SHA-256 of the
 * previous line (a hash chain) and the SHA-256 of its own content; an edit, a removal, an
 * insertion or a reordering breaks the chain at the first bad line. An entry is flushed to disk
 * (fsync) before the deployment goes on; a lock file serialises processes appending at once.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  fstatSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { FlowgateError } from '../errors.js';
import { sleep } from '../platform/time.js';
import { readJsonLines } from './json-lines.js';
import type { DeploymentEvent } from './model.js';

/** The hash of "no previous entry". */
export const GENESIS = '0'.repeat(64);

/** One line of the log. */
export interface AuditEntry {
  seq: number;
  /** SHA-256 (hex) of the previous line's exact text, or {@link GENESIS}. */
  prev: string;
  event: DeploymentEvent;
  /** SHA-256 (hex) of `{seq, prev, event}` as JSON: the entry's own fingerprint. */
  hash: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const entryHash = (seq: number, prev: string, event: DeploymentEvent) =>
  sha256(JSON.stringify({ seq, prev, event }));

/** Reads the last line of a file without reading it all (logs grow without bound). */
function lastLine(path: string): string | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return undefined;
  }
  if (size === 0) return undefined;
  const fd = openSync(path, 'r');
  try {
    let chunk = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const text = buf.toString('utf8').replace(/\n$/, '');
      const nl = text.lastIndexOf('\n');
      if (nl >= 0 || start === 0) return text.slice(nl + 1);
      chunk *= 4;
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes every byte: a write may take fewer than it was given (a disk filling up). */
function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length;) {
    const n = writeSync(fd, data, off, data.length - off);
    if (n <= 0) throw Object.assign(new Error('no space left on the device (ENOSPC)'), { code: 'ENOSPC' });
    off += n;
  }
}

/**
 * A log that does not end in a newline lost its last write half-way (a crash or a full disk while
 * it was written): that entry was never acknowledged, so it is dropped before the next append.
 */
function dropTornTail(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size === 0) return;
  const fd = openSync(path, 'r+');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    let end = size;
    const buf = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      readSync(fd, buf, 0, end - start, start);
      const nl = buf.subarray(0, end - start).lastIndexOf(0x0a);
      if (nl >= 0) {
        end = start + nl + 1;
        break;
      }
      end = start;
    }
    ftruncateSync(fd, end);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** An append-only, hash-chained audit log. */
export class AuditLog {
  constructor(
    readonly path: string,
    private readonly options: { lockTimeoutMs?: number } = {},
  ) {}

  /**
   * Appends an event and flushes it to disk before returning.
   * @throws AUDIT_LOG_WRITE when the log cannot be written (full disk, permissions): the
   *   deployment must not go on without its record.
   */
  async append(event: DeploymentEvent): Promise<AuditEntry> {
    const release = await this.lock();
    try {
      dropTornTail(this.path);
      const last = lastLine(this.path);
      let seq = 1;
      let prev = GENESIS;
      if (last !== undefined) {
        prev = sha256(last);
        seq = (JSON.parse(last) as AuditEntry).seq + 1;
      }
      const entry: AuditEntry = { seq, prev, event, hash: entryHash(seq, prev, event) };
      const fd = openSync(this.path, 'a', 0o600);
      const before = fstatSync(fd).size;
      try {
        writeAll(fd, Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8'));
        fsyncSync(fd);
      } catch (e) {
        // A full disk may take part of the line: take it back, so the log stays a chain of whole
        // entries (and the next append, or `audit verify`, does not trip over half a line).
        try {
          ftruncateSync(fd, before);
          fsyncSync(fd);
        } catch {
          // the truncation failing too leaves a torn tail, which the next append drops
        }
        throw e;
      } finally {
        closeSync(fd);
      }
      return entry;
    } catch (e) {
      throw new FlowgateError(
        'AUDIT_LOG_WRITE',
        `cannot append to the audit log ${this.path}: ${(e as Error).message}`,
        {
          hint: 'Free disk space or fix the permissions; the deployment stopped before its next publish. Resume with deploy --resume.',
          cause: e,
        },
      );
    } finally {
      release();
    }
  }

  /** A lock file beside the log: one appender at a time, across processes; a dead holder's lock is taken over. */
  private async lock(): Promise<() => void> {
    mkdirSync(dirname(this.path), { recursive: true });
    const lockPath = `${this.path}.lock`;
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 10_000);
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      // The lock appears with its content at once (a hard link of a finished file), so another
      // process never reads a half-written lock and takes it for a dead one.
      const mine = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      writeFileSync(mine, JSON.stringify({ pid: process.pid, host: hostname() }), { mode: 0o600 });
      try {
        linkSync(mine, lockPath);
        unlinkSync(mine);
        return () => {
          try {
            unlinkSync(lockPath);
          } catch {
            /* already gone */
          }
        };
      } catch (e) {
        unlinkSync(mine);
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (staleLock(lockPath)) {
          try {
            unlinkSync(lockPath);
          } catch {
            /* another process took it over first */
          }
          continue;
        }
        if (Date.now() > deadline)
          throw new FlowgateError(
            'AUDIT_LOG_WRITE',
            `the audit log ${this.path} stayed locked by another process`,
            {
              hint: `If no flowgate process is running, delete ${lockPath}.`,
            },
          );
        await sleep(wait);
      }
    }
  }
}

function staleLock(lockPath: string): boolean {
  try {
    const holder = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number; host: string };
    if (holder.host !== hostname()) return false;
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The outcome of {@link verifyAuditLog}. */
export type VerifyResult =
  { ok: true; entries: number; head: string } | { ok: false; entries: number; line: number; problem: string };

/**
 * Checks every line: valid JSON, consecutive sequence numbers from 1, the previous line's hash,
 * and the entry's own hash. Names the first bad line (1-based).
 */
export function verifyAuditText(text: string): VerifyResult {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = GENESIS;
  for (const [i, line] of lines.entries()) {
    const n = i + 1;
    let entry: AuditEntry;
    try {
      entry = JSON.parse(line) as AuditEntry;
    } catch {
      return { ok: false, entries: lines.length, line: n, problem: 'not a JSON entry' };
    }
    if (entry.seq !== n)
      return {
        ok: false,
        entries: lines.length,
        line: n,
        problem: `sequence number ${String(entry.seq)} where ${n} was expected (an entry removed, inserted or moved)`,
      };
    if (entry.prev !== prev)
      return {
        ok: false,
        entries: lines.length,
        line: n,
        problem:
          'the previous entry is not the one this entry was chained to (edited, removed, inserted or reordered)',
      };
    if (entry.hash !== entryHash(entry.seq, entry.prev, entry.event))
      return {
        ok: false,
        entries: lines.length,
        line: n,
        problem: 'the entry was edited after it was written',
      };
    prev = sha256(line);
  }
  return { ok: true, entries: lines.length, head: prev };
}

/** Verifies the log file (a missing file is an empty, valid log). */
export function verifyAuditLog(path: string): VerifyResult {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return verifyAuditText(text);
}

/** Reads the entries of a log (for `audit show` and reconciliation). */
export function readAuditLog(path: string): AuditEntry[] {
  return readJsonLines<AuditEntry>(path);
}
