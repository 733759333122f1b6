/**
 * The prunes of a manifest and org that an earlier run left unfinished (Ctrl-C, a kill): the next
 * `flowgate prune` finishes them before it plans. A prune is never run again as recorded (the
 * org may have changed since); each step in doubt (`publishing`: its delete or deactivate sent,
 * the outcome not recorded) is settled by asking the org, nothing is sent: a flow the org no
 * longer has was deleted, an inactive one was deactivated; otherwise it did not happen and the
 * new plan lists the flow again. Steps that never started are cancelled.
 */
import type { DeploymentStatus, Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { ApiError } from '../platform/errors.js';
import { NOT_STARTED } from './step-states.js';
import { sameManifest } from '../config/manifest-identity.js';

/** One step of an unfinished prune, as the org settled it. */
export interface SettledPruneStep {
  flowName: string;
  flowType: string;
  kind: StepRecord['kind'];
  /** Whether the org shows the delete or deactivate happened. */
  happened: boolean;
}

/** An unfinished prune, finished. */
export interface FinishedPrune {
  deploymentId: string;
  /** What it was left as. */
  was: DeploymentStatus;
  /** What it is recorded as now. */
  status: DeploymentStatus;
  settled: SettledPruneStep[];
}

/** Finishes the prunes of `where` a killed or interrupted run left, oldest first. */
export async function finishUnfinishedPrunes(
  ledger: Ledger,
  client: PlatformClient,
  where: { manifest: string | undefined; org: string },
): Promise<FinishedPrune[]> {
  const list = (await ledger.listDeployments({ status: ['running', 'interrupted'], limit: 20 }))
    .filter((d) => d.purpose === 'prune' && d.org === where.org && sameManifest(d.manifest, where.manifest))
    .reverse();
  const done: FinishedPrune[] = [];
  for (const d of list) {
    const settled: SettledPruneStep[] = [];
    for (const s of await ledger.steps(d.id)) {
      if (NOT_STARTED.has(s.state))
        await ledger.transition(d.id, s.index, 'cancelled', {}, 'the prune stopped before it');
      if (s.state !== 'publishing') continue;
      const happened = await happenedInOrg(s, client);
      settled.push({ flowName: s.flowName, flowType: s.flowType, kind: s.kind, happened });
      if (happened)
        await ledger.transition(d.id, s.index, 'published', {}, `${pastOf(s)}: checked by the next prune`);
      else
        await ledger.transition(
          d.id,
          s.index,
          'failed',
          {
            error: `not ${pastOf(s)}: the org still has it${s.kind === 'deactivate' ? ' active' : ''} (the prune stopped)`,
          },
          `checked by the next prune: not ${pastOf(s)}`,
        );
    }
    const status = statusOf(await ledger.steps(d.id));
    await ledger.setStatus(d.id, status);
    done.push({ deploymentId: d.id, was: d.status, status, settled });
  }
  return done;
}

/** The word for a prune step done: deleted, deactivated. */
function pastOf(s: Pick<StepRecord, 'kind'>): string {
  return s.kind === 'delete' ? 'deleted' : 'deactivated';
}

/** Whether the org shows the step's delete (no such flow) or deactivate (inactive) happened. */
async function happenedInOrg(s: StepRecord, client: PlatformClient): Promise<boolean> {
  if (s.flowId === undefined) return false;
  try {
    const flow = await client.flows.get(s.flowId);
    return flow.deleted === true || (s.kind === 'deactivate' && flow.active === false);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 410)) return true;
    throw e;
  }
}

/** A finished prune's status: succeeded when every acting step happened, partial when some did. */
function statusOf(steps: readonly StepRecord[]): DeploymentStatus {
  const acting = steps.filter((s) => s.state !== 'blocked' && s.state !== 'unchanged');
  const done = acting.filter((s) => s.state === 'published').length;
  if (done === acting.length) return 'succeeded';
  return done > 0 ? 'partial' : 'cancelled';
}
