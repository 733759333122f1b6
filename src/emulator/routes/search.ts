/**
 * The search endpoints' request and page (`UserSearchRequest`/`GroupSearchRequest` →
 * `UsersSearchResponse`/`GroupsSearchResponse`, purecloud-platform-client-v2 index.d.ts):
 * `query` is a list of criteria that all must hold, each of a `type` over `fields` with a `value`
 * or `values`; `pageSize`/`pageNumber` in the body.
 */
import { EmulatorHttpError } from '../errors.js';
import { pageRequest } from './pagination.js';

/** The criterion types the emulator evaluates (the SDK's `UserSearchCriteria.type`). */
const TYPES = ['EXACT', 'CONTAINS', 'STARTS_WITH', 'MATCH_ALL'] as const;

interface Criterion {
  type: string;
  fields: string[];
  values: string[];
}

function criteria(body: Record<string, unknown>): Criterion[] {
  const query = body.query ?? [];
  if (!Array.isArray(query))
    throw new EmulatorHttpError(400, 'invalid.value', [JSON.stringify(query), 'query', 'a list']);
  return query.map((q: unknown) => {
    const c = (typeof q === 'object' && q !== null ? q : {}) as Record<string, unknown>;
    const type = typeof c.type === 'string' ? c.type : '';
    if (!(TYPES as readonly string[]).includes(type))
      throw new EmulatorHttpError(400, 'invalid.value', [type, 'type', TYPES.join(', ')]);
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
    const values = typeof c.value === 'string' ? [c.value] : strings(c.values);
    const fields = strings(c.fields);
    return { type, fields, values };
  });
}

function holds(c: Criterion, entity: Record<string, unknown>): boolean {
  if (c.type === 'MATCH_ALL') return true;
  return c.fields.some((f) => {
    const v = entity[f];
    if (typeof v !== 'string') return false;
    const s = v.toLowerCase();
    return c.values.some((want) => {
      const w = want.toLowerCase();
      return c.type === 'EXACT' ? s === w : c.type === 'CONTAINS' ? s.includes(w) : s.startsWith(w);
    });
  });
}

/** One page of the entities (of search type `type`: `users`, `groups`) the body's criteria select (page size 1 to 100, UNCONFIRMED). */
export function searchPage(
  body: Record<string, unknown>,
  all: Array<Record<string, unknown>>,
  type: string,
): Record<string, unknown> {
  const { pageSize, pageNumber } = pageRequest(body, 25, 100);
  const found = all.filter((e) => criteria(body).every((c) => holds(c, e)));
  const pageCount = Math.max(1, Math.ceil(found.length / pageSize));
  const out: Record<string, unknown> = {
    total: found.length,
    pageCount,
    pageSize,
    pageNumber,
    types: [type],
    results: found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
  };
  if (pageNumber < pageCount) out.nextPage = String(pageNumber + 1);
  return out;
}
