/**
 * The statistics adoption reports and the health gate decide on, in closed form (no dependency):
 * Wilson score intervals for rates, a normal interval for mean times, a one-sided two-proportion
 * z-test with a Bonferroni correction for looking repeatedly, and a one-sided Welch t-test of a
 * mean time against the previous version's plus a margin.
 */
import { studentTQuantile } from './student-t.js';

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** A rate with its confidence interval. */
export interface Rate {
  successes: number;
  trials: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

/** The Wilson score interval of `successes / trials` at a two-sided confidence (default 95 %). */
export function wilson(successes: number, trials: number, confidence = 0.95): Rate {
  if (trials === 0) return { successes, trials, rate: null, low: null, high: null };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { successes, trials, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A mean with its normal-approximation interval, from per-interval sums and counts. */
export interface Mean {
  count: number;
  mean: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The mean of a duration from the aggregates' per-interval `sum` and `count` (the API gives no
 * sum of squares): the standard error comes from the spread of the per-interval means, weighted by
 * their counts. With fewer than two intervals there is no interval.
 */
export function meanWithInterval(
  parts: ReadonlyArray<{ sum: number; count: number }>,
  confidence = 0.95,
): Mean {
  const s = spread(parts);
  if (s.count === 0) return { count: 0, mean: null, low: null, high: null };
  if (s.variance === null) return { count: s.count, mean: s.mean, low: null, high: null };
  const half = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(s.variance);
  return { count: s.count, mean: s.mean, low: s.mean - half, high: s.mean + half };
}

/**
 * The mean of per-interval sums and counts, and the variance of that mean from the spread of the
 * per-interval means weighted by their counts: Σ nᵢ(mᵢ − m)² / (N(B − 1)) over the B intervals
 * with executions (unbiased for σ²/N when every execution has variance σ²); `null` below two.
 */
function spread(parts: ReadonlyArray<{ sum: number; count: number }>): {
  count: number;
  mean: number;
  intervals: number;
  variance: number | null;
} {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const mean = count === 0 ? 0 : parts.reduce((n, p) => n + p.sum, 0) / count;
  const used = parts.filter((p) => p.count > 0);
  const variance =
    used.length < 2
      ? null
      : used.reduce((v, p) => v + p.count * (p.sum / p.count - mean) ** 2, 0) / (count * (used.length - 1));
  return { count, mean, intervals: used.length, variance };
}

/** Options of the health gate's test. */
export interface GateRule {
  /** One-sided confidence of a degradation verdict. @default 0.95 */
  confidence: number;
  /** Executions each version needs before any verdict. @default 200 */
  minExecutions: number;
  /** How much worse (absolute failure rate) counts as degraded. @default 0.01 */
  margin: number;
  /** Looks planned during a watch (Bonferroni: each look tests at (1 − confidence) / looks). @default 1 */
  looks: number;
}

/** The defaults of {@link GateRule}. */
export const DEFAULT_RULE: GateRule = { confidence: 0.95, minExecutions: 200, margin: 0.01, looks: 1 };

/** A verdict of the gate. */
export interface Verdict {
  verdict: 'healthy' | 'degraded' | 'insufficient';
  /** The z statistic of (new − old − margin). */
  z: number | null;
  /** The critical value it was compared with. */
  critical: number;
  reason: string;
}

/**
 * One-sided two-proportion z-test of H0: p_new ≤ p_old + margin against p_new > p_old + margin,
 * with the pooled standard error; degraded when z exceeds the normal quantile at
 * 1 − (1 − confidence) / looks. Insufficient below `minExecutions` on either side.
 */
export function healthVerdict(
  newer: { failed: number; total: number },
  older: { failed: number; total: number },
  rule: GateRule = DEFAULT_RULE,
): Verdict {
  const critical = normalQuantile(1 - (1 - rule.confidence) / Math.max(1, rule.looks));
  if (newer.total < rule.minExecutions || older.total < rule.minExecutions)
    return {
      verdict: 'insufficient',
      z: null,
      critical,
      reason: `${newer.total} executions on the new version and ${older.total} on the old; ${rule.minExecutions} each are needed`,
    };
  const p1 = newer.failed / newer.total;
  const p0 = older.failed / older.total;
  const pooled = (newer.failed + older.failed) / (newer.total + older.total);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / newer.total + 1 / older.total));
  const z = se === 0 ? (p1 - p0 - rule.margin > 0 ? Infinity : 0) : (p1 - p0 - rule.margin) / se;
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  return z > critical
    ? {
        verdict: 'degraded',
        z,
        critical,
        reason: `failure rate ${pct(p1)} against ${pct(p0)} (z = ${z.toFixed(2)} > ${critical.toFixed(2)})`,
      }
    : {
        verdict: 'healthy',
        z,
        critical,
        reason: `failure rate ${pct(p1)} against ${pct(p0)} (z = ${z.toFixed(2)} ≤ ${critical.toFixed(2)})`,
      };
}

/** Options of the time-in-flow test. */
export interface MeanRule {
  /** One-sided confidence of a degradation verdict. */
  confidence: number;
  /** Executions each version needs before any verdict. */
  minExecutions: number;
  /** How much longer (ms) counts as degraded. */
  marginMs: number;
  /** Tests the confidence is shared by (Bonferroni: each tests at (1 − confidence) / looks). */
  looks: number;
}

/**
 * One-sided Welch t-test of H0: μ_new ≤ μ_old + margin against μ_new > μ_old + margin on the mean
 * time in flow, from per-interval sums and counts (the aggregates give no sum of squares, so each
 * mean's variance comes from the spread of its per-interval means, with B − 1 degrees of freedom);
 * degraded when t exceeds Student's quantile at 1 − (1 − confidence) / looks with the
 * Welch–Satterthwaite degrees of freedom. Insufficient below `minExecutions` executions or two
 * intervals with executions on either side.
 */
export function meanIncreaseVerdict(
  newer: ReadonlyArray<{ sum: number; count: number }>,
  older: ReadonlyArray<{ sum: number; count: number }>,
  rule: MeanRule,
): Verdict {
  const alpha = (1 - rule.confidence) / Math.max(1, rule.looks);
  const a = spread(newer);
  const b = spread(older);
  if (
    a.count < rule.minExecutions ||
    b.count < rule.minExecutions ||
    a.variance === null ||
    b.variance === null
  )
    return {
      verdict: 'insufficient',
      z: null,
      critical: normalQuantile(1 - alpha),
      reason: `${a.count} executions in ${a.intervals} intervals on the new version and ${b.count} in ${b.intervals} on the old; ${rule.minExecutions} each in at least 2 intervals are needed`,
    };
  const se2 = a.variance + b.variance;
  const diff = a.mean - b.mean - rule.marginMs;
  const df =
    se2 === 0
      ? Infinity
      : se2 ** 2 / (a.variance ** 2 / (a.intervals - 1) + b.variance ** 2 / (b.intervals - 1));
  const critical = Number.isFinite(df) ? studentTQuantile(1 - alpha, df) : normalQuantile(1 - alpha);
  const t = se2 === 0 ? (diff > 0 ? Infinity : 0) : diff / Math.sqrt(se2);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const text = `mean time in flow ${s(a.mean)} against ${s(b.mean)} (t = ${t.toFixed(2)}`;
  return t > critical
    ? {
        verdict: 'degraded',
        z: t,
        critical,
        reason: `${text} > ${critical.toFixed(2)}, ${df.toFixed(0)} df)`,
      }
    : {
        verdict: 'healthy',
        z: t,
        critical,
        reason: `${text} ≤ ${critical.toFixed(2)}, ${df.toFixed(0)} df)`,
      };
}
