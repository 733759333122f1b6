/**
 * The contract suite: every response of every operation the emulator implements, errors included,
 * validates against the reconstructed OpenAPI definition (spec/genesys/openapi-current-reconstructed.json),
 * and error bodies use codes the official definition lists (spec/genesys/openapi-official-2018-subset.json).
 * The suite fails when an operation is added to the emulator without a contract case.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FAST, flowId, useEmulator } from '../helpers/emulator.js';
import { contractProblems, spec } from '../helpers/contract.js';

const covered = new Set<string>();
const seenStatuses = new Map<string, Set<number>>();

describe('emulator contract (Ajv against the API definition)', () => {
  // The contract suite is one scenario in steps (a token, then a flow created and driven through
  // its life), so its steps share one emulator.
  const e = useEmulator({ settings: FAST, sharedAcrossTests: true });
  let token = '';
  const call = async (
    method: string,
    template: string,
    opts: { path?: string; query?: string; body?: unknown; token?: string } = {},
  ) => {
    const emu = e.get();
    const path = opts.path ?? template;
    const res = await fetch(`${emu.url}${path}${opts.query ? `?${opts.query}` : ''}`, {
      method,
      headers: {
        authorization: `Bearer ${opts.token ?? token}`,
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    const body = text ? JSON.parse(text) : undefined;
    const key = `${method} ${template}`;
    covered.add(key);
    if (!seenStatuses.has(key)) seenStatuses.set(key, new Set());
    seenStatuses.get(key)!.add(res.status);
    expect(contractProblems({ method, path, status: res.status, body })).toEqual([]);
    if (res.status >= 400) expect(body.contextId).toBe(res.headers.get('inin-correlation-id'));
    return { status: res.status, body };
  };

  it('obtains a token', async () => {
    const emu = e.get();
    // The simulated clock stands still: operations, jobs and audit queries move only when a step
    // advances it, so no step depends on how fast the machine is.
    emu.control.setClock({ speed: 0 });
    const res = await fetch(`${emu.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${emu.credentials.clientId}:${emu.credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    token = body.access_token;
  });

  it('flows: list, create, get, versions, configuration, divisionviews', async () => {
    const emu = e.get();
    expect(
      (await call('GET', '/api/v2/flows', { query: 'type=inboundcall&pageSize=2' })).body.entities,
    ).toHaveLength(2);
    expect((await call('GET', '/api/v2/flows', { query: 'type=INBOUNDCALL' })).status).toBe(400);
    // Arrays comma-joined (as the official SDK sends them) or repeated: the same selection.
    const joined = await call('GET', '/api/v2/flows', {
      query: 'type=inboundcall,commonmodule&pageSize=100',
    });
    const repeated = await call('GET', '/api/v2/flows', {
      query: 'type=inboundcall&type=commonmodule&pageSize=100',
    });
    expect(joined.status).toBe(200);
    expect(joined.body.entities).toEqual(repeated.body.entities);
    expect(new Set(joined.body.entities.map((f: { type: string }) => f.type))).toEqual(
      new Set(['INBOUNDCALL', 'COMMONMODULE']),
    );
    const created = await call('POST', '/api/v2/flows', {
      body: { name: 'Contract Flow', type: 'INBOUNDCALL' },
    });
    expect(created.status).toBe(200);
    expect(
      (await call('POST', '/api/v2/flows', { body: { name: 'Contract Flow', type: 'INBOUNDCALL' } })).status,
    ).toBe(409);
    const id = flowId(emu, 'Main IVR');
    expect(
      (await call('GET', '/api/v2/flows/{flowId}', { path: `/api/v2/flows/${id}` })).body.publishedVersion.id,
    ).toBe('3.0');
    expect((await call('GET', '/api/v2/flows/{flowId}', { path: '/api/v2/flows/missing' })).status).toBe(404);
    expect(
      (await call('GET', '/api/v2/flows/{flowId}/versions', { path: `/api/v2/flows/${id}/versions` })).body
        .total,
    ).toBe(3);
    const version = async (v: string) =>
      (
        await call('GET', '/api/v2/flows/{flowId}/versions/{versionId}', {
          path: `/api/v2/flows/${id}/versions/${v}`,
        })
      ).body as { datePublished?: string; datePublishedEnd?: string };
    // 2.0 was published until 3.0 was.
    const [two, three] = [await version('2.0'), await version('3.0')];
    expect(two.datePublishedEnd).toBe(three.datePublished);
    expect(three.datePublishedEnd).toBeUndefined();
    expect(
      (
        await call('GET', '/api/v2/flows/{flowId}/versions/{versionId}', {
          path: `/api/v2/flows/${id}/versions/9.0`,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('GET', '/api/v2/flows/{flowId}/versions/{versionId}/configuration', {
          path: `/api/v2/flows/${id}/versions/1.0/configuration`,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('GET', '/api/v2/flows/{flowId}/latestconfiguration', {
          path: `/api/v2/flows/${id}/latestconfiguration`,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('GET', '/api/v2/flows/{flowId}/latestconfiguration', {
          path: `/api/v2/flows/${created.body.id}/latestconfiguration`,
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', '/api/v2/flows/divisionviews')).body.entities.length).toBeGreaterThan(5);
  });

  it('actions: checkout, save, revert, checkin, publish, unlock, deactivate, delete', async () => {
    const emu = e.get();
    const id = flowId(emu, 'Contract Flow');
    expect(
      (
        await call('POST', '/api/v2/flows/actions/checkout', {
          path: '/api/v2/flows/actions/checkout',
          query: `flow=${id}`,
        })
      ).body.lockedClient.id,
    ).toBe(emu.credentials.clientId);
    expect((await call('POST', '/api/v2/flows/actions/checkin', { query: `flow=${id}` })).status).toBe(409);
    expect(
      (
        await call('POST', '/api/v2/flows/{flowId}/versions', {
          path: `/api/v2/flows/${id}/versions`,
          body: { startUpRef: 'x' },
        })
      ).body.type,
    ).toBe('SAVE');
    expect((await call('POST', '/api/v2/flows/actions/revert', { query: `flow=${id}` })).status).toBe(200);
    await call('POST', '/api/v2/flows/{flowId}/versions', {
      path: `/api/v2/flows/${id}/versions`,
      body: { startUpRef: 'y' },
    });
    const op = await call('POST', '/api/v2/flows/actions/checkin', { query: `flow=${id}` });
    expect(op.body).toMatchObject({ actionName: 'CHECKIN', complete: false });
    expect((await call('POST', '/api/v2/flows/actions/publish', { query: `flow=${id}` })).status).toBe(409);
    e.get().control.setClock({ advanceMs: FAST.operationDelayMs + 20 });
    const pub = await call('POST', '/api/v2/flows/actions/publish', { query: `flow=${id}` });
    expect(pub.body).toMatchObject({ actionName: 'PUBLISH', actionStatus: 'STARTED', complete: false });
    e.get().control.setClock({ advanceMs: FAST.operationDelayMs + 20 });
    const flow = await call('GET', '/api/v2/flows/{flowId}', { path: `/api/v2/flows/${id}` });
    expect(flow.body.currentOperation).toMatchObject({
      id: pub.body.id,
      complete: true,
      actionStatus: 'SUCCESS',
    });
    expect(flow.body.publishedVersion.id).toBe('1.0');
    const sales = flowId(emu, 'Sales IVR');
    const locked = await call('POST', '/api/v2/flows/actions/publish', { query: `flow=${sales}` });
    expect(locked.body.code).toBe('architect.flow.locked.by.user');
    expect(
      (await call('POST', '/api/v2/flows/actions/unlock', { query: `flow=${sales}` })).body.lockedUser,
    ).toBeUndefined();
    expect(
      (await call('POST', '/api/v2/flows/actions/deactivate', { query: `flow=${id}` })).body.active,
    ).toBe(false);
    const t = '/api/v2/architect/dependencytracking/consumingresources';
    const consumers = await call('GET', t, { query: `id=${id}&objectType=INBOUNDCALLFLOW` });
    expect(consumers.body).toMatchObject({ entities: [], pageNumber: 1 });
    expect((await call('GET', t, { query: `id=${id}` })).status).toBe(400);
    expect((await call('DELETE', '/api/v2/flows/{flowId}', { path: `/api/v2/flows/${id}` })).status).toBe(
      204,
    );
    expect((await call('GET', '/api/v2/flows/{flowId}', { path: `/api/v2/flows/${id}` })).status).toBe(410);
  });

  it('export jobs: register, poll until Success with a download URL, unknown job 404', async () => {
    const emu = e.get();
    const id = flowId(emu, 'Main IVR');
    const job = await call('POST', '/api/v2/flows/export/jobs', {
      body: { flows: [{ flow: { id, version: '3.0' }, exportType: 'Yaml' }] },
    });
    expect(job.status).toBe(200);
    const path = `/api/v2/flows/export/jobs/${job.body.id}`;
    expect((await call('GET', '/api/v2/flows/export/jobs/{jobId}', { path })).body.status).toBe('Started');
    emu.control.setClock({ advanceMs: FAST.jobDelayMs + 20 });
    const done = await call('GET', '/api/v2/flows/export/jobs/{jobId}', { path, query: 'expand=messages' });
    expect(done.body.status).toBe('Success');
    const file = await fetch(done.body.downloadUrl);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('Main IVR');
    expect(
      (await call('GET', '/api/v2/flows/export/jobs/{jobId}', { path: '/api/v2/flows/export/jobs/nope' }))
        .status,
    ).toBe(404);
  });

  it('import jobs: register, upload, poll', async () => {
    const emu = e.get();
    const job = await call('POST', '/api/v2/flows/jobs');
    const up = await fetch(job.body.presignedUrl, {
      method: 'PUT',
      headers: job.body.headers,
      body: readFileSync('examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml', 'utf8'),
    });
    expect(up.status).toBe(200);
    const path = `/api/v2/flows/jobs/${job.body.id}`;
    expect(
      (await call('GET', '/api/v2/flows/jobs/{jobId}', { path, query: 'expand=messages' })).body.status,
    ).toBe('Started');
    e.get().control.setClock({ advanceMs: FAST.jobDelayMs + 20 });
    const done = await call('GET', '/api/v2/flows/jobs/{jobId}', { path, query: 'expand=messages' });
    expect(done.body.status).toBe('Success');
    expect(done.body.flow.id).toBe(flowId(emu, 'Holiday_Flow'));
    expect(done.body.messages[0].text).toContain('Main Menu_10');
    expect(
      (await call('GET', '/api/v2/flows/jobs/{jobId}', { path: '/api/v2/flows/jobs/nope' })).status,
    ).toBe(404);
  });

  it('analytics: flow aggregates', async () => {
    const now = Date.now();
    const interval = `${new Date(now - 2 * 3600e3).toISOString()}/${new Date(now).toISOString()}`;
    const r = await call('POST', '/api/v2/analytics/flows/aggregates/query', {
      body: {
        interval,
        granularity: 'PT1H',
        groupBy: ['flowId', 'flowVersion'],
        metrics: ['nFlow', 'tFlow', 'nFlowOutcome', 'nFlowOutcomeFailed'],
      },
    });
    expect(r.body.results.length).toBeGreaterThan(0);
    expect(
      (
        await call('POST', '/api/v2/analytics/flows/aggregates/query', {
          body: { interval: 'yesterday', metrics: ['nFlow'] },
        })
      ).status,
    ).toBe(400);
  });

  it('analytics: asynchronous aggregate jobs (submit, status, results by cursor, cancel)', async () => {
    // An interval that ends at the org's (frozen) now: the job and the query later compared with
    // it count the same executions, however far the clock moves in between.
    const now = e.get().control.org.now();
    const body = {
      interval: `${new Date(now - 6 * 3600e3).toISOString()}/${new Date(now).toISOString()}`,
      granularity: 'PT1H',
      groupBy: ['flowId', 'flowVersion'],
      metrics: ['nFlow', 'nFlowOutcomeFailed'],
    };
    // The page size is the job body's (FlowAsyncAggregationQuery.pageSize), not the results call's.
    const job = await call('POST', '/api/v2/analytics/flows/aggregates/jobs', {
      body: { ...body, pageSize: 2 },
    });
    expect(job.body.jobId).toEqual(expect.any(String));
    const path = `/api/v2/analytics/flows/aggregates/jobs/${job.body.jobId}`;
    expect((await call('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}', { path })).body.state).toBe(
      'QUEUED',
    );
    expect(
      (
        await call('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}/results', {
          path: `${path}/results`,
        })
      ).status,
    ).toBe(400);
    e.get().control.setClock({ advanceMs: FAST.auditQueryDelayMs + 20 });
    expect((await call('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}', { path })).body.state).toBe(
      'FULFILLED',
    );
    const first = await call('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}/results', {
      path: `${path}/results`,
      query: 'pageSize=50', // not a parameter of this call: ignored
    });
    expect(first.body.results).toHaveLength(2);
    const sync = await call('POST', '/api/v2/analytics/flows/aggregates/query', { body });
    let all = [...first.body.results];
    let cursor = first.body.cursor as string | undefined;
    while (cursor) {
      const next = await call('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}/results', {
        path: `${path}/results`,
        query: `cursor=${cursor}`,
      });
      all = all.concat(next.body.results);
      cursor = next.body.cursor;
    }
    expect(all).toEqual(sync.body.results);
    expect((await call('DELETE', '/api/v2/analytics/flows/aggregates/jobs/{jobId}', { path })).status).toBe(
      204,
    );
    expect((await call('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}', { path })).body.state).toBe(
      'CANCELLED',
    );
    expect(
      (
        await call('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}', {
          path: '/api/v2/analytics/flows/aggregates/jobs/nope',
        })
      ).status,
    ).toBe(404);
  });

  it('audits: async query, results by cursor, realtime', async () => {
    const now = Date.now();
    const interval = `${new Date(now - 3600e3).toISOString()}/${new Date(now + 3600e3).toISOString()}`;
    const q = await call('POST', '/api/v2/audits/query', {
      body: { interval, serviceName: 'Architect', filters: [{ property: 'EntityType', value: 'Flow' }] },
    });
    expect(q.body.state).toBe('Queued');
    e.get().control.setClock({ advanceMs: FAST.auditQueryDelayMs + 20 });
    expect(
      (
        await call('GET', '/api/v2/audits/query/{transactionId}', {
          path: `/api/v2/audits/query/${q.body.id}`,
        })
      ).body.state,
    ).toBe('Succeeded');
    const page = await call('GET', '/api/v2/audits/query/{transactionId}/results', {
      path: `/api/v2/audits/query/${q.body.id}/results`,
      query: 'pageSize=2',
    });
    expect(page.body.entities).toHaveLength(2);
    // More entries than the page: a cursor, and the page it leads to starts after this one.
    expect(page.body.cursor).toEqual(expect.any(String));
    const next = await call('GET', '/api/v2/audits/query/{transactionId}/results', {
      path: `/api/v2/audits/query/${q.body.id}/results`,
      query: `pageSize=2&cursor=${encodeURIComponent(page.body.cursor as string)}`,
    });
    const ids = (p: typeof page) => (p.body.entities as Array<{ id: string }>).map((x) => x.id);
    expect(ids(next).length).toBeGreaterThan(0);
    expect(ids(next).filter((x) => ids(page).includes(x))).toEqual([]);
    expect(
      (
        await call('POST', '/api/v2/audits/query/realtime', {
          body: { interval, serviceName: 'Architect', pageSize: 3 },
        })
      ).body.entities,
    ).toHaveLength(3);
  });

  it('limits and token info', async () => {
    expect((await call('GET', '/api/v2/organizations/limits/namespaces')).status).toBe(200);
    expect(
      (
        await call('GET', '/api/v2/organizations/limits/namespaces/{namespaceName}', {
          path: '/api/v2/organizations/limits/namespaces/platform.api',
        })
      ).body.entities,
    ).toContainEqual({
      key: 'client.credentials.token.rate.per.minute',
      namespace: 'platform.api',
      value: 300,
    });
    expect(
      (
        await call('GET', '/api/v2/organizations/limits/namespaces/{namespaceName}', {
          path: '/api/v2/organizations/limits/namespaces/nope',
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', '/api/v2/tokens/me')).body.OAuthClient.authorizedGrantType).toBe(
      'CLIENT-CREDENTIALS',
    );
  });

  it('org objects: one listing per kind, paged; prompt resources; the users and groups searches', async () => {
    const listings = [
      '/api/v2/routing/queues',
      '/api/v2/integrations',
      '/api/v2/integrations/actions',
      '/api/v2/flows/datatables',
      '/api/v2/architect/prompts',
      '/api/v2/architect/systemprompts',
      '/api/v2/architect/schedules',
      '/api/v2/architect/schedulegroups',
      '/api/v2/architect/emergencygroups',
      '/api/v2/routing/skills',
      '/api/v2/routing/languages',
      '/api/v2/routing/wrapupcodes',
      '/api/v2/flows/outcomes',
      '/api/v2/flows/milestones',
    ];
    for (const path of listings) {
      const page = await call('GET', path, { query: 'pageSize=1&pageNumber=1' });
      expect(page.status, path).toBe(200);
      expect(page.body.entities, path).toHaveLength(1);
    }
    expect((await call('GET', '/api/v2/flows/datatables', { query: 'expand=schema' })).status).toBe(200);
    expect((await call('GET', '/api/v2/routing/queues', { query: 'pageSize=0' })).status).toBe(400);
    const prompt = (await call('GET', '/api/v2/architect/prompts')).body.entities[0] as { id: string };
    expect(
      (
        await call('GET', '/api/v2/architect/prompts/{promptId}/resources', {
          path: `/api/v2/architect/prompts/${prompt.id}/resources`,
        })
      ).body.entities.length,
    ).toBeGreaterThan(0);
    expect(
      (
        await call('GET', '/api/v2/architect/prompts/{promptId}/resources', {
          path: '/api/v2/architect/prompts/nope/resources',
        })
      ).status,
    ).toBe(404);
    const query = [{ type: 'EXACT', fields: ['state'], values: ['active'] }];
    expect((await call('POST', '/api/v2/users/search', { body: { query } })).body.total).toBe(2);
    expect((await call('POST', '/api/v2/groups/search', { body: { query } })).body.total).toBe(2);
    expect((await call('POST', '/api/v2/groups/search', { body: { pageSize: 101 } })).status).toBe(400);
  });

  it('errors: 401, 403, 429 and 5xx bodies validate as ErrorBody with real codes', async () => {
    const emu = e.get();
    expect((await call('GET', '/api/v2/tokens/me', { token: 'expired' })).body.code).toBe('bad.credentials');
    const ro = await fetch(`${emu.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('readonly-client:readonly-demo').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const roToken = ((await ro.json()) as { access_token: string }).access_token;
    expect((await call('POST', '/api/v2/flows/jobs', { token: roToken })).body.code).toBe(
      'missing.permissions',
    );
    emu.control.addFault({ path: 'tokens/me', sequence: [429, 503, 502, 504, 500] });
    for (const status of [429, 503, 502, 504, 500])
      expect((await call('GET', '/api/v2/tokens/me')).status).toBe(status);
  });

  it('every implemented operation has a contract case, and is in the API definition', () => {
    const routes = e.get().routes.map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(25);
    for (const r of routes) expect(covered, `no contract case for ${r}`).toContain(r);
    for (const r of e.get().routes)
      expect(
        spec.paths[r.path]?.[r.method.toLowerCase()],
        `${r.method} ${r.path} is not in the API definition`,
      ).toBeDefined();
  });
});
