/**
 * The org objects flows name (issue 25; docs/platform-api.md "Org objects"): one paged listing per
 * kind, every page through the client's shared limiter and retry policy. Each object comes back
 * as the few facts a flow's use depends on: its name, division, a data action's category and
 * `secure`, a data table's columns, a prompt's languages with audio or TTS.
 *
 * Users and groups have no listing filter by name; their `POST …/search` pages through every
 * active one (`UserSearchRequest`, `GroupSearchRequest` of purecloud-platform-client-v2).
 */
import { z } from 'zod';
import type { RequestFn } from '../request.js';
import { listingSchema } from '../schemas.js';

/** The kinds of org object flowgate checks, each one listing. */
export const ORG_OBJECT_KINDS = [
  'queue',
  'dataAction',
  'dataTable',
  'prompt',
  'systemPrompt',
  'schedule',
  'scheduleGroup',
  'emergencyGroup',
  'skill',
  'language',
  'wrapupCode',
  'user',
  'group',
  'outcome',
  'milestone',
] as const;

/** One of {@link ORG_OBJECT_KINDS}. */
export type OrgObjectKind = (typeof ORG_OBJECT_KINDS)[number];

/** What flowgate knows of one org object. */
export interface OrgObject {
  id: string;
  name: string;
  division?: { id: string; name?: string };
  /** Data actions: the category (the integration's name) and whether the action is secure. */
  category?: string;
  secure?: boolean;
  /** Data tables: the column names (with `expand=schema`). */
  columns?: string[];
  /** Prompts: the languages that have audio or a TTS string. */
  languages?: string[];
}

const Division = z.looseObject({ id: z.string(), name: z.string().optional() });
const Asset = z.looseObject({
  language: z.string().optional(),
  mediaUri: z.string().optional(),
  ttsString: z.string().optional(),
  uploadStatus: z.string().optional(),
});
const Entity = z.looseObject({
  id: z.string(),
  name: z.string(),
  division: Division.optional(),
  category: z.string().optional(),
  secure: z.boolean().optional(),
  schema: z.looseObject({ properties: z.record(z.string(), z.unknown()).optional() }).optional(),
  resources: z.array(Asset).optional(),
});
const Listing = listingSchema(Entity);
const SearchPage = z.looseObject({
  results: z.array(Entity).optional(),
  pageCount: z.number().optional(),
  total: z.number().optional(),
});

/** Where each kind is listed, and the query it needs (docs/platform-api.md "Org objects"). */
export const ORG_OBJECT_ENDPOINTS: Record<
  OrgObjectKind,
  { method: 'GET' | 'POST'; path: string; query?: Record<string, string> }
> = {
  queue: { method: 'GET', path: '/api/v2/routing/queues' },
  dataAction: { method: 'GET', path: '/api/v2/integrations/actions' },
  dataTable: { method: 'GET', path: '/api/v2/flows/datatables', query: { expand: 'schema' } },
  prompt: { method: 'GET', path: '/api/v2/architect/prompts' },
  systemPrompt: { method: 'GET', path: '/api/v2/architect/systemprompts' },
  schedule: { method: 'GET', path: '/api/v2/architect/schedules' },
  scheduleGroup: { method: 'GET', path: '/api/v2/architect/schedulegroups' },
  emergencyGroup: { method: 'GET', path: '/api/v2/architect/emergencygroups' },
  skill: { method: 'GET', path: '/api/v2/routing/skills' },
  language: { method: 'GET', path: '/api/v2/routing/languages' },
  wrapupCode: { method: 'GET', path: '/api/v2/routing/wrapupcodes' },
  user: { method: 'POST', path: '/api/v2/users/search' },
  group: { method: 'POST', path: '/api/v2/groups/search' },
  outcome: { method: 'GET', path: '/api/v2/flows/outcomes' },
  milestone: { method: 'GET', path: '/api/v2/flows/milestones' },
};

/** Page size of the listings (100: accepted by every listing here; the searches' largest). */
const PAGE_SIZE = 100;

function toObject(e: z.infer<typeof Entity>): OrgObject {
  const o: OrgObject = { id: e.id, name: e.name };
  if (e.division) o.division = { id: e.division.id, ...(e.division.name ? { name: e.division.name } : {}) };
  if (e.category !== undefined) o.category = e.category;
  if (e.secure !== undefined) o.secure = e.secure;
  if (e.schema?.properties) o.columns = Object.keys(e.schema.properties);
  if (e.resources)
    o.languages = e.resources
      .filter((r) => r.language && (r.mediaUri || r.ttsString || r.uploadStatus === 'transcoded'))
      .map((r) => r.language!.toLowerCase());
  return o;
}

/** Org-object calls. */
export function orgObjectCalls(request: RequestFn) {
  /** One page of a kind: its objects and the page count. */
  const page = async (kind: OrgObjectKind, pageNumber: number, signal?: AbortSignal) => {
    const e = ORG_OBJECT_ENDPOINTS[kind];
    if (e.method === 'POST') {
      // Every active one; the search's criteria are required to select anything (EXACT on state).
      const { data } = await request('POST', e.path, {
        body: {
          pageSize: PAGE_SIZE,
          pageNumber,
          query: [{ type: 'EXACT', fields: ['state'], values: ['active'] }],
        },
        schema: SearchPage,
        idempotent: true, // a search changes nothing
        ...(signal ? { signal } : {}),
      });
      return { entities: data.results ?? [], pageCount: data.pageCount ?? 1 };
    }
    const { data } = await request('GET', e.path, {
      query: { ...e.query, pageSize: PAGE_SIZE, pageNumber },
      schema: Listing,
      ...(signal ? { signal } : {}),
    });
    return { entities: data.entities ?? [], pageCount: data.pageCount ?? 1 };
  };
  return {
    /** Every object of one kind, page by page. */
    async list(kind: OrgObjectKind, signal?: AbortSignal): Promise<OrgObject[]> {
      const out: OrgObject[] = [];
      for (let n = 1; ; n++) {
        const { entities, pageCount } = await page(kind, n, signal);
        for (const e of entities) out.push(toObject(e));
        if (n >= pageCount || entities.length === 0) return out;
      }
    },
  };
}
