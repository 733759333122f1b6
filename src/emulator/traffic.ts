/**
 * Simulated flow executions and the flow aggregates query (API.md §3.2–3.3).
 * Executions are a pure function of (seed, flow, minute): for each minute a Poisson number of
 * executions arrives at the flow's rate; each runs on the version published when it started (a
 * call already in the flow finishes there), lasts 5 to 180 s, and ends in a failed outcome with
 * that version's probability. An execution is counted in the interval in which it ends, when its
 * time in flow and its outcome are known, so after a publish the share of the new version climbs
 * over the calls' duration instead of jumping to 100 %. Deterministic, and nothing is stored: a
 * query regenerates the minutes it covers.
 */
import { OrgRuleError } from './errors.js';
import { parseInterval } from './audit-queries.js';
import { hash32, mulberry32, poisson } from './random.js';
import type { EmFlow, EmulatorState } from './types.js';

const MINUTE = 60_000;
/** Executions last 5 s to this long (uniform), so one started up to this long ago may still end. */
const SHORTEST_MS = 5_000;
const LONGEST_MS = 180_000;
const MAX_INTERVAL_MS = 31 * 24 * 3_600_000;
const SUPPORTED_GROUPS = new Set(['flowId', 'flowVersion', 'flowType', 'flowName']);
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
  failed: boolean;
}

function versionAt(flow: EmFlow, t: number): string | undefined {
  for (let i = flow.publications.length - 1; i >= 0; i--) {
    const p = flow.publications[i]!;
    if (p.start <= t && (p.end === undefined || t < p.end)) return p.versionId;
  }
  return undefined;
}

function failureProbability(flow: EmFlow, versionId: string): number {
  return flow.versions.find((v) => v.id === versionId)?.failureProbability ?? flow.failureProbability;
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
    // Minutes whose executions can end inside the range: from the longest duration before it on.
    const firstMinute = Math.floor(Math.max(from - LONGEST_MS, firstPub) / MINUTE);
    for (let m = firstMinute; m * MINUTE < end; m++) {
      // The draws of a minute are the same whatever the range asked: the same executions every time.
      const rng = mulberry32(hash32(`${state.settings.randomSeed}:${flow.id}:${m}`));
      const n = poisson(flow.arrivalsPerMinute, rng);
      for (let k = 0; k < n; k++) {
        const start = m * MINUTE + Math.floor(rng() * MINUTE);
        const u = rng();
        const durationMs = SHORTEST_MS + Math.floor(rng() * (LONGEST_MS - SHORTEST_MS));
        const finish = start + durationMs;
        if (finish < from || finish >= end) continue;
        const version = versionAt(flow, start);
        if (version === undefined) continue;
        visit({
          flow,
          version,
          start,
          end: finish,
          durationMs,
          failed: u < failureProbability(flow, version),
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

  type Cell = { n: number; failed: number; tSum: number; tMin: number; tMax: number };
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
    if (!cell) entry.buckets.set(b, (cell = { n: 0, failed: 0, tSum: 0, tMin: Infinity, tMax: 0 }));
    cell.n++;
    if (e.failed) cell.failed++;
    cell.tSum += e.durationMs;
    cell.tMin = Math.min(cell.tMin, e.durationMs);
    cell.tMax = Math.max(cell.tMax, e.durationMs);
  });
  const results = [...groups.values()].map(({ group, buckets }) => ({
    group,
    data: [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([b, cell]) => {
        const start = from + b * granularity;
        const end = Math.min(to, start + granularity);
        const out: Array<{ metric: string; stats: Record<string, number> }> = [];
        for (const m of metrics) {
          if (m === 'nFlow' || m === 'nFlowOutcome') out.push({ metric: m, stats: { count: cell.n } });
          else if (m === 'nFlowOutcomeFailed' && cell.failed > 0)
            out.push({ metric: m, stats: { count: cell.failed } });
          else if (m === 'tFlow' || m === 'tFlowExit' || m === 'tFlowOutcome')
            out.push({ metric: m, stats: { max: cell.tMax, min: cell.tMin, count: cell.n, sum: cell.tSum } });
        }
        return { interval: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`, metrics: out };
      }),
  }));
  return results.length > 0 ? { results } : {};
}
