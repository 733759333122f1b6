/**
 * Adoption of a flow's new version over one window (default: from its publish to the platform's
 * "now"): every figure of the report (the share on the new version per interval and overall, the
 * volume, each version's executions, failure rate and time in flow) covers that window, and the
 * report says which it is. The health verdict compares the new version there with the previous
 * version over the same length of time just before the publish (its steady state), and says so.
 */
import type { PlatformClient } from '../platform/client.js';
import type { PollOptions } from '../platform/poll.js';
import {
  executionsIn,
  intervalsOf,
  shareSeries,
  versionFigures,
  type Interval,
  type ShareSample,
  type VersionFigures,
} from './figures.js';
import { versionBuckets, durationMs, type VersionBucket } from './query.js';
import { DEFAULT_SIGNALS, signalVerdicts, type HealthVerdict, type SignalSettings } from './signals.js';
import { DEFAULT_RULE, wilson, type GateRule, type Rate } from './stats.js';
import type { Clock } from '../shared/time.js';

export type { VersionFigures } from './figures.js';

/** A span of time, ISO-8601 instants, start included and end excluded. */
export interface TimeWindow {
  from: string;
  until: string;
}

/** The adoption report of one flow. */
export interface AdoptionReport {
  flowId: string;
  flowName: string;
  newVersion: string;
  previousVersion?: string | undefined;
  publishedAt: string;
  /**
   * The window every figure covers. `clock` says whose "now" ended it when no `until` was given:
   * the platform's (the `Date` of its answers), the caller's, or this machine's (no `Date` came).
   */
  window: TimeWindow & { clock: 'platform' | 'given' | 'local' };
  /** The end of the window (as `window.until`). */
  until: string;
  granularity: string;
  /** Every interval of the window with each version's executions, outcomes and failed outcomes. */
  intervals: Interval[];
  /** Share of executions on the new version per interval of the window. */
  share: ShareSample[];
  overallShare: Rate;
  /** Executions in the window after the publish, and in the baseline before it (`windowMs` long). */
  volumes: { before: number; after: number; windowMs: number };
  /** Each version that ran in the window (the new one first, then the previous one), over the window. */
  versions: VersionFigures[];
  /** What the verdict compares with: the previous version over the same length just before the publish. */
  baseline?: (TimeWindow & { figures: VersionFigures }) | undefined;
  /** The verdict over every health signal, and each signal's. */
  verdict: HealthVerdict;
  /** What a reader must know: a window without data, an end after the platform's clock. */
  notes: string[];
  requests: number;
}

