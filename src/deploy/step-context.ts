/**
 * What every step function shares: the context a run gives its steps, and taking a flow's
 * Architect lock (a lock someone else holds stops the step unless `--force-unlock`).
 */
import { FlowgateError } from '../errors.js';
import type { Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { lockHolderOf } from '../platform/errors.js';
import type { PollOptions } from '../platform/poll.js';
import type { Flow } from '../platform/schemas.js';

/** How transient import-job failures are retried (`import-job.ts`; declared here so the two files do not import each other). */
export interface ImportRetryOptions {
  /** Jobs per import in all, the first included. @default 5 (the provider's maxJobAttempts) */
  attempts?: number;
  /** The wait before attempt n+1 is `delayMs × n`. @default 15000 (the provider's 15 s × attempt) */
  delayMs?: number;
}

/** What a step needs. */
export interface StepContext {
  client: PlatformClient;
  ledger: Ledger;
  forceUnlock: boolean;
  /** This client's id: a lock it holds is its own. */
  me: string;
  poll: PollOptions;
  /** Retries of import jobs that failed transiently (`import-job.ts`). */
  importRetry?: ImportRetryOptions | undefined;
}

/** Takes the flow's lock from someone else when allowed; otherwise a lock held by another stops the step. */
export async function takeLock(flow: Flow, s: StepRecord, c: StepContext): Promise<void> {
  const holder = lockHolderOf(flow, c.me);
  if (!holder) return;
  if (!c.forceUnlock)
    throw new FlowgateError('API_LOCKED', `${s.flowName} is locked in Architect by ${holder}`, {
      hint: 'Ask them to check it in, or force-unlock it (needs architect:flow:unlock).',
      details: { holder },
    });
  await c.ledger.note(s.deploymentId, s.index, {}, `force-unlocking: the lock was held by ${holder}`);
  await c.client.flows.unlock(flow.id);
}
