/**
 * Adoption of a flow's new version: the share of executions on it per interval and overall since
 * it was published, volumes before and after over windows of the same length, and per version the
 * outcome failure rate (`nFlowOutcomeFailed / nFlowOutcome`, Wilson interval) and the mean time in
 * flow (`tFlow`, normal interval), plus the health gate's verdict.
 */
import type { PlatformClient } from '../platform/client.js';
import type { PollOptions } from '../platform/poll.js';
import { versionBuckets, durationMs, type VersionBucket } from './query.js';
import {
  DEFAULT_RULE,
  healthVerdict,
  meanWithInterval,
  wilson,
  type GateRule,
  type Mean,
  type Rate,
  type Verdict,
} from './stats.js';

/** Per-version figures. */
export interface VersionFigures {
  version: string;
  executions: number;
  failureRate: Rate;
  meanTimeInFlowMs: Mean;
}

/** The adoption report of one flow. */
export interface AdoptionReport {
  flowId: string;
  flowName: string;
  newVersion: string;
  previousVersion?: string | undefined;
  publishedAt: string;
  until: string;
  granularity: string;
  /** Share of executions on the new version per interval since publishing. */
  share: Array<{ start: string; newVersion: number; total: number; share: number | null }>;
  overallShare: Rate;
  volumes: { before: number; after: number; windowMs: number };
  versions: VersionFigures[];
  verdict: Verdict;
  requests: number;
}

/** Options of {@link adoptionReport}. */
export interface AdoptionOptions {
  /** The new version (default: the published one). */
  version?: string;
  /** Start instead of the version's `datePublished`. */
  since?: number;
  until?: number;
  /** @default PT5M */
  granularity?: string;
  rule?: GateRule;
  now?: () => number;
  /** Polling of asynchronous aggregate jobs (large ranges). */
  poll?: PollOptions;
}

/** Builds the adoption report of a flow from the platform. */
export async function adoptionReport(
  client: PlatformClient,
  flowId: string,
  o: AdoptionOptions = {},
): Promise<AdoptionReport> {
  const flow = await client.flows.get(flowId);
  const versions = await client.flows.versions(flowId);
  const newVersion = o.version ?? flow.publishedVersion?.id;
  const meta = versions.find((v) => v.id === newVersion);
  if (!newVersion || !meta?.datePublished)
    throw new RangeError(`flow ${flow.name} has no published version${o.version ? ` ${o.version}` : ''}`);
  const published = Date.parse(meta.datePublished);
  // The version published just before it: the one whose publication ended when this one began.
  const previous = versions
    .filter((v) => v.id !== newVersion && v.datePublished && Date.parse(v.datePublished) < published)
    .sort((a, b) => Date.parse(b.datePublished!) - Date.parse(a.datePublished!))[0]?.id;
  const granularity = o.granularity ?? 'PT5M';
  const step = durationMs(granularity);
  const since = o.since ?? published;
  const until = o.until ?? (o.now ?? Date.now)();
  // A comparable window before the publish, of the same length (aligned to the granularity).
  const window = Math.max(step, Math.ceil((until - since) / step) * step);
  const from = since - window;
  const { buckets, requests } = await versionBuckets(client, flowId, from, until, granularity, o.poll);
  const after = buckets.filter((b) => b.start >= since);
  const before = buckets.filter((b) => b.start < since);

  const byStart = new Map<number, { newVersion: number; total: number }>();
  for (const b of after) {
    const e = byStart.get(b.start) ?? { newVersion: 0, total: 0 };
    e.total += b.executions;
    if (b.version === newVersion) e.newVersion += b.executions;
    byStart.set(b.start, e);
  }
  const share = [...byStart.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, e]) => ({
      start: new Date(start).toISOString(),
      ...e,
      share: e.total ? e.newVersion / e.total : null,
    }));
  const sum = (list: VersionBucket[], f: (b: VersionBucket) => number) => list.reduce((n, b) => n + f(b), 0);
  const onNew = sum(
    after.filter((b) => b.version === newVersion),
    (b) => b.executions,
  );
  const figures = (version: string, list: VersionBucket[]): VersionFigures => {
    const mine = list.filter((b) => b.version === version);
    return {
      version,
      executions: sum(mine, (b) => b.executions),
      failureRate: wilson(
        sum(mine, (b) => b.failed),
        sum(mine, (b) => b.outcomes),
      ),
      meanTimeInFlowMs: meanWithInterval(mine.map((b) => ({ sum: b.tFlowSum, count: b.tFlowCount }))),
    };
  };
  const newFigures = figures(newVersion, after);
  // The previous version's figures come from the window before the publish (its steady state).
  const oldFigures = previous ? figures(previous, before) : undefined;
  const verdict = oldFigures
    ? healthVerdict(
        { failed: newFigures.failureRate.successes, total: newFigures.failureRate.trials },
        { failed: oldFigures.failureRate.successes, total: oldFigures.failureRate.trials },
        o.rule ?? DEFAULT_RULE,
      )
    : {
        verdict: 'insufficient' as const,
        z: null,
        critical: NaN,
        reason: 'no previous version to compare with',
      };
  return {
    flowId,
    flowName: flow.name,
    newVersion,
    previousVersion: previous,
    publishedAt: new Date(published).toISOString(),
    until: new Date(until).toISOString(),
    granularity,
    share,
    overallShare: wilson(
      onNew,
      sum(after, (b) => b.executions),
    ),
    volumes: {
      before: sum(before, (b) => b.executions),
      after: sum(after, (b) => b.executions),
      windowMs: window,
    },
    versions: oldFigures ? [newFigures, oldFigures] : [newFigures],
    verdict,
    requests,
  };
}
