/**
 * Retry as its own layer (octokit's plugin-retry, ky's retry timing): classify each outcome, then
 * wait and resend or stop. No token, no limiter: webhooks reuse it as it is.
 *
 * Policy (docs/platform-api.md#rate-limits, docs/platform-api.md#sdk-retries):
 * - 429: wait exactly `Retry-After` (never jittered), capped by `maxRetryAfterMs`. A 429 was
 *   refused before any work, so even a state-changing request is safe to resend.
 * - 500/502/503/504 and no response: exponential backoff with full jitter, bounded attempts. A
 *   request that is not idempotent is resent only when `mayResend` says the earlier attempt did
 *   not take effect.
 */
import { fullJitterDelay, parseRetryAfter } from '../retry-after.js';
import { sleep as realSleep, type Sleep, type Clock } from '../../shared/time.js';
import { TransportError, type HttpRequest, type HttpResponse, type Send } from './send.js';

/** Why a retry happens. */
export type RetryReason = 'rate-limited' | 'server-error' | 'network' | 'timeout' | 'unauthorized';

/** Settings of the retry layer. */
export interface RetryOptions {
  /** Attempts per call after 5xx and network errors, the first included. @default 5 (the Java SDK's retryMax) */
  maxAttempts?: number;
  /**
   * Resends after 429 per call. A 429 was refused before any work, so it does not spend
   * `maxAttempts` (a storm of them would otherwise fail a call that only had to wait); the
   * deadline still bounds the whole call. @default 20
   */
  maxRateLimitedRetries?: number;
  /** Overall deadline per call, waits included. @default 300000 */
  deadlineMs?: number;
  /** Longest `Retry-After` honoured; longer stops at once. @default 180000 (the gc CLI's limit) */
  maxRetryAfterMs?: number;
  /** Wait after a 429 without `Retry-After`. @default 3000 (the Java SDK's retryAfterDefaultMs) */
  defaultRetryAfterMs?: number;
  /** Backoff base and cap for 5xx and network errors. @default 500, 20000 */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Statuses resent with backoff. @default 500, 502, 503, 504 */
  retryStatuses?: ReadonlySet<number>;
  now?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** A retry is about to wait. */
  onRetry?: (event: { attempt: number; delayMs: number; reason: RetryReason; status?: number }) => void;
  /** A `Retry-After` is about to be honoured (a shared limiter cools down with it). */
  onRateLimited?: (delayMs: number) => void;
}

/** What the caller says about one call. */
export interface RetryCall {
  /** Safe to resend after an unknown outcome. */
  idempotent: boolean;
  /**
   * For a request that is not idempotent and whose outcome is unknown: resolves `true` when the
   * earlier attempt did not take effect (resend), `false` when it did (stop: the effect is there).
   * Without it such a request is never resent.
   */
  mayResend?: () => Promise<boolean>;
}

/** Counters of one call, updated as it goes (read them even when it throws). */
export interface RetryStats {
  attempts: number;
  totalRetryDelayMs: number;
  /** The last response received. */
  last?: HttpResponse;
}

/** How a call ended. */
export type RetryResult =
  /** The final response: a success, a status not worth retrying, or the last one when the budget ran out. */
  | { kind: 'response'; response: HttpResponse; retryAfterMs?: number }
  /** `mayResend` found that an attempt whose answer was lost took effect. */
  | { kind: 'effect-confirmed' };

/** The overall deadline would pass before the next attempt. */
export class DeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`deadline of ${deadlineMs} ms`);
    this.name = 'DeadlineError';
  }
}

/**
 * The Go SDK and the gc CLI resend every 5xx but 501 (docs/platform-api.md#sdk-retries); flowgate does the same for
 * 500 and the gateway errors. A state-changing request is still resent only when `mayResend` says
 * the earlier attempt did not take effect.
 */
const DEFAULT_RETRY_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/**
 * Sends with retries. Throws the last {@link TransportError} when no response came and no resend
 * is allowed, {@link DeadlineError} when the deadline would pass, or the signal's abort.
 */
export async function sendWithRetry(
  send: Send,
  request: HttpRequest,
  call: RetryCall,
  o: RetryOptions = {},
  stats: RetryStats = { attempts: 0, totalRetryDelayMs: 0 },
): Promise<RetryResult> {
  const now = o.now ?? Date.now;
  const wait = o.sleep ?? realSleep;
  const random = o.random ?? Math.random;
  const maxAttempts = o.maxAttempts ?? 5;
  const maxRateLimited = o.maxRateLimitedRetries ?? 20;
  let rateLimited = 0;
  const deadlineMs = o.deadlineMs ?? 300_000;
  const maxRetryAfterMs = o.maxRetryAfterMs ?? 180_000;
  const retryStatuses = o.retryStatuses ?? DEFAULT_RETRY_STATUSES;
  const backoff = () =>
    fullJitterDelay(stats.attempts - 1, o.backoffBaseMs ?? 500, o.backoffCapMs ?? 20_000, random);
  const started = now();

  /** Waits before the next attempt; false when the attempt budget is spent. */
  const pause = async (delayMs: number, reason: RetryReason, status?: number): Promise<boolean> => {
    if (
      reason === 'rate-limited' ? ++rateLimited > maxRateLimited : stats.attempts - rateLimited >= maxAttempts
    )
      return false;
    if (now() + delayMs - started > deadlineMs) throw new DeadlineError(deadlineMs);
    o.onRetry?.({ attempt: stats.attempts, delayMs, reason, ...(status !== undefined ? { status } : {}) });
    stats.totalRetryDelayMs += delayMs;
    await wait(delayMs, request.signal);
    return true;
  };
  /** After an unknown outcome: 'resend', 'stop' (no resend allowed) or 'confirmed'. */
  const unknownOutcome = async (): Promise<'resend' | 'stop' | 'confirmed'> => {
    if (call.idempotent) return 'resend';
    if (!call.mayResend) return 'stop';
    return (await call.mayResend()) ? 'resend' : 'confirmed';
  };

  for (;;) {
    stats.attempts++;
    let response: HttpResponse;
    try {
      response = await send(request);
    } catch (e) {
      if (!(e instanceof TransportError) || e.kind === 'aborted') throw e;
      const next = await unknownOutcome();
      if (next === 'confirmed') return { kind: 'effect-confirmed' };
      if (next === 'stop' || !(await pause(backoff(), e.kind))) throw e;
      continue;
    }
    stats.last = response;
    if (response.status === 429) {
      const retryAfterMs =
        parseRetryAfter(response.headers.get('retry-after'), now()) ?? o.defaultRetryAfterMs ?? 3_000;
      if (retryAfterMs > maxRetryAfterMs) return { kind: 'response', response, retryAfterMs };
      o.onRateLimited?.(retryAfterMs);
      if (!(await pause(retryAfterMs, 'rate-limited', 429)))
        return { kind: 'response', response, retryAfterMs };
      continue;
    }
    if (retryStatuses.has(response.status)) {
      const next = await unknownOutcome();
      if (next === 'confirmed') return { kind: 'effect-confirmed' };
      if (next === 'stop' || !(await pause(backoff(), 'server-error', response.status)))
        return { kind: 'response', response };
      continue;
    }
    return { kind: 'response', response };
  }
}
