/**
 * The health signals of a flow and the verdict over all of them. Every flow has executions, so
 * every flow has the share that ended in a disconnect inside it (`tFlowDisconnect` over `nFlow`),
 * the share that ended with chosen exit reasons (`exitReason`), and a time in flow; outcomes
 * (`nFlowOutcomeFailed` over `nFlowOutcome`) exist only in flows that set them. Each chosen signal
 * that applies to the flow is one test of the new version against the previous one; the
 * confidence is shared by all of them and by every look (Bonferroni), so the chance of a false
 * *degraded* over a whole watch stays at most 1 − confidence.
 */
import { ERROR_EXIT_REASONS } from '../exit-reasons.js';
import type { VersionBucket } from './query.js';
import { healthVerdict, meanIncreaseVerdict, type GateRule, type Verdict } from './stats.js';

/** The signals the gate can watch. */
export type SignalName = 'disconnects' | 'exits' | 'outcomes' | 'timeInFlow';

/** Which signals are watched, each with its margin (how much worse counts as degraded); `false` turns one off. */
export interface SignalSettings {
  /** Share of executions that ended in a disconnect inside the flow; margin in absolute share. */
  disconnects: { margin: number } | false;
  /** Share of executions that ended with one of `reasons`; margin in absolute share. */
  exits: { reasons: readonly string[]; margin: number } | false;
  /** Share of outcomes that failed, when the previous version recorded outcomes; margin in absolute share. */
  outcomes: { margin: number } | false;
  /** Mean time in flow; margin in ms. Off unless chosen (a longer flow is often the intent). */
  timeInFlow: { marginMs: number } | false;
}

/** The default: every signal a flow without outcomes has, and outcomes where they exist. */
export const DEFAULT_SIGNALS: SignalSettings = {
  disconnects: { margin: 0.02 },
  exits: { reasons: ERROR_EXIT_REASONS, margin: 0.01 },
  outcomes: { margin: 0.01 },
  timeInFlow: false,
};

/** What a manifest or a caller may give: any signal, any part of one, `true` for the defaults. */
export type SignalChoice = {
  [K in SignalName]?:
    | boolean
    | { [P in keyof Exclude<SignalSettings[K], false>]?: Exclude<SignalSettings[K], false>[P] | undefined }
    | undefined;
};

/**
 * The signals to watch: the defaults, a rate margin for every rate signal (`margin`, the
 * manifest's `health.margin`), then each signal as chosen. `timeInFlow: true` takes a 10 s margin.
 */
export function resolveSignals(choice: SignalChoice = {}, margin?: number): SignalSettings {
  const withMargin = <T extends { margin: number }>(d: T): T => (margin === undefined ? d : { ...d, margin });
  const base = {
    disconnects: withMargin({ margin: 0.02 }),
    exits: withMargin({ reasons: ERROR_EXIT_REASONS, margin: 0.01 }),
    outcomes: withMargin({ margin: 0.01 }),
    timeInFlow: { marginMs: 10_000 },
  };
  const pick = <K extends SignalName>(k: K, on: boolean): SignalSettings[K] => {
    const c = choice[k];
    if (c === false || (c === undefined && !on)) return false;
    const given = Object.entries(typeof c === 'object' ? c : {}).filter(([, v]) => v !== undefined);
    return { ...base[k], ...Object.fromEntries(given) };
  };
  return {
    disconnects: pick('disconnects', true),
    exits: pick('exits', true),
    outcomes: pick('outcomes', true),
    timeInFlow: pick('timeInFlow', false),
  };
}

/** One signal's verdict, with the figures it compared. */
export interface SignalVerdict extends Verdict {
  signal: SignalName;
  /** The new version's figure (a share, or a mean in ms) and what it was computed over. */
  newer: { value: number | null; of: number };
  older: { value: number | null; of: number };
}

/** The verdict over every signal: degraded if one is, else insufficient if one is, else healthy. */
export interface HealthVerdict extends Verdict {
  signals: SignalVerdict[];
  /** Tests the confidence was shared by: the signals that apply × the looks. */
  tests: number;
  /** Chosen signals that do not apply to this flow, and why. */
  skipped: string[];
}

/** A version's totals over its buckets, for the signals. */
function totals(buckets: readonly VersionBucket[], reasons: readonly string[]) {
  const sum = (f: (b: VersionBucket) => number) => buckets.reduce((n, b) => n + f(b), 0);
  return {
    executions: sum((b) => b.executions),
    disconnects: sum((b) => b.disconnects),
    exits: sum((b) => reasons.reduce((n, r) => n + (b.exitReasons[r] ?? 0), 0)),
    outcomes: sum((b) => b.outcomes),
    failed: sum((b) => b.failed),
    parts: buckets.map((b) => ({ sum: b.tFlowSum, count: b.tFlowCount })),
  };
}

