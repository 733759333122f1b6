/** `flowgate ledger migrate`: a machine's SQLite ledger into the team's PostgreSQL ledger. */
import { existsSync } from 'node:fs';
import { plural } from '../../shared/plural.js';
import { ConfigError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { DEFAULT_LEDGER, ledgerLocation } from '../deploy-session.js';

/** Copies every deployment the target does not have; prints the counts. */
export async function runLedgerMigrate(
  opts: { from?: string | undefined; to?: string | undefined; json: boolean },
  io: CliIo,
): Promise<number> {
  const from = opts.from ?? DEFAULT_LEDGER;
  if (!existsSync(from))
    throw new ConfigError('CONFIG_READ', `there is no SQLite ledger at ${from}`, {
      hint: 'Name it with --from (the manifest’s ledger.path, or .flowgate/ledger.db where deploy ran).',
    });
  const to = await ledgerLocation({ ledger: opts.to });
  if (to.kind !== 'postgres')
    throw new ConfigError('CONFIG_LEDGER', 'ledger migrate needs a PostgreSQL ledger to copy into', {
      hint: 'Set FLOWGATE_LEDGER_URL, or give --to postgres://user@host/database (the password from FLOWGATE_LEDGER_PASSWORD).',
    });
  const [{ openLedger }, { copyLedger }] = await Promise.all([
    import('../../ledger/open.js'),
    import('../../ledger/copy.js'),
  ]);
  const source = await openLedger({ kind: 'sqlite', path: from });
  try {
    const target = await openLedger(to);
    try {
      const tty = process.stderr.isTTY === true && !opts.json;
      const result = await copyLedger(source, target, (done, total) => {
        if (tty) io.err(`\rcopying ${done}/${total}`);
      });
      if (tty) io.err('\n');
      if (opts.json) io.out(`${JSON.stringify({ from, ...result }, null, 2)}\n`);
      else
        io.out(
          `copied ${plural(result.copied, 'deployment')} (${plural(result.steps, 'step')}, ${plural(result.events, 'state change')}, ${plural(result.calls, 'API call')}), ${plural(result.approvals, 'approval')}; ${result.skipped} already there\n`,
        );
      return ExitCode.Ok;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
