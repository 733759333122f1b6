/** Flows, their versions and their actions (docs/platform-api.md#flows). */
import type { Context } from 'hono';
import { EmulatorHttpError } from '../errors.js';
import { flowJson, operationJson, versionJson } from '../views.js';
import { ANY, ALL, jsonBody, queryList, type Env, type RouteContext } from './context.js';
import { listing, pageRequest } from './pagination.js';

/** The flow types the API accepts in `type=` (docs/platform-api.md#flow-list-query). */
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

/** Registers the flow operations. */
export function flowRoutes({ api, org }: RouteContext): void {
  const state = org.state;
  const page = (c: Context<Env>) =>
    pageRequest({ pageSize: c.req.query('pageSize'), pageNumber: c.req.query('pageNumber') });
  const flowParam = (c: Context<Env>) => org.flow(c.req.param('flowId'), c.req.query('deleted') === 'true');
  const flowQuery = (c: Context<Env>) => {
    const id = c.req.query('flow');
    if (!id)
      throw new EmulatorHttpError(400, 'bad.request', [], {
        message: "The 'flow' query parameter is required.",
      });
    return org.flow(id);
  };
  const versionParam = (c: Context<Env>) => {
    const flow = flowParam(c);
    const v = flow.versions.find((x) => x.id === c.req.param('versionId'));
    if (!v) throw new EmulatorHttpError(404, 'architect.flow.version.missing', [], { entityId: flow.id });
    return { flow, v };
  };

  api('GET', '/api/v2/flows', ANY('architect:flow:view'), (c) => {
    const types = queryList(c, 'type');
    for (const t of types)
      if (!FLOW_TYPES.includes(t))
        throw new EmulatorHttpError(400, 'invalid.value', [t, 'type', FLOW_TYPES.join(', ')]);
    const flows = org.listFlows({
      types,
      name: c.req.query('name'),
      includeDeleted: c.req.query('deleted') === 'true',
      sortBy: c.req.query('sortBy'),
      sortOrder: c.req.query('sortOrder'),
    });
    return c.json(
      listing(
        flows.map((f) => flowJson(f, state)),
        page(c),
        '/api/v2/flows',
      ),
    );
  });
  api('POST', '/api/v2/flows', ANY('architect:flow:add'), async (c, _client, actor) =>
    c.json(flowJson(org.createFlow(await jsonBody(c), actor), state)),
  );
  api('GET', '/api/v2/flows/divisionviews', ALL('architect:flow:search'), (c) => {
    const views = org.listFlows({ types: [], includeDeleted: false }).map((f) => {
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
    return c.json(listing(views, page(c), '/api/v2/flows/divisionviews'));
  });

  // Actions (docs/platform-api.md#flow-actions).
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
  const flowAction = (
    path: string,
    permission: string,
    act: (f: ReturnType<typeof flowQuery>, actor: Parameters<typeof org.unlock>[1]) => void,
  ) =>
    api('POST', path, ANY(permission), (c, _client, actor) => {
      const flow = flowQuery(c);
      act(flow, actor);
      return c.json(flowJson(flow, state));
    });
  flowAction('/api/v2/flows/actions/checkout', 'architect:flow:edit', (f, a) => org.checkout(f, a));
  flowAction('/api/v2/flows/actions/unlock', 'architect:flow:unlock', (f, a) => org.unlock(f, a));
  flowAction('/api/v2/flows/actions/revert', 'architect:flow:edit', (f, a) => org.revert(f, a));
  flowAction('/api/v2/flows/actions/deactivate', 'architect:flow:publish', (f, a) => org.deactivate(f, a));

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
    const versions = flow.versions.filter((v) => v.type !== 'SAVE').map((v) => versionJson(flow, v));
    return c.json(listing(versions, page(c), `/api/v2/flows/${flow.id}/versions`));
  });
  api('POST', '/api/v2/flows/{flowId}/versions', ANY('architect:flow:edit'), async (c, _client, actor) => {
    const flow = flowParam(c);
    return c.json(versionJson(flow, org.saveVersion(flow, await jsonBody(c), actor)));
  });
  api('GET', '/api/v2/flows/{flowId}/versions/{versionId}', ANY('architect:flow:view'), (c) => {
    const { flow, v } = versionParam(c);
    return c.json(versionJson(flow, v));
  });
  api('GET', '/api/v2/flows/{flowId}/versions/{versionId}/configuration', ANY('architect:flow:view'), (c) =>
    c.json(configurationJson(versionParam(c).v.configuration)),
  );
}

function configurationJson(configuration: unknown): unknown {
  return typeof configuration === 'string' ? { format: 'archy-yaml', yaml: configuration } : configuration;
}
