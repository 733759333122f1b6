/** `flowgate schedule list` and `flowgate schedule cancel <deployment>`. */
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { readLedger } from '../deploy-session.js';
import type { LedgerFlags } from '../options.js';
import { terminalSafe as safe } from '../output/encode.js';

/** `flowgate schedule`'s options. */
export interface ScheduleOptions extends LedgerFlags {
  action: 'list' | 'cancel';
  /** The deployment to cancel. */
  deployment?: string | undefined;
  json: boolean;
}

/** Lists the scheduled steps, or cancels a scheduled deployment. */
export async function runSchedule(opts: ScheduleOptions, io: CliIo): Promise<number> {
  const { scheduledSteps, cancelSchedule } = await import('../../deploy/schedules.js');
  const ledger = await readLedger(opts);
  try {
    if (opts.action === 'cancel') {
      const done = await cancelSchedule(ledger, opts.deployment);
      io.out(`${done === 'cancelled' ? 'cancelled' : 'already cancelled'} ${opts.deployment}\n`);
      return ExitCode.Ok;
    }
    const rows = await scheduledSteps(ledger);
    if (opts.json) io.out(`${JSON.stringify({ schemaVersion: 1, scheduled: rows }, null, 2)}\n`);
    else if (rows.length === 0) io.out('nothing scheduled\n');
    else
      for (const r of rows)
        io.out(`${safe(r.activateAt ?? 'now')}  ${r.deployment}  ${safe(`${r.flow} [${r.type}]`)}\n`);
    return ExitCode.Ok;
  } finally {
    await ledger.close();
  }
}
