/**
 * The health signals' statistics against brute-force oracles: Student's t against numerical
 * integration of its density, the time-in-flow test against the same test computed execution by
 * execution, and the verdict over several signals against each signal's two-proportion test with
 * the Bonferroni share of signals × looks.
 */
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import type { VersionBucket } from '../../src/adoption/query.js';
import {
  DEFAULT_SIGNALS,
  resolveSignals,
  signalVerdicts,
  type SignalSettings,
} from '../../src/adoption/signals.js';
import { healthVerdict, meanIncreaseVerdict, normalQuantile } from '../../src/adoption/stats.js';
import { studentTCdf, studentTQuantile } from '../../src/adoption/student-t.js';
import { ERROR_EXIT_REASONS } from '../../src/exit-reasons.js';

/**
 * Student's t CDF by Simpson's rule on t = tan θ, where the density times sec²θ is bounded for
 * df ≥ 1; normalised by the same integral over the whole line (no gamma or beta function).
 */
function tCdfOracle(t: number, df: number): number {
  const g = (th: number) => {
    const x = Math.tan(th);
    const c = Math.cos(th);
    return (1 + (x * x) / df) ** (-(df + 1) / 2) / (c * c);
  };
  const simpson = (a: number, b: number, n = 20_000) => {
    const h = (b - a) / n;
    let s = g(a) + g(b);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * g(a + i * h);
    return (s * h) / 3;
  };
  const edge = Math.PI / 2 - 1e-9;
  return simpson(-edge, Math.atan(t)) / simpson(-edge, edge);
}

describe("Student's t", () => {
  test.prop([fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 1, max: 200, noNaN: true })], {
    numRuns: 60,
  })('the CDF matches numerical integration of the density', (t, df) => {
    expect(studentTCdf(t, df)).toBeCloseTo(tCdfOracle(t, df), 5);
  });

  test.prop([
    fc.double({ min: 0.001, max: 0.9999, noNaN: true }),
    fc.double({ min: 1, max: 500, noNaN: true }),
  ])('the quantile inverts the CDF', (p, df) => {
    expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
  });

  it('matches the printed table and tends to the normal', () => {
    // Two-sided 5 % with 10 df, one-sided 5 % with 3 df, two-sided 1 % with 1 df.
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.353, 3);
    expect(studentTQuantile(0.995, 1)).toBeCloseTo(63.657, 3);
    expect(studentTQuantile(0.99, 1e7)).toBeCloseTo(normalQuantile(0.99), 5);
  });
});

/** Per-interval durations of one version: 1 to 8 intervals of 1 to 40 executions. */
const intervals = fc.array(
  fc.array(fc.integer({ min: 5_000, max: 400_000 }), { minLength: 1, maxLength: 40 }),
  {
    minLength: 1,
    maxLength: 8,
  },
);
const parts = (xs: number[][]) => xs.map((d) => ({ sum: d.reduce((a, b) => a + b, 0), count: d.length }));

/**
 * The time-in-flow test execution by execution: each execution stands at its interval's mean, so
 * the spread of the interval means is the plain sum of squares over executions.
 */
function meanOracle(newer: number[][], older: number[][], margin: number, alpha: number, min: number) {
  const side = (xs: number[][]) => {
    const all = xs.flat();
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    let ss = 0;
    for (const d of xs) {
      const m = d.reduce((a, b) => a + b, 0) / d.length;
      for (let i = 0; i < d.length; i++) ss += (m - mean) ** 2;
    }
    return {
      n: all.length,
      b: xs.length,
      mean,
      v: xs.length > 1 ? ss / (all.length * (xs.length - 1)) : NaN,
    };
  };
  const a = side(newer);
  const o = side(older);
  if (a.n < min || o.n < min || a.b < 2 || o.b < 2) return 'insufficient';
  const se2 = a.v + o.v;
  if (se2 === 0) return a.mean - o.mean - margin > 0 ? 'degraded' : 'healthy';
  const t = (a.mean - o.mean - margin) / Math.sqrt(se2);
  const df = se2 ** 2 / (a.v ** 2 / (a.b - 1) + o.v ** 2 / (o.b - 1));
  return t > studentTQuantile(1 - alpha, df) ? 'degraded' : 'healthy';
}

describe('the time-in-flow test', () => {
  test.prop([intervals, intervals, fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 1, max: 6 })])(
    'agrees with the test computed execution by execution',
    (newer, older, marginMs, looks) => {
      const rule = { confidence: 0.95, minExecutions: 10, marginMs, looks };
      const v = meanIncreaseVerdict(parts(newer), parts(older), rule);
      expect(v.verdict).toBe(meanOracle(newer, older, marginMs, 0.05 / looks, 10));
    },
  );

  it('a clearly longer mean is degraded, the same mean is not, and a margin forgives what it covers', () => {
    const at = (ms: number) =>
      Array.from({ length: 12 }, (_, i) => ({ sum: (ms + (i % 3) * 1000) * 100, count: 100 }));
    const rule = { confidence: 0.95, minExecutions: 200, marginMs: 0, looks: 1 };
    expect(meanIncreaseVerdict(at(120_000), at(90_000), rule).verdict).toBe('degraded');
    expect(meanIncreaseVerdict(at(90_000), at(90_000), rule).verdict).toBe('healthy');
    expect(meanIncreaseVerdict(at(120_000), at(90_000), { ...rule, marginMs: 40_000 }).verdict).toBe(
      'healthy',
    );
    expect(meanIncreaseVerdict(at(120_000).slice(0, 1), at(90_000), rule).verdict).toBe('insufficient');
  });
});

