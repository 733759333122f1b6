/**
 * Simulated flow executions and the flow aggregates query (docs/platform-api.md#aggregate-query, docs/platform-api.md#aggregate-response).
 * Executions are a pure function of (seed, flow, minute): for each minute a Poisson number of
 * executions arrives at the flow's rate; each runs on the version published when it started (a
 * call already in the flow finishes there), lasts 5 to 180 s (times the version's time scale),
 * ends with an exit reason drawn from the version's mix (`flow-behaviour.ts`), and records one
 * outcome, failed with the version's probability, only when the version's configuration sets
 * outcomes. An execution is counted in the interval in which it ends, when its time in flow, its
 * exit and its outcome are known, so after a publish the share of the new version climbs over the
 * calls' duration instead of jumping to 100 %. Deterministic, and nothing is stored: a query
 * regenerates the minutes it covers.
 */
import { isDisconnect } from '../exit-reasons.js';
import { OrgRuleError } from './errors.js';
import { parseInterval } from './audit-queries.js';
import { exitMixOf, exitReasonOf, MAX_TIME_SCALE, setsOutcomes } from './flow-behaviour.js';
import { hash32, mulberry32, poisson } from './random.js';
import type { EmFlow, EmulatorState, EmVersion } from './types.js';

const MINUTE = 60_000;
/** Executions last 5 s to this long (uniform) at the usual time scale. */
const SHORTEST_MS = 5_000;
const LONGEST_MS = 180_000;
/** An execution that started this long ago may still end now (the longest at the largest scale). */
const LOOKBACK_MS = SHORTEST_MS + (LONGEST_MS - SHORTEST_MS) * MAX_TIME_SCALE;
const MAX_INTERVAL_MS = 31 * 24 * 3_600_000;
const SUPPORTED_GROUPS = new Set(['flowId', 'flowVersion', 'flowType', 'flowName', 'exitReason']);
const METRICS = [
  'nFlow',
  'nFlowMilestone',
  'nFlowOutcome',
  'nFlowOutcomeFailed',
  'oFlowMilestone',
  'tFlow',
  'tFlowDisconnect',
  'tFlowExit',
  'tFlowOutcome',
];

/** One simulated execution. */
export interface Execution {
  flow: EmFlow;
  version: string;
  start: number;
  /** When it ends: the moment it is counted. */
  end: number;
  durationMs: number;
  /** How it ended (`exitReason`). */
  exitReason: string;
  /** Whether it recorded an outcome (its version's configuration sets outcomes). */
  outcome: boolean;
  /** A failed outcome (never without an outcome). */
  failed: boolean;
}

function versionAt(flow: EmFlow, t: number): string | undefined {
  for (let i = flow.publications.length - 1; i >= 0; i--) {
    const p = flow.publications[i]!;
    if (p.start <= t && (p.end === undefined || t < p.end)) return p.versionId;
  }
  return undefined;
}

/** What the executions of one version do, looked up once per query. */
interface VersionBehaviour {
  failureProbability: number;
  outcomes: boolean;
  mix: Record<string, number>;
  timeScale: number;
}

function behaviourOf(flow: EmFlow, versionId: string): VersionBehaviour {
  const v: EmVersion | undefined = flow.versions.find((x) => x.id === versionId);
  return {
    failureProbability: v?.failureProbability ?? flow.failureProbability,
    outcomes: setsOutcomes(v),
    mix: exitMixOf(flow, v),
    timeScale: v?.timeInFlowScale ?? 1,
  };
}

