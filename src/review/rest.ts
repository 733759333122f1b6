/**
 * One JSON call to the GitHub or GitLab REST API through the shared HTTP layers
 * (`platform/http/send.ts`: one attempt, no redirect followed; `platform/http/retry.ts`: 429 waits
 * exactly `Retry-After`, 5xx and lost connections back off with full jitter). The token travels
 * only to the API's own origin (a `Link` header cannot send it elsewhere) and never appears in an
 * error: every message goes through the redactor that knows it.
 */
import { FlowgateError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';
import { DeadlineError, sendWithRetry, type RetryCall, type RetryOptions } from '../platform/http/retry.js';
import {
  fetchSender,
  RedirectRefusedError,
  TransportError,
  type HttpResponse,
  type Send,
} from '../platform/http/send.js';
import { Redactor } from '../platform/redact.js';

/** Settings every call of one client shares. */
export interface RestOptions {
  fetch?: typeof fetch;
  retry?: RetryOptions;
  signal?: AbortSignal;
  /** Per-attempt timeout. @default 15000 */
  timeoutMs?: number;
}

/** A REST API: its base URL, the headers of every call (the token among them), its name for messages. */
export interface RestApi {
  /** `GitHub` or `GitLab`. */
  service: string;
  baseUrl: string;
  headers: Record<string, string>;
  redactor: Redactor;
  /** Maps an answer before the retry layer sees it (GitHub's rate-limit 403s: see github.ts). */
  classify?: (response: HttpResponse) => HttpResponse;
}

/** Checks the API URL: https, or plain http only towards this machine (`loopback.ts`). */
export function apiBase(service: string, url: string, variable: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FlowgateError('REVIEW_CONTEXT', `${variable} '${url}' is not a URL`, {
      hint: `Leave ${variable} as the CI runner sets it.`,
    });
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname)))
    throw new FlowgateError(
      'REVIEW_CONTEXT',
      `${variable} ${u.origin} must use https (plain http only on loopback)`,
      {
        hint: `The ${service} token is sent to it.`,
      },
    );
  return u.href.replace(/\/+$/, '');
}

/**
 * Sends one call; resolves with the response when its status is 2xx, or `effect-confirmed` when
 * `call.mayResend` found that an attempt whose answer was lost took effect; throws a typed error
 * otherwise.
 */
export async function restCall(
  api: RestApi,
  method: string,
  url: string,
  body: unknown,
  call: RetryCall,
  o: RestOptions = {},
): Promise<HttpResponse | 'effect-confirmed'> {
  if (new URL(url).origin !== new URL(api.baseUrl).origin)
    throw new FlowgateError('REVIEW_API', `${api.service} pointed to ${new URL(url).origin}, not its API`, {
      hint: 'flowgate sends the token only to the API origin of the CI variables.',
    });
  const base = fetchSender({ timeoutMs: o.timeoutMs ?? 15_000, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const classify = api.classify;
  const send: Send = classify ? async (r) => classify(await base(r)) : base;
  const what = `${method} ${redactedPath(url, api)}`;
  let response: HttpResponse;
  try {
    const result = await sendWithRetry(
      send,
      {
        method,
        url,
        headers: { ...api.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      },
      call,
      { maxRetryAfterMs: 60_000, ...o.retry },
    );
    if (result.kind === 'effect-confirmed') return 'effect-confirmed';
    response = result.response;
  } catch (e) {
    throw transportError(api, what, e);
  }
  if (response.status >= 200 && response.status < 300) return response;
  throw statusError(api, what, response);
}

/** The path of a URL without its query, for messages. */
function redactedPath(url: string, api: RestApi): string {
  return api.redactor.redact(new URL(url).pathname);
}

function transportError(api: RestApi, what: string, e: unknown): FlowgateError {
  if (e instanceof RedirectRefusedError)
    return new FlowgateError('HTTP_REDIRECT', `${api.service} ${what} ${e.message}`, {
      hint: 'Check the API URL variable: it should be the API itself.',
    });
  const reason =
    e instanceof TransportError
      ? `${e.kind}: ${e.message}`
      : e instanceof DeadlineError
        ? e.message
        : e instanceof Error
          ? e.message
          : String(e);
  return new FlowgateError(
    'REVIEW_API',
    `${api.service} ${what}: no answer (${api.redactor.redact(reason)})`,
    {
      hint: `Check that the runner reaches ${new URL(api.baseUrl).origin}.`,
    },
  );
}

/** The message field of a GitHub or GitLab error body, when there is one. */
function apiMessage(text: string): string | undefined {
  try {
    const j = JSON.parse(text) as { message?: unknown; errors?: unknown; error?: unknown };
    const parts = [j.message, j.error, j.errors]
      .filter((x) => x !== undefined)
      .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    return parts.length ? parts.join('; ').slice(0, 400) : undefined;
  } catch {
    return undefined;
  }
}

function statusError(api: RestApi, what: string, r: HttpResponse): FlowgateError {
  const said = apiMessage(r.text);
  const message = api.redactor.redact(
    `${api.service} ${what} answered ${r.status}${said ? `: ${said}` : ''}`,
  );
  if (r.status === 401 || r.status === 403)
    return new FlowgateError('REVIEW_FORBIDDEN', message, {
      details: { status: r.status },
      hint:
        api.service === 'GitHub'
          ? 'Give the workflow `permissions: pull-requests: write` (GITHUB_TOKEN); a pull request from a fork gets a read-only token.'
          : 'Set GITLAB_TOKEN to a project access token with the api scope (the job token cannot write notes).',
    });
  if (r.status === 422)
    return new FlowgateError('REVIEW_REJECTED', message, {
      details: { status: r.status },
      hint: 'The API refused the comment as sent (too long, or the pull request is locked).',
    });
  return new FlowgateError('REVIEW_API', message, {
    details: { status: r.status },
    hint: r.status === 429 ? 'Still rate-limited after the wait: run the job again later.' : undefined,
  });
}

/** Parses a JSON body; a body that is not JSON is a typed error naming the call. */
export function jsonOf<T>(api: RestApi, what: string, r: HttpResponse | 'effect-confirmed'): T {
  if (r === 'effect-confirmed') throw new FlowgateError('REVIEW_API', `${api.service} ${what}: no answer`);
  try {
    return JSON.parse(r.text) as T;
  } catch {
    throw new FlowgateError('REVIEW_API', `${api.service} ${what} answered ${r.status} without JSON`);
  }
}
