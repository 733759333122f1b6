/**
 * The dead-letter file: events a webhook did not accept within the retries and the budget, one
 * JSON line each (mode 0600: it holds deployment facts, never a secret). `flowgate events retry`
 * sends them again and keeps only those that still fail; it signs only events the audit log
 * recorded ({@link recordedLetters}).
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { entryHash, type AuditEntry } from './audit-entry.js';
import { readJsonLines } from './json-lines.js';
import type { DeploymentEvent } from './model.js';
import type { WebhookFormat } from './webhooks.js';

/** One undelivered event. */
export interface DeadLetter {
  url: string;
  format: WebhookFormat;
  event: DeploymentEvent;
  error: string;
  attempts: number;
  at: string;
}

/** Adds undelivered events. */
export function appendDeadLetters(path: string, letters: DeadLetter[]): void {
  if (letters.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, letters.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
}

/** Reads the dead letters (none when the file does not exist). */
export function readDeadLetters(path: string): DeadLetter[] {
  return readJsonLines<DeadLetter>(path);
}

/** Replaces the file's content atomically (write, then rename). */
export function writeDeadLetters(path: string, letters: DeadLetter[]): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, letters.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
  renameSync(tmp, path);
}

/** A dead letter that is not sent again, and why. */
export interface RefusedLetter {
  letter: DeadLetter;
  reason: string;
}

/**
 * Splits dead letters into those whose event the audit log recorded (an entry with the same id
 * whose hash covers exactly this event) and the others. The dead-letter file is plain JSON that
 * anyone who can write it can edit; signing whatever it holds would have flowgate vouch, with the
 * webhook secret, for events it never emitted. The log is the record (verify its chain first).
 */
export function recordedLetters(
  letters: readonly DeadLetter[],
  entries: readonly AuditEntry[],
): { recorded: DeadLetter[]; refused: RefusedLetter[] } {
  const byId = new Map(entries.map((e) => [e.event.id, e]));
  const recorded: DeadLetter[] = [];
  const refused: RefusedLetter[] = [];
  for (const letter of letters) {
    const entry = byId.get(letter.event.id);
    if (!entry) refused.push({ letter, reason: 'its event is not in the audit log' });
    else if (entryHash(entry.seq, entry.prev, letter.event) !== entry.hash)
      refused.push({ letter, reason: `its event differs from entry ${entry.seq} of the audit log` });
    else recorded.push(letter);
  }
  return { recorded, refused };
}
