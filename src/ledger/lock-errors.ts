/** What both backends say when a flow is held by another deployment, and how they wait. */
import { FlowgateError } from '../errors.js';
import { sleep as realSleep, type Sleep } from '../shared/time.js';
import type { HeldFlowLock, Holder } from './types.js';

/** One line naming who holds a flow. */
export function describeHolder(l: HeldFlowLock): string {
  const h = l.holder;
  return `${l.flowKey} is being deployed by deployment ${h.deploymentId} (${h.actor}, process ${h.pid} on ${h.host}, since ${h.since})`;
}

/** LEDGER_LOCKED naming every holder; `waitMs` 0 means the run chose not to wait. */
export function lockedError(held: HeldFlowLock[], waitMs: number): FlowgateError {
  const names = held.length > 0 ? held.map(describeHolder).join('; ') : 'another deployment holds the flow';
  return new FlowgateError(
    'LEDGER_LOCKED',
    waitMs > 0 ? `still locked after waiting ${Math.round(waitMs / 1000)} s: ${names}` : names,
    {
      hint:
        waitMs > 0
          ? 'That deployment is still running; wait longer, or find it with flowgate status. A lock of a runner that died is released by itself.'
          : 'Run again waiting for it (a lock wait above zero); a lock of a runner that died is released by itself.',
      details: { held: held.map((l) => ({ org: l.org, flowKey: l.flowKey, ...l.holder })) },
    },
  );
}

/** LEDGER_BUSY: another live run holds the deployment (named when its row is known). */
export function busyError(deploymentId: string, holder: Holder | undefined): FlowgateError {
  return new FlowgateError(
    'LEDGER_BUSY',
    holder
      ? `deployment ${deploymentId} is being run by process ${holder.pid} on ${holder.host} (${holder.actor}) since ${holder.since}`
      : `deployment ${deploymentId} is being run by another session of the ledger`,
    {
      hint: 'Wait for it to finish, or stop that process; a run whose process died is taken over automatically.',
      details: {
        holder: holder
          ? { pid: holder.pid, host: holder.host, actor: holder.actor, since: holder.since }
          : undefined,
      },
    },
  );
}

/** Waits `ms` with `sleep` (the real clock's by default), or rejects with ABORTED when the signal aborts first. */
export async function waitAbortably(
  ms: number,
  signal: AbortSignal | undefined,
  sleep: Sleep = realSleep,
): Promise<void> {
  if (signal?.aborted) throw aborted();
  try {
    await sleep(ms, signal);
  } catch (e) {
    if (signal?.aborted) throw aborted();
    throw e;
  }
}

/** ABORTED while waiting for a lock. */
export function aborted(): FlowgateError {
  return new FlowgateError('ABORTED', 'interrupted while waiting for a flow lock', {
    hint: 'Nothing was published by this run.',
  });
}
