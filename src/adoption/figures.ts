/**
 * The figures of an adoption report, from per-version buckets: every interval of the window with
 * each version's counts (empty intervals included, so a chart's time axis has no silent gaps), the
 * share on the new version per interval, and per-version totals with their intervals.
 */
import type { VersionBucket } from './query.js';
import { meanWithInterval, wilson, type Mean, type Rate } from './stats.js';

/** One version's counts in one interval. */
export interface IntervalCounts {
  executions: number;
  disconnects: number;
  outcomes: number;
  failed: number;
}

/** One interval of the window (`start`, ISO) and what each version did in it. */
export interface Interval {
  start: string;
  versions: Record<string, IntervalCounts>;
}

/** Per-version figures over a window. */
export interface VersionFigures {
  version: string;
  executions: number;
  /** Executions that ended in a disconnect inside the flow, over all executions. */
  disconnectRate: Rate;
  /** Executions per exit reason. */
  exitReasons: Record<string, number>;
  /** Failed outcomes over outcomes (no data for a flow that sets none). */
  failureRate: Rate;
  meanTimeInFlowMs: Mean;
}

/** The share of executions on the new version in one interval (`null` when there were none). */
export interface ShareSample {
  start: string;
  newVersion: number;
  total: number;
  share: number | null;
}

/** Every interval starting in [from, until), `step` ms apart, with the buckets' counts in it. */
export function intervalsOf(
  buckets: readonly VersionBucket[],
  from: number,
  until: number,
  step: number,
): Interval[] {
  const out: Interval[] = [];
  const index = new Map<number, Interval>();
  for (let t = from; t < until; t += step) {
    const interval: Interval = { start: new Date(t).toISOString(), versions: {} };
    out.push(interval);
    index.set(t, interval);
  }
  for (const b of buckets) {
    const interval = index.get(b.start);
    if (!interval) continue;
    const c = (interval.versions[b.version] ??= { executions: 0, disconnects: 0, outcomes: 0, failed: 0 });
    c.executions += b.executions;
    c.disconnects += b.disconnects;
    c.outcomes += b.outcomes;
    c.failed += b.failed;
  }
  return out;
}

/** The share on `version` per interval. */
export function shareSeries(intervals: readonly Interval[], version: string): ShareSample[] {
  return intervals.map((i) => {
    const counts = Object.values(i.versions);
    const total = counts.reduce((n, c) => n + c.executions, 0);
    const mine = i.versions[version]?.executions ?? 0;
    return { start: i.start, newVersion: mine, total, share: total ? mine / total : null };
  });
}

/** A version's totals over the buckets given, with Wilson intervals and a mean time in flow. */
export function versionFigures(version: string, buckets: readonly VersionBucket[]): VersionFigures {
  const mine = buckets.filter((b) => b.version === version);
  const sum = (f: (b: VersionBucket) => number) => mine.reduce((n, b) => n + f(b), 0);
  const exitReasons: Record<string, number> = {};
  for (const b of mine)
    for (const [reason, n] of Object.entries(b.exitReasons))
      exitReasons[reason] = (exitReasons[reason] ?? 0) + n;
  return {
    version,
    executions: sum((b) => b.executions),
    disconnectRate: wilson(
      sum((b) => b.disconnects),
      sum((b) => b.executions),
    ),
    exitReasons,
    failureRate: wilson(
      sum((b) => b.failed),
      sum((b) => b.outcomes),
    ),
    meanTimeInFlowMs: meanWithInterval(mine.map((b) => ({ sum: b.tFlowSum, count: b.tFlowCount }))),
  };
}

/** Executions in the buckets, of every version. */
export function executionsIn(buckets: readonly VersionBucket[]): number {
  return buckets.reduce((n, b) => n + b.executions, 0);
}
