/**
 * Issue 21 §4: the official JavaScript SDK (purecloud-platform-client-v2, exact-pinned as a
 * devDependency) against the emulator on 127.0.0.1, for every operation flowgate's platform client
 * uses. Requests are the SDK's own (arrays comma-joined, the aggregate job's page size in its body);
 * every response is checked against the SDK's models (`index.d.ts`), errors against `ErrorBody`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import platformClient from 'purecloud-platform-client-v2';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { templateOf } from '../helpers/contract.js';
import { FAST, flowId, useEmulator } from '../helpers/emulator.js';
import { sdkModelProblems, sdkVersion } from '../helpers/sdk-models.js';

/** The SDK's runtime surface as these tests use it (its typings describe the singleton only). */
type Sdk = Record<string, new (client: unknown) => Record<string, (...args: unknown[]) => Promise<unknown>>>;
const sdk = platformClient as unknown as Sdk & { ApiClientClass: new () => SdkClient };
interface SdkClient {
  setGateway(g: { host: string; port: number; protocol: string }): void;
  setReturnExtendedResponses(on: boolean): void;
  loginClientCredentialsGrant(id: string, secret: string): Promise<{ accessToken: string }>;
}
interface Extended {
  status: number;
  body: unknown;
}

/** Every `METHOD template` the SDK was seen to call here. */
const exercised = new Set<string>();

/** A logged-in SDK client of the emulator's default client, with one API object per name. */
async function sdkFor(emu: RunningEmulator) {
  const client = new sdk.ApiClientClass();
  const url = new URL(emu.url);
  client.setGateway({ host: url.hostname, port: Number(url.port), protocol: 'http' });
  client.setReturnExtendedResponses(true);
  const auth = await client.loginClientCredentialsGrant(
    emu.credentials.clientId,
    emu.credentials.clientSecret,
  );
  expect(auth.accessToken).toEqual(expect.any(String));
  const apis = new Map<string, Record<string, (...args: unknown[]) => Promise<unknown>>>();
  const api = (name: string) => {
    if (!apis.has(name)) apis.set(name, new sdk[name]!(client));
    return apis.get(name)!;
  };
  /** Calls an SDK method; checks the response (or the error) against its model. */
  const call = async (apiName: string, method: string, model: string | undefined, ...args: unknown[]) => {
    const before = emu.control.requests().length;
    let res: Extended;
    try {
      res = (await api(apiName)[method]!(...args)) as Extended;
    } catch (e) {
      res = e as Extended;
      if (typeof res?.status !== 'number') throw e;
    }
    for (const r of emu.control.requests().slice(before)) {
      const t = templateOf(r.method, r.path);
      if (t) exercised.add(`${r.method} ${t}`);
    }
    const problems =
      res.status >= 400
        ? sdkModelProblems(res.body, 'ErrorBody')
        : model
          ? sdkModelProblems(res.body, model)
          : [];
    expect(problems, `${apiName}.${method} → ${res.status} against SDK ${sdkVersion}`).toEqual([]);
    // The body was checked against its model just above; the test reads it freely.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return res as { status: number; body: Record<string, any> };
  };
  return { call };
}

