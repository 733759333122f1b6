/** Flow aggregates (docs/platform-api.md#aggregate-query, docs/platform-api.md#aggregate-response): `POST /api/v2/analytics/flows/aggregates/query`. */
import { idSegment } from './ids.js';
import { FlowgateError } from '../../errors.js';
import { pollUntil, type PollOptions } from '../poll.js';
import type { RequestFn } from '../request.js';
import {
  AsyncQueryResponseSchema,
  AsyncQueryStatusSchema,
  FlowAggregateResponseSchema,
  FlowAsyncAggregatePageSchema,
  type FlowAggregateResponse,
} from '../schemas.js';

/** A `FlowAggregationQuery`. */
export interface FlowAggregationQuery {
  /** ISO-8601 interval `start/end`. */
  interval: string;
  /** ISO-8601 period such as `PT1H`; default: the whole interval. */
  granularity?: string;
  timeZone?: string;
  groupBy?: string[];
  filter?: {
    type: 'and' | 'or';
    predicates?: Array<{
      type?: 'dimension' | 'property' | 'metric';
      dimension?: string;
      operator?: 'matches' | 'exists' | 'notExists';
      value?: string;
    }>;
    clauses?: Array<{
      type: 'and' | 'or';
      predicates: Array<{ type?: string; dimension?: string; operator?: string; value?: string }>;
    }>;
  };
  metrics: string[];
}

/** Analytics calls. */
export function analyticsCalls(request: RequestFn) {
  return {
    /** Runs a flow aggregates query (a read: POST is only how the query is sent). */
    async flowAggregates(query: FlowAggregationQuery): Promise<FlowAggregateResponse> {
      return (
        await request('POST', '/api/v2/analytics/flows/aggregates/query', {
          body: query,
          schema: FlowAggregateResponseSchema,
          idempotent: true,
        })
      ).data;
    },

    /**
     * The same query as an asynchronous job, for large ranges (docs/platform-api.md#aggregate-jobs): submit, poll until
     * FULFILLED, then read every page by cursor. Resolves with all the results. The page size
     * goes in the job's body (`FlowAsyncAggregationQuery.pageSize`); the results call takes only
     * the cursor (`getAnalyticsFlowsAggregatesJobResults` in the SDK's `index.d.ts`).
     */
    async flowAggregatesJob(
      query: FlowAggregationQuery,
      options: PollOptions & { pageSize?: number } = {},
    ): Promise<FlowAggregateResponse> {
      const { jobId } = (
        await request('POST', '/api/v2/analytics/flows/aggregates/jobs', {
          body: { ...query, pageSize: options.pageSize ?? 1000 },
          schema: AsyncQueryResponseSchema,
          idempotent: true,
        })
      ).data;
      const path = `/api/v2/analytics/flows/aggregates/jobs/${idSegment('aggregate job', jobId)}`;
      const state = await pollUntil(
        async () => {
          const s = (await request('GET', path, { schema: AsyncQueryStatusSchema })).data;
          return s.state === 'QUEUED' || s.state === 'PENDING' ? undefined : s;
        },
        options,
        600_000,
        () =>
          new FlowgateError('AUDIT_TIMEOUT', `aggregate job ${jobId} did not finish in time`, {
            hint: 'Narrow the interval.',
          }),
      );
      if (state.state !== 'FULFILLED')
        throw new FlowgateError(
          'AUDIT_FAILED',
          `aggregate job ${jobId} ended ${state.state}${state.errorMessage ? `: ${state.errorMessage}` : ''}`,
          {
            hint: 'Retry, or narrow the interval.',
          },
        );
      const results: NonNullable<FlowAggregateResponse['results']> = [];
      let cursor: string | undefined;
      do {
        const { data } = await request('GET', `${path}/results`, {
          query: { cursor },
          schema: FlowAsyncAggregatePageSchema,
        });
        results.push(...(data.results ?? []));
        cursor = data.cursor ?? undefined;
      } while (cursor);
      return { results };
    },
  };
}
