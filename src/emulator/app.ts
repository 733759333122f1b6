/**
 * The emulator's HTTP surface (hono): `/oauth/token`, `/api/v2/...` and `/__emulator/...` on one
 * origin. Every `/api/v2` request: correlation id → settle → injected faults → bearer token (401)
 * → per-token rate limit (429 with `Retry-After`) → permissions (403) → handler.
 */
import { Hono, type Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { createControl, TrafficSchema, type EmulatorControl, type RequestLogEntry } from './control.js';
import { codeForStatus, EmulatorHttpError, errorBody } from './errors.js';
import { FaultInjector, FaultRuleSchema, type FaultDecision } from './faults.js';
import { EmulatedOrg } from './org.js';
import { requirePermissions, type Requirement } from './permissions.js';
import { flowAggregates } from './traffic.js';
import type { EmActor, EmClient, EmulatorState } from './types.js';
import { auditJson, flowJson, listing, operationJson, versionJson } from './views.js';
import { uuid } from './random.js';

/** One implemented operation (for the contract suite's coverage check). */
export interface RouteSpec {
  method: string;
  /** OpenAPI path template, e.g. `/api/v2/flows/{flowId}`. */
  path: string;
  requirement: Requirement;
}

type Env = {
  Bindings: { incoming?: IncomingMessage };
  Variables: { correlationId: string; client: EmClient; actor: EmActor; decisions: FaultDecision[] };
};
type Handler = (c: Context<Env>, client: EmClient, actor: EmActor) => Response | Promise<Response>;

const FLOW_TYPES = [
  'bot',
  'commonmodule',
  'digitalbot',
  'emailsend',
  'inboundcall',
  'inboundchat',
  'inboundemail',
  'inboundshortmessage',
  'outboundcall',
  'inqueuecall',
  'inqueueemail',
  'inqueueshortmessage',
  'speech',
  'securecall',
  'surveyinvite',
  'voice',
  'voicemail',
  'voicesurvey',
  'workflow',
  'workitem',
];

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
}

