/**
 * The request core over native `fetch` (injectable, as octokit does): a shared limiter, the token,
 * a timeout per attempt and an overall deadline, retries that honour `Retry-After`, typed errors,
 * redaction, and a record of every call (method, path, status, attempts, retry delay, latency,
 * `ININ-Correlation-Id`) for the ledger and the audit log.
 *
 * Retry policy (API.md §6.2–6.3):
 * - 429: wait exactly `Retry-After` (never jittered), capped by `maxRetryAfterMs`; every request
 *   sharing the limiter cools down with it. A 429 was refused before any work, so even a POST that
 *   changes state is safe to resend.
 * - 502/503/504 and network errors: exponential backoff with full jitter, bounded attempts. A
 *   state-changing POST is resent only when `confirmEffect` says the earlier attempt did not take effect.
 * - 401: the token is renewed once and the request retried once.
 */
import type { z } from 'zod';
import { ApiError, NetworkError, ResponseShapeError, TimeoutError, type GenesysErrorBody } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { sleep as defaultSleep } from './rate-limiter.js';
import type { Redactor } from './redact.js';
import { fullJitterDelay, parseRetryAfter } from './retry-after.js';
import type { TokenProvider } from './token-provider.js';

/** What flowgate records of every call. */
export interface CallRecord {
  method: string;
  path: string;
  /** Final HTTP status; 0 when no response came. */
  status: number;
  attempts: number;
  totalRetryDelayMs: number;
  latencyMs: number;
  correlationId: string | undefined;
  startedAt: string;
  /** Error code when the call failed. */
  error?: string;
}

/** A retry about to happen (for "rate-limited, waiting 12 s" messages). */
export interface RetryEvent {
  method: string;
  path: string;
  attempt: number;
  delayMs: number;
  reason: 'rate-limited' | 'server-error' | 'network' | 'timeout' | 'unauthorized';
  status?: number;
}

/** A successful call: data plus its record. */
export interface ApiResult<T> {
  data: T;
  meta: CallRecord;
}

/** Options of one request. */
export interface RequestOptions<T> {
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** JSON body. */
  body?: unknown;
  /** A raw body (the presigned YAML upload). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Validates the response at the boundary. */
  schema?: z.ZodType<T>;
  /** Safe to resend after an unknown outcome. @default true for GET/PUT/DELETE, false for POST */
  idempotent?: boolean;
  /**
   * For state-changing requests whose outcome is unknown (network error, 5xx): checks whether the
   * earlier attempt took effect. Return the result to use, or `undefined` to resend.
   */
  confirmEffect?: () => Promise<T | undefined>;
  /** Send no Authorization header (presigned URLs). @default true */
  auth?: boolean;
  signal?: AbortSignal;
}

