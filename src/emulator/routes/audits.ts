/** Audit queries, asynchronous and realtime (docs/platform-api.md#audit-queries); the rules live in `audit-queries.ts`. */
import type { EmAuditQuery } from '../audit-queries.js';
import { auditJson } from '../views.js';
import { ALL, jsonBody, type RouteContext } from './context.js';
import { clampedPageSize } from './pagination.js';

/** Registers the audit operations. */
export function auditRoutes({ api, org }: RouteContext): void {
  const queries = org.auditQueries;
  const status = (q: EmAuditQuery) => {
    const out: Record<string, unknown> = {
      id: q.id,
      state: queries.stateOf(q),
      startDate: new Date(q.submittedAt).toISOString(),
      interval: q.request.interval,
      serviceName: q.request.serviceName,
    };
    if (Array.isArray(q.request.filters)) out.filters = q.request.filters;
    if (Array.isArray(q.request.sort)) out.sort = q.request.sort;
    return out;
  };
  api('POST', '/api/v2/audits/query', ALL('audits:audit:view'), async (c) =>
    c.json(status(queries.submit(await jsonBody(c)))),
  );
  api('GET', '/api/v2/audits/query/{transactionId}', ALL('audits:audit:view'), (c) =>
    c.json(status(queries.get(c.req.param('transactionId')))),
  );
  api('GET', '/api/v2/audits/query/{transactionId}/results', ALL('audits:audit:view'), (c) => {
    const q = queries.get(c.req.param('transactionId'));
    const pageSize = clampedPageSize(c.req.query('pageSize'));
    const { page, next } = queries.results(q, c.req.query('cursor'), pageSize);
    const out: Record<string, unknown> = {
      id: q.id,
      pageSize,
      entities: page.map((a) => auditJson(a, org.state)),
    };
    if (next !== undefined) out.cursor = next;
    return c.json(out);
  });
  api('POST', '/api/v2/audits/query/realtime', ALL('audits:audit:view'), async (c) => {
    const body = await jsonBody(c);
    const all = queries.realtime(body);
    const pageSize = clampedPageSize(body.pageSize);
    const pageNumber = Math.max(1, Number(body.pageNumber ?? 1) || 1);
    return c.json({
      entities: all
        .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
        .map((a) => auditJson(a, org.state)),
      pageSize,
      pageNumber,
      total: all.length,
      pageCount: Math.max(1, Math.ceil(all.length / pageSize)),
    });
  });
}
