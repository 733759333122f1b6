/**
 * The audit log: append-only JSON lines (default `.flowgate/audit.jsonl`), one entry per event,
 * ready for SIEM ingestion as it is. Each entry carries its sequence number, the SHA-256 of the
 * previous line (a hash chain) and the SHA-256 of its own content; an edit, a removal, an
 * insertion or a reordering breaks the chain at the first bad line (`audit-verify.ts`, which also
 * says what the chain cannot prove without an anchor). An entry is flushed to disk (fsync) before
 * the deployment goes on; a lock file (`lock-file.ts`) serialises processes appending at once.
 */
import {
  closeSync,
  fsyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { FlowgateError } from '../errors.js';
import { sleep as realSleep, systemClock, type Clock, type Sleep } from '../shared/time.js';
import { entryHash, GENESIS, lineHash, type AuditEntry } from './audit-entry.js';
import { readJsonLines } from './json-lines.js';
import { tryLock } from '../shared/lock-file.js';
import type { DeploymentEvent } from './model.js';

export { GENESIS, type AuditEntry } from './audit-entry.js';
export {
  verifyAuditLog,
  verifyAuditText,
  type VerifyExpectations,
  type VerifyResult,
} from './audit-verify.js';

/** Options of {@link AuditLog.append}. */
export interface AppendOptions {
  /**
   * Stamp the log's head just before this entry into the event (`auditHead`), read under the
   * lock, so that whoever receives the event holds an anchor of the log.
   */
  withHead?: boolean;
}

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

/** Options of {@link AuditLog}. */
export interface AuditLogOptions {
  /** How long an append waits for another process's lock. @default 10000 */
  lockTimeoutMs?: number;
  /** The clock that lock wait is measured on. @default Date.now */
  now?: Clock;
  /** How the wait between attempts at the lock is taken. @default the real clock's sleep */
  sleep?: Sleep;
}

/** An append-only, hash-chained audit log. */
export class AuditLog {
  constructor(
    readonly path: string,
    private readonly options: AuditLogOptions = {},
  ) {}

  /**
   * Appends an event and flushes it to disk before returning. The entry returned holds the
   * event as recorded (with `auditHead` when `withHead` asked for it).
   * @throws AUDIT_LOG_WRITE when the log cannot be written (full disk, permissions): the
   *   deployment must not go on without its record.
   */
  async append(event: DeploymentEvent, options: AppendOptions = {}): Promise<AuditEntry> {
    const release = await this.lock();
    try {
      dropTornTail(this.path);
      const last = lastLine(this.path);
      let seq = 1;
      let prev = GENESIS;
      if (last !== undefined) {
        prev = lineHash(last);
        seq = (JSON.parse(last) as AuditEntry).seq + 1;
      }
      const recorded = options.withHead ? { ...event, auditHead: { seq: seq - 1, hash: prev } } : event;
      const entry: AuditEntry = { seq, prev, event: recorded, hash: entryHash(seq, prev, recorded) };
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
          hint: 'Free disk space or fix the permissions; the deployment stopped before its next publish and can be resumed.',
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
    const now = this.options.now ?? systemClock;
    const sleep = this.options.sleep ?? realSleep;
    const deadline = now() + (this.options.lockTimeoutMs ?? 10_000);
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      const attempt = tryLock(lockPath);
      if (attempt.acquired) return attempt.release;
      if (now() > deadline)
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

/** Reads the entries of a log (for `audit show` and reconciliation). */
export function readAuditLog(path: string): AuditEntry[] {
  return readJsonLines<AuditEntry>(path);
}