/** Calls `visit` for every execution that ended in [from, to) and before `now`. */
export function forEachExecution(
  state: EmulatorState,
  flows: readonly EmFlow[],
  from: number,
  to: number,
  now: number,
  visit: (e: Execution) => void,
): void {
  const end = Math.min(to, now);
  for (const flow of flows) {
    if (flow.arrivalsPerMinute <= 0 || flow.publications.length === 0) continue;
    const firstPub = flow.publications[0]!.start;
    const behaviours = new Map<string, VersionBehaviour>();
    const behaviour = (v: string) => {
      let b = behaviours.get(v);
      if (!b) behaviours.set(v, (b = behaviourOf(flow, v)));
      return b;
    };
    // Minutes whose executions can end inside the range: from the longest duration before it on.
    const firstMinute = Math.floor(Math.max(from - LOOKBACK_MS, firstPub) / MINUTE);
    for (let m = firstMinute; m * MINUTE < end; m++) {
      // The draws of a minute are the same whatever the range asked: the same executions every time.
      const rng = mulberry32(hash32(`${state.settings.randomSeed}:${flow.id}:${m}`));
      // Exit reasons draw from a stream of their own, so the arrivals, durations and outcomes of
      // every seed stay what they were before exits were simulated.
      const exitRng = mulberry32(hash32(`${state.settings.randomSeed}:${flow.id}:${m}:exit`));
      const n = poisson(flow.arrivalsPerMinute, rng);
      for (let k = 0; k < n; k++) {
        const start = m * MINUTE + Math.floor(rng() * MINUTE);
        const u = rng();
        const spread = rng();
        const x = exitRng();
        const version = versionAt(flow, start);
        if (version === undefined) continue;
        const b = behaviour(version);
        const durationMs = SHORTEST_MS + Math.floor(spread * (LONGEST_MS - SHORTEST_MS) * b.timeScale);
        const finish = start + durationMs;
        if (finish < from || finish >= end) continue;
        visit({
          flow,
          version,
          start,
          end: finish,
          durationMs,
          exitReason: exitReasonOf(b.mix, x, flow.type),
          outcome: b.outcomes,
          failed: b.outcomes && u < b.failureProbability,
        });
      }
    }
  }
}

/** Parses an ISO-8601 duration such as `PT1H`, `P1D`, `PT15M`, `P1W` into ms. */
export function parseDuration(text: string): number {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T'))
    throw new OrgRuleError('invalid', 'invalid.value', [
      text,
      'granularity',
      'an ISO-8601 period such as PT1H or P1D',
    ]);
  const [, w, d, h, min, s] = m.map((x) => Number(x ?? 0));
  const ms = ((((w ?? 0) * 7 + (d ?? 0)) * 24 + (h ?? 0)) * 60 + (min ?? 0)) * 60_000 + (s ?? 0) * 1000;
  if (ms <= 0) throw new OrgRuleError('invalid', 'invalid.value', [text, 'granularity', 'a positive period']);
  return ms;
}

type Predicate = { type?: string; dimension?: string; operator?: string; value?: string };
type Filter = { type?: string; predicates?: Predicate[]; clauses?: Filter[] };

function dimension(e: Execution, dim: string): string | undefined {
  switch (dim) {
    case 'flowId':
      return e.flow.id;
    case 'flowVersion':
      return e.version;
    case 'flowType':
      return e.flow.type;
    case 'flowName':
      return e.flow.name;
    case 'exitReason':
      return e.exitReason;
    default:
      return undefined;
  }
}

/**
 * The flows a filter can match: an `and` filter with a `flowId` predicate names them, so only those
 * flows' traffic is generated (the result is the same; a query about one flow of a large org stays
 * cheap).
 */
function candidateFlows(flows: readonly EmFlow[], f: Filter | undefined): readonly EmFlow[] {
  if (!f || (f.type ?? 'and') !== 'and') return flows;
  const ids = (f.predicates ?? [])
    .filter(
      (p) => p.dimension === 'flowId' && (p.operator ?? 'matches') === 'matches' && p.value !== undefined,
    )
    .map((p) => p.value!);
  if (ids.length === 0) return flows;
  return flows.filter((fl) => ids.every((id) => id === fl.id));
}

function matches(e: Execution, f: Filter | undefined): boolean {
  if (!f) return true;
  const results: boolean[] = [];
  for (const p of f.predicates ?? []) {
    const v = dimension(e, p.dimension ?? '');
    const op = p.operator ?? 'matches';
    results.push(op === 'exists' ? v !== undefined : op === 'notExists' ? v === undefined : v === p.value);
  }
  for (const c of f.clauses ?? []) results.push(matches(e, c));
  if (results.length === 0) return true;
  return f.type === 'or' ? results.some(Boolean) : results.every(Boolean);
}

