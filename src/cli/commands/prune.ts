/**
 * `flowgate prune`: the flows flowgate deployed to this org that the manifest no longer lists
 * (library: `deploy/prune.ts`, `deploy/prune-apply.ts`; docs/prune.md). A dry run unless
 * `--apply`; `--deactivate` deactivates instead of deleting.
 */
import type { PruneResult, PruneResultItem } from '../../deploy/prune-apply.js';
import { plural } from '../../shared/plural.js';
import type { PruneItem, PrunePlan } from '../../deploy/prune.js';
import { ExitCode, exitCodeOf } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { interruptOnSigint } from '../interrupt.js';
import type { DeployInputFlags } from '../options.js';
import { terminalSafe as safe } from '../output/encode.js';

/** `flowgate prune`'s options. */
export interface PruneOptions extends DeployInputFlags {
  apply: boolean;
  deactivate: boolean;
  json: boolean;
}

/** Plans the prune, prints it, and with `--apply` acts on it. */
export async function runPrune(o: PruneOptions, io: CliIo): Promise<number> {
  const { openDeploySession } = await import('../deploy-session.js');
  const session = await openDeploySession(io, o);
  try {
    // What a Ctrl-C or a kill left is settled first (the org says whether it happened): the plan
    // then reads the ledger as the org is, instead of listing a flow already deleted afresh.
    await finishUnfinished(session, io);
    const { planPrune } = await import('../../deploy/prune.js');
    const plan = await planPrune(
      {
        org: session.client.endpoints.apiBaseUrl,
        env: session.deployment.manifest?.env,
        manifestPath: session.deployment.manifest?.path,
        flows: session.loaded,
        mode: o.deactivate ? 'deactivate' : 'delete',
      },
      session,
    );
    if (!o.apply) {
      print(plan, plan.items, undefined, o.json, io);
      return ExitCode.Ok;
    }
    const result = await apply(plan, session, o, io);
    print(plan, result.items, result, o.json, io);
    const { deploymentOutcome } = await import('../../deploy/schedules.js');
    return exitCodeOf(deploymentOutcome(result.status));
  } finally {
    await session.close();
  }
}

/** Finishes the prunes of this manifest and org an earlier run left, saying what the org showed. */
async function finishUnfinished(session: Session, io: CliIo): Promise<void> {
  const { finishUnfinishedPrunes } = await import('../../deploy/prune-resume.js');
  const finished = await finishUnfinishedPrunes(session.ledger, session.client, {
    manifest: session.deployment.manifest?.path,
    org: session.client.endpoints.apiBaseUrl,
  });
  for (const f of finished) {
    io.err(
      `prune ${f.deploymentId} was left unfinished by an earlier run (${f.was}); checked against the org:\n`,
    );
    for (const s of f.settled) {
      const verb = s.kind === 'delete' ? 'deleted' : 'deactivated';
      io.err(
        safe(
          `  ${s.flowName} (${s.flowType}): ${s.happened ? verb : `not ${verb}, listed again below if still unlisted`}`,
        ) + '\n',
      );
    }
    io.err(`  prune ${f.deploymentId}: ${f.status}\n`);
  }
}

type Session = Awaited<ReturnType<typeof import('../deploy-session.js').openDeploySession>>;

async function apply(plan: PrunePlan, session: Session, o: PruneOptions, io: CliIo): Promise<PruneResult> {
  const [{ applyPrune }, { cliEvents }] = await Promise.all([
    import('../../deploy/prune-apply.js'),
    import('../event-hub.js'),
  ]);
  const actor = (await session.client.org.tokenInfo()).OAuthClient?.id ?? '';
  const events = cliEvents(io, session.ledger, session.deployment.manifest?.events, !o.json);
  const interrupt = interruptOnSigint(io, 'the next flowgate prune checks what it left');
  try {
    return await applyPrune(plan, {
      client: session.client,
      ledger: session.ledger,
      actor,
      signal: interrupt.signal,
      emit: (e) => events.hub.emit(e),
      // Dependency tracking lags behind the deletes of consumers: say why the prune waits.
      onInUse: (w) =>
        io.err(
          safe(
            `${w.item.flowName}: still in use (409 ${w.error.apiCode ?? ''}), dependency tracking may lag behind a delete: trying again in ${(w.delayMs / 1000).toFixed(1)} s`,
          ) + '\n',
        ),
    });
  } finally {
    interrupt.dispose();
    await events.close();
  }
}

const VERB: Record<PruneItem['action'], string> = {
  delete: 'delete',
  deactivate: 'deactivate',
  keep: 'keep',
  gone: 'gone',
  rename: 'rename',
  inactive: 'inactive',
};

function print(
  plan: PrunePlan,
  items: ReadonlyArray<PruneItem | PruneResultItem>,
  result: PruneResult | undefined,
  json: boolean,
  io: CliIo,
): void {
  if (json) {
    const out = { schemaVersion: 1, applied: result !== undefined, ...plan, items, ...result };
    io.out(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const head = result ? `Prune ${result.deploymentId ?? ''}: ${result.status}` : 'Prune (dry run)';
  const count = `${plural(items.length, 'flow')} flowgate deployed to ${plan.org} that the manifest no longer lists`;
  io.out(`${safe(`${head}: ${count}`)}\n`);
  for (const i of items) {
    const what = 'outcome' in i ? i.outcome : VERB[i.action];
    const name = i.renamedTo ? `${i.flowName} → ${i.renamedTo.name}` : i.flowName;
    const why = 'outcome' in i && i.error !== undefined ? i.error : i.reason;
    io.out(safe(`  ${what.padEnd(11)} ${name} (${i.flowType}): ${why}`) + '\n');
  }
  const acting = items.filter((i) => i.action === plan.mode).length;
  if (!result && acting > 0)
    io.out(
      `Nothing changed. ${plural(acting, 'flow')} would be ${plan.mode === 'delete' ? 'deleted' : 'deactivated'} with --apply.\n`,
    );
}
