/**
 * The dead-letter file: events a webhook did not accept within the retries and the budget, one
 * JSON line each (mode 0600: it holds deployment facts, never a secret). `flowgate events retry`
 * sends them again and keeps only those that still fail.
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
