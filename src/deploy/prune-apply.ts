/**
 * `flowgate prune --apply`: acts on a {@link PrunePlan}. The prune is a deployment of the ledger
 * (`purpose: 'prune'`, one step per flow of kind `delete` or `deactivate`), written before each
 * call as every deployment is (docs/ARCHITECTURE.md, "The ledger is written before the platform
 * is called"), and each fact goes to the audit log through the event hub.
 */
import { randomUUID } from 'node:crypto';
import { plural } from '../shared/plural.js';
import { FlowgateError } from '../errors.js';
import { newEvent, type DeploymentEvent, type DeploymentEventType } from '../events/model.js';
import type { DeploymentRecord, DeploymentStatus, Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { ApiError } from '../platform/errors.js';
import { sleep as realSleep, systemClock, type Clock, type Sleep } from '../shared/time.js';
import { withCallContext } from './call-context.js';
import { IN_USE_RETRY_MS, isInUse, namedConsumers, nextInUseDelay, seconds } from './prune-in-use.js';
import type { PruneItem, PrunePlan } from './prune.js';

/** How one flow ended. */
export type PruneOutcome =
  | 'deleted'
  | 'deactivated'
  | 'kept'
  | 'gone'
  | 'failed'
  | 'renamed'
  | 'inactive'
  /** Ctrl-C while its delete refused as in use waited: in doubt, the next prune asks the org. */
  | 'interrupted'
  /** Ctrl-C before it: nothing was sent. */
  | 'cancelled';

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
  /** Waits between the attempts of a delete refused as in use (`prune-in-use.ts`). */
  sleep?: Sleep | undefined;
  /**
   * How long a delete refused as in use (409 `architect.dependency.object.in.use`) is tried again
   * before the flow is kept: dependency tracking lags behind the deletes of its consumers.
   * @default 30 s, the Terraform provider's bound (docs/prune.md)
   */
  inUseRetryMs?: number | undefined;
  /** Told before each wait of a delete refused as in use (the CLI says it on stderr). */
  onInUse?: ((w: InUseWait) => void) | undefined;
  /**
   * Ctrl-C: no further flow is acted on; the call in flight is let finish and recorded, a wait
   * between attempts ends with its step in doubt; the prune ends `interrupted`.
   */
  signal?: AbortSignal | undefined;
}

/** A delete refused as in use, about to be tried again. */
export interface InUseWait {
  item: PruneItem;
  /** The attempts refused so far. */
  attempt: number;
  delayMs: number;
  /** The platform's refusal. */
  error: ApiError;
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
  await event('deployment.planned', undefined, `prune: ${plural(recorded.length, 'flow')}`);
  for (const [index, item] of recorded.entries()) {
    const r = results.find((x) => x.flowKey === item.flowKey)!;
    if (o.signal?.aborted) {
      if (item.action !== 'keep') await stopBefore(id, index, r, o);
      continue;
    }
    const outcome = await withCallContext(id, index, () => act(id, index, item, plan, o, event));
    r.outcome = outcome.outcome;
    if (outcome.error !== undefined) r.error = outcome.error;
  }
  const status = o.signal?.aborted ? 'interrupted' : finalStatus(results);
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
  // `publishing` is the table's state of a call sent, its outcome in doubt until recorded; shown
  // as `deleting`/`deactivating` (cli/output/step-version.ts).
  await o.ledger.transition(id, index, 'publishing', {}, `${plan.mode} sent`);
  const now = o.now ?? systemClock;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      if (plan.mode === 'delete') await o.client.flows.delete(item.flowId);
      else await o.client.flows.deactivate(item.flowId);
      break;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 410))
        return gone(id, index, item, o, event, 'publishing');
      if (plan.mode === 'delete' && isInUse(e)) {
        const delayMs = nextInUseDelay(attempt, now() - started, o.inUseRetryMs ?? IN_USE_RETRY_MS);
        if (delayMs === undefined) return keptInUse(id, index, item, attempt, now() - started, e, o, event);
        o.onInUse?.({ item, attempt, delayMs, error: e });
        if (!(await waited(o, delayMs))) return interrupted(id, index, item, o, event);
        // Written before the attempt is sent, as every call of a step is.
        await o.ledger.transition(
          id,
          index,
          'publishing',
          {},
          `delete attempt ${attempt + 1}: still in use (409 ${e.apiCode}) after ${seconds(delayMs)}; dependency tracking lags behind deletes`,
        );
        continue;
      }
      const error = e instanceof FlowgateError ? `${e.code}: ${e.message}` : String(e);
      await o.ledger.transition(id, index, 'failed', { error }, `${plan.mode} refused`);
      await event('step.failed', item, `${item.flowName}: ${error}`, 'failed');
      return { outcome: 'failed', error };
    }
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

/** Waits `ms`; false when Ctrl-C ended the wait. */
async function waited(o: PruneApplyOptions, ms: number): Promise<boolean> {
  try {
    await (o.sleep ?? realSleep)(ms, o.signal);
  } catch (e) {
    if (o.signal?.aborted) return false;
    throw e;
  }
  return !o.signal?.aborted;
}

/** Ctrl-C between a delete's attempts: the step stays in doubt, for the next prune to check. */
async function interrupted(
  id: string,
  index: number,
  item: PruneItem,
  o: PruneApplyOptions,
  event: Emit,
): Promise<{ outcome: PruneOutcome; error: string }> {
  const error = 'interrupted between attempts: the next prune asks the org whether it happened';
  await o.ledger.note(id, index, {}, error);
  await event('step.interrupted', item, `${item.flowName}: interrupted`, 'interrupted');
  return { outcome: 'interrupted', error };
}

/** Ctrl-C before this flow: nothing sent, the step cancelled. */
async function stopBefore(
  id: string,
  index: number,
  r: PruneResultItem,
  o: PruneApplyOptions,
): Promise<void> {
  await o.ledger.transition(id, index, 'cancelled', {}, 'the prune stopped before it (Ctrl-C)');
  r.outcome = 'cancelled';
}

/**
 * A flow the platform still refuses to delete as in use when the retries end: something uses it
 * (a consumer published since the plan, one dependency tracking knows and flowgate cannot read),
 * so it is kept, as the plan keeps a flow with a consumer, and the ledger records it `blocked` with
 * why; the next prune lists it again.
 */
async function keptInUse(
  id: string,
  index: number,
  item: PruneItem,
  attempts: number,
  elapsedMs: number,
  e: ApiError,
  o: PruneApplyOptions,
  event: Emit,
): Promise<{ outcome: PruneOutcome; error: string }> {
  const consumers = namedConsumers(e);
  const error = `still in use after ${attempts} attempt${attempts === 1 ? '' : 's'} over ${seconds(elapsedMs)} (409 ${e.apiCode})${consumers.length > 0 ? `: ${consumers.join(', ')}` : ''}`;
  await o.ledger.transition(id, index, 'blocked', { error: `kept: ${error}` }, 'kept: still in use');
  await event('step.kept', item, `${item.flowName} kept: ${error}`, 'kept');
  return { outcome: 'kept', error };
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
