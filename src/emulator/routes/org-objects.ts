/**
 * The org objects flows name (issue 25): one paged listing per kind, filtered as the official
 * SDK documents each (purecloud-platform-client-v2, the `opts` of getRoutingQueues,
 * getIntegrationsActions, getFlowsDatatables, getRoutingSkills, …):
 *
 * - queues: `name` exact, with leading and trailing `*` allowed;
 * - data tables: `name` with `*` anywhere, case-insensitive; the schema (columns) with `expand=schema`;
 * - skills: `name` "results that start with this value";
 * - data actions: `name` partial, `category` exact, `secure` the string `true` or `false`;
 * - prompts: `name` a list (comma-joined by the SDK), each exact or with `*`;
 * - the others: `name` exact (or with `*`);
 * - users and groups have no name filter on their listings: `POST …/search` with criteria.
 *
 * Exact name matches ignore case (UNCONFIRMED for the kinds whose docs do not say; docs/platform-api.md).
 */
import type { Context } from 'hono';
import { EmulatorHttpError } from '../errors.js';
import { objectJson, OBJECT_PATHS, promptAssetJson, searchUserJson } from '../object-views.js';
import type { EmOrgObject, OrgObjectKind } from '../types.js';
import { ALL, ANY, jsonBody, NONE, queryList, type Env, type RouteContext } from './context.js';
import { listing, pageRequest } from './pagination.js';
import type { Requirement } from '../permissions.js';
import { searchPage } from './search.js';

/** How a listing's `name` parameter matches. */
type NameRule = 'wildcard' | 'prefix' | 'partial';

/** The permission each listing needs (Terraform provider docs/data-sources/*.md). */
const LISTINGS: Array<{ kind: OrgObjectKind; requirement: Requirement; name: NameRule }> = [
  { kind: 'queue', requirement: ALL('routing:queue:view'), name: 'wildcard' },
  { kind: 'integration', requirement: ALL('integrations:integration:view'), name: 'wildcard' },
  {
    kind: 'dataAction',
    requirement: ANY('integrations:action:view', 'bridge:actions:view'),
    name: 'partial',
  },
  { kind: 'dataTable', requirement: ALL('architect:datatable:view'), name: 'wildcard' },
  { kind: 'prompt', requirement: ALL('architect:userPrompt:view'), name: 'wildcard' },
  { kind: 'systemPrompt', requirement: ALL('architect:systemPrompt:view'), name: 'wildcard' },
  { kind: 'schedule', requirement: ALL('routing:schedule:view'), name: 'wildcard' },
  { kind: 'scheduleGroup', requirement: ALL('routing:scheduleGroup:view'), name: 'wildcard' },
  { kind: 'emergencyGroup', requirement: ALL('routing:emergencyGroup:view'), name: 'wildcard' },
  { kind: 'skill', requirement: ALL('routing:skill:view'), name: 'prefix' },
  { kind: 'language', requirement: NONE, name: 'wildcard' },
  { kind: 'wrapupCode', requirement: ALL('routing:wrapupCode:view'), name: 'wildcard' },
  { kind: 'outcome', requirement: ALL('architect:flowOutcome:view'), name: 'wildcard' },
  { kind: 'milestone', requirement: ALL('architect:flowMilestone:view'), name: 'wildcard' },
];

/** Whether `name` matches the filter `f` under a rule (case-insensitive). */
export function nameMatches(rule: NameRule, f: string, name: string): boolean {
  const n = name.toLowerCase();
  const q = f.toLowerCase();
  if (rule === 'prefix') return n.startsWith(q);
  if (rule === 'partial') return n.includes(q);
  // `*` stands for any run of characters; everything else is literal.
  const parts = q.split('*');
  if (parts.length === 1) return n === q;
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === 0) {
      if (!n.startsWith(p)) return false;
      at = p.length;
    } else if (i === parts.length - 1) return n.length - at >= p.length && n.endsWith(p);
    else {
      const k = n.indexOf(p, at);
      if (k < 0) return false;
      at = k + p.length;
    }
  }
  return true;
}

/** Registers the org-object operations. */
export function orgObjectRoutes({ api, org }: RouteContext): void {
  const state = org.state;
  const objects = (kind: OrgObjectKind): EmOrgObject[] => state.objects?.[kind] ?? [];
  const page = (c: Context<Env>) =>
    pageRequest({ pageSize: c.req.query('pageSize'), pageNumber: c.req.query('pageNumber') });

  for (const { kind, requirement, name: rule } of LISTINGS) {
    const path = OBJECT_PATHS[kind];
    api('GET', path, requirement, (c) => {
      let found = objects(kind);
      // Prompts take several names (`name` is an array parameter); the others one.
      const names = kind === 'prompt' ? queryList(c, 'name') : [c.req.query('name')].filter((n) => n);
      if (names.length > 0) found = found.filter((o) => names.some((n) => nameMatches(rule, n!, o.name)));
      const ids = [...queryList(c, 'id'), ...queryList(c, 'ids')];
      if (ids.length > 0) found = found.filter((o) => ids.includes(o.id));
      const divisions = queryList(c, 'divisionId').filter((d) => d !== '*');
      if (divisions.length > 0) found = found.filter((o) => divisions.includes(o.divisionId ?? ''));
      if (kind === 'dataAction') found = dataActionFilter(c, found);
      const expandSchema = c.req.query('expand') === 'schema';
      const entities = found.map((o) => {
        const json = objectJson(state, kind, o);
        if (kind === 'dataTable' && !expandSchema) delete json.schema;
        return json;
      });
      return c.json(listing(entities, page(c), path));
    });
  }

  api('GET', '/api/v2/architect/prompts/{promptId}/resources', ALL('architect:userPrompt:view'), (c) => {
    const prompt = objects('prompt').find((p) => p.id === c.req.param('promptId'));
    if (!prompt) throw new EmulatorHttpError(404, 'not.found');
    const assets = (prompt.resources ?? []).map((r) => promptAssetJson('prompt', prompt, r));
    return c.json(listing(assets, page(c), `/api/v2/architect/prompts/${prompt.id}/resources`));
  });

  // Users and groups: no name filter on their listings; the search (UserSearchRequest) instead.
  api('POST', '/api/v2/users/search', NONE, async (c) =>
    c.json(searchPage(await jsonBody(c), state.users.map(searchUserJson), 'users')),
  );
  api('POST', '/api/v2/groups/search', NONE, async (c) =>
    c.json(
      searchPage(
        await jsonBody(c),
        objects('group').map((g) => objectJson(state, 'group', g)),
        'groups',
      ),
    ),
  );
}

/** `category` exact; `secure` the string `true` or `false` (absent: all). */
function dataActionFilter(c: Context<Env>, found: EmOrgObject[]): EmOrgObject[] {
  const category = c.req.query('category');
  if (category !== undefined) found = found.filter((a) => a.category === category);
  const secure = c.req.query('secure');
  if (secure !== undefined) {
    if (secure !== 'true' && secure !== 'false')
      throw new EmulatorHttpError(400, 'invalid.value', [secure, 'secure', 'true, false']);
    found = found.filter((a) => (a.secure === true) === (secure === 'true'));
  }
  return found;
}