/** Options of {@link adoptionReport}. */
export interface AdoptionOptions {
  /** The new version (default: the published one). */
  version?: string;
  /** Start instead of the version's `datePublished`. */
  since?: number;
  /** End (default: now, on the platform's clock). */
  until?: number;
  /** @default PT5M */
  granularity?: string;
  /** Confidence, minimum executions and looks (its `margin` is not read: each signal has its own). */
  rule?: GateRule;
  /** The health signals and their margins (default: {@link DEFAULT_SIGNALS}). */
  signals?: SignalSettings;
  /** "Now" (default: the platform's clock, from the `Date` of its answers). */
  now?: Clock;
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
  // The platform's clock, learnt from the answers just received (this machine's may be far off).
  const platformNow = client.serverNow();
  const clock = o.now ? 'given' : platformNow !== undefined ? 'platform' : 'local';
  const now = o.now ? o.now() : (platformNow ?? Date.now());
  const from = o.since ?? published;
  const until = o.until ?? now;
  if (!(until > from))
    throw new RangeError(
      `the window is empty: it ends at ${iso(until)}, not after its start ${iso(from)}${o.since === undefined ? ' (the publish)' : ''}`,
    );
  // The baseline: as long as the window runs after the publish (whole intervals), just before it.
  const afterMs = until - Math.max(from, published);
  const baselineMs = Math.max(step, Math.ceil(Math.max(0, afterMs) / step) * step);
  const baseFrom = published - baselineMs;
  const { window, baseline, requests } = await windowAndBaseline(client, flowId, o.poll, {
    from,
    until,
    baseFrom,
    published,
    step,
    granularity,
  });
  const intervals = intervalsOf(window, from, until, step);
  const afterPublish = window.filter((b) => b.start >= published);
  const newFigures = versionFigures(newVersion, window);
  const others = [...new Set(window.map((b) => b.version))]
    .filter((v) => v !== newVersion && v !== previous)
    .map((v) => versionFigures(v, window))
    .sort((a, b) => b.executions - a.executions);
  const oldFigures = previous ? versionFigures(previous, baseline) : undefined;
  const verdict: HealthVerdict = previous
    ? signalVerdicts(
        window.filter((b) => b.version === newVersion),
        baseline.filter((b) => b.version === previous),
        o.rule ?? DEFAULT_RULE,
        o.signals ?? DEFAULT_SIGNALS,
      )
    : {
        verdict: 'insufficient',
        z: null,
        critical: NaN,
        reason: 'no previous version to compare with',
        signals: [],
        tests: 0,
        skipped: [],
      };
  const total = executionsIn(window);
  const report: AdoptionReport = {
    flowId,
    flowName: flow.name,
    newVersion,
    previousVersion: previous,
    publishedAt: iso(published),
    window: { from: iso(from), until: iso(until), clock },
    until: iso(until),
    granularity,
    intervals,
    share: shareSeries(intervals, newVersion),
    overallShare: wilson(newFigures.executions, total),
    volumes: { before: executionsIn(baseline), after: executionsIn(afterPublish), windowMs: baselineMs },
    versions: [
      newFigures,
      ...(previous ? [versionFigures(previous, window)] : []),
      ...others.filter((f) => f.executions > 0),
    ],
    baseline: oldFigures ? { from: iso(baseFrom), until: iso(published), figures: oldFigures } : undefined,
    verdict,
    notes: [],
    requests,
  };
  report.notes = notesOf(report, now, clock);
  return report;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * The buckets of the window and of the baseline. One query when the baseline's intervals line up
 * with the window's (the default: the window starts at the publish), else one query each.
 */
async function windowAndBaseline(
  client: PlatformClient,
  flowId: string,
  poll: PollOptions | undefined,
  w: { from: number; until: number; baseFrom: number; published: number; step: number; granularity: string },
): Promise<{ window: VersionBucket[]; baseline: VersionBucket[]; requests: number }> {
  const inWindow = (b: VersionBucket) => b.start >= w.from && b.start < w.until;
  const inBaseline = (b: VersionBucket) => b.start >= w.baseFrom && b.start < w.published;
  if ((w.from - w.baseFrom) % w.step === 0 && w.baseFrom <= w.from) {
    const all = await versionBuckets(client, flowId, w.baseFrom, w.until, w.granularity, poll);
    return {
      window: all.buckets.filter(inWindow),
      baseline: all.buckets.filter(inBaseline),
      requests: all.requests,
    };
  }
  const win = await versionBuckets(client, flowId, w.from, w.until, w.granularity, poll);
  const base = await versionBuckets(client, flowId, w.baseFrom, w.published, w.granularity, poll);
  return {
    window: win.buckets.filter(inWindow),
    baseline: base.buckets.filter(inBaseline),
    requests: win.requests + base.requests,
  };
}

/** What the figures alone would not tell: empty windows, an end in the platform's future. */
function notesOf(r: AdoptionReport, now: number, clock: AdoptionReport['window']['clock']): string[] {
  const notes: string[] = [];
  const span = `from ${r.window.from} to ${r.window.until}`;
  const total = r.versions.reduce((n, v) => n + v.executions, 0);
  if (total === 0) notes.push(`no data: no executions of ${r.flowName} ${span}`);
  else if (r.versions[0]!.executions === 0) notes.push(`no data on ${r.newVersion}: no executions ${span}`);
  if (Date.parse(r.window.until) > now)
    notes.push(
      `the window ends after the platform's clock (${new Date(now).toISOString()}): that part has not happened yet`,
    );
  if (r.baseline && r.baseline.figures.executions === 0)
    notes.push(
      `no data before the publish: no executions of ${r.baseline.figures.version} from ${r.baseline.from} to ${r.baseline.until}`,
    );
  if (clock === 'local')
    notes.push('the platform\'s answers carried no Date: "now" is this machine\'s clock');
  return notes;
}
