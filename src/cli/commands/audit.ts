/** `flowgate audit verify|show|reconcile` and `flowgate events retry`. */
import { ConfigError } from '../../errors.js';
import { readAuditLog, verifyAuditLog, type VerifyExpectations } from '../../events/audit-log.js';
import {
  readDeadLetters,
  recordedLetters,
  writeDeadLetters,
  type DeadLetter,
} from '../../events/dead-letter.js';
import { deliver, resolveWebhook, webhookId } from '../../events/webhooks.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { terminalSafe as safe } from '../output/encode.js';
import { tableLines } from '../output/table.js';
import { DEFAULT_AUDIT_LOG, DEFAULT_DEAD_LETTER } from '../event-hub.js';

const logPath = (opts: Record<string, unknown>) =>
  typeof opts.log === 'string' ? opts.log : DEFAULT_AUDIT_LOG;

/**
 * `flowgate audit verify [--expect-head HASH] [--expect-count N] [--allow-missing]`: exit 0 when
 * the chain holds (and the anchors given), 3 naming the first bad line or the failed anchor; a
 * missing log is `AUDIT_LOG_MISSING` (3) unless `--allow-missing`.
 */
export function runAuditVerify(opts: Record<string, unknown>, io: CliIo): number {
  const path = logPath(opts);
  const r = verifyAuditLog(path, anchors(opts));
  if (opts.json === true) io.out(`${JSON.stringify({ schemaVersion: 1, log: path, ...r }, null, 2)}\n`);
  else if (!r.ok)
    io.out(`${io.colors.red('✗')} ${safe(path)}${r.line ? `:${r.line}` : ''}: ${safe(r.problem)}\n`);
  else if (r.entries === 0)
    io.out(`${io.colors.yellow('–')} ${safe(path)}: no entries yet (--allow-missing)\n`);
  else
    io.out(
      `${io.colors.green('✓')} ${safe(path)}: ${r.entries} entries, chain intact (head ${r.head})${r.anchoredAt !== undefined ? `; the expected head is entry ${r.anchoredAt}` : '; no anchor given: a cut tail would not show (README: what the audit chain proves)'}\n`,
    );
  return r.ok ? ExitCode.Ok : ExitCode.Invalid;
}

/** The anchors of `audit verify`, checked as given. */
function anchors(opts: Record<string, unknown>): VerifyExpectations {
  const head = optionText(opts.expectHead);
  if (head !== undefined && !/^[0-9a-fA-F]{64}$/.test(head))
    throw new ConfigError('USAGE_AUDIT_ANCHOR', `--expect-head '${head}' is not a SHA-256 in hex`, {
      hint: 'Give the 64 hex digits of a head hash: one audit verify printed, or the auditHead.hash of a deployment.completed event.',
    });
  const count = optionText(opts.expectCount);
  if (count !== undefined && !/^\d+$/.test(count))
    throw new ConfigError('USAGE_AUDIT_ANCHOR', `--expect-count '${count}' is not a whole number`, {
      hint: 'Give the number of entries the log held at least, e.g. --expect-count 13.',
    });
  return {
    expectHead: head,
    expectCount: count === undefined ? undefined : Number(count),
    allowMissing: opts.allowMissing === true,
  };
}

/** An option's text: commander gives strings (anything else is not a value given). */
const optionText = (v: unknown): string | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? v : '';

