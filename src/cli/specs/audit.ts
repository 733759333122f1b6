/** The specs of `audit verify|show|reconcile` and `events retry` (handlers in `cli/commands/`). */
import type { Command } from 'commander';
import { defineCommand, flag, text } from '../command-spec.js';
import { DEFAULT_AUDIT_LOG } from '../defaults.js';
import { jsonOption } from '../options.js';

const logOption = (cmd: Command) =>
  cmd.option('--log <file>', 'the audit log (default .flowgate/audit.jsonl)');
const log = (raw: Record<string, unknown>) => text(raw.log) ?? DEFAULT_AUDIT_LOG;

/** `flowgate audit verify`. */
export const auditVerify = defineCommand({
  path: 'audit verify',
  verdict: true,
  declare: (cmd) =>
    jsonOption(
      logOption(
        cmd.description(
          'check the chain: exit 3 naming the first edited, removed, inserted or reordered line, or when an anchor fails',
        ),
      )
        .option('--expect-head <hash>', 'an anchor kept elsewhere: this head hash must still be on the chain')
        .option('--expect-count <n>', 'the log must hold at least this many entries')
        .option('--allow-missing', 'no log (or an empty one) is fine: nothing was recorded yet'),
    ),
  parse: (_args, raw) => ({
    log: log(raw),
    expectHead: text(raw.expectHead),
    expectCount: text(raw.expectCount),
    allowMissing: flag(raw.allowMissing),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/audit.js')).runAuditVerify(o, io),
});

/** `flowgate audit show`. */
export const auditShow = defineCommand({
  path: 'audit show',
  declare: (cmd) =>
    jsonOption(
      logOption(cmd.description('the entries, filtered by flow, time and result'))
        .option('--flow <name or id>', 'only this flow')
        .option('--since <time>', 'only from this time (ISO-8601)')
        .option('--result <result>', 'only this result (succeeded, failed, rolled-back, …)'),
    ),
  parse: (_args, raw) => ({
    log: log(raw),
    flow: text(raw.flow),
    since: text(raw.since),
    result: text(raw.result),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/audit.js')).runAuditShow(o, io),
});

/** `flowgate audit reconcile --since TIME`. */
export const auditReconcile = defineCommand({
  path: 'audit reconcile',
  declare: (cmd) =>
    jsonOption(
      logOption(
        cmd
          .description(
            "compare with the platform's audit trail: publishes outside flowgate, records missing on the platform (exit 3 when any)",
          )
          .requiredOption('--since <time>', 'from this time (ISO-8601)')
          .option(
            '--until <time>',
            "to this time (ISO-8601; default: a few minutes past the platform's now)",
          ),
      ),
    ),
  parse: (_args, raw) => ({
    log: log(raw),
    since: text(raw.since),
    until: text(raw.until),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/audit.js')).runAuditReconcile(o, io),
});

/** `flowgate events retry`. */
export const eventsRetry = defineCommand({
  path: 'events retry',
  changes: true,
  declare: (cmd) =>
    cmd
      .description(
        'send the undelivered webhook events again (the dead-letter file); only events the audit log recorded are signed (exit 3 naming the others)',
      )
      .option('-m, --manifest <file>', 'the manifest with the webhooks (default ./flowgate.yaml)')
      .option('--dead-letter <file>', 'the dead-letter file (default .flowgate/dead-letter.jsonl)')
      .option(
        '--log <file>',
        "the audit log the events must be in (default: the manifest's, else .flowgate/audit.jsonl)",
      ),
  parse: (_args, raw) => ({
    manifest: text(raw.manifest),
    deadLetter: text(raw.deadLetter),
    log: text(raw.log),
  }),
  run: async (o, io) => (await import('../commands/events-retry.js')).runEventsRetry(o, io),
});
