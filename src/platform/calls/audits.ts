/**
 * Platform audits (docs/platform-api.md#audits): an asynchronous query (submit, poll, page the results by cursor, at
 * most 500 a page) and the synchronous realtime query (14 days).
 */
import { idSegment } from './ids.js';
import { FlowgateError } from '../../errors.js';
import { pollUntil, type PollOptions } from '../poll.js';
import type { RequestFn } from '../request.js';
import {
  AuditQueryStatusSchema,
  AuditRealtimeSchema,
  AuditResultsSchema,
  type AuditLogMessage,
} from '../schemas.js';

/** An `AuditQueryRequest`. */
export interface AuditQuery {
  interval: string;
  serviceName: string;
  filters?: Array<{
    property: 'UserId' | 'TrusteeOrganizationId' | 'ClientId' | 'Action' | 'EntityType' | 'EntityId';
    value: string;
  }>;
  sort?: Array<{ name: 'Timestamp'; sortOrder: 'ascending' | 'descending' }>;
}

/** Audit calls. */
export function auditCalls(request: RequestFn) {
  return {
    /** Submits, polls and pages an asynchronous audit query; returns every entry. */
    async query(
      q: AuditQuery,
      options: PollOptions & { pageSize?: number } = {},
    ): Promise<AuditLogMessage[]> {
      const submitted = await request('POST', '/api/v2/audits/query', {
        body: q,
        schema: AuditQueryStatusSchema,
        idempotent: true,
      });
      const id = submitted.data.id;
      const state =
        submitted.data.state === 'Queued' || submitted.data.state === 'Running'
          ? await pollUntil(
              async () => {
                const s = (
                  await request('GET', `/api/v2/audits/query/${idSegment('audit query', id)}`, {
                    schema: AuditQueryStatusSchema,
                  })
                ).data.state;
                return s === 'Queued' || s === 'Running' ? undefined : s;
              },
              options,
              120_000,
              () =>
                new FlowgateError('AUDIT_TIMEOUT', `audit query ${id} did not finish in time`, {
                  hint: 'Narrow the interval.',
                }),
            )
          : submitted.data.state;
      if (state !== 'Succeeded')
        throw new FlowgateError('AUDIT_FAILED', `audit query ${id} ended ${state}`, {
          hint: 'Retry, or narrow the interval.',
        });
      const out: AuditLogMessage[] = [];
      let cursor: string | undefined;
      do {
        const { data } = await request(
          'GET',
          `/api/v2/audits/query/${idSegment('audit query', id)}/results`,
          {
            // "The maximum page size is 500" (docs/platform-api.md#audit-queries).
            query: { pageSize: Math.min(options.pageSize ?? 500, 500), cursor },
            schema: AuditResultsSchema,
          },
        );
        out.push(...(data.entities ?? []));
        cursor = data.cursor ?? undefined;
      } while (cursor);
      return out;
    },

    /** The synchronous realtime query (only 14 days for some services). */
    async realtime(q: AuditQuery & { pageNumber?: number; pageSize?: number }): Promise<AuditLogMessage[]> {
      return (
        (
          await request('POST', '/api/v2/audits/query/realtime', {
            body: q,
            schema: AuditRealtimeSchema,
            idempotent: true,
          })
        ).data.entities ?? []
      );
    },
  };
}
