/** `flowgate rollback <deployment | flow>`: publishes again the versions the ledger recorded as before. */
import { FlowgateError, isFlowgateError } from '../../errors.js';
import type { RunOutcome } from '../../deploy/executor.js';
import type { AlreadyRolledBack } from '../../deploy/rollback-plan.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openLedgerSession, type LedgerSession } from '../deploy-session.js';
import { cliEvents, type CliEvents } from '../event-hub.js';
import { interruptOnSigint } from '../interrupt.js';
import { lockWaitMs } from '../lock-wait.js';
import { terminalSafe } from '../output/encode.js';
import type { LedgerFlags, LockFlags } from '../options.js';
import { finish } from './finish.js';

/** `flowgate rollback`'s options. */
export interface RollbackOptions extends LedgerFlags, LockFlags {
  /** A deployment id, or a flow (name, type:name or id); none with `resume`. */
  target?: string | undefined;
  /** Only finish the rollbacks an interrupted or killed run left (`--resume`). */
  resume: boolean;
  forceUnlock: boolean;
  json: boolean;
}

/**
 * Finishes the rollbacks of this org an earlier run left (Ctrl-C, a kill), then plans the
 * rollback asked for, records it as a deployment and runs it. A target an unfinished rollback
 * already restores is not planned again. Ctrl-C ends the run `interrupted` (exit 130).
 */
export async function runRollback(opts: RollbackOptions, io: CliIo): Promise<number> {
  if (!opts.resume && opts.target === undefined)
    throw new FlowgateError('USAGE_MISSING_ARGUMENT', 'rollback needs a deployment id or a flow', {
      hint: 'Name what to roll back.',
      details: { command: 'flowgate rollback' },
    });
  const session = await openLedgerSession(io, opts);
  const interrupt = interruptOnSigint(io, 'flowgate rollback --resume continues');
  const events = cliEvents(io, session.ledger, undefined, !opts.json);
  try {
    const run = await runner(session, opts, events, interrupt.signal);
    const resumed = await resumeUnfinished(session, run, io);
    const last = resumed.at(-1);
    if (last?.status === 'interrupted') return await finish(last, session.ledger, io, opts.json);
    if (opts.resume || opts.target === undefined) {
      if (!last) io.err('nothing to resume\n');
      return last ? await finish(last, session.ledger, io, opts.json) : ExitCode.Ok;
    }
    const { rollbackCovers, rollbackPlan } = await import('../../deploy/rollback-plan.js');
    for (const r of resumed)
      if (await rollbackCovers({ id: r.deploymentId, steps: r.steps }, opts.target, session.ledger)) {
        io.err(
          `${terminalSafe(opts.target)}: rolled back by the resumed deployment ${r.deploymentId}; not planned again\n`,
        );
        return await finish(r, session.ledger, io, opts.json);
      }
    const { createDeployment } = await import('../../deploy/executor.js');
    const plan = await rollbackPlan(opts.target, session.ledger, session.client);
    for (const a of plan.alreadyRolledBack) io.err(`${alreadyLine(a)}\n`);
    for (const name of plan.createdLeft)
      io.err(
        `${terminalSafe(name)}: created by ${terminalSafe(opts.target)}, it has no earlier version: left active (deactivate it in Architect if it must go)\n`,
      );
    if (plan.steps.length === 0) {
      if (opts.json)
        io.out(
          `${JSON.stringify({ alreadyRolledBack: plan.alreadyRolledBack, createdLeft: plan.createdLeft }, null, 2)}\n`,
        );
      else
        io.err(
          'nothing more to roll back. flowgate history <flow> lists its deployments; flowgate rollback <deployment> undoes one of them\n',
        );
      return ExitCode.Ok;
    }
    const id = await createDeployment(plan, session.ledger, { atomic: false });
    return await finish(await run(id), session.ledger, io, opts.json);
  } finally {
    interrupt.dispose();
    await events.close();
    await session.close();
  }
}

/** What a rollback leaves alone, in words: which rollback put it back, and on what. */
function alreadyLine(a: AlreadyRolledBack): string {
  const held =
    a.publishedVersion && a.publishedVersion !== a.version ? ` (as version ${a.publishedVersion})` : '';
  return `${terminalSafe(a.flowName)}: already rolled back by ${a.by}, back on ${terminalSafe(a.version)}${held}; left as it is`;
}

/** Runs (or resumes) one recorded rollback deployment. */
type Runner = (id: string) => Promise<RunOutcome>;

async function runner(
  session: LedgerSession,
  opts: RollbackOptions,
  events: CliEvents,
  signal: AbortSignal,
): Promise<Runner> {
  const { runDeployment } = await import('../../deploy/executor.js');
  return (id) =>
    runDeployment(id, {
      client: session.client,
      ledger: session.ledger,
      forceUnlock: opts.forceUnlock,
      signal,
      onEvent: events.onEvent,
      lockWaitMs: lockWaitMs(opts),
    });
}

/**
 * Finishes, oldest first, the rollbacks of this org an earlier run left; stops at one that is
 * interrupted again. A rollback another live runner is finishing (LEDGER_BUSY) is left to it.
 */
async function resumeUnfinished(session: LedgerSession, run: Runner, io: CliIo): Promise<RunOutcome[]> {
  const { unfinishedRollbacks } = await import('../../deploy/schedules.js');
  const done: RunOutcome[] = [];
  for (const id of await unfinishedRollbacks(session.ledger, session.client.endpoints.apiBaseUrl)) {
    io.err(`resuming rollback ${id} left unfinished by an earlier run\n`);
    try {
      done.push(await run(id));
    } catch (e) {
      if (!(isFlowgateError(e) && e.code === 'LEDGER_BUSY')) throw e;
      io.err(`  skipped: ${terminalSafe(e.message)}\n`);
      continue;
    }
    if (done.at(-1)!.status === 'interrupted') break;
  }
  return done;
}
