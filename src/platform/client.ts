/**
 * The Genesys Cloud platform client: one token provider, one limiter and one request core, shared
 * by typed calls for flows, import jobs, export jobs, dependency tracking, analytics, audits and limits.
 */
import { createRequestCore, type RequestCoreOptions, type RequestFn } from './request.js';
import { RateLimiter } from './rate-limiter.js';
import { Redactor } from './redact.js';
import { ServerClock } from './server-clock.js';
import { TokenProvider, type ClientCredentials } from './token-provider.js';
import type { Endpoints } from './regions.js';
import { flowCalls } from './calls/flows.js';
import { jobCalls } from './calls/jobs.js';
import { exportCalls } from './calls/export.js';
import { analyticsCalls } from './calls/analytics.js';
import { auditCalls } from './calls/audits.js';
import { orgCalls } from './calls/org.js';
import { orgObjectCalls } from './calls/org-objects.js';
import { dependencyCalls } from './calls/dependencies.js';

/** The request-core settings a client passes through (documented on {@link RequestCoreOptions}). */
const CORE_KEYS = [
  'fetch',
  'now',
  'sleep',
  'random',
  'timeoutMs',
  'deadlineMs',
  'maxAttempts',
  'maxRateLimitedRetries',
  'maxRetryAfterMs',
  'defaultRetryAfterMs',
  'backoffBaseMs',
  'backoffCapMs',
  'onCall',
  'onRetry',
] as const;

/** Options of {@link createPlatformClient}. */
export interface PlatformClientOptions extends Partial<Pick<RequestCoreOptions, (typeof CORE_KEYS)[number]>> {
  credentials: ClientCredentials;
  endpoints: Endpoints;
  /** Requests per minute for the shared limiter. @default 300 (docs/platform-api.md#rate-limits) */
  requestsPerMinute?: number;
  /** Burst of the limiter. @default 5 */
  burst?: number;
  /** Renew the token this long before it expires. @default 5 minutes, or 10 % of a short lifetime */
  refreshSkewMs?: number;
}

/** A platform client. */
export interface PlatformClient {
  request: RequestFn;
  tokens: TokenProvider;
  limiter: RateLimiter;
  redactor: Redactor;
  endpoints: Endpoints;
  flows: ReturnType<typeof flowCalls>;
  jobs: ReturnType<typeof jobCalls>;
  /** Architect export jobs: a flow version's YAML. */
  exports: ReturnType<typeof exportCalls>;
  analytics: ReturnType<typeof analyticsCalls>;
  audits: ReturnType<typeof auditCalls>;
  org: ReturnType<typeof orgCalls>;
  /** Queues, data actions, prompts… that flows name (one paged listing per kind). */
  objects: ReturnType<typeof orgObjectCalls>;
  /** Architect dependency tracking: what consumes a flow. */
  dependencies: ReturnType<typeof dependencyCalls>;
  /**
   * The platform's time now: the `Date` header of its last answer, advanced by the time elapsed
   * on this machine since (one-second resolution); `undefined` before the first answer.
   */
  serverNow(): number | undefined;
}

/**
 * Creates a client.
 * @example
 * ```ts
 * const client = createPlatformClient(loadConnectionSettings(process.env));
 * const flows = await client.flows.list({ type: 'inboundcall' });
 * ```
 */
export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  const redactor = new Redactor();
  const tokenOptions: ConstructorParameters<typeof TokenProvider>[0] = {
    credentials: options.credentials,
    loginBaseUrl: options.endpoints.loginBaseUrl,
    redactor,
  };
  if (options.fetch) tokenOptions.fetch = options.fetch;
  if (options.now) tokenOptions.now = options.now;
  if (options.refreshSkewMs !== undefined) tokenOptions.refreshSkewMs = options.refreshSkewMs;
  if (options.random) tokenOptions.random = options.random;
  const tokens = new TokenProvider(tokenOptions);
  const limiterOptions: ConstructorParameters<typeof RateLimiter>[0] = {};
  if (options.requestsPerMinute !== undefined) limiterOptions.requestsPerMinute = options.requestsPerMinute;
  if (options.burst !== undefined) limiterOptions.burst = options.burst;
  if (options.now) limiterOptions.now = options.now;
  if (options.sleep) limiterOptions.sleep = options.sleep;
  const limiter = new RateLimiter(limiterOptions);
  const serverClock = new ServerClock(options.now);
  const core: RequestCoreOptions = {
    apiBaseUrl: options.endpoints.apiBaseUrl,
    tokens,
    limiter,
    redactor,
    serverClock,
  };
  for (const k of CORE_KEYS) {
    if (options[k] !== undefined) (core as unknown as Record<string, unknown>)[k] = options[k];
  }
  const request = createRequestCore(core);
  return {
    request,
    tokens,
    limiter,
    redactor,
    endpoints: options.endpoints,
    flows: flowCalls(request),
    jobs: jobCalls(request, options.endpoints),
    exports: exportCalls(request, options.endpoints),
    analytics: analyticsCalls(request),
    audits: auditCalls(request),
    org: orgCalls(request),
    objects: orgObjectCalls(request),
    dependencies: dependencyCalls(request),
    serverNow: () => serverClock.now(),
  };
}
