/** Flow aggregates (API.md §3.2–3.3): `POST /api/v2/analytics/flows/aggregates/query`. */
import type { RequestFn } from '../request.js';
import { FlowAggregateResponseSchema, type FlowAggregateResponse } from '../schemas.js';

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
  };
}
