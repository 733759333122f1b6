/** The specs of `history`, `status` and `ledger migrate` (handlers in `cli/commands/`). */
import { defineCommand, flag, text, wholeNumber } from '../command-spec.js';
import { jsonOption, ledgerFlags, ledgerOption } from '../options.js';

/** `flowgate history [flow]`. */
export const history = defineCommand({
  path: 'history',
  declare: (cmd) =>
    jsonOption(
      ledgerOption(
        cmd
          .description('what the ledger recorded, newest first')
          .argument('[flow]', 'only this flow (name, type:name or id)'),
      ).option('--limit <n>', 'rows', wholeNumber(1), 50),
    ),
  parse: (args, raw) => ({
    flow: text(args[0]),
    ...ledgerFlags(raw),
    limit: Number(raw.limit ?? 50),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/history.js')).runHistory(o, io),
});

/** `flowgate status <deployment>`. */
export const status = defineCommand({
  path: 'status',
  declare: (cmd) =>
    jsonOption(
      ledgerOption(
        cmd
          .description("a deployment's report: each flow's outcome, attempts and API latency")
          .argument('<deployment>', 'the deployment id'),
      ),
    ),
  parse: (args, raw) => ({ deployment: String(args[0]), ...ledgerFlags(raw), json: flag(raw.json) }),
  run: async (o, io) => (await import('../commands/status.js')).runStatus(o, io),
});

/** `flowgate ledger migrate`. */
export const ledgerMigrate = defineCommand({
  path: 'ledger migrate',
  changes: true,
  declare: (cmd) =>
    jsonOption(
      cmd
        .description(
          'copy a SQLite ledger (every deployment, state change and API call) into the PostgreSQL ledger; run again, it copies only what is new',
        )
        .option('--from <file>', 'the SQLite ledger to copy (default .flowgate/ledger.db)')
        .option('--to <url>', 'the PostgreSQL ledger, without its password (default: FLOWGATE_LEDGER_URL)'),
    ),
  parse: (_args, raw) => ({ from: text(raw.from), to: text(raw.to), json: flag(raw.json) }),
  run: async (o, io) => (await import('../commands/ledger-migrate.js')).runLedgerMigrate(o, io),
});
