/**
 * From the executor's facts to the event model: each `DeployEvent` becomes a `DeploymentEvent`
 * with the deployment's actor and org, the step's content hash, and what its API calls did
 * (statuses, attempts, correlation ids, latency), then goes to the hub (audit log, callbacks,
 * webhooks).
 */
import type { EventHub } from '../events/hub.js';
import { newEvent, type DeploymentEventType } from '../events/model.js';
import type { DeploymentRecord, Ledger } from '../ledger/types.js';
import type { DeployEvent } from './types.js';

const TYPES: Record<DeployEvent['type'], DeploymentEventType> = {
  planned: 'deployment.planned',
  resumed: 'deployment.resumed',
  scheduled: 'step.waiting',
  waiting: 'step.waiting',
  publishing: 'step.publishing',
  published: 'step.published',
  unchanged: 'step.unchanged',
  failed: 'step.failed',
  cancelled: 'step.cancelled',
  'rolling-back': 'step.rolling-back',
  'rolled-back': 'step.rolled-back',
  interrupted: 'step.interrupted',
  'lock-wait': 'deployment.waiting-for-lock',
  completed: 'deployment.completed',
};

/** An executor `onEvent` that records and dispatches every fact through the hub. */
export function eventBridge(hub: EventHub, ledger: Ledger): (e: DeployEvent) => Promise<void> {
  const deployments = new Map<string, DeploymentRecord | undefined>();
  return async (e) => {
    if (!deployments.has(e.deploymentId))
      deployments.set(e.deploymentId, await ledger.getDeployment(e.deploymentId));
    const d = deployments.get(e.deploymentId);
    let contentHash: string | undefined;
    let calls;
    if (e.step && (e.type === 'published' || e.type === 'failed' || e.type === 'rolled-back')) {
      const step = (await ledger.steps(e.deploymentId)).find((s) => s.index === e.step!.index);
      contentHash = step?.contentHash;
      const mine = (await ledger.calls(e.deploymentId)).filter((c) => c.index === e.step!.index);
      calls = {
        statuses: mine.map((c) => c.status),
        attempts: mine.reduce((n, c) => n + c.attempts, 0),
        correlationIds: mine.map((c) => c.correlationId).filter((x): x is string => x !== undefined),
        latencyMs: Math.round(mine.reduce((n, c) => n + c.latencyMs, 0)),
      };
    }
    await hub.emit(
      newEvent({
        type: TYPES[e.type],
        time: e.at,
        deploymentId: e.deploymentId,
        actor: d?.actor ?? '',
        org: d?.org ?? '',
        flow: e.step ? { id: e.step.flowId, name: e.step.flowName, type: e.step.flowType } : undefined,
        versionBefore: e.versionBefore,
        versionAfter: e.versionAfter,
        contentHash,
        result: e.result,
        message: e.message,
        calls,
      }),
    );
  };
}
