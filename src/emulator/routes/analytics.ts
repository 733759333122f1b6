/** Flow aggregates over the simulated traffic (docs/platform-api.md#flow-analytics). */
import { flowAggregates } from '../traffic.js';
import { ANY, jsonBody, type RouteContext } from './context.js';

/** Registers the analytics operations. */
export function analyticsRoutes({ api, org }: RouteContext): void {
  api('POST', '/api/v2/analytics/flows/aggregates/query', ANY('analytics:flowAggregate:view'), async (c) =>
    c.json(flowAggregates(org.state, await jsonBody(c), org.now())),
  );
  const jobs = org.aggregateJobs;
  const VIEW = ANY('analytics:flowAggregate:view');
  api('POST', '/api/v2/analytics/flows/aggregates/jobs', VIEW, async (c) =>
    c.json({ jobId: jobs.submit(await jsonBody(c)).id }),
  );
  api('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}', VIEW, (c) =>
    c.json(jobs.status(jobs.get(c.req.param('jobId')))),
  );
  // No `pageSize` here: it is the job body's (the operation takes only `cursor`, docs/platform-api.md#aggregate-jobs).
  api('GET', '/api/v2/analytics/flows/aggregates/jobs/{jobId}/results', VIEW, (c) =>
    c.json(jobs.page(jobs.get(c.req.param('jobId')), c.req.query('cursor'))),
  );
  api('DELETE', '/api/v2/analytics/flows/aggregates/jobs/{jobId}', VIEW, (c) => {
    jobs.cancel(jobs.get(c.req.param('jobId')));
    return c.body(null, 204);
  });
}
