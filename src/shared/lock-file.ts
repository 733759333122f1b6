/**
 * A lock file across processes (the audit log's, or any file's): one holder at a time; the lock of a holder that
 * died (a process on this host that no longer exists) is taken over.
 *
 * Taking over is the delicate part. Removing a stale lock by its name races: two processes that
 * both read the dead holder's lock may both remove "it", and the second removal takes away the
 * live lock the first one made in between, so two processes hold it and fork the chain. POSIX has
 * no "remove this name only if it is still that file", and renaming the stale lock away has the
 * same hole (the name may already be a live lock when the rename runs). So a takeover is itself
 * serialised by a *breaker* file named after the stale lock's content (each lock carries a random
 * nonce, so the name is unique to that one lock): only the process that creates the breaker may
 * remove the lock, and only after reading that the lock is still the one it inspected. No one
 * else can remove that lock meanwhile (they would need the same breaker), and a live lock never
 * has the stale one's content, so the live lock is never removed. A breaker left by a process
 * that died mid-takeover is stale in turn and is broken the same way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isProcessAlive } from './process.js';

/** What a lock file holds. */
interface Holder {
  pid: number;
  host: string;
  /** Makes every lock's content unique, so a breaker names exactly one lock. */
  nonce?: string;
}

/** Creates `path` with `content` at once (a hard link of a finished file); false when it exists. */
function createWhole(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/** The file's content, or undefined when it is gone. */
function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** True when the content names a process of this host that no longer exists. */
function isStale(content: string): boolean {
  let holder: Holder;
  try {
    holder = JSON.parse(content) as Holder;
  } catch {
    return false; // not a lock flowgate wrote: leave it to a person
  }
  // Another host's process cannot be checked, and a malformed pid is not a lock flowgate wrote.
  if (holder.host !== hostname() || !Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  return !isProcessAlive(holder.pid);
}

/**
 * Removes the stale lock at `path` if it still has `content`, serialised by its breaker file.
 * Returns when this process did its part; the caller simply tries to acquire again.
 */
function breakStale(path: string, content: string, mine: string): void {
  const breaker = `${path}.break-${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
  if (!createWhole(breaker, mine)) {
    // Another process is taking this lock over, or died doing it (then its breaker is stale).
    const other = readIfThere(breaker);
    if (other !== undefined && isStale(other)) breakStale(breaker, other, mine);
    return;
  }
  try {
    // Only the breaker's creator removes this lock, and it is still the dead holder's: the name
    // cannot turn into someone's live lock before the unlink below.
    if (readIfThere(path) === content) unlinkSync(path);
  } finally {
    unlinkSync(breaker);
  }
}

/** What {@link tryLock} found. */
export type LockAttempt = { acquired: true; release: () => void } | { acquired: false };

/**
 * One attempt at the lock: takes it when free, takes a dead holder's over, else reports it held.
 * Never waits; the caller decides how long to retry.
 */
export function tryLock(path: string): LockAttempt {
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), nonce: randomBytes(12).toString('hex') });
  for (;;) {
    if (createWhole(path, mine)) return { acquired: true, release: () => release(path, mine) };
    const held = readIfThere(path);
    if (held === undefined) continue; // released in between
    if (!isStale(held)) return { acquired: false };
    breakStale(path, held, mine);
    if (readIfThere(path) === held) return { acquired: false }; // another process is breaking it
  }
}

/** Removes the lock if it is still this holder's (never another's). */
function release(path: string, mine: string): void {
  if (readIfThere(path) === mine) {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
}