type Totals = ReturnType<typeof totals>;

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/** A rate signal through the two-proportion test, its reason worded for the signal. */
function rateSignal(
  signal: SignalName,
  unit: string,
  newer: { failed: number; total: number },
  older: { failed: number; total: number },
  rule: GateRule,
): SignalVerdict {
  const v = healthVerdict(newer, older, rule);
  const share = (x: { failed: number; total: number }) => (x.total ? x.failed / x.total : null);
  const reason =
    v.z === null
      ? `${newer.total} ${unit} on the new version and ${older.total} on the old; ${rule.minExecutions} each are needed`
      : `${pct(share(newer)!)} against ${pct(share(older)!)} (z = ${v.z.toFixed(2)} ${v.verdict === 'degraded' ? '>' : '≤'} ${v.critical.toFixed(2)}, margin ${pct(rule.margin)})`;
  return {
    ...v,
    reason,
    signal,
    newer: { value: share(newer), of: newer.total },
    older: { value: share(older), of: older.total },
  };
}

/**
 * The verdict of the new version's buckets against the previous version's baseline buckets.
 * Outcomes apply when the baseline recorded outcomes (decided from the baseline alone, before the
 * new version's data, so the number of tests does not depend on what is tested).
 */
export function signalVerdicts(
  newer: readonly VersionBucket[],
  older: readonly VersionBucket[],
  rule: Pick<GateRule, 'confidence' | 'minExecutions' | 'looks'>,
  signals: SignalSettings,
): HealthVerdict {
  const reasons = signals.exits ? signals.exits.reasons : [];
  const n = totals(newer, reasons);
  const o = totals(older, reasons);
  const outcomes = signals.outcomes && o.outcomes > 0 ? signals.outcomes : false;
  const applied = [signals.disconnects, signals.exits, outcomes, signals.timeInFlow].filter(Boolean).length;
  const tests = Math.max(1, applied) * Math.max(1, rule.looks);
  const gate = (margin: number): GateRule => ({ ...rule, margin, looks: tests });
  const rates = [
    [
      'disconnects',
      'executions',
      signals.disconnects,
      (t: Totals) => ({ failed: t.disconnects, total: t.executions }),
    ],
    ['exits', 'executions', signals.exits, (t: Totals) => ({ failed: t.exits, total: t.executions })],
    ['outcomes', 'outcomes', outcomes, (t: Totals) => ({ failed: t.failed, total: t.outcomes })],
  ] as const;
  const out: SignalVerdict[] = [];
  for (const [name, unit, chosen, counts] of rates)
    if (chosen) out.push(rateSignal(name, unit, counts(n), counts(o), gate(chosen.margin)));
  if (signals.timeInFlow)
    out.push(timeSignal(n.parts, o.parts, { ...rule, looks: tests }, signals.timeInFlow.marginMs));
  const skipped = signals.outcomes && !outcomes ? ['outcomes: the previous version recorded none'] : [];
  return combine(out, tests, skipped);
}

/** The time-in-flow signal: the Welch test on the means of the per-interval parts. */
function timeSignal(
  newer: ReadonlyArray<{ sum: number; count: number }>,
  older: ReadonlyArray<{ sum: number; count: number }>,
  rule: Pick<GateRule, 'confidence' | 'minExecutions' | 'looks'>,
  marginMs: number,
): SignalVerdict {
  const v = meanIncreaseVerdict(newer, older, { ...rule, marginMs });
  const side = (parts: typeof newer) => {
    const count = parts.reduce((k, p) => k + p.count, 0);
    return { value: count ? parts.reduce((k, p) => k + p.sum, 0) / count : null, of: count };
  };
  return { ...v, signal: 'timeInFlow', newer: side(newer), older: side(older) };
}

/** The overall verdict: the first degraded signal, else the first insufficient one, else healthy. */
function combine(signals: SignalVerdict[], tests: number, skipped: string[]): HealthVerdict {
  const all = [...signals.map((s) => `${s.signal}: ${s.reason}`), ...skipped].join('; ');
  const decisive =
    signals.find((s) => s.verdict === 'degraded') ?? signals.find((s) => s.verdict === 'insufficient');
  const base = { reason: all, signals, tests, skipped };
  if (signals.length === 0)
    return {
      ...base,
      verdict: 'insufficient',
      z: null,
      critical: NaN,
      reason: ['no signal applies', ...skipped].join('; '),
    };
  if (decisive) return { ...base, verdict: decisive.verdict, z: decisive.z, critical: decisive.critical };
  // Healthy: the signal closest to its bar stands for the whole.
  const closest = signals.reduce((a, b) => (b.z! - b.critical > a.z! - a.critical ? b : a));
  return { ...base, verdict: 'healthy', z: closest.z, critical: closest.critical };
}

/** The signals in a few words, for a progress line: "disconnects +2 pts, exits +1 pt, …". */
export function signalSummary(s: SignalSettings): string {
  const pts = (m: number) => `+${+(100 * m).toFixed(2)} pt${m === 0.01 ? '' : 's'}`;
  const parts = [
    s.disconnects && `disconnects ${pts(s.disconnects.margin)}`,
    s.exits && `exits ${s.exits.reasons.join('/')} ${pts(s.exits.margin)}`,
    s.outcomes && `failed outcomes ${pts(s.outcomes.margin)} where recorded`,
    s.timeInFlow && `time in flow +${+(s.timeInFlow.marginMs / 1000).toFixed(1)} s`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no signal';
}
