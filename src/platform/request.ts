/**
 * The Genesys request core: the layers of `http/` composed per call (retry ∘ auth ∘ throttle ∘
 * fetch, as octokit composes request, plugin-retry, plugin-throttling and auth), then JSON
 * parsing, the response schema, typed and redacted errors, and a record of every call (method,
 * path, status, attempts, retry delay, latency, `ININ-Correlation-Id`) for the ledger and the
 * audit log, whether the call succeeded, failed or was aborted.
 */
import type { z } from 'zod';
import { FlowgateError } from '../errors.js';
import {
  ApiError,
  NetworkError,
  RedirectError,
  ResponseShapeError,
  TimeoutError,
  type GenesysErrorBody,
  type RequestSummary,
} from './errors.js';
import { withAuth } from './http/auth.js';
import {
  DeadlineError,
  sendWithRetry,
  type RetryOptions,
  type RetryReason,
  type RetryStats,
} from './http/retry.js';
import { fetchSender, RedirectRefusedError, TransportError, type HttpResponse } from './http/send.js';
import { withThrottle } from './http/throttle.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Redactor } from './redact.js';
import type { ServerClock } from './server-clock.js';
import type { Sleep } from './time.js';
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
  reason: RetryReason;
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
  /** The response body as bytes (`Uint8Array`), unparsed: an export job's download. */
  binary?: boolean;
  signal?: AbortSignal;
}

/** Settings of the request core (retry settings as in {@link RetryOptions}). */
export interface RequestCoreOptions extends Omit<
  RetryOptions,
  'onRetry' | 'onRateLimited' | 'retryStatuses'
> {
  apiBaseUrl: string;
  tokens: TokenProvider;
  limiter: RateLimiter;
  redactor: Redactor;
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** Per-attempt timeout. @default 16000 (the JS SDK's default, API.md §6.3) */
  timeoutMs?: number;
  onCall?: (record: CallRecord) => void;
  onRetry?: (event: RetryEvent) => void;
  /** Learns the platform's time from the `Date` header of every answer. */
  serverClock?: ServerClock;
}

/** A bound request function. */
export type RequestFn = <T>(
  method: string,
  path: string,
  options?: RequestOptions<T>,
) => Promise<ApiResult<T>>;

/** Builds the request function. */
export function createRequestCore(o: RequestCoreOptions): RequestFn {
  const now = o.now ?? Date.now;
  const unthrottled = fetchSender({
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
  const sender = withThrottle(unthrottled, o.limiter);

  return async function request<T>(
    method: string,
    path: string,
    opts: RequestOptions<T> = {},
  ): Promise<ApiResult<T>> {
    const url = buildUrl(o.apiBaseUrl, path, opts.query);
    const shownPath = o.redactor.redact(
      url.startsWith(o.apiBaseUrl) ? url.slice(o.apiBaseUrl.length) : new URL(url).pathname,
    );
    const summary: RequestSummary = { method, path: shownPath };
    const idempotent = opts.idempotent ?? method !== 'POST';
    const started = now();
    const stats: RetryStats = { attempts: 0, totalRetryDelayMs: 0 };
    let confirmed: T | undefined;

    // Headers are the server's words too: a correlation id is redacted like a body.
    const correlationId = () => {
      const id = stats.last?.headers.get('inin-correlation-id');
      return id === null || id === undefined ? undefined : o.redactor.redact(id);
    };
    const record = (error?: string, status = stats.last?.status ?? 0): CallRecord => {
      o.serverClock?.observe(stats.last?.headers.get('date'));
      const r: CallRecord = {
        method,
        path: shownPath,
        status,
        attempts: stats.attempts,
        totalRetryDelayMs: stats.totalRetryDelayMs,
        latencyMs: now() - started,
        correlationId: correlationId(),
        startedAt: new Date(started).toISOString(),
      };
      if (error !== undefined) r.error = error;
      o.onCall?.(r);
      return r;
    };
    const retryEvent = (e: Omit<RetryEvent, 'method' | 'path'>) =>
      o.onRetry?.({ method, path: shownPath, ...e });

    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    // A request without the token (the presigned upload of an import job) goes to storage, not to
    // the Platform API: the API's per-token limit does not count it, so neither does the limiter.
    const send =
      opts.auth === false
        ? unthrottled
        : withAuth(sender, o.tokens, () =>
            retryEvent({ attempt: stats.attempts, delayMs: 0, reason: 'unauthorized', status: 401 }),
          );
    try {
      const result = await sendWithRetry(
        send,
        {
          method,
          url,
          headers,
          ...(body !== undefined ? { body } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.binary ? { binary: true } : {}),
        },
        {
          idempotent,
          ...(opts.confirmEffect
            ? {
                mayResend: async () => {
                  confirmed = await opts.confirmEffect!();
                  return confirmed === undefined;
                },
              }
            : {}),
        },
        { ...o, onRetry: retryEvent, onRateLimited: (ms) => o.limiter.cooldown(ms) },
        stats,
      );
      if (result.kind === 'effect-confirmed')
        return { data: confirmed as T, meta: record(undefined, stats.last?.status || 200) };
      const res = result.response;
      if (res.status >= 200 && res.status < 300)
        return {
          data: opts.binary ? ((res.bytes ?? new Uint8Array()) as T) : parseBody(res, opts.schema, summary),
          meta: record(),
        };
      throw new ApiError(res.status, readErrorBody(res, o.redactor), summary, {
        contextId: correlationId(),
        attempts: stats.attempts,
        totalRetryDelayMs: stats.totalRetryDelayMs,
        ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
      });
    } catch (e) {
      const typed = toTypedError(e, summary, stats, idempotent, o);
      // Every call leaves a record, an aborted one included (the ledger relies on it).
      record(typed.code, typed instanceof RedirectError ? typed.status : undefined);
      throw typed;
    }
  };
}

function parseBody<T>(res: HttpResponse, schema: z.ZodType<T> | undefined, summary: RequestSummary): T {
  let data: unknown = undefined;
  if (res.text.length > 0) {
    try {
      data = JSON.parse(res.text);
    } catch {
      data = res.text;
    }
  }
  if (!schema) return data as T;
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ResponseShapeError(
    summary,
    `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`,
  );
}

function toTypedError(
  e: unknown,
  summary: RequestSummary,
  stats: RetryStats,
  idempotent: boolean,
  o: RequestCoreOptions,
): FlowgateError {
  if (e instanceof FlowgateError) return e;
  if (e instanceof RedirectRefusedError)
    return new RedirectError(summary, e.status, e.toOrigin && o.redactor.redact(e.toOrigin));
  if (e instanceof DeadlineError) return new TimeoutError(summary, 'deadline', e.deadlineMs);
  if (e instanceof TransportError && e.kind === 'timeout')
    return new TimeoutError(summary, 'attempt', o.timeoutMs ?? 16_000);
  if (e instanceof TransportError && e.kind === 'network')
    return new NetworkError(summary, e.original, stats.attempts, !idempotent);
  // Aborted by the caller (Ctrl-C): a typed error, so the CLI exits 130 and the record says so.
  return new FlowgateError('ABORTED', `${summary.method} ${summary.path}: cancelled`, {
    hint: 'The call was cancelled before it finished; its effect, if any, is checked when the run resumes.',
    cause: e instanceof TransportError ? e.original : e,
  });
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

function readErrorBody(res: HttpResponse, redactor: Redactor): GenesysErrorBody | undefined {
  const text = res.text;
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
