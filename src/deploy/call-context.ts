/**
 * Which deployment step an API call belongs to. Steps run concurrently through one client, so the
 * client's `onCall` cannot know the step by itself: each step runs inside an async context, and
 * the recorder reads it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Ledger } from '../ledger/types.js';
import type { CallRecord } from '../platform/request.js';

const context = new AsyncLocalStorage<{ deploymentId: string; index?: number }>();

/** Runs `fn` with its API calls attributed to a deployment (and a step). */
export function withCallContext<T>(
  deploymentId: string,
  index: number | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  return context.run(index === undefined ? { deploymentId } : { deploymentId, index }, fn);
}

/**
 * An `onCall` for the platform client that records every call made inside a deployment in the
 * ledger (method, path, status, attempts, latency, correlation id). Calls outside a deployment
 * go to `also` only.
 */
export function recordCallsIn(
  ledger: () => Ledger | undefined,
  also?: (r: CallRecord) => void,
): (r: CallRecord) => void {
  return (r) => {
    also?.(r);
    const at = context.getStore();
    const l = ledger();
    if (!at || !l) return;
    void l
      .recordCall({
        deploymentId: at.deploymentId,
        index: at.index,
        at: r.startedAt,
        method: r.method,
        path: r.path,
        status: r.status,
        attempts: r.attempts,
        latencyMs: r.latencyMs,
        correlationId: r.correlationId,
        error: r.error,
        // A ledger that went away loses this record; the run itself stops on its next state change.
      })
      .catch(() => undefined);
  };
}
