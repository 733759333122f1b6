/**
 * The emulator's HTTP surface (hono): `/oauth/token`, `/api/v2/...` and `/__emulator/...` on one
 * origin. Every `/api/v2` request: correlation id → settle → injected faults → bearer token (401)
 * → per-token rate limit (429 with `Retry-After`) → permissions (403) → handler. Routes live by
 * resource in `routes/`; the org's rules throw domain errors that `routes/context.ts` maps to HTTP.
 */
import { Hono, type Context } from 'hono';
import { createControl, type EmulatorControl, type RequestLogEntry } from './control.js';
import { codeForStatus, EmulatorHttpError, errorBody } from './errors.js';
import { FaultInjector, type FaultDecision } from './faults.js';
import { EmulatedOrg } from './org.js';
import type { EmulatorState } from './types.js';
import { sleep, type Clock } from '../shared/time.js';
import { uuid } from './random.js';
import { analyticsRoutes } from './routes/analytics.js';
import { auditRoutes } from './routes/audits.js';
import { httpErrorOf, routeContext, type Env, type RouteSpec } from './routes/context.js';
import { controlRoutes } from './routes/control.js';
import { dependencyRoutes } from './routes/dependencies.js';
import { exportRoutes } from './routes/export.js';
import { flowRoutes } from './routes/flows.js';
import { jobRoutes } from './routes/jobs.js';
import { limitRoutes } from './routes/limits.js';
import { oauthRoutes } from './routes/oauth.js';
import { orgObjectRoutes } from './routes/org-objects.js';

export type { RouteSpec } from './routes/context.js';

/** The app, its control object and the operations it implements. */
export interface EmulatorApp {
  app: Hono<Env>;
  control: EmulatorControl;
  routes: RouteSpec[];
  org: EmulatedOrg;
}

/** One API response, for observers such as the test suite's contract check. */
export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Options of {@link createEmulatorApp}. */
export interface EmulatorAppOptions {
  /** Called with every `/api/v2` response (parsing the body costs time: tests only). */
  onResponse?: (r: ObservedResponse) => void;
  /** The real time the org's simulated clock runs over. @default Date.now */
  clock?: Clock;
}

/** Builds the emulator app over a state. */
export function createEmulatorApp(state: EmulatorState, options: EmulatorAppOptions = {}): EmulatorApp {
  const org = new EmulatedOrg(state, options.clock);
  const faults = new FaultInjector(org.random);
  const log: RequestLogEntry[] = [];
  const control = createControl(org, faults, log);
  const app = new Hono<Env>();
  const routes: RouteSpec[] = [];

  const respondError = (c: Context<Env>, e: EmulatorHttpError) => {
    const id = c.get('correlationId') ?? uuid(org.random);
    const headers: Record<string, string> = { 'ININ-Correlation-Id': id, ...e.extra.headers };
    return c.json(errorBody(e, id), e.status as 400, headers);
  };
  const applyFault = async (c: Context<Env>, d: FaultDecision): Promise<Response | undefined> => {
    if (d.kind === 'latency') {
      await sleep(d.ms);
      return undefined;
    }
    if (d.kind === 'reset') {
      c.env?.incoming?.socket.destroy();
      return new Response(null, { status: 500 });
    }
    const headers: Record<string, string> = {};
    if (d.retryAfterSeconds !== undefined) headers['Retry-After'] = String(d.retryAfterSeconds);
    const params = d.status === 429 ? [String(d.retryAfterSeconds ?? 1)] : [];
    return respondError(c, new EmulatorHttpError(d.status, codeForStatus(d.status), params, { headers }));
  };

  app.onError((err, c) =>
    respondError(c, httpErrorOf(err) ?? new EmulatorHttpError(500, 'internal.server.error')),
  );
  app.notFound((c) => respondError(c, new EmulatorHttpError(404, 'not.found')));

  // Every request: correlation id, settle, log, faults.
  app.use('*', async (c, next) => {
    const correlationId = uuid(org.random);
    c.set('correlationId', correlationId);
    org.settle();
    const path = new URL(c.req.url).pathname;
    const decisions =
      path.startsWith('/__emulator/') &&
      !path.startsWith('/__emulator/uploads/') &&
      !path.startsWith('/__emulator/downloads/')
        ? []
        : faults.decide(c.req.method, path);
    c.set('decisions', decisions);
    let faulted: Response | undefined;
    for (const d of decisions) {
      if (d.kind === 'latency' || d.phase === 'before') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- hono types the wildcard route's input as any
        faulted = await applyFault(c, d);
        if (faulted) break;
      }
    }
    if (faulted) c.res = faulted;
    else {
      await next();
      for (const d of decisions) {
        if (d.kind !== 'latency' && d.phase === 'after') {
          // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- as above
          const r = await applyFault(c, d);
          if (r) {
            c.res = undefined;
            c.res = r;
            break;
          }
        }
      }
    }
    c.res.headers.set('ININ-Correlation-Id', correlationId);
    // The org's own clock, as a real server's Date header gives its time (RFC 9110 §6.6.1): a
    // client that asks the platform for "now" sees the simulated clock, moved or not.
    c.res.headers.set('Date', new Date(org.now()).toUTCString());
    // A reset connection sends nothing: there is no response to observe.
    if (options.onResponse && path.startsWith('/api/v2/') && !c.env?.incoming?.socket.destroyed) {
      const text = await c.res.clone().text();
      let body: unknown;
      try {
        body = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        body = text;
      }
      options.onResponse({ method: c.req.method, path, status: c.res.status, body });
    }
    const entry: RequestLogEntry = {
      at: new Date(org.now()).toISOString(),
      method: c.req.method,
      path,
      status: c.res.status,
      correlationId,
    };
    const clientId = c.get('client')?.id;
    if (clientId !== undefined) entry.clientId = clientId;
    log.push(entry);
    if (log.length > 20_000) log.splice(0, log.length - 10_000);
  });

  oauthRoutes(app, org);

  // /api/v2: the bearer token, then the per-token limit per minute (docs/platform-api.md#rate-limits) on the org's clock.
  app.use('/api/v2/*', async (c, next) => {
    const { client, token } = org.authenticate(c.req.header('authorization'));
    c.set('client', client);
    c.set('actor', { kind: 'client', id: client.id, name: client.name });
    const retryAfter = org.rateWindows.count(token, org.requestsPerMinute);
    if (retryAfter !== undefined)
      throw new EmulatorHttpError(429, 'too.many.requests.retry.after', [String(retryAfter)], {
        headers: { 'Retry-After': String(retryAfter) },
      });
    await next();
  });

  const ctx = routeContext(app, org, routes);
  jobRoutes(ctx);
  exportRoutes(ctx);
  // Before the flows: `/api/v2/flows/datatables` and `/flows/outcomes` are not `/flows/{flowId}`.
  orgObjectRoutes(ctx);
  flowRoutes(ctx);
  dependencyRoutes(ctx);
  analyticsRoutes(ctx);
  auditRoutes(ctx);
  limitRoutes(ctx);
  controlRoutes(app, control);
  return { app, control, routes, org };
}