/** Builds the emulator app over a state. */
export function createEmulatorApp(state: EmulatorState, options: EmulatorAppOptions = {}): EmulatorApp {
  const org = new EmulatedOrg(state);
  const faults = new FaultInjector(org.random);
  const log: RequestLogEntry[] = [];
  const control = createControl(org, faults, log);
  const app = new Hono<Env>();
  const routes: RouteSpec[] = [];
  const windows = new Map<string, { start: number; count: number }>();

  const respondError = (c: Context<Env>, e: EmulatorHttpError) => {
    const id = c.get('correlationId') ?? uuid(org.random);
    const headers: Record<string, string> = { 'ININ-Correlation-Id': id, ...e.extra.headers };
    return c.json(errorBody(e, id), e.status as 400, headers);
  };
  const applyFault = async (c: Context<Env>, d: FaultDecision): Promise<Response | undefined> => {
    if (d.kind === 'latency') {
      await new Promise((r) => setTimeout(r, d.ms));
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

  app.onError((err, c) => {
    if (err instanceof EmulatorHttpError) return respondError(c, err);
    return respondError(c, new EmulatorHttpError(500, 'internal.server.error'));
  });
  app.notFound((c) => respondError(c, new EmulatorHttpError(404, 'not.found')));

  // Every request: correlation id, settle, log, faults.
  app.use('*', async (c, next) => {
    const correlationId = uuid(org.random);
    c.set('correlationId', correlationId);
    org.settle();
    const path = new URL(c.req.url).pathname;
    const decisions =
      path.startsWith('/__emulator/') && !path.startsWith('/__emulator/uploads/')
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
      at: new Date().toISOString(),
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

  // ---- OAuth (API.md §1.1) ----------------------------------------------------
  app.post('/oauth/token', async (c) => {
    const header = c.req.header('authorization') ?? '';
    const form = new URLSearchParams(await c.req.text());
    const basic = /^basic\s+(.+)$/i.exec(header);
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const issued = colon > 0 ? org.issueToken(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    if (!issued) return c.json({ error: 'invalid_client', error_description: 'client not found' }, 401);
    if (form.get('grant_type') !== 'client_credentials')
      return c.json({ error: 'unsupported_grant_type' }, 400);
    return c.json({ access_token: issued.token, token_type: 'bearer', expires_in: issued.expiresIn });
  });

  // ---- /api/v2: auth and rate limit ----------------------------------------------
  app.use('/api/v2/*', async (c, next) => {
    const { client, token } = org.authenticate(c.req.header('authorization'));
    c.set('client', client);
    c.set('actor', { kind: 'client', id: client.id, name: client.name });
    // Per-token limit per minute (API.md §6.2), fixed one-minute windows.
    const now = Date.now();
    let w = windows.get(token);
    if (!w || now - w.start >= 60_000) {
      // Forget windows of tokens that went quiet, so a long-running emulator does not grow.
      if (windows.size > 10_000) for (const [t, x] of windows) if (now - x.start >= 60_000) windows.delete(t);
      windows.set(token, (w = { start: now, count: 0 }));
    }
    w.count++;
    if (w.count > org.requestsPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
      throw new EmulatorHttpError(429, 'too.many.requests.retry.after', [String(retryAfter)], {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    await next();
  });

  const api = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    requirement: Requirement,
    handler: Handler,
  ) => {
    routes.push({ method, path, requirement });
    const honoPath = path.replace(/\{(\w+)\}/g, ':$1');
    app.on(method, honoPath, async (c) => {
      const client = c.get('client');
      requirePermissions(client, requirement);
      return handler(c, client, c.get('actor'));
    });
  };
  const ANY = (...permissions: string[]): Requirement => ({ type: 'ANY', permissions });
  const ALL = (...permissions: string[]): Requirement => ({ type: 'ALL', permissions });
  const NONE: Requirement = { type: 'NO', permissions: [] };
  const json = async (c: Context<Env>): Promise<Record<string, unknown>> => {
    try {
      const body = (await c.req.json()) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
      return body as Record<string, unknown>;
    } catch {
      throw new EmulatorHttpError(400, 'bad.request', [], {
        message: 'The request body must be a JSON object.',
      });
    }
  };
  const page = (c: Context<Env>, defSize = 25, maxSize = 500) => {
    const pageSize = Number(c.req.query('pageSize') ?? defSize);
    const pageNumber = Number(c.req.query('pageNumber') ?? 1);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxSize)
      throw new EmulatorHttpError(400, 'invalid.value', [
        String(c.req.query('pageSize')),
        'pageSize',
        `1 to ${maxSize}`,
      ]);
    if (!Number.isInteger(pageNumber) || pageNumber < 1)
      throw new EmulatorHttpError(400, 'invalid.value', [
        String(c.req.query('pageNumber')),
        'pageNumber',
        'a positive integer',
      ]);
    return { pageSize, pageNumber };
  };
  const flowParam = (c: Context<Env>) => org.flow(c.req.param('flowId'), c.req.query('deleted') === 'true');
  const flowQuery = (c: Context<Env>) => {
    const id = c.req.query('flow');
    if (!id)
      throw new EmulatorHttpError(400, 'bad.request', [], {
        message: "The 'flow' query parameter is required.",
      });
    return org.flow(id);
  };

  // ---- flows (API.md §2) ----------------------------------------------------------
  api('GET', '/api/v2/flows', ANY('architect:flow:view'), (c) => {
    const { pageSize, pageNumber } = page(c);
    const types = c.req.queries('type') ?? [];
    for (const t of types)
      if (!FLOW_TYPES.includes(t))
        throw new EmulatorHttpError(400, 'invalid.value', [t, 'type', FLOW_TYPES.join(', ')]);
    const name = c.req.query('name')?.toLowerCase();
    const includeDeleted = c.req.query('deleted') === 'true';
    const flows = state.flows
      .filter(
        (f) =>
          (includeDeleted || !f.deleted) &&
          (types.length === 0 || types.includes(f.type.toLowerCase())) &&
          (name === undefined || f.name.toLowerCase().includes(name)),
      )
      .sort((a, b) =>
        c.req.query('sortBy') === 'name' ? a.name.localeCompare(b.name) : a.id.localeCompare(b.id),
      );
    if (c.req.query('sortOrder') === 'desc') flows.reverse();
    return c.json(
      listing(
        flows.map((f) => flowJson(f, state)),
        pageNumber,
        pageSize,
        '/api/v2/flows',
      ),
    );
  });
  api('POST', '/api/v2/flows', ANY('architect:flow:add'), async (c, _client, actor) =>
    c.json(flowJson(org.createFlow(await json(c), actor), state)),
  );
  api('GET', '/api/v2/flows/divisionviews', ALL('architect:flow:search'), (c) => {
    const { pageSize, pageNumber } = page(c);
    const views = state.flows
      .filter((f) => !f.deleted)
      .map((f) => {
        const full = flowJson(f, state);
        const view: Record<string, unknown> = {
          id: f.id,
          name: f.name,
          type: f.type,
          division: full.division,
          selfUri: full.selfUri,
        };
        if (full.publishedVersion) view.publishedVersion = full.publishedVersion;
        return view;
      });
    return c.json(listing(views, pageNumber, pageSize, '/api/v2/flows/divisionviews'));
  });

  // Import jobs (API.md §2.7); registered before /flows/{flowId} so `jobs` is not taken for an id.
  api('POST', '/api/v2/flows/jobs', ALL('architect:job:create'), (c, _client, actor) => {
    const job = org.registerJob(actor);
    const origin = new URL(c.req.url).origin;
    return c.json({
      id: job.id,
      presignedUrl: `${origin}/__emulator/uploads/${job.id}?X-Amz-Signature=${job.signature}`,
      headers: { 'Content-Type': 'application/octet-stream', 'x-amz-meta-flowgate-job': job.id },
      selfUri: `/api/v2/flows/jobs/${job.id}`,
    });
  });
  api('GET', '/api/v2/flows/jobs/{jobId}', ALL('architect:job:view'), (c) => {
    const job = org.jobs.get(c.req.param('jobId') ?? '');
    if (!job) throw new EmulatorHttpError(404, 'not.found');
    const out: Record<string, unknown> = {
      id: job.id,
      status: job.status,
      command: job.command,
      selfUri: `/api/v2/flows/jobs/${job.id}`,
    };
    if (job.flowId) out.flow = { id: job.flowId, selfUri: `/api/v2/flows/${job.flowId}` };
    if ((c.req.query('expand') ?? '').split(',').includes('messages')) out.messages = job.messages;
    return c.json(out);
  });

  // Actions.
  api(
    'POST',
    '/api/v2/flows/actions/publish',
    ANY('architect:flow:unlock', 'architect:flow:publish'),
    (c, _client, actor) => c.json(operationJson(org.publish(flowQuery(c), c.req.query('version'), actor))),
  );
  api(
    'POST',
    '/api/v2/flows/actions/checkin',
    ANY('architect:flow:edit', 'architect:flow:unlock'),
    (c, _client, actor) => c.json(operationJson(org.checkin(flowQuery(c), actor))),
  );
  api('POST', '/api/v2/flows/actions/checkout', ANY('architect:flow:edit'), (c, _client, actor) => {
    const flow = flowQuery(c);
    org.checkout(flow, actor);
    return c.json(flowJson(flow, state));
  });
  api('POST', '/api/v2/flows/actions/unlock', ANY('architect:flow:unlock'), (c, _client, actor) => {
    const flow = flowQuery(c);
    org.unlock(flow, actor);
    return c.json(flowJson(flow, state));
  });
  api('POST', '/api/v2/flows/actions/revert', ANY('architect:flow:edit'), (c, _client, actor) => {
    const flow = flowQuery(c);
    org.revert(flow, actor);
    return c.json(flowJson(flow, state));
  });
  api('POST', '/api/v2/flows/actions/deactivate', ANY('architect:flow:publish'), (c, _client, actor) => {
    const flow = flowQuery(c);
    org.deactivate(flow, actor);
    return c.json(flowJson(flow, state));
  });

  api('GET', '/api/v2/flows/{flowId}', ANY('architect:flow:view'), (c) =>
    c.json(flowJson(flowParam(c), state)),
  );
  api('DELETE', '/api/v2/flows/{flowId}', ANY('architect:flow:delete'), (c, _client, actor) => {
    org.deleteFlow(flowParam(c), actor);
    return c.body(null, 204);
  });
  api('GET', '/api/v2/flows/{flowId}/latestconfiguration', ANY('architect:flow:view'), (c) => {
    const flow = flowParam(c);
    const latest = flow.versions[flow.versions.length - 1];
    if (!latest) throw new EmulatorHttpError(404, 'flow.no.config.available', [], { entityId: flow.id });
    return c.json(configurationJson(latest.configuration));
  });
  api('GET', '/api/v2/flows/{flowId}/versions', ANY('architect:flow:view'), (c) => {
    const flow = flowParam(c);
    const { pageSize, pageNumber } = page(c);
    const versions = flow.versions.filter((v) => v.type !== 'SAVE').map((v) => versionJson(flow, v));
    return c.json(listing(versions, pageNumber, pageSize, `/api/v2/flows/${flow.id}/versions`));
  });
  api('POST', '/api/v2/flows/{flowId}/versions', ANY('architect:flow:edit'), async (c, _client, actor) => {
    const flow = flowParam(c);
    return c.json(versionJson(flow, org.saveVersion(flow, await json(c), actor)));
  });
  api('GET', '/api/v2/flows/{flowId}/versions/{versionId}', ANY('architect:flow:view'), (c) => {
    const flow = flowParam(c);
    const v = flow.versions.find((x) => x.id === c.req.param('versionId'));
    if (!v) throw new EmulatorHttpError(404, 'architect.flow.version.missing', [], { entityId: flow.id });
    return c.json(versionJson(flow, v));
  });
  api('GET', '/api/v2/flows/{flowId}/versions/{versionId}/configuration', ANY('architect:flow:view'), (c) => {
    const flow = flowParam(c);
    const v = flow.versions.find((x) => x.id === c.req.param('versionId'));
    if (!v) throw new EmulatorHttpError(404, 'architect.flow.version.missing', [], { entityId: flow.id });
    return c.json(configurationJson(v.configuration));
  });

  // ---- analytics (API.md §3) ------------------------------------------------------
  api('POST', '/api/v2/analytics/flows/aggregates/query', ANY('analytics:flowAggregate:view'), async (c) =>
    c.json(flowAggregates(state, await json(c), org.now())),
  );

  // ---- audits (API.md §4) -----------------------------------------------------------
  const auditStatus = (q: { id: string; submittedAt: number; request: Record<string, unknown> }) => {
    const age = org.now() - q.submittedAt;
    const delay = state.settings.auditQueryDelayMs;
    const out: Record<string, unknown> = {
      id: q.id,
      state: age >= delay ? 'Succeeded' : age >= delay / 2 ? 'Running' : 'Queued',
      startDate: new Date(q.submittedAt).toISOString(),
      interval: q.request.interval,
      serviceName: q.request.serviceName,
    };
    if (Array.isArray(q.request.filters)) out.filters = q.request.filters;
    if (Array.isArray(q.request.sort)) out.sort = q.request.sort;
    return out;
  };
  api('POST', '/api/v2/audits/query', ALL('audits:audit:view'), async (c) => {
    const body = await json(c);
    if (typeof body.serviceName !== 'string')
      throw new EmulatorHttpError(400, 'bad.request', [], { message: 'serviceName is required.' });
    const results = org.findAudits(body);
    const q = { id: org.id(), submittedAt: org.now(), request: body, results };
    org.auditQueries.set(q.id, q);
    return c.json(auditStatus(q));
  });
  const auditQuery = (c: Context<Env>) => {
    const q = org.auditQueries.get(c.req.param('transactionId') ?? '');
    if (!q) throw new EmulatorHttpError(404, 'not.found');
    return q;
  };
  api('GET', '/api/v2/audits/query/{transactionId}', ALL('audits:audit:view'), (c) =>
    c.json(auditStatus(auditQuery(c))),
  );
  api('GET', '/api/v2/audits/query/{transactionId}/results', ALL('audits:audit:view'), (c) => {
    const q = auditQuery(c);
    if (auditStatus(q).state !== 'Succeeded')
      throw new EmulatorHttpError(400, 'bad.request', [], { message: 'The query has not completed.' });
    // "Default page size is 25 results. The maximum page size is 500." (API.md §4.1)
    const pageSize = Math.min(500, Math.max(1, Number(c.req.query('pageSize') ?? 25) || 25));
    const offset = Number(Buffer.from(c.req.query('cursor') ?? '', 'base64url').toString() || '0') || 0;
    const slice = q.results.slice(offset, offset + pageSize);
    const out: Record<string, unknown> = {
      id: q.id,
      pageSize,
      entities: slice.map((a) => auditJson(a, state)),
    };
    if (offset + pageSize < q.results.length)
      out.cursor = Buffer.from(String(offset + pageSize)).toString('base64url');
    return c.json(out);
  });
  api('POST', '/api/v2/audits/query/realtime', ALL('audits:audit:view'), async (c) => {
    const body = await json(c);
    // Realtime only reaches back 14 days (API.md §4.1).
    const all = org.findAudits(body, org.now() - 14 * 86_400_000);
    const pageSize = Math.min(500, Math.max(1, Number(body.pageSize ?? 25) || 25));
    const pageNumber = Math.max(1, Number(body.pageNumber ?? 1) || 1);
    return c.json({
      entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((a) => auditJson(a, state)),
      pageSize,
      pageNumber,
      total: all.length,
      pageCount: Math.max(1, Math.ceil(all.length / pageSize)),
    });
  });

  // ---- limits and token (API.md §5, §1.1) --------------------------------------------
  api('GET', '/api/v2/organizations/limits/namespaces', NONE, (c) => {
    const names = Object.keys(state.limits).sort();
    return c.json({
      entities: names.map((name) => ({ name })),
      pageSize: 100,
      pageNumber: 1,
      total: names.length,
      pageCount: 1,
    });
  });
  api('GET', '/api/v2/organizations/limits/namespaces/{namespaceName}', NONE, (c) => {
    const ns = c.req.param('namespaceName') ?? '';
    const limits = state.limits[ns];
    if (!limits) throw new EmulatorHttpError(404, 'not.found');
    return c.json({
      entities: Object.entries(limits).map(([key, value]) => ({ key, namespace: ns, value })),
    });
  });
  api('GET', '/api/v2/tokens/me', NONE, (c, client) =>
    c.json({
      organization: { id: state.org.id, name: state.org.name },
      homeOrganization: { id: state.org.id, name: state.org.name },
      authorizedScope: client.scopes,
      OAuthClient: {
        id: client.id,
        name: client.name,
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        organization: { id: state.org.id, name: state.org.name },
      },
    }),
  );

  // ---- presigned upload (a path no real API uses) -------------------------------------
  app.put('/__emulator/uploads/:jobId', async (c) => {
    const job = org.jobs.get(c.req.param('jobId'));
    if (
      !job ||
      c.req.query('X-Amz-Signature') !== job.signature ||
      c.req.header('x-amz-meta-flowgate-job') !== job.id
    ) {
      return c.text(
        'SignatureDoesNotMatch: the request signature or headers do not match the presigned URL',
        403,
      );
    }
    org.uploadJob(job, await c.req.text());
    return c.body(null, 200);
  });

  // ---- control (`/__emulator/`) --------------------------------------------------------
  const controlBody = async <T>(c: Context<Env>, schema: z.ZodType<T>): Promise<T> => {
    const parsed = schema.safeParse(await json(c));
    if (!parsed.success)
      throw new EmulatorHttpError(400, 'bad.request', [], { message: z.prettifyError(parsed.error) });
    return parsed.data;
  };
  app.get('/__emulator/health', (c) => c.json({ ok: true, now: new Date(org.now()).toISOString() }));
  app.get('/__emulator/state', (c) => c.json(control.state()));
  app.get('/__emulator/requests', (c) => c.json(control.requests()));
  app.post('/__emulator/faults', async (c) =>
    c.json({ id: control.addFault(await controlBody(c, FaultRuleSchema)) }),
  );
  app.delete('/__emulator/faults', (c) => {
    control.clearFaults(c.req.query('id'));
    return c.json({ ok: true });
  });
  app.post('/__emulator/traffic', async (c) => {
    control.setTraffic(await controlBody(c, TrafficSchema));
    return c.json({ ok: true });
  });
  app.post('/__emulator/clock', async (c) =>
    c.json(
      control.setClock(
        await controlBody(
          c,
          z.object({ speed: z.number().optional(), advanceMs: z.number().optional() }).strict(),
        ),
      ),
    ),
  );
  app.post('/__emulator/revoke-tokens', async (c) => {
    const b = await controlBody(c, z.object({ clientId: z.string().optional() }).strict());
    return c.json({ revoked: control.revokeTokens(b.clientId) });
  });
  app.post('/__emulator/lock', async (c) => {
    const b = await controlBody(
      c,
      z
        .object({ flowId: z.string(), userName: z.string().optional(), inMs: z.number().min(0).optional() })
        .strict(),
    );
    control.lockByUser(b.flowId, b.userName, b.inMs);
    return c.json({ ok: true });
  });
  app.post('/__emulator/publish-failure', async (c) => {
    const b = await controlBody(
      c,
      z
        .object({
          flowId: z.string(),
          times: z.number().int().positive().optional(),
          errorCode: z.string().optional(),
          errorMessage: z.string().optional(),
        })
        .strict(),
    );
    control.failPublishes(b.flowId, b.times, b.errorCode, b.errorMessage);
    return c.json({ ok: true });
  });
  app.post('/__emulator/job-failure', async (c) => {
    control.failNextJob((await controlBody(c, z.object({ message: z.string() }).strict())).message);
    return c.json({ ok: true });
  });

  return { app, control, routes, org };
}

function configurationJson(configuration: unknown): unknown {
  return typeof configuration === 'string' ? { format: 'archy-yaml', yaml: configuration } : configuration;
}