/** Answers `POST /api/v2/analytics/flows/aggregates/query`. */
export function flowAggregates(
  state: EmulatorState,
  body: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  if (typeof body.interval !== 'string')
    throw new OrgRuleError('invalid', 'bad.request', [], { message: 'interval is required' });
  const metrics = Array.isArray(body.metrics) ? (body.metrics as unknown[]).map(String) : [];
  if (metrics.length === 0)
    throw new OrgRuleError('invalid', 'bad.request', [], { message: 'metrics is required' });
  for (const m of metrics)
    if (!METRICS.includes(m))
      throw new OrgRuleError('invalid', 'invalid.value', [m, 'metrics', METRICS.join(', ')]);
  const [from, to] = parseInterval(body.interval);
  if (to - from > MAX_INTERVAL_MS)
    throw new OrgRuleError('invalid', 'bad.request', [], {
      message: 'The interval must not exceed 31 days.',
    });
  const granularity = typeof body.granularity === 'string' ? parseDuration(body.granularity) : to - from;
  if ((to - from) / granularity > 10_000)
    throw new OrgRuleError('invalid', 'bad.request', [], {
      message: 'Too many buckets: use a coarser granularity.',
    });
  const groupBy = Array.isArray(body.groupBy)
    ? (body.groupBy as unknown[]).map(String).filter((g) => SUPPORTED_GROUPS.has(g))
    : [];
  const filter = body.filter as Filter | undefined;

  const groups = new Map<string, { group: Record<string, string>; buckets: Map<number, Cell> }>();
  forEachExecution(state, candidateFlows(state.flows, filter), from, to, now, (e) => {
    if (!matches(e, filter)) return;
    const group: Record<string, string> = {};
    for (const g of groupBy) group[g] = dimension(e, g) ?? '';
    const key = groupBy.map((g) => group[g]).join('\u0000');
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { group, buckets: new Map() }));
    const b = Math.floor((e.end - from) / granularity);
    let cell = entry.buckets.get(b);
    if (!cell) entry.buckets.set(b, (cell = newCell()));
    addToCell(cell, e);
  });
  const results = [...groups.values()].map(({ group, buckets }) => ({
    group,
    data: [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([b, cell]) => {
        const start = from + b * granularity;
        const end = Math.min(to, start + granularity);
        return {
          interval: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`,
          metrics: cellMetrics(cell, metrics),
        };
      }),
  }));
  return results.length > 0 ? { results } : {};
}

/** A duration metric's statistics in one bucket. */
interface Durations {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** What one bucket of one group counted. */
interface Cell {
  n: number;
  outcomes: number;
  failed: number;
  tFlow: Durations;
  tFlowDisconnect: Durations;
  tFlowExit: Durations;
  tFlowOutcome: Durations;
}

const noDurations = (): Durations => ({ count: 0, sum: 0, min: Infinity, max: 0 });

function newCell(): Cell {
  return {
    n: 0,
    outcomes: 0,
    failed: 0,
    tFlow: noDurations(),
    tFlowDisconnect: noDurations(),
    tFlowExit: noDurations(),
    tFlowOutcome: noDurations(),
  };
}

function addDuration(d: Durations, ms: number): void {
  d.count++;
  d.sum += ms;
  d.min = Math.min(d.min, ms);
  d.max = Math.max(d.max, ms);
}

/**
 * Counts one execution: every one in `nFlow` and `tFlow`; one that ended in a disconnect in
 * `tFlowDisconnect`, any other in `tFlowExit` (docs/platform-api.md#aggregate-response: time until disconnect / exit); its
 * outcome, when it recorded one, in `nFlowOutcome`, `nFlowOutcomeFailed` and `tFlowOutcome`.
 */
function addToCell(cell: Cell, e: Execution): void {
  cell.n++;
  addDuration(cell.tFlow, e.durationMs);
  addDuration(isDisconnect(e.exitReason) ? cell.tFlowDisconnect : cell.tFlowExit, e.durationMs);
  if (!e.outcome) return;
  cell.outcomes++;
  if (e.failed) cell.failed++;
  addDuration(cell.tFlowOutcome, e.durationMs);
}

/** The metrics asked for, as the API gives them: a metric that counted nothing is left out. */
function cellMetrics(cell: Cell, metrics: readonly string[]) {
  const out: Array<{ metric: string; stats: Record<string, number> }> = [];
  const counts: Record<string, number> = {
    nFlow: cell.n,
    nFlowOutcome: cell.outcomes,
    nFlowOutcomeFailed: cell.failed,
  };
  for (const m of metrics) {
    if (m in counts) {
      if (counts[m]! > 0) out.push({ metric: m, stats: { count: counts[m]! } });
      continue;
    }
    const d =
      m === 'tFlow' || m === 'tFlowDisconnect' || m === 'tFlowExit' || m === 'tFlowOutcome'
        ? cell[m]
        : undefined;
    if (d && d.count > 0)
      out.push({ metric: m, stats: { max: d.max, min: d.min, count: d.count, sum: d.sum } });
  }
  return out;
}