/** `flowgate audit show [--flow] [--since] [--result]`. */
export function runAuditShow(opts: Record<string, unknown>, io: CliIo): number {
  const since = typeof opts.since === 'string' ? parseTime(opts.since, '--since') : undefined;
  const flow = typeof opts.flow === 'string' ? opts.flow : undefined;
  const result = typeof opts.result === 'string' ? opts.result : undefined;
  const entries = readAuditLog(logPath(opts)).filter(
    (e) =>
      (since === undefined || Date.parse(e.event.time) >= since.getTime()) &&
      (flow === undefined || e.event.flow?.name === flow || e.event.flow?.id === flow) &&
      (result === undefined || e.event.result === result),
  );
  if (opts.json === true) {
    io.out(`${JSON.stringify({ schemaVersion: 1, entries }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (entries.length > 0) {
    // Columns fit their content (names are never cut); values come from the log: `terminalSafe`.
    const table = tableLines(
      ['seq', 'time', 'event', 'flow', 'versions', 'result'],
      entries.map(({ seq, event: ev }) => [
        String(seq),
        safe(ev.time.slice(0, 19).replace('T', ' ')),
        safe(ev.type),
        safe(ev.flow?.name ?? ''),
        ev.versionBefore || ev.versionAfter
          ? safe(`${ev.versionBefore ?? '—'} → ${ev.versionAfter ?? '—'}`)
          : '',
        safe(ev.result ?? ''),
      ]),
      { align: ['right'] },
    );
    io.out(`${table.map((l) => l.trimEnd()).join('\n')}\n`);
  }
  if (entries.length === 0) io.out('no entries\n');
  return ExitCode.Ok;
}

/** `flowgate audit reconcile --since TIME`: exit 3 when the platform and flowgate disagree. */
export async function runAuditReconcile(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  if (typeof opts.since !== 'string')
    throw new ConfigError('USAGE_NO_INPUT', 'audit reconcile needs --since', {
      hint: 'Example: --since 2026-11-01T00:00:00Z',
    });
  const since = parseTime(opts.since, '--since');
  const [{ reconcile }, { cliPlatformClient }] = await Promise.all([
    import('../../events/reconcile.js'),
    import('../platform-client.js'),
  ]);
  const { client } = cliPlatformClient(io);
  const report = await reconcile(client, readAuditLog(logPath(opts)), { since });
  const found = report.outside.length + report.missing.length;
  if (opts.json === true) io.out(`${JSON.stringify({ schemaVersion: 1, ...report }, null, 2)}\n`);
  else {
    io.out(
      `${report.interval}: ${report.platformPublishes} publishes on the platform, ${report.localPublishes} recorded by flowgate\n`,
    );
    for (const p of report.outside)
      io.out(
        `${io.colors.red('outside flowgate')}  ${safe(`${p.at}  ${p.flowName ?? p.flowId} (${p.flowId})${p.by ? ` by ${p.by}` : ''}`)}\n`,
      );
    for (const p of report.missing)
      io.out(
        `${io.colors.yellow('not on the platform')}  ${safe(`${p.at}  ${p.flowName ?? p.flowId} (deployment ${p.deploymentId ?? '?'})`)}\n`,
      );
    if (found === 0) io.out(`${io.colors.green('✓')} every publish is accounted for\n`);
  }
  return found > 0 ? ExitCode.Invalid : ExitCode.Ok;
}

/**
 * `flowgate events retry`: sends the dead letters again with the manifest's webhook secrets, but
 * signs only events the audit log recorded (same id, same hash); the others stay in the file and
 * the exit code is 3.
 */
export async function runEventsRetry(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const path = typeof opts.deadLetter === 'string' ? opts.deadLetter : DEFAULT_DEAD_LETTER;
  const letters = readDeadLetters(path);
  if (letters.length === 0) {
    io.out('no undelivered events\n');
    return ExitCode.Ok;
  }
  const { loadManifest } = await import('../../config/manifest.js');
  const manifest = await loadManifest(typeof opts.manifest === 'string' ? opts.manifest : 'flowgate.yaml');
  const auditPath =
    typeof opts.log === 'string' ? opts.log : (manifest.events?.auditLog ?? DEFAULT_AUDIT_LOG);
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

function parseTime(text: string, flag: string): Date {
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new ConfigError('USAGE_NO_INPUT', `${flag} '${text}' is not a time`, {
      hint: 'Use ISO-8601, for example 2026-11-01T00:00:00Z.',
    });
  return new Date(t);
}
