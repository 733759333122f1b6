/** Flow aggregates over the simulated traffic (API.md §3). */
import { flowAggregates } from '../traffic.js';
import { ANY, jsonBody, type RouteContext } from './context.js';

/** Registers the analytics operations. */
export function analyticsRoutes({ api, org }: RouteContext): void {
  api('POST', '/api/v2/analytics/flows/aggregates/query', ANY('analytics:flowAggregate:view'), async (c) =>
    c.json(flowAggregates(org.state, await jsonBody(c), org.now())),
  );
}
