/** `flowgate audit verify|show|reconcile`. */
import { ConfigError } from '../../errors.js';
import { plural } from '../../shared/plural.js';
import { readAuditLog, verifyAuditLog, type VerifyExpectations } from '../../events/audit-log.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { terminalSafe as safe } from '../output/encode.js';
import { tableLines } from '../output/table.js';

/** `audit verify`'s options. */
export interface AuditVerifyOptions {
  /** The audit log (the default already applied). */
  log: string;
  expectHead?: string | undefined;
  expectCount?: string | undefined;
  allowMissing: boolean;
  json: boolean;
}

/** `audit show`'s options. */
export interface AuditShowOptions {
  log: string;
  flow?: string | undefined;
  since?: string | undefined;
  result?: string | undefined;
  json: boolean;
}

/** `audit reconcile`'s options. */
export interface AuditReconcileOptions {
  log: string;
  since?: string | undefined;
  /** Default: a few minutes past the platform's now. */
  until?: string | undefined;
  json: boolean;
}

/**
 * `flowgate audit verify [--expect-head HASH] [--expect-count N] [--allow-missing]`: exit 0 when
 * the chain holds (and the anchors given), 3 naming the first bad line or the failed anchor; a
 * missing log is `AUDIT_LOG_MISSING` (3) unless `--allow-missing`.
 */
export function runAuditVerify(opts: AuditVerifyOptions, io: CliIo): number {
  const path = opts.log;
  const r = verifyAuditLog(path, anchors(opts));
  if (opts.json) io.out(`${JSON.stringify({ schemaVersion: 1, log: path, ...r }, null, 2)}\n`);
  else if (!r.ok)
    io.out(`${io.colors.red('✗')} ${safe(path)}${r.line ? `:${r.line}` : ''}: ${safe(r.problem)}\n`);
  else if (r.entries === 0)
    io.out(`${io.colors.yellow('–')} ${safe(path)}: no entries yet (--allow-missing)\n`);
  else
    io.out(
      `${io.colors.green('✓')} ${safe(path)}: ${plural(r.entries, 'entry', 'entries')}, chain intact (head ${r.head})${r.anchoredAt !== undefined ? `; the expected head is entry ${r.anchoredAt}` : '; no anchor given: a cut tail would not show (README: what the audit chain proves)'}\n`,
    );
  return r.ok ? ExitCode.Ok : ExitCode.Invalid;
}

/** The anchors of `audit verify`, checked as given. */
function anchors(opts: AuditVerifyOptions): VerifyExpectations {
  const head = opts.expectHead;
  if (head !== undefined && !/^[0-9a-fA-F]{64}$/.test(head))
    throw new ConfigError('USAGE_AUDIT_ANCHOR', `--expect-head '${head}' is not a SHA-256 in hex`, {
      hint: 'Give the 64 hex digits of a head hash: one audit verify printed, or the auditHead.hash of a deployment.completed event.',
    });
  const count = opts.expectCount;
  if (count !== undefined && !/^\d+$/.test(count))
    throw new ConfigError('USAGE_AUDIT_ANCHOR', `--expect-count '${count}' is not a whole number`, {
      hint: 'Give the number of entries the log held at least, e.g. --expect-count 13.',
    });
  return {
    expectHead: head,
    expectCount: count === undefined ? undefined : Number(count),
    allowMissing: opts.allowMissing,
  };
}

/** `flowgate audit show [--flow] [--since] [--result]`. */
export function runAuditShow(opts: AuditShowOptions, io: CliIo): number {
  const since = opts.since !== undefined ? parseTime(opts.since, '--since') : undefined;
  const { flow, result } = opts;
  const entries = readAuditLog(opts.log).filter(
    (e) =>
      (since === undefined || Date.parse(e.event.time) >= since.getTime()) &&
      (flow === undefined || e.event.flow?.name === flow || e.event.flow?.id === flow) &&
      (result === undefined || e.event.result === result),
  );
  if (opts.json) {
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
export async function runAuditReconcile(opts: AuditReconcileOptions, io: CliIo): Promise<number> {
  if (opts.since === undefined)
    throw new ConfigError('USAGE_NO_INPUT', 'audit reconcile needs --since', {
      hint: 'Example: --since 2026-11-01T00:00:00Z',
    });
  const since = parseTime(opts.since, '--since');
  const [{ reconcile }, { cliPlatformClient }] = await Promise.all([
    import('../../events/reconcile.js'),
    import('../platform-client.js'),
  ]);
  const { client } = cliPlatformClient(io);
  const until = opts.until === undefined ? undefined : parseTime(opts.until, '--until');
  const report = await reconcile(client, readAuditLog(opts.log), { since, ...(until ? { until } : {}) });
  const found = report.outside.length + report.missing.length;
  if (opts.json) io.out(`${JSON.stringify({ schemaVersion: 1, ...report }, null, 2)}\n`);
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

function parseTime(text: string, flag: string): Date {
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new ConfigError('USAGE_NO_INPUT', `${flag} '${text}' is not a time`, {
      hint: 'Use ISO-8601, for example 2026-11-01T00:00:00Z.',
    });
  return new Date(t);
}
