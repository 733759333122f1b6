/** `flowgate rollback <deployment | flow>`: publishes again the versions the ledger recorded as before. */
import type { CliIo } from '../io.js';
import { openLedgerSession } from '../deploy-session.js';
import { cliEvents } from '../event-hub.js';
import { lockWaitMs } from '../lock-wait.js';
import type { LedgerFlags, LockFlags } from '../options.js';
import { finish } from './finish.js';

/** `flowgate rollback`'s options. */
export interface RollbackOptions extends LedgerFlags, LockFlags {
  /** A deployment id, or a flow (name, type:name or id). */
  target: string;
  forceUnlock: boolean;
  json: boolean;
}

/** Plans the rollback, records it as a deployment and runs it. */
export async function runRollback(opts: RollbackOptions, io: CliIo): Promise<number> {
  const session = await openLedgerSession(io, opts);
  try {
    const [{ rollbackPlan }, { createDeployment, runDeployment }] = await Promise.all([
      import('../../deploy/rollback-plan.js'),
      import('../../deploy/executor.js'),
    ]);
    const plan = await rollbackPlan(opts.target, session.ledger, session.client);
    const id = await createDeployment(plan, session.ledger, { atomic: false });
    const events = cliEvents(io, session.ledger, undefined, !opts.json);
    try {
      const outcome = await runDeployment(id, {
        client: session.client,
        ledger: session.ledger,
        forceUnlock: opts.forceUnlock,
        onEvent: events.onEvent,
        lockWaitMs: lockWaitMs(opts),
      });
      return await finish(outcome, session.ledger, io, opts.json);
    } finally {
      await events.close();
    }
  } finally {
    await session.close();
  }
}
