/** `flowgate events retry`: the dead letters sent again, only those the audit log recorded. */
import { readAuditLog, verifyAuditLog } from '../../events/audit-log.js';
import {
  readDeadLetters,
  recordedLetters,
  writeDeadLetters,
  type DeadLetter,
} from '../../events/dead-letter.js';
import { deliver, resolveWebhook, webhookId } from '../../events/webhooks.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { DEFAULT_AUDIT_LOG, DEFAULT_DEAD_LETTER } from '../event-hub.js';

/** `events retry`'s options. */
export interface EventsRetryOptions {
  manifest?: string | undefined;
  deadLetter?: string | undefined;
  /** The audit log; default: the manifest's, else `.flowgate/audit.jsonl`. */
  log?: string | undefined;
}

/**
 * `flowgate events retry`: sends the dead letters again with the manifest's webhook secrets, but
 * signs only events the audit log recorded (same id, same hash); the others stay in the file and
 * the exit code is 3.
 */
export async function runEventsRetry(opts: EventsRetryOptions, io: CliIo): Promise<number> {
  const path = opts.deadLetter ?? DEFAULT_DEAD_LETTER;
  const letters = readDeadLetters(path);
  if (letters.length === 0) {
    io.out('no undelivered events\n');
    return ExitCode.Ok;
  }
  const { loadManifest } = await import('../../config/manifest.js');
  const manifest = await loadManifest(opts.manifest ?? 'flowgate.yaml');
  const auditPath = opts.log ?? manifest.events?.auditLog ?? DEFAULT_AUDIT_LOG;
  const chain = verifyAuditLog(auditPath);
  if (!chain.ok) {
    io.out(
      `${io.colors.red('✗')} ${auditPath}${chain.line ? `:${chain.line}` : ''}: ${chain.problem}; no dead letter was sent (the log is what they are checked against)\n`,
    );
    return ExitCode.Invalid;
  }
  const { recorded, refused } = recordedLetters(letters, readAuditLog(auditPath));
  const targets = new Map((manifest.events?.webhooks ?? []).map((w) => [webhookId(w), w]));
  const left: DeadLetter[] = refused.map(({ letter, reason }) => ({
    ...letter,
    error: `not sent: ${reason}`,
  }));
  for (const r of refused)
    io.out(
      `${io.colors.red('refused')}  event ${r.letter.event.id} (${r.letter.event.type}): ${r.reason} ${auditPath}; not signed\n`,
    );
  let sent = 0;
  for (const l of recorded) {
    const config = targets.get(l.url);
    if (!config) {
      left.push({ ...l, error: 'no webhook with this URL in the manifest any more' });
      continue;
    }
    const d = await deliver(resolveWebhook(config, io.env), l.event);
    if (d.ok) sent++;
    else
      left.push({
        ...l,
        error: d.error ?? 'not delivered',
        attempts: l.attempts + d.attempts,
        at: new Date().toISOString(),
      });
  }
  writeDeadLetters(path, left);
  io.out(
    `${sent} delivered, ${left.length - refused.length} still undelivered, ${refused.length} refused (${path})\n`,
  );
  if (refused.length > 0) return ExitCode.Invalid;
  return left.length === 0 ? ExitCode.Ok : ExitCode.Failure;
}