describe(`the official SDK (purecloud-platform-client-v2 ${sdkVersion}) against the emulator`, () => {
  const e = useEmulator({ settings: FAST });

  it('ArchitectApi: flows listed with a comma-joined type list, read, versions and configurations', async () => {
    const emu = e.get();
    const { call } = await sdkFor(emu);
    const both = await call('ArchitectApi', 'getFlows', 'FlowEntityListing', {
      type: ['inboundcall', 'commonmodule'],
      pageSize: 100,
    });
    expect(both.status).toBe(200);
    const types = new Set((both.body.entities as Array<{ type: string }>).map((f) => f.type));
    expect(types).toEqual(new Set(['INBOUNDCALL', 'COMMONMODULE']));
    const one = await call('ArchitectApi', 'getFlows', 'FlowEntityListing', {
      type: ['inqueuecall'],
      name: 'In-Queue',
    });
    expect(one.body.entities.map((f: { name: string }) => f.name)).toEqual(['In-Queue Flow']);
    const id = flowId(emu, 'Main IVR');
    const flow = await call('ArchitectApi', 'getFlow', 'Flow', id);
    expect(flow.body.publishedVersion.id).toBe('3.0');
    const versions = await call('ArchitectApi', 'getFlowVersions', 'FlowVersionEntityListing', id, {
      pageSize: 100,
    });
    expect(versions.body.entities).toHaveLength(3);
    expect((await call('ArchitectApi', 'getFlowVersionConfiguration', undefined, id, '2.0')).status).toBe(
      200,
    );
    expect((await call('ArchitectApi', 'getFlowLatestconfiguration', undefined, id)).status).toBe(200);
  });

  it('ArchitectApi: an unknown type is refused with messageWithParams and filled messageParams', async () => {
    const { call } = await sdkFor(e.get());
    const bad = await call('ArchitectApi', 'getFlows', undefined, { type: ['inboundcall', 'nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'invalid.value',
      messageWithParams:
        'Value [{value}] is not valid for field type [{field}]. Allowable values are: {allowedValues}',
      messageParams: { value: 'nope', field: 'type', allowedValues: expect.stringContaining('inboundcall') },
    });
  });

  it('ArchitectApi: checkout, save, revert, checkin, publish, unlock, deactivate; a lock names the flow, not the holder', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { call } = await sdkFor(emu);
    const id = flowId(emu, 'In-Queue Flow');
    // Checked out by this client: the lock names it (the client the SDK logged in as).
    expect(
      (await call('ArchitectApi', 'postFlowsActionsCheckout', 'Flow', id)).body.lockedClient,
    ).toMatchObject({ id: emu.credentials.clientId });
    expect((await call('ArchitectApi', 'postFlowsActionsRevert', 'Flow', id)).status).toBe(200);
    await call('ArchitectApi', 'postFlowVersions', 'FlowVersion', id, {
      name: 'In-Queue Flow',
      note: 'draft',
    });
    const checkin = await call('ArchitectApi', 'postFlowsActionsCheckin', 'Operation', id);
    expect(checkin.body.actionName).toBe('CHECKIN');
    emu.control.setClock({ advanceMs: FAST.operationDelayMs + 10 });
    const publish = await call('ArchitectApi', 'postFlowsActionsPublish', 'Operation', id, {
      version: '1.0',
    });
    expect(publish.body).toMatchObject({ actionName: 'PUBLISH', complete: false });
    emu.control.setClock({ advanceMs: FAST.operationDelayMs + 10 });
    const after = await call('ArchitectApi', 'getFlow', 'Flow', id);
    expect(after.body.currentOperation).toMatchObject({ actionStatus: 'SUCCESS' });
    expect((await call('ArchitectApi', 'postFlowsActionsUnlock', 'Flow', id)).status).toBe(200);
    expect((await call('ArchitectApi', 'postFlowsActionsDeactivate', 'Flow', id)).body.active).toBe(false);
    // Sales IVR is locked by a user: the 409 body names the flow in entityName.
    const locked = await call(
      'ArchitectApi',
      'postFlowsActionsCheckout',
      undefined,
      flowId(emu, 'Sales IVR'),
    );
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({ code: 'architect.flow.locked.by.user', entityName: 'Sales IVR' });
  });

  it('ArchitectApi: an import job registered, uploaded and read with expand=messages', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { call } = await sdkFor(emu);
    const job = await call('ArchitectApi', 'postFlowsJobs', 'RegisterArchitectJobResponse');
    const yaml =
      'inboundCall:\n  name: SDK Flow\n  defaultLanguage: en-us\n  startUpRef: ./tasks/task[m]\n  tasks:\n    - task:\n        name: M\n        refId: m\n        actions:\n          - disconnect:\n              name: Bye\n';
    const put = await fetch(job.body.presignedUrl as string, {
      method: 'PUT',
      headers: job.body.headers as Record<string, string>,
      body: yaml,
    });
    expect(put.status).toBe(200);
    emu.control.setClock({ advanceMs: FAST.jobDelayMs + 10 });
    const state = await call('ArchitectApi', 'getFlowsJob', 'ArchitectJobStateResponse', job.body.id, {
      expand: ['messages'],
    });
    expect(state.body).toMatchObject({ status: 'Success', messages: [] });
  });

  it('ArchitectApi: dependency tracking names the flow that transfers to another; delete is refused while it is used (409) or locked by someone else (405), then answers no body', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { call } = await sdkFor(emu);
    const flow = (name: string, transfer = '') =>
      `inboundCall:\n  name: ${name}\n  defaultLanguage: en-us\n  startUpRef: ./tasks/task[m]\n  tasks:\n    - task:\n        name: M\n        refId: m\n        actions:\n${transfer}          - disconnect:\n              name: Bye\n`;
    const importFlow = async (yaml: string) => {
      const job = await call('ArchitectApi', 'postFlowsJobs', 'RegisterArchitectJobResponse');
      await fetch(job.body.presignedUrl as string, {
        method: 'PUT',
        headers: job.body.headers as Record<string, string>,
        body: yaml,
      });
      emu.control.setClock({ advanceMs: FAST.jobDelayMs + 10 });
      return (await call('ArchitectApi', 'getFlowsJob', 'ArchitectJobStateResponse', job.body.id)).body.flow
        .id as string;
    };
    const target = await importFlow(flow('SDK Target'));
    const caller = await importFlow(
      flow(
        'SDK Caller',
        '          - transferToFlow:\n              name: On\n              targetFlow:\n                name: SDK Target\n',
      ),
    );
    const consumers = await call(
      'ArchitectApi',
      'getArchitectDependencytrackingConsumingresources',
      'ConsumingResourcesEntityListing',
      target,
      'INBOUNDCALLFLOW',
      { resourceType: ['INBOUNDCALLFLOW'], pageSize: 10 },
    );
    expect(consumers.body.entities).toMatchObject([
      { id: caller, name: 'SDK Caller', type: 'INBOUNDCALLFLOW' },
    ]);
    const inUse = await call('ArchitectApi', 'deleteFlow', undefined, target);
    expect(inUse).toMatchObject({ status: 409, body: { code: 'architect.dependency.object.in.use' } });
    // Sales IVR is checked out by a user: no delete for anyone else.
    const locked = await call('ArchitectApi', 'deleteFlow', undefined, flowId(emu, 'Sales IVR'));
    expect(locked).toMatchObject({
      status: 405,
      body: { code: 'architect.flow.cannot.delete.user.does.not.have.lock' },
    });
    expect((await call('ArchitectApi', 'deleteFlow', undefined, caller)).status).toBe(204);
    const none = await call(
      'ArchitectApi',
      'getArchitectDependencytrackingConsumingresources',
      'ConsumingResourcesEntityListing',
      target,
      'INBOUNDCALLFLOW',
    );
    expect(none.body.entities).toEqual([]);
    expect((await call('ArchitectApi', 'deleteFlow', undefined, target)).status).toBe(204);
    expect((await call('ArchitectApi', 'getFlow', undefined, target)).status).toBe(410);
  });

  it('AnalyticsApi: the aggregate query, and a job whose page size is the body’s pageSize', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { call } = await sdkFor(emu);
    const now = emu.control.org.now();
    const body = {
      interval: `${new Date(now - 6 * 3600e3).toISOString()}/${new Date(now).toISOString()}`,
      granularity: 'PT1H',
      groupBy: ['flowId', 'flowVersion'],
      metrics: ['nFlow', 'nFlowOutcomeFailed', 'tFlow'],
    };
    const sync = await call(
      'AnalyticsApi',
      'postAnalyticsFlowsAggregatesQuery',
      'FlowAggregateQueryResponse',
      body,
    );
    const all = sync.body.results as unknown[];
    expect(all.length).toBeGreaterThan(4);
    const job = await call('AnalyticsApi', 'postAnalyticsFlowsAggregatesJobs', 'AsyncQueryResponse', {
      ...body,
      pageSize: 2,
    });
    const jobId = job.body.jobId as string;
    emu.control.setClock({ advanceMs: FAST.auditQueryDelayMs + 10 });
    expect(
      (await call('AnalyticsApi', 'getAnalyticsFlowsAggregatesJob', 'AsyncQueryStatus', jobId)).body.state,
    ).toBe('FULFILLED');
    const pages: unknown[][] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        'AnalyticsApi',
        'getAnalyticsFlowsAggregatesJobResults',
        'FlowAsyncAggregateQueryResponse',
        jobId,
        cursor ? { cursor } : {},
      );
      pages.push(page.body.results as unknown[]);
      cursor = page.body.cursor as string | undefined;
    } while (cursor);
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    expect(pages).toHaveLength(Math.ceil(all.length / 2));
    expect(pages.flat()).toEqual(all);
  });

  it('ArchitectApi: an export job registered, Started, then Success on the simulated clock; its download is the YAML (one flow) or a zip (several)', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { call } = await sdkFor(emu);
    const main = flowId(emu, 'Main IVR');
    const holiday = flowId(emu, 'Holiday_Flow');
    const one = await call('ArchitectApi', 'postFlowsExportJobs', 'RegisterArchitectExportJobResponse', {
      flows: [{ flow: { id: main, version: '2.0' }, exportType: 'Yaml' }],
    });
    expect(one.body).toMatchObject({ status: 'Started', totalFlows: 1 });
    const started = await call(
      'ArchitectApi',
      'getFlowsExportJob',
      'ArchitectExportJobStateResponse',
      one.body.id,
      {
        expand: ['messages'],
      },
    );
    expect(started.body.status).toBe('Started');
    expect(started.body.downloadUrl).toBeUndefined();
    emu.control.setClock({ advanceMs: FAST.jobDelayMs + 10 });
    const done = await call(
      'ArchitectApi',
      'getFlowsExportJob',
      'ArchitectExportJobStateResponse',
      one.body.id,
      {
        expand: ['messages'],
      },
    );
    expect(done.body).toMatchObject({ status: 'Success', command: 'Export', messages: [] });
    const yaml = await (await fetch(done.body.downloadUrl as string)).text();
    expect(yaml).toContain('name: "Main IVR"');
    expect(yaml).toContain('version 2.0');

    const both = await call('ArchitectApi', 'postFlowsExportJobs', 'RegisterArchitectExportJobResponse', {
      flows: [{ flow: { id: main } }, { flow: { id: holiday }, fileName: 'holiday' }],
    });
    emu.control.setClock({ advanceMs: FAST.jobDelayMs + 10 });
    const zipped = await call(
      'ArchitectApi',
      'getFlowsExportJob',
      'ArchitectExportJobStateResponse',
      both.body.id,
    );
    const bytes = new Uint8Array(await (await fetch(zipped.body.downloadUrl as string)).arrayBuffer());
    expect(Object.keys(unzipSync(bytes)).sort()).toEqual(['Main_IVR_v3.0.yaml', 'holiday.yaml']);
    const tampered = (zipped.body.downloadUrl as string).replace(/Signature=\w/, 'Signature=0');
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('ArchitectApi: an export job of a flow or version the org does not have ends in Failure with messages; a body without flows is refused', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { call } = await sdkFor(emu);
    const job = await call('ArchitectApi', 'postFlowsExportJobs', 'RegisterArchitectExportJobResponse', {
      flows: [{ flow: { id: flowId(emu, 'Main IVR'), version: '9.0' } }],
    });
    emu.control.setClock({ advanceMs: FAST.jobDelayMs + 10 });
    const failed = await call(
      'ArchitectApi',
      'getFlowsExportJob',
      'ArchitectExportJobStateResponse',
      job.body.id,
      {
        expand: ['messages'],
      },
    );
    expect(failed.body.status).toBe('Failure');
    expect(failed.body.messages[0].text).toContain("no version '9.0'");
    const empty = await call('ArchitectApi', 'postFlowsExportJobs', undefined, { flows: [] });
    expect(empty.status).toBe(400);
    const badType = await call('ArchitectApi', 'postFlowsExportJobs', undefined, {
      flows: [{ flow: { id: 'x' }, exportType: 'Pdf' }],
    });
    expect(badType.body).toMatchObject({ status: 400, code: 'invalid.value' });
  });

  it('AuditApi: an asynchronous query and its results by cursor; the realtime query', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { call } = await sdkFor(emu);
    const id = flowId(emu, 'Main IVR');
    await call('ArchitectApi', 'postFlowsActionsPublish', 'Operation', id, { version: '2.0' });
    emu.control.setClock({ advanceMs: FAST.operationDelayMs + 10 });
    const now = emu.control.org.now();
    const interval = `${new Date(now - 3600e3).toISOString()}/${new Date(now + 3600e3).toISOString()}`;
    const q = await call('AuditApi', 'postAuditsQuery', 'AuditQueryExecutionStatusResponse', {
      interval,
      serviceName: 'Architect',
      filters: [{ property: 'EntityType', value: 'Flow' }],
    });
    emu.control.setClock({ advanceMs: FAST.auditQueryDelayMs + 10 });
    expect(
      (await call('AuditApi', 'getAuditsQueryTransactionId', 'AuditQueryExecutionStatusResponse', q.body.id))
        .body.state,
    ).toBe('Succeeded');
    const results = await call(
      'AuditApi',
      'getAuditsQueryTransactionIdResults',
      'AuditQueryExecutionResultsResponse',
      q.body.id,
      { pageSize: 25 },
    );
    expect(results.body.entities.length).toBeGreaterThan(0);
    const realtime = await call('AuditApi', 'postAuditsQueryRealtime', 'AuditRealtimeQueryResultsResponse', {
      interval,
      serviceName: 'Architect',
    });
    expect(realtime.body.entities.length).toBeGreaterThan(0);
  });

  it('OrganizationApi and TokensApi: limits and the token’s client', async () => {
    const { call } = await sdkFor(e.get());
    expect((await call('OrganizationApi', 'getOrganizationsLimitsNamespaces', undefined)).status).toBe(200);
    const limits = await call(
      'OrganizationApi',
      'getOrganizationsLimitsNamespace',
      'LimitsEntityListing',
      'platform.api',
    );
    expect(limits.body.entities).toContainEqual(
      expect.objectContaining({ key: 'client.credentials.token.rate.per.minute' }),
    );
    const me = await call('TokensApi', 'getTokensMe', 'TokenInfo');
    expect(me.body.OAuthClient.id).toBe(e.get().credentials.clientId);
  });

  it('RoutingApi: queues by exact name or with * at either end (comma-joined division ids), skills by prefix, languages, wrap-up codes', async () => {
    const emu = e.get();
    const { call } = await sdkFor(emu);
    const names = (r: { body: Record<string, unknown> }) =>
      (r.body.entities as Array<{ name: string }>).map((x) => x.name);
    const exact = await call('RoutingApi', 'getRoutingQueues', 'QueueEntityListing', { name: 'support' });
    expect(names(exact)).toEqual(['Support']);
    expect(exact.body.entities[0].division.name).toBe('Support');
    expect(
      names(await call('RoutingApi', 'getRoutingQueues', 'QueueEntityListing', { name: 'Sup' })),
    ).toEqual([]);
    const star = await call('RoutingApi', 'getRoutingQueues', 'QueueEntityListing', { name: '*example' });
    expect(names(star)).toEqual(['Primary Queue Example', 'Secondary Queue Example']);
    const prefix = await call('RoutingApi', 'getRoutingQueues', 'QueueEntityListing', { name: 'simple*' });
    expect(names(prefix)).toEqual(['Simple Financial 401K queue', 'Simple Financial IRA queue']);
    const state = emu.control.state();
    const divisionId = (n: string) => state.divisions.find((d) => d.name === n)!.id;
    const byDivision = await call('RoutingApi', 'getRoutingQueues', 'QueueEntityListing', {
      divisionId: [divisionId('Sales'), divisionId('Support')],
    });
    // Comma-joined by the SDK; the Sales division holds no queue.
    expect(names(byDivision)).toEqual(['Support']);
    const paged = await call('RoutingApi', 'getRoutingQueues', 'QueueEntityListing', {
      pageSize: 3,
      pageNumber: 2,
    });
    expect(paged.body).toMatchObject({ total: 9, pageCount: 3, pageNumber: 2 });
    expect(
      names(await call('RoutingApi', 'getRoutingSkills', 'SkillEntityListing', { name: 'spa' })),
    ).toEqual(['Spanish Support']);
    expect(
      names(await call('RoutingApi', 'getRoutingSkills', 'SkillEntityListing', { name: 'support' })),
    ).toEqual([]);
    expect(names(await call('RoutingApi', 'getRoutingLanguages', 'LanguageEntityListing', {}))).toEqual([
      'English',
      'Spanish',
    ]);
    expect(
      names(
        await call('RoutingApi', 'getRoutingWrapupcodes', 'WrapupCodeEntityListing', { name: 'resolved' }),
      ),
    ).toEqual(['Resolved']);
  });

  it('IntegrationsApi: data actions by partial name, category, and secure as the string true or false', async () => {
    const { call } = await sdkFor(e.get());
    const names = (r: { body: Record<string, unknown> }) =>
      (r.body.entities as Array<{ name: string }>).map((x) => x.name);
    const partial = await call('IntegrationsApi', 'getIntegrationsActions', 'ActionEntityListing', {
      name: 'conv',
    });
    expect(partial.body.entities).toEqual([
      expect.objectContaining({
        name: 'Get Conversation',
        category: 'Genesys Cloud Data Actions',
        secure: false,
      }),
    ]);
    const secure = await call('IntegrationsApi', 'getIntegrationsActions', 'ActionEntityListing', {
      secure: 'true',
    });
    expect(names(secure)).toEqual(['Verify Card']);
    const category = await call('IntegrationsApi', 'getIntegrationsActions', 'ActionEntityListing', {
      category: 'Genesys Cloud Data Actions',
      secure: 'false',
    });
    expect(names(category)).toEqual(['Get Conversation', 'Agents Logged Into Queue']);
    const bad = await call('IntegrationsApi', 'getIntegrationsActions', undefined, { secure: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid.value', messageParams: { field: 'secure' } });
    const integrations = await call('IntegrationsApi', 'getIntegrations', 'IntegrationEntityListing', {});
    expect(names(integrations)).toEqual(['Genesys Cloud Data Actions', 'Payments']);
  });

  it('ArchitectApi: data tables with * and their columns on expand=schema; prompts and their resources per language; schedules, groups, outcomes, milestones', async () => {
    const emu = e.get();
    const { call } = await sdkFor(emu);
    const names = (r: { body: Record<string, unknown> }) =>
      (r.body.entities as Array<{ name: string }>).map((x) => x.name);
    const plain = await call('ArchitectApi', 'getFlowsDatatables', 'DataTablesDomainEntityListing', {
      name: 'ani*',
    });
    expect(names(plain)).toEqual(['ANI Blacklist']);
    expect(plain.body.entities[0].schema).toBeUndefined();
    const schema = await call('ArchitectApi', 'getFlowsDatatables', 'DataTablesDomainEntityListing', {
      expand: 'schema',
    });
    expect(Object.keys(schema.body.entities[0].schema.properties)).toEqual(['key', 'reason']);
    const prompts = await call('ArchitectApi', 'getArchitectPrompts', 'PromptEntityListing', {
      name: ['Welcome', 'Hold*'],
    });
    expect(names(prompts)).toEqual(['Welcome', 'HoldMusic']);
    const welcome = prompts.body.entities[0] as { id: string; resources: Array<Record<string, string>> };
    expect(welcome.resources.map((r) => [r.language, r.mediaUri !== undefined, r.ttsString])).toEqual([
      ['en-us', true, undefined],
      ['es-us', false, 'Welcome (es-us)'],
    ]);
    const resources = await call(
      'ArchitectApi',
      'getArchitectPromptResources',
      'PromptAssetEntityListing',
      welcome.id,
    );
    expect(resources.body.entities.map((r: { language: string }) => r.language)).toEqual(['en-us', 'es-us']);
    const system = await call('ArchitectApi', 'getArchitectSystemprompts', 'SystemPromptEntityListing', {
      name: 'digit_1',
    });
    expect(system.body.entities[0].resources.map((r: { language: string }) => r.language)).toEqual([
      'en-us',
      'es-us',
    ]);
    expect(names(await call('ArchitectApi', 'getArchitectSchedules', 'ScheduleEntityListing', {}))).toEqual([
      'Weekdays 8-17',
      'Christmas Day',
    ]);
    expect(
      names(
        await call('ArchitectApi', 'getArchitectSchedulegroups', 'ScheduleGroupEntityListing', {
          name: 'support hours',
        }),
      ),
    ).toEqual(['Support Hours']);
    expect(
      names(await call('ArchitectApi', 'getArchitectEmergencygroups', 'EmergencyGroupListing', {})),
    ).toEqual(['Weather Closure']);
    expect(names(await call('ArchitectApi', 'getFlowsOutcomes', 'FlowOutcomeListing', {}))).toEqual([
      'Caller Authenticated',
      'Self Service Complete',
      'Claim filed',
    ]);
    expect(names(await call('ArchitectApi', 'getFlowsMilestones', 'FlowMilestoneListing', {}))).toEqual([
      'Menu Reached',
    ]);
  });

  it('UsersApi and GroupsApi: the search with criteria and its pages; a listing refused without its permission', async () => {
    const emu = e.get();
    const { call } = await sdkFor(emu);
    const users = await call('UsersApi', 'postUsersSearch', 'UsersSearchResponse', {
      pageSize: 1,
      pageNumber: 2,
      query: [{ type: 'EXACT', fields: ['state'], values: ['active'] }],
    });
    expect(users.body).toMatchObject({ total: 2, pageCount: 2, pageNumber: 2, types: ['users'] });
    expect(users.body.results.map((u: { name: string }) => u.name)).toEqual(['Sam Supervisor']);
    const one = await call('UsersApi', 'postUsersSearch', 'UsersSearchResponse', {
      query: [{ type: 'CONTAINS', fields: ['name'], value: 'alex' }],
    });
    expect(one.body.results.map((u: { name: string }) => u.name)).toEqual(['Alex Designer']);
    const groups = await call('GroupsApi', 'postGroupsSearch', 'GroupsSearchResponse', {
      query: [{ type: 'EXACT', fields: ['name'], values: ['Tier 2'] }],
    });
    expect(groups.body.results.map((g: { name: string }) => g.name)).toEqual(['Tier 2']);
    const bad = await call('GroupsApi', 'postGroupsSearch', undefined, {
      query: [{ type: 'FUZZY', fields: ['name'] }],
    });
    expect(bad.status).toBe(400);
    // The read-only reporting client of the seed holds no routing permission.
    const client = new sdk.ApiClientClass();
    const url = new URL(emu.url);
    client.setGateway({ host: url.hostname, port: Number(url.port), protocol: 'http' });
    client.setReturnExtendedResponses(true);
    await client.loginClientCredentialsGrant('readonly-client', 'readonly-demo');
    const refused = (await new sdk.RoutingApi!(client).getRoutingQueues!({}).catch(
      (x: unknown) => x,
    )) as Extended;
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'missing.permissions' });
  });

  it('every API operation flowgate’s platform client names was exercised through the SDK', () => {
    const dir = 'src/platform/calls';
    const used = new Set<string>();
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      // Each `/api/v2/…` literal, with its interpolations as path segments.
      for (const m of text.matchAll(/[`'](\/api\/v2\/[^`'?]*)[`']/g)) {
        const path = m[1]!.replace(/\$\{[^}]*\}/g, 'x');
        for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
          const t = templateOf(method, path);
          if (t && text.includes(`'${method}'`)) used.add(t);
        }
      }
    }
    expect(used.size).toBeGreaterThan(12);
    const templates = new Set([...exercised].map((x) => x.split(' ')[1]));
    for (const t of used)
      expect(templates, `${t} is used by flowgate but not run through the SDK`).toContain(t);
  });
});