/** Settings of the request core. */
export interface RequestCoreOptions {
  apiBaseUrl: string;
  tokens: TokenProvider;
  limiter: RateLimiter;
  redactor: Redactor;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Per-attempt timeout. @default 16000 (the JS SDK's default, API.md §6.3) */
  timeoutMs?: number;
  /** Overall deadline per call, retries included. @default 300000 */
  deadlineMs?: number;
  /** Attempts per call, the first included. @default 5 (the Java SDK's retryMax) */
  maxAttempts?: number;
  /** Longest `Retry-After` honoured; longer fails at once. @default 180000 (the gc CLI's limit) */
  maxRetryAfterMs?: number;
  /** Wait after a 429 without `Retry-After`. @default 3000 (the Java SDK's retryAfterDefaultMs) */
  defaultRetryAfterMs?: number;
  /** Backoff base and cap for 5xx and network errors. @default 500, 20000 */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  onCall?: (record: CallRecord) => void;
  onRetry?: (event: RetryEvent) => void;
}

/** A bound request function. */
export type RequestFn = <T>(
  method: string,
  path: string,
  options?: RequestOptions<T>,
) => Promise<ApiResult<T>>;

const RETRYABLE_5XX = new Set([502, 503, 504]);

/** Builds the request function. */
export function createRequestCore(o: RequestCoreOptions): RequestFn {
  const fetchFn = o.fetch ?? globalThis.fetch;
  const now = o.now ?? Date.now;
  const wait = o.sleep ?? defaultSleep;
  const random = o.random ?? Math.random;
  const timeoutMs = o.timeoutMs ?? 16_000;
  const deadlineMs = o.deadlineMs ?? 300_000;
  const maxAttempts = o.maxAttempts ?? 5;
  const maxRetryAfterMs = o.maxRetryAfterMs ?? 180_000;
  const defaultRetryAfterMs = o.defaultRetryAfterMs ?? 3_000;
  const base = o.backoffBaseMs ?? 500;
  const cap = o.backoffCapMs ?? 20_000;

  return async function request<T>(
    method: string,
    path: string,
    opts: RequestOptions<T> = {},
  ): Promise<ApiResult<T>> {
    const url = buildUrl(o.apiBaseUrl, path, opts.query);
    const shownPath = o.redactor.redact(
      url.startsWith(o.apiBaseUrl) ? url.slice(o.apiBaseUrl.length) : new URL(url).pathname,
    );
    const summary = { method, path: shownPath };
    const idempotent = opts.idempotent ?? method !== 'POST';
    const started = now();
    const startedAt = new Date(started).toISOString();
    let attempts = 0;
    let totalRetryDelayMs = 0;
    let renewed = false;
    let lastStatus = 0;
    let correlationId: string | undefined;

    const record = (status: number, error?: string): CallRecord => {
      const r: CallRecord = {
        method,
        path: shownPath,
        status,
        attempts,
        totalRetryDelayMs,
        latencyMs: now() - started,
        correlationId,
        startedAt,
      };
      if (error !== undefined) r.error = error;
      o.onCall?.(r);
      return r;
    };
    const fail = (e: Error & { code?: string }): never => {
      record(lastStatus, e.code ?? 'ERROR');
      throw e;
    };
    /** Waits before the next attempt, unless the deadline or attempt budget is spent. */
    const backoff = async (
      delayMs: number,
      reason: RetryEvent['reason'],
      status: number | undefined,
      giveUp: () => Error,
    ): Promise<void> => {
      if (attempts >= maxAttempts) fail(giveUp());
      if (now() + delayMs - started > deadlineMs) fail(new TimeoutError(summary, 'deadline', deadlineMs));
      const ev: RetryEvent = { method, path: shownPath, attempt: attempts, delayMs, reason };
      if (status !== undefined) ev.status = status;
      o.onRetry?.(ev);
      totalRetryDelayMs += delayMs;
      await wait(delayMs, opts.signal);
    };
    /** After an unknown outcome of a state-changing request: use the confirmed result, or allow a resend. */
    const confirm = async (cause: () => Error): Promise<ApiResult<T> | undefined> => {
      if (idempotent) return undefined;
      if (!opts.confirmEffect) fail(cause());
      const confirmed = await opts.confirmEffect!();
      if (confirmed !== undefined) return { data: confirmed, meta: record(lastStatus || 200) };
      return undefined;
    };

    for (;;) {
      attempts++;
      await o.limiter.acquire(opts.signal);
      const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
      let token: string | undefined;
      if (opts.auth !== false) {
        token = await o.tokens.getToken();
        headers.authorization = `Bearer ${token}`;
      }
      let body: string | undefined;
      if (opts.rawBody !== undefined) body = opts.rawBody;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      const signals = [AbortSignal.timeout(timeoutMs)];
      if (opts.signal) signals.push(opts.signal);
      let res: Response;
      try {
        res = await fetchFn(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal: AbortSignal.any(signals),
        });
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        const timedOut = (e as Error).name === 'TimeoutError';
        const cause = () =>
          timedOut
            ? new TimeoutError(summary, 'attempt', timeoutMs)
            : new NetworkError(summary, e, attempts, !idempotent);
        const confirmed = await confirm(cause);
        if (confirmed) return confirmed;
        await backoff(
          fullJitterDelay(attempts - 1, base, cap, random),
          timedOut ? 'timeout' : 'network',
          undefined,
          cause,
        );
        continue;
      }
      lastStatus = res.status;
      correlationId = res.headers.get('inin-correlation-id') ?? undefined;

      if (res.ok) {
        const text = await res.text();
        let data: unknown = undefined;
        if (text.length > 0) {
          try {
            data = JSON.parse(text);
          } catch {
            data = text;
          }
        }
        if (opts.schema) {
          const parsed = opts.schema.safeParse(data);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            fail(
              new ResponseShapeError(
                summary,
                `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`,
              ),
            );
          }
          return { data: (parsed as { data: T }).data, meta: record(res.status) };
        }
        return { data: data as T, meta: record(res.status) };
      }

      const errorBody = await readErrorBody(res, o.redactor);
      const apiError = (retryAfterMs?: number) =>
        new ApiError(res.status, errorBody, summary, {
          contextId: correlationId,
          attempts,
          totalRetryDelayMs,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });

      if (res.status === 401 && token !== undefined && !renewed) {
        // The token may have expired or been revoked early: renew once, retry once.
        renewed = true;
        o.tokens.invalidate(token);
        o.onRetry?.({
          method,
          path: shownPath,
          attempt: attempts,
          delayMs: 0,
          reason: 'unauthorized',
          status: 401,
        });
        attempts--; // the renewal retry does not spend the retry budget
        continue;
      }
      if (res.status === 429) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now()) ?? defaultRetryAfterMs;
        if (retryAfter > maxRetryAfterMs) fail(apiError(retryAfter));
        o.limiter.cooldown(retryAfter);
        await backoff(retryAfter, 'rate-limited', 429, () => apiError(retryAfter));
        continue;
      }
      if (RETRYABLE_5XX.has(res.status)) {
        const confirmed = await confirm(() => apiError());
        if (confirmed) return confirmed;
        await backoff(fullJitterDelay(attempts - 1, base, cap, random), 'server-error', res.status, () =>
          apiError(),
        );
        continue;
      }
      fail(apiError());
    }
  };
}

function buildUrl(baseUrl: string, path: string, query: RequestOptions<unknown>['query']): string {
  const url = /^https?:\/\//.test(path) ? path : `${baseUrl}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) params.append(k, item);
    else params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url;
}

async function readErrorBody(res: Response, redactor: Redactor): Promise<GenesysErrorBody | undefined> {
  const text = await res.text().catch(() => '');
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as unknown;
    return typeof body === 'object' && body !== null
      ? redactor.redactValue<GenesysErrorBody>(body)
      : { message: redactor.redact(String(body)) };
  } catch {
    return { message: redactor.redact(text.slice(0, 300)) };
  }
}
