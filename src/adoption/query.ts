/**
 * Per-version counts of one flow from the flow aggregates (API.md §3: `groupBy: [flowId,
 * flowVersion]`, metrics `nFlow`, `nFlowOutcome`, `nFlowOutcomeFailed`, `tFlow`). Long ranges are
 * split into queries of at most 31 days (those above a week as asynchronous jobs) (the emulator's limit, which mirrors the interval cap of
 * Genesys analytics queries; API.md does not document one, so flowgate stays under it), each
 * through the client's shared limiter.
 */
import type { PlatformClient } from '../platform/client.js';
import type { FlowAggregationQuery } from '../platform/calls/analytics.js';
import type { PollOptions } from '../platform/poll.js';

/** One bucket of one version. */
export interface VersionBucket {
  version: string;
  /** Bucket start, epoch ms. */
  start: number;
  executions: number;
  outcomes: number;
  failed: number;
  tFlowSum: number;
  tFlowCount: number;
}

const MAX_QUERY_MS = 31 * 24 * 3_600_000;
/** Ranges longer than a week are queried as asynchronous jobs. */
const ASYNC_ABOVE_MS = 7 * 24 * 3_600_000;

/** ISO-8601 duration → ms (PT5M, PT1H, P1D). */
export function durationMs(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  const ms = m
    ? ((+(m[1] ?? 0) * 24 + +(m[2] ?? 0)) * 60 + +(m[3] ?? 0)) * 60_000 + +(m[4] ?? 0) * 1000
    : NaN;
  if (!(ms > 0)) throw new RangeError(`'${text}' is not an ISO-8601 duration such as PT5M`);
  return ms;
}

/** Every bucket of a flow between `from` and `to`, per version; `requests` counts the queries sent. */
export async function versionBuckets(
  client: PlatformClient,
  flowId: string,
  from: number,
  to: number,
  granularity: string,
  poll?: PollOptions,
): Promise<{ buckets: VersionBucket[]; requests: number }> {
  const step = durationMs(granularity);
  // Chunks are whole multiples of the granularity, so buckets line up across them.
  const chunk = Math.max(step, Math.floor(MAX_QUERY_MS / step) * step);
  const buckets: VersionBucket[] = [];
  let requests = 0;
  for (let start = from; start < to; start += chunk) {
    const end = Math.min(to, start + chunk);
    requests++;
    const query: FlowAggregationQuery = {
      interval: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`,
      granularity,
      groupBy: ['flowId', 'flowVersion'],
      filter: {
        type: 'and',
        predicates: [{ type: 'dimension', dimension: 'flowId', operator: 'matches', value: flowId }],
      },
      metrics: ['nFlow', 'nFlowOutcome', 'nFlowOutcomeFailed', 'tFlow'],
    };
    // Large ranges go through the asynchronous jobs, which page their results (API.md §3.1).
    const res =
      end - start > ASYNC_ABOVE_MS
        ? await client.analytics.flowAggregatesJob(query, poll ?? {})
        : await client.analytics.flowAggregates(query);
    for (const group of res.results ?? []) {
      const version = group.group?.flowVersion;
      if (group.group?.flowId !== flowId || version === undefined) continue;
      for (const d of group.data ?? []) {
        const stat = (metric: string) => d.metrics.find((m) => m.metric === metric)?.stats ?? {};
        buckets.push({
          version,
          start: Date.parse(d.interval.split('/')[0]!),
          executions: stat('nFlow').count ?? 0,
          outcomes: stat('nFlowOutcome').count ?? 0,
          failed: stat('nFlowOutcomeFailed').count ?? 0,
          tFlowSum: stat('tFlow').sum ?? 0,
          tFlowCount: stat('tFlow').count ?? 0,
        });
      }
    }
  }
  return { buckets, requests };
}
