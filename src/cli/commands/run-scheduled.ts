/** `flowgate run-scheduled`: publishes the scheduled steps that are due (run it from cron or a scheduled CI job). */
import { isFlowgateError } from '../../errors.js';
import { plural } from '../../shared/plural.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openLedgerSession } from '../deploy-session.js';
import { cliEvents } from '../event-hub.js';
import { lockWaitMs } from '../lock-wait.js';
import type { LedgerFlags, LockFlags } from '../options.js';
import { terminalSafe as safe } from '../output/encode.js';
import { finish } from './finish.js';

/** `flowgate run-scheduled`'s options. */
export interface RunScheduledOptions extends LedgerFlags, LockFlags {
  json: boolean;
}

/** Runs every due deployment of this org, oldest first; the worst exit code of them. */
export async function runScheduled(opts: RunScheduledOptions, io: CliIo): Promise<number> {
  const session = await openLedgerSession(io, opts);
  try {
    const [{ runDeployment }, { dueDeployments }] = await Promise.all([
      import('../../deploy/executor.js'),
      import('../../deploy/schedules.js'),
    ]);
    const { due, scheduled } = await dueDeployments(
      session.ledger,
      session.client.endpoints.apiBaseUrl,
      Date.now(),
    );
    let code: number = ExitCode.Ok;
    let ran = 0;
    const events = cliEvents(io, session.ledger, undefined, !opts.json);
    for (const id of due) {
      let outcome;
      try {
        outcome = await runDeployment(id, {
          client: session.client,
          ledger: session.ledger,
          onlyDue: true,
          onEvent: events.onEvent,
          lockWaitMs: lockWaitMs(opts),
        });
      } catch (e) {
        // Another runner of the team is publishing it now.
        if (!(isFlowgateError(e) && e.code === 'LEDGER_BUSY')) throw e;
        if (!opts.json) io.err(`skipped ${id}: ${safe(e.message)}\n`);
        continue;
      }
      ran++;
      const c = await finish(outcome, session.ledger, io, opts.json);
      if (c !== ExitCode.Ok) code = c;
    }
    await events.close();
    if (ran === 0 && !opts.json)
      io.err(`nothing due (${plural(scheduled, 'scheduled deployment')} waiting)\n`);
    return code;
  } finally {
    await session.close();
  }
}
