/** One entry of the hash-chained audit log, and its two hashes. */
import { createHash } from 'node:crypto';
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

/**
 * The hash of a line's exact text: what the next entry's `prev` holds, what `audit verify` prints
 * as the head, and what an anchor (`expectHead`) names.
 */
export const lineHash = (line: string): string => sha256(line);

/** The entry's own hash over `{seq, prev, event}`. */
export const entryHash = (seq: number, prev: string, event: DeploymentEvent): string =>
  sha256(JSON.stringify({ seq, prev, event }));
