/**
 * Verifying the audit log. The chain alone proves that no entry *before the last one* was edited,
 * removed, inserted or reordered: each entry names the hash of the line before it. It cannot tell
 * a log cut after any entry (or rewritten as a whole, hashes recomputed) from an honest shorter
 * one. That needs an anchor kept elsewhere: a head hash (`expectHead`: from an earlier verify, or
 * the `auditHead` of a `deployment.completed` event a webhook receiver kept) that must still be
 * on the chain, or a count of entries there were at least (`expectCount`).
 */
import { readFileSync } from 'node:fs';
import { plural } from '../shared/plural.js';
import { FlowgateError } from '../errors.js';
import { entryHash, GENESIS, lineHash, type AuditEntry } from './audit-entry.js';

/** Anchors and allowances of a verification. */
export interface VerifyExpectations {
  /**
   * The hash of a line that must be on the chain (the head when the anchor was taken): the log
   * must not have been cut before it, and everything up to it is as it was then.
   */
  expectHead?: string | undefined;
  /** The log must hold at least this many entries. */
  expectCount?: number | undefined;
  /** A log with no entries (no file, or an empty one) is accepted: none was written yet. */
  allowMissing?: boolean | undefined;
}

/** The outcome of {@link verifyAuditText} and {@link verifyAuditLog}. */
export type VerifyResult =
  | {
      ok: true;
      entries: number;
      /** The hash of the last line ({@link GENESIS} when there is none): keep it as an anchor. */
      head: string;
      /** The entry `expectHead` names (0: the start of the log). */
      anchoredAt?: number;
    }
  | {
      ok: false;
      entries: number;
      /** The first bad line (1-based), when the problem is a line's. */
      line?: number;
      problem: string;
    };

/** The chain check: consecutive sequence numbers from 1, the previous line's hash, the entry's own hash. */
function checkChain(lines: string[], expectHead: string | undefined): VerifyResult {
  const fail = (line: number, problem: string): VerifyResult => ({
    ok: false,
    entries: lines.length,
    line,
    problem,
  });
  let prev = GENESIS;
  let anchoredAt = expectHead === GENESIS ? 0 : undefined;
  for (const [i, line] of lines.entries()) {
    const n = i + 1;
    let entry: AuditEntry;
    try {
      entry = JSON.parse(line) as AuditEntry;
    } catch {
      return fail(n, 'not a JSON entry');
    }
    if (entry.seq !== n)
      return fail(
        n,
        `sequence number ${String(entry.seq)} where ${n} was expected (an entry removed, inserted or moved)`,
      );
    if (entry.prev !== prev)
      return fail(
        n,
        'the previous entry is not the one this entry was chained to (edited, removed, inserted or reordered)',
      );
    if (entry.hash !== entryHash(entry.seq, entry.prev, entry.event))
      return fail(n, 'the entry was edited after it was written');
    prev = lineHash(line);
    if (prev === expectHead) anchoredAt = n;
  }
  return {
    ok: true,
    entries: lines.length,
    head: prev,
    ...(anchoredAt !== undefined ? { anchoredAt } : {}),
  };
}

/**
 * Checks every line and names the first bad one (1-based); then the anchors: an empty log fails
 * unless `allowMissing`, fewer entries than `expectCount` fail, and so does an `expectHead` that
 * is not on the chain.
 */
export function verifyAuditText(text: string, expect: VerifyExpectations = {}): VerifyResult {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const r = checkChain(lines, expect.expectHead?.toLowerCase());
  if (!r.ok) return r;
  const short = (h: string) => `${h.slice(0, 12)}…`;
  if (r.entries === 0 && !expect.allowMissing)
    return { ok: false, entries: 0, problem: 'the log is empty: it has no entries, so it proves nothing' };
  if (expect.expectCount !== undefined && r.entries < expect.expectCount)
    return {
      ok: false,
      entries: r.entries,
      problem: `the log holds ${plural(r.entries, 'entry', 'entries')} where at least ${expect.expectCount} were expected: entries were cut from its end`,
    };
  if (expect.expectHead !== undefined && r.anchoredAt === undefined)
    return {
      ok: false,
      entries: r.entries,
      problem: `the expected head ${short(expect.expectHead)} is not on the chain (${plural(r.entries, 'entry', 'entries')}, head ${short(r.head)}): entries were cut from its end, or it was rewritten`,
    };
  return r;
}

/**
 * Verifies the log file.
 * @throws {FlowgateError} `AUDIT_LOG_MISSING` when there is no file, unless `allowMissing`.
 */
export function verifyAuditLog(path: string, expect: VerifyExpectations = {}): VerifyResult {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!expect.allowMissing)
      throw new FlowgateError('AUDIT_LOG_MISSING', `there is no audit log at ${path}`, {
        hint: 'Check the path (the manifest may set events.auditLog). A missing log proves nothing: it may have been deleted.',
      });
  }
  return verifyAuditText(text, expect);
}