/** Buckets of one version from per-interval counts. */
const buckets = fc.array(
  fc.record({
    executions: fc.integer({ min: 0, max: 400 }),
    disconnectShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    errorShare: fc.double({ min: 0, max: 0.1, noNaN: true }),
    outcomeShare: fc.constantFrom(0, 0, 1, 0.5),
    failShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
  }),
  { minLength: 0, maxLength: 6 },
);
const toBuckets = (
  version: string,
  xs: Array<{
    executions: number;
    disconnectShare: number;
    errorShare: number;
    outcomeShare: number;
    failShare: number;
  }>,
): VersionBucket[] =>
  xs.map((x, i) => {
    const outcomes = Math.floor(x.executions * x.outcomeShare);
    return {
      version,
      start: i * 300_000,
      executions: x.executions,
      disconnects: Math.floor(x.executions * x.disconnectShare),
      exitReasons: { FLOW_ERROR_EXIT: Math.floor(x.executions * x.errorShare), TRANSFER: 1 },
      outcomes,
      failed: Math.floor(outcomes * x.failShare),
      tFlowSum: x.executions * 90_000,
      tFlowCount: x.executions,
    };
  });

describe('the verdict over every signal', () => {
  test.prop([buckets, buckets, fc.integer({ min: 1, max: 5 }), fc.boolean()])(
    "is each signal's two-proportion test at 1 − (1 − confidence) / (signals that apply × looks): degraded if one is, else insufficient if one is, else healthy",
    (newer, older, looks, withOutcomes) => {
      const signals: SignalSettings = {
        ...DEFAULT_SIGNALS,
        outcomes: withOutcomes ? { margin: 0.01 } : false,
      };
      const n = toBuckets('2.0', newer);
      const o = toBuckets('1.0', older);
      const rule = { confidence: 0.95, minExecutions: 200, looks };
      const v = signalVerdicts(n, o, rule, signals);
      // The oracle: totals by plain loops, then healthVerdict per signal.
      const total = (bs: VersionBucket[], f: (b: VersionBucket) => number) => {
        let s = 0;
        for (const b of bs) s += f(b);
        return s;
      };
      const outcomesApply = withOutcomes && total(o, (b) => b.outcomes) > 0;
      const k = 2 + (outcomesApply ? 1 : 0);
      const gate = (margin: number) => ({ ...rule, margin, looks: k * looks });
      const expected = [
        healthVerdict(
          { failed: total(n, (b) => b.disconnects), total: total(n, (b) => b.executions) },
          { failed: total(o, (b) => b.disconnects), total: total(o, (b) => b.executions) },
          gate(0.02),
        ),
        healthVerdict(
          {
            failed: total(n, (b) => b.exitReasons.FLOW_ERROR_EXIT ?? 0),
            total: total(n, (b) => b.executions),
          },
          {
            failed: total(o, (b) => b.exitReasons.FLOW_ERROR_EXIT ?? 0),
            total: total(o, (b) => b.executions),
          },
          gate(0.01),
        ),
        ...(outcomesApply
          ? [
              healthVerdict(
                { failed: total(n, (b) => b.failed), total: total(n, (b) => b.outcomes) },
                { failed: total(o, (b) => b.failed), total: total(o, (b) => b.outcomes) },
                gate(0.01),
              ),
            ]
          : []),
      ];
      expect(v.tests).toBe(k * looks);
      expect(v.signals.map((s) => s.verdict)).toEqual(expected.map((x) => x.verdict));
      expect(v.signals.map((s) => s.critical)).toEqual(expected.map((x) => x.critical));
      const kinds = expected.map((x) => x.verdict);
      expect(v.verdict).toBe(
        kinds.includes('degraded') ? 'degraded' : kinds.includes('insufficient') ? 'insufficient' : 'healthy',
      );
      expect(v.skipped).toEqual(
        withOutcomes && !outcomesApply ? ['outcomes: the previous version recorded none'] : [],
      );
    },
  );
});

describe('choosing signals', () => {
  it('by default: disconnects (+2 points), error exits (+1 point), outcomes where recorded (+1 point); no time in flow', () => {
    expect(resolveSignals()).toEqual({
      disconnects: { margin: 0.02 },
      exits: { reasons: ERROR_EXIT_REASONS, margin: 0.01 },
      outcomes: { margin: 0.01 },
      timeInFlow: false,
    });
    expect(resolveSignals()).toEqual(DEFAULT_SIGNALS);
  });

  it("a shared margin sets every rate signal's; a signal's own wins; false turns one off; true takes the defaults", () => {
    const s = resolveSignals(
      {
        disconnects: { margin: 0.05 },
        exits: { reasons: ['FLOW_ERROR_EXIT'] },
        outcomes: false,
        timeInFlow: true,
      },
      0.03,
    );
    expect(s).toEqual({
      disconnects: { margin: 0.05 },
      exits: { reasons: ['FLOW_ERROR_EXIT'], margin: 0.03 },
      outcomes: false,
      timeInFlow: { marginMs: 10_000 },
    });
    expect(
      resolveSignals({ timeInFlow: { marginMs: 2_000 }, disconnects: { margin: undefined } }).timeInFlow,
    ).toEqual({
      marginMs: 2_000,
    });
    expect(resolveSignals({ disconnects: { margin: undefined } }).disconnects).toEqual({ margin: 0.02 });
  });
});
