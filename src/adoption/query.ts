/**
 * Per-version counts of one flow from the flow aggregates (docs/platform-api.md#flow-analytics: `groupBy: [flowId,
 * flowVersion, exitReason]`, metrics `nFlow`, `nFlowOutcome`, `nFlowOutcomeFailed`, `tFlow`,
 * `tFlowDisconnect`): one query gives every health signal, the exit reasons' groups summed back
 * into one bucket per version and interval. Long ranges are
 * split into queries of at most 31 days (those above a week as asynchronous jobs) (the emulator's limit, which mirrors the interval cap of
 * Genesys analytics queries; not documented for flow aggregates, docs/platform-api.md#aggregate-query, so flowgate stays under it), each
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
  /** Executions that ended in a disconnect inside the flow (`tFlowDisconnect`'s count). */
  disconnects: number;
  /** Executions per exit reason (`exitReason`); those the platform gave no reason are not in it. */
  exitReasons: Record<string, number>;
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
      groupBy: ['flowId', 'flowVersion', 'exitReason'],
      filter: {
        type: 'and',
        predicates: [{ type: 'dimension', dimension: 'flowId', operator: 'matches', value: flowId }],
      },
      metrics: ['nFlow', 'nFlowOutcome', 'nFlowOutcomeFailed', 'tFlow', 'tFlowDisconnect'],
    };
    // Large ranges go through the asynchronous jobs, which page their results (docs/platform-api.md#aggregate-jobs).
    const res =
      end - start > ASYNC_ABOVE_MS
        ? await client.analytics.flowAggregatesJob(query, poll ?? {})
        : await client.analytics.flowAggregates(query);
    const merged = new Map<string, VersionBucket>();
    for (const group of res.results ?? []) {
      const version = group.group?.flowVersion;
      if (group.group?.flowId !== flowId || version === undefined) continue;
      for (const d of group.data ?? []) addGroupData(merged, version, group.group.exitReason, d);
    }
    buckets.push(...merged.values());
  }
  return { buckets, requests };
}

type DataPoint = NonNullable<
  NonNullable<Awaited<ReturnType<PlatformClient['analytics']['flowAggregates']>>['results']>[number]['data']
>[number];

/** Adds one exit reason's figures of one interval to its version's bucket. */
function addGroupData(
  merged: Map<string, VersionBucket>,
  version: string,
  exitReason: string | undefined,
  d: DataPoint,
): void {
  const stat = (metric: string) => d.metrics.find((m) => m.metric === metric)?.stats ?? {};
  const start = Date.parse(d.interval.split('/')[0]!);
  const key = `${version}\u0000${start}`;
  let b = merged.get(key);
  if (!b) {
    b = {
      version,
      start,
      executions: 0,
      disconnects: 0,
      exitReasons: {},
      outcomes: 0,
      failed: 0,
      tFlowSum: 0,
      tFlowCount: 0,
    };
    merged.set(key, b);
  }
  const executions = stat('nFlow').count ?? 0;
  b.executions += executions;
  if (exitReason) b.exitReasons[exitReason] = (b.exitReasons[exitReason] ?? 0) + executions;
  b.disconnects += stat('tFlowDisconnect').count ?? 0;
  b.outcomes += stat('nFlowOutcome').count ?? 0;
  b.failed += stat('nFlowOutcomeFailed').count ?? 0;
  b.tFlowSum += stat('tFlow').sum ?? 0;
  b.tFlowCount += stat('tFlow').count ?? 0;
}
