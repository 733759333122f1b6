/**
 * The run lease: the deployment for this process (`Ledger.acquire`) and the flows it may publish
 * or roll back (`Ledger.lockFlows`), taken before the first step and released in `finally`, as
 * kysely's Migrator holds its lock around a run. A deployment that never started and cannot get
 * its flows is recorded as cancelled, with the reason on each step.
 */
import { hostname } from 'node:os';
import { isFlowgateError } from '../errors.js';
import type { DeploymentRecord, FlowLocks, HeldFlowLock, Ledger } from '../ledger/types.js';
import { lockScope } from './flow-locks.js';
import type { EventRecorder } from './run-events.js';
import { NOT_STARTED } from './step-states.js';

/** How long a run waits for a flow another deployment holds, unless told otherwise. */
export const DEFAULT_LOCK_WAIT_MS = 15 * 60_000;

/** What the lease needs from the run's options. */
export interface LeaseOptions {
  ledger: Ledger;
  now: () => number;
  signal?: AbortSignal | undefined;
  onlyDue?: boolean | undefined;
  lockWaitMs?: number | undefined;
}

/** The deployment and its flows, held by this run. */
export interface RunLease {
  flowLocks: FlowLocks;
  release(): Promise<void>;
}

/** Takes the deployment, then its flows (all or none). @throws LEDGER_BUSY, LEDGER_LOCKED */
export async function takeRunLease(
  deployment: DeploymentRecord,
  o: LeaseOptions,
  events: EventRecorder,
): Promise<RunLease> {
  const { ledger } = o;
  const holder = {
    pid: process.pid,
    host: hostname(),
    since: new Date(o.now()).toISOString(),
    actor: deployment.actor,
  };
  const lock = await ledger.acquire(deployment.id, holder);
  try {
    // The flows this run may publish or roll back: no other deployment touches them until it ends.
    const scope = lockScope(await ledger.steps(deployment.id), o.onlyDue ? o.now() : undefined);
    const flowLocks = await ledger.lockFlows(
      deployment.org,
      scope,
      { ...holder, deploymentId: deployment.id },
      {
        waitMs: o.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
        signal: o.signal,
        onWait: (held) => events.emit({ type: 'lock-wait', message: `waiting for ${describeHeld(held)}` }),
      },
    );
    return {
      flowLocks,
      release: async () => {
        // After a lost connection the server has already let these go.
        await flowLocks.release().catch(() => undefined);
        await lock.release().catch(() => undefined);
      },
    };
  } catch (e) {
    if (deployment.status === 'planned' && isFlowgateError(e) && e.code === 'LEDGER_LOCKED')
      await cancelNeverStarted(ledger, deployment.id, e.message);
    await lock.release().catch(() => undefined);
    throw e;
  }
}

/** A deployment that never started is recorded as cancelled, with the reason on each step. */
async function cancelNeverStarted(ledger: Ledger, deploymentId: string, reason: string): Promise<void> {
  for (const s of await ledger.steps(deploymentId))
    if (NOT_STARTED.has(s.state)) await ledger.transition(deploymentId, s.index, 'cancelled', {}, reason);
  await ledger.setStatus(deploymentId, 'cancelled');
}

function describeHeld(held: HeldFlowLock[]): string {
  return held
    .map(
      (h) =>
        `${h.flowKey} (deployment ${h.holder.deploymentId} by ${h.holder.actor} on ${h.holder.host} since ${h.holder.since})`,
    )
    .join(', ');
}
