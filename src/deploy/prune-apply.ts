/**
 * `flowgate prune --apply`: acts on a {@link PrunePlan}. The prune is a deployment of the ledger
 * (`purpose: 'prune'`, one step per flow of kind `delete` or `deactivate`), written before each
 * call as every deployment is (docs/ARCHITECTURE.md, "The ledger is written before the platform
 * is called"), and each fact goes to the audit log through the event hub.
 */
import { randomUUID } from 'node:crypto';
import { FlowgateError } from '../errors.js';
import { newEvent, type DeploymentEvent, type DeploymentEventType } from '../events/model.js';
import type { DeploymentRecord, DeploymentStatus, Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { ApiError } from '../platform/errors.js';
import { systemClock, type Clock } from '../shared/time.js';
import { withCallContext } from './call-context.js';
import type { PruneItem, PrunePlan } from './prune.js';

/** How one flow ended. */
export type PruneOutcome = 'deleted' | 'deactivated' | 'kept' | 'gone' | 'failed' | 'renamed' | 'inactive';

/** One flow's result. */
export interface PruneResultItem extends PruneItem {
  outcome: PruneOutcome;
  /** For `failed`: what the platform said. */
  error?: string | undefined;
}

/** What `prune --apply` did. */
export interface PruneResult {
  /** The ledger's deployment (absent when there was nothing to record). */
  deploymentId?: string | undefined;
  status: DeploymentStatus;
  items: PruneResultItem[];
}

/** What {@link applyPrune} needs. */
export interface PruneApplyOptions {
  client: PlatformClient;
  ledger: Ledger;
  /** The OAuth client id that prunes (the deployment's actor). */
  actor: string;
  /** Records and dispatches an event (the CLI's hub: audit log, webhooks). */
  emit?: ((e: DeploymentEvent) => Promise<void>) | undefined;
  now?: Clock | undefined;
}

/** The outcome of an item that is not acted on. */
const NOT_ACTED: Partial<Record<PruneItem['action'], PruneOutcome>> = {
  keep: 'kept',
  rename: 'renamed',
  inactive: 'inactive',
};

/** Deletes or deactivates what the plan says, consumers first; records each step and event. */
export async function applyPrune(plan: PrunePlan, o: PruneApplyOptions): Promise<PruneResult> {
  const recorded = plan.items.filter((i) => i.action !== 'rename' && i.action !== 'inactive');
  const results: PruneResultItem[] = plan.items.map((i) => ({
    ...i,
    outcome: NOT_ACTED[i.action] ?? 'failed',
  }));
  if (recorded.length === 0) return { status: 'succeeded', items: results };
  const stamp = new Date((o.now ?? systemClock)()).toISOString();
  const id = `d-${stamp.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const deployment: DeploymentRecord = {
    id,
    createdAt: stamp,
    updatedAt: stamp,
    status: 'running',
    actor: o.actor,
    org: plan.org,
    env: plan.env,
    manifest: plan.manifest,
    atomic: false,
    purpose: 'prune',
  };
  await o.ledger.createDeployment(
    deployment,
    recorded.map((item, index) => stepOf(id, index, item, plan.mode, stamp)),
  );
  const event = eventFor(deployment, o);
  await event('deployment.planned', undefined, `prune: ${recorded.length} flow(s)`);
  for (const [index, item] of recorded.entries()) {
    const outcome = await withCallContext(id, index, () => act(id, index, item, plan, o, event));
    const r = results.find((x) => x.flowKey === item.flowKey)!;
    r.outcome = outcome.outcome;
    if (outcome.error !== undefined) r.error = outcome.error;
  }
  const status = finalStatus(results);
  await o.ledger.setStatus(id, status);
  await event('deployment.completed', undefined, `prune ${status}`, status);
  return { deploymentId: id, status, items: results };
}

function stepOf(
  deploymentId: string,
  index: number,
  item: PruneItem,
  kind: PrunePlan['mode'],
  at: string,
): StepRecord {
  return {
    deploymentId,
    index,
    flowKey: item.flowKey,
    flowName: item.flowName,
    flowType: item.flowType,
    flowId: item.flowId,
    kind,
    createdFlow: false,
    // A kept flow is recorded as blocked, with the consumer named: the ledger shows why it stayed.
    state: item.action === 'keep' ? 'blocked' : 'planned',
    ...(item.action === 'keep' ? { error: item.reason } : {}),
    dependsOn: [],
    updatedAt: at,
  };
}

type Emit = (
  type: DeploymentEventType,
  item: PruneItem | undefined,
  message: string,
  result?: string,
) => Promise<void>;

function eventFor(d: DeploymentRecord, o: PruneApplyOptions): Emit {
  return async (type, item, message, result) => {
    if (!o.emit) return;
    await o.emit(
      newEvent({
        type,
        time: new Date((o.now ?? systemClock)()).toISOString(),
        deploymentId: d.id,
        actor: d.actor,
        org: d.org,
        flow: item ? { id: item.flowId, name: item.flowName, type: item.flowType } : undefined,
        result,
        message,
      }),
    );
  };
}

/** One step: kept and gone are recorded as they are; a delete or deactivate is sent once. */
async function act(
  id: string,
  index: number,
  item: PruneItem,
  plan: PrunePlan,
  o: PruneApplyOptions,
  event: Emit,
): Promise<{ outcome: PruneOutcome; error?: string }> {
  if (item.action === 'keep') {
    await event('step.kept', item, `${item.flowName} kept: ${item.reason}`, 'kept');
    return { outcome: 'kept' };
  }
  if (item.action === 'gone' || item.flowId === undefined) return gone(id, index, item, o, event);
  await o.ledger.transition(id, index, 'publishing', {}, `${plan.mode} sent`);
  try {
    if (plan.mode === 'delete') await o.client.flows.delete(item.flowId);
    else await o.client.flows.deactivate(item.flowId);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 410))
      return gone(id, index, item, o, event, 'publishing');
    const error = e instanceof FlowgateError ? `${e.code}: ${e.message}` : String(e);
    await o.ledger.transition(id, index, 'failed', { error }, `${plan.mode} refused`);
    await event('step.failed', item, `${item.flowName}: ${error}`, 'failed');
    return { outcome: 'failed', error };
  }
  const outcome = plan.mode === 'delete' ? 'deleted' : 'deactivated';
  await o.ledger.transition(id, index, 'published', {}, outcome);
  await event(
    plan.mode === 'delete' ? 'step.deleted' : 'step.deactivated',
    item,
    `${item.flowName} ${outcome}`,
    outcome,
  );
  return { outcome };
}

/** A flow the org no longer has: reported and recorded, not an error. */
async function gone(
  id: string,
  index: number,
  item: PruneItem,
  o: PruneApplyOptions,
  event: Emit,
  from: 'planned' | 'publishing' = 'planned',
): Promise<{ outcome: PruneOutcome }> {
  // `publishing → unchanged` is not a transition of the table: a 404 after sending is a done delete.
  const to = from === 'planned' ? 'unchanged' : 'published';
  await o.ledger.transition(id, index, to, {}, 'the org no longer has it');
  await event('step.unchanged', item, `${item.flowName}: the org no longer has it`, 'gone');
  return { outcome: 'gone' };
}

function finalStatus(items: readonly PruneResultItem[]): DeploymentStatus {
  const failed = items.filter((i) => i.outcome === 'failed').length;
  if (failed === 0) return 'succeeded';
  return items.some((i) => i.outcome === 'deleted' || i.outcome === 'deactivated') ? 'partial' : 'failed';
}
