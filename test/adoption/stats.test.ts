/**
 * adoption/stats.ts at known values: normal quantiles from the standard tables, Wilson intervals
 * computed by hand, the mean interval of a two-interval example, the verdicts' edge cases (no
 * spread at all, a single interval) and the words of each reason, which `flowgate adoption` and
 * the health gate print. The property tests against oracles are in verdict-oracle.test.ts,
 * signals.test.ts and adoption.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE,
  healthVerdict,
  meanIncreaseVerdict,
  meanWithInterval,
  normalQuantile,
  wilson,
} from '../../src/adoption/stats.js';

describe('normalQuantile', () => {
  it.each([
    // Standard normal table values (Abramowitz & Stegun, table 26.5): the middle branch, then
    // each tail (below 0.02425 directly, above 0.97575 by symmetry).
    [0.5, 0],
    [0.975, 1.959963985],
    [0.95, 1.644853627],
    [0.01, -2.326347874],
    [0.999, 3.090232306],
    [1e-6, -4.753424309],
  ])('the quantile of %d is %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 7);
  });

  it('is odd around one half: q(1 − p) = −q(p), in the tails and in the middle', () => {
    for (const p of [1e-9, 0.001, 0.02, 0.1, 0.3])
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 6);
  });

  it.each([0, 1, -0.5, 1.5, Number.NaN])('refuses %d: a probability must lie strictly inside (0, 1)', (p) => {
    expect(() => normalQuantile(p)).toThrow(new RangeError('p must be in (0, 1)'));
  });
});

describe('wilson', () => {
  const z = 1.959963985;
  /** The Wilson interval written out (Wilson 1927), for the cases below. */
  const byHand = (k: number, n: number, zz = z) => {
    const p = k / n;
    const centre = (p + (zz * zz) / (2 * n)) / (1 + (zz * zz) / n);
    const half = (zz * Math.sqrt((p * (1 - p)) / n + (zz * zz) / (4 * n * n))) / (1 + (zz * zz) / n);
    return [centre - half, centre + half];
  };

  it('no trials: no rate and no interval', () => {
    expect(wilson(0, 0)).toEqual({ successes: 0, trials: 0, rate: null, low: null, high: null });
  });

  it('5 of 10: 0.2366 to 0.7634 around 0.5', () => {
    const r = wilson(5, 10);
    expect(r).toMatchObject({ successes: 5, trials: 10, rate: 0.5 });
    expect(r.low!).toBeCloseTo(0.236593, 5);
    expect(r.high!).toBeCloseTo(0.763407, 5);
  });

  it('1 of 4 and 3 of 4 mirror each other', () => {
    const [lo, hi] = byHand(1, 4);
    const one = wilson(1, 4);
    expect(one.low!).toBeCloseTo(lo!, 9);
    expect(one.high!).toBeCloseTo(hi!, 9);
    const three = wilson(3, 4);
    expect(three.low!).toBeCloseTo(1 - hi!, 9);
    expect(three.high!).toBeCloseTo(1 - lo!, 9);
  });

  it('0 of 10 starts at exactly 0, 10 of 10 ends at exactly 1', () => {
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high!).toBeCloseTo(byHand(0, 10)[1]!, 9);
    expect(wilson(10, 10).high).toBe(1);
    expect(wilson(10, 10).low!).toBeCloseTo(byHand(10, 10)[0]!, 9);
  });

  it('the confidence widens the interval: 99 % uses z = 2.5758', () => {
    const r = wilson(5, 10, 0.99);
    const [lo, hi] = byHand(5, 10, 2.575829304);
    expect(r.low!).toBeCloseTo(lo!, 8);
    expect(r.high!).toBeCloseTo(hi!, 8);
  });
});

describe('meanWithInterval', () => {
  it('no executions: no mean', () => {
    expect(meanWithInterval([])).toEqual({ count: 0, mean: null, low: null, high: null });
    expect(meanWithInterval([{ sum: 0, count: 0 }])).toEqual({ count: 0, mean: null, low: null, high: null });
  });

  it('one interval with executions: a mean without an interval (its spread is unknown)', () => {
    expect(
      meanWithInterval([
        { sum: 500, count: 10 },
        { sum: 0, count: 0 },
      ]),
    ).toEqual({
      count: 10,
      mean: 50,
      low: null,
      high: null,
    });
  });

  it('two intervals of 10 with means 10 and 30: mean 20, variance Σnᵢ(mᵢ−m)²/(N(B−1)) = 100, ±1.96 × 10', () => {
    const r = meanWithInterval([
      { sum: 100, count: 10 },
      { sum: 0, count: 0 }, // an empty interval counts for nothing
      { sum: 300, count: 10 },
    ]);
    expect(r.count).toBe(20);
    expect(r.mean).toBe(20);
    expect(r.low!).toBeCloseTo(20 - 19.59963985, 6);
    expect(r.high!).toBeCloseTo(20 + 19.59963985, 6);
  });

  it('unequal counts weigh the intervals: 30 at mean 10 and 10 at mean 50', () => {
    const r = meanWithInterval([
      { sum: 300, count: 30 },
      { sum: 500, count: 10 },
    ]);
    // m = 800/40 = 20; Σ nᵢ(mᵢ − m)² = 30·100 + 10·900 = 12 000; / (40 · 1) = 300.
    expect(r.mean).toBe(20);
    expect(r.high! - r.mean!).toBeCloseTo(1.959963985 * Math.sqrt(300), 6);
  });

  it('three intervals divide by B − 1 = 2: means 10, 20, 30 on 1, 2 and 3 executions', () => {
    const r = meanWithInterval([
      { sum: 10, count: 1 },
      { sum: 40, count: 2 },
      { sum: 90, count: 3 },
    ]);
    // m = 140/6; Σ nᵢ(mᵢ − m)² = 1600/9 + 200/9 + 1200/9 = 1000/3; / (6 · 2) = 250/9.
    expect(r.mean).toBeCloseTo(140 / 6, 12);
    expect(r.high! - r.mean!).toBeCloseTo(1.959963985 * Math.sqrt(250 / 9), 6);
  });
});

describe('healthVerdict: the words and the edges', () => {
  it('insufficient says how many executions each side has and needs', () => {
    expect(healthVerdict({ failed: 1, total: 199 }, { failed: 1, total: 500 })).toEqual({
      verdict: 'insufficient',
      z: null,
      critical: expect.closeTo(1.644853627, 8),
      reason: '199 executions on the new version and 500 on the old; 200 each are needed',
    });
  });

  it('exactly the minimum on both sides is enough for a verdict', () => {
    expect(healthVerdict({ failed: 0, total: 200 }, { failed: 0, total: 200 }).verdict).toBe('healthy');
  });

  it('degraded and healthy name both rates, z and the bar', () => {
    // p1 = 10 %, p0 = 2 %, pooled 6 %: z = (0.10 − 0.02 − 0.01) / √(0.06 · 0.94 · 2/1000).
    const z = 0.07 / Math.sqrt(0.06 * 0.94 * 0.002);
    expect(healthVerdict({ failed: 100, total: 1000 }, { failed: 20, total: 1000 })).toEqual({
      verdict: 'degraded',
      z: expect.closeTo(z, 9),
      critical: expect.closeTo(1.644853627, 8),
      reason: `failure rate 10.00 % against 2.00 % (z = ${z.toFixed(2)} > 1.64)`,
    });
    const z2 = (0.025 - 0.02 - 0.01) / Math.sqrt(0.0225 * 0.9775 * 0.002);
    expect(healthVerdict({ failed: 25, total: 1000 }, { failed: 20, total: 1000 })).toEqual({
      verdict: 'healthy',
      z: expect.closeTo(z2, 9),
      critical: expect.closeTo(1.644853627, 8),
      reason: `failure rate 2.50 % against 2.00 % (z = ${z2.toFixed(2)} ≤ 1.64)`,
    });
  });

  it('z exactly at the bar is healthy: degraded needs z above it', () => {
    // No spread, no margin: z = 0 against a bar of 0 (confidence 50 %).
    const rule = { ...DEFAULT_RULE, confidence: 0.5, margin: 0 };
    expect(healthVerdict({ failed: 0, total: 300 }, { failed: 0, total: 300 }, rule)).toMatchObject({
      verdict: 'healthy',
      z: 0,
    });
  });

  it('no spread at all (no failures anywhere): z is 0, or +∞ when the rates already differ by more than the margin', () => {
    expect(healthVerdict({ failed: 0, total: 300 }, { failed: 0, total: 300 })).toMatchObject({
      verdict: 'healthy',
      z: 0,
    });
    expect(healthVerdict({ failed: 300, total: 300 }, { failed: 300, total: 300 })).toMatchObject({
      verdict: 'healthy',
      z: 0,
    });
    // A negative margin asks for an improvement: equal rates then fail the test with no variance.
    const strict = { ...DEFAULT_RULE, margin: -0.01 };
    expect(healthVerdict({ failed: 0, total: 300 }, { failed: 0, total: 300 }, strict)).toMatchObject({
      verdict: 'degraded',
      z: Infinity,
    });
  });

  it('looks below 1 count as one look', () => {
    const v = healthVerdict(
      { failed: 1, total: 300 },
      { failed: 1, total: 300 },
      { ...DEFAULT_RULE, looks: 0 },
    );
    expect(v.critical).toBeCloseTo(1.644853627, 8);
  });
});

describe('meanIncreaseVerdict: the words and the edges', () => {
  const rule = { confidence: 0.95, minExecutions: 20, marginMs: 0, looks: 1 };
  const two = (a: number, b: number) => [
    { sum: a * 10, count: 10 },
    { sum: b * 10, count: 10 },
  ];

  it('insufficient below the minimum, or with a single interval, says what it has', () => {
    expect(
      meanIncreaseVerdict(two(1000, 3000).slice(0, 1), two(1000, 3000), { ...rule, minExecutions: 10 }),
    ).toEqual({
      verdict: 'insufficient',
      z: null,
      critical: expect.closeTo(1.644853627, 8),
      reason:
        '10 executions in 1 intervals on the new version and 20 in 2 on the old; 10 each in at least 2 intervals are needed',
    });
    expect(
      meanIncreaseVerdict(two(1000, 3000), two(1000, 3000), { ...rule, minExecutions: 21 }).verdict,
    ).toBe('insufficient');
    expect(meanIncreaseVerdict(two(1000, 3000), two(1000, 3000), rule).verdict).toBe('healthy');
  });

  it('insufficient while either side alone is below the minimum', () => {
    const few = [
      { sum: 5000, count: 5 },
      { sum: 15_000, count: 5 },
    ];
    expect(meanIncreaseVerdict(few, two(1000, 3000), rule).verdict).toBe('insufficient');
    expect(meanIncreaseVerdict(two(1000, 3000), few, rule).verdict).toBe('insufficient');
  });

  it('three intervals a side with equal spreads: Welch–Satterthwaite gives 2(B − 1) = 4 df', () => {
    // Old: means 10, 20 and 30 s on 1, 2 and 3 executions; new: each 1 s longer (the same spread).
    const older = [
      { sum: 10_000, count: 1 },
      { sum: 40_000, count: 2 },
      { sum: 90_000, count: 3 },
    ];
    const newer = older.map((p) => ({ sum: p.sum + 1000 * p.count, count: p.count }));
    const v = meanIncreaseVerdict(newer, older, { ...rule, minExecutions: 6 });
    // Each side's variance is 250/9 s² (the three-interval case above): t = 1 / √(500/9).
    const t = 1 / Math.sqrt(500 / 9);
    expect(v.z).toBeCloseTo(t, 9);
    // Student's t at 95 % with 4 df: 2.131847 (standard tables).
    expect(v.critical).toBeCloseTo(2.131847, 5);
    expect(v.reason).toBe(`mean time in flow 24.3 s against 23.3 s (t = ${t.toFixed(2)} ≤ 2.13, 4 df)`);
  });

  it('equal intervals on both sides (no spread): the normal bar, t = 0 or +∞', () => {
    const flat = (ms: number) => two(ms, ms);
    expect(meanIncreaseVerdict(flat(5000), flat(5000), rule)).toEqual({
      verdict: 'healthy',
      z: 0,
      critical: expect.closeTo(1.644853627, 8),
      reason: 'mean time in flow 5.0 s against 5.0 s (t = 0.00 ≤ 1.64, Infinity df)',
    });
    expect(meanIncreaseVerdict(flat(6000), flat(5000), rule)).toMatchObject({
      verdict: 'degraded',
      z: Infinity,
    });
    expect(meanIncreaseVerdict(flat(6000), flat(5000), { ...rule, marginMs: 1000 })).toMatchObject({
      verdict: 'healthy',
      z: 0,
    });
  });

  it('a longer mean: t against Student’s quantile with the Welch–Satterthwaite df, named in the reason', () => {
    // New: means 9 s and 11 s; old: 4 s and 6 s; 10 executions in each interval.
    const newer = two(9000, 11_000);
    const older = two(4000, 6000);
    // Each side: m = 10 s (5 s), Σ nᵢ(mᵢ − m)² = 2 · 10 · 1000² = 2e7, / (20 · 1) = 1e6.
    const t = 5000 / Math.sqrt(2e6);
    // df = (1e6 + 1e6)² / (1e12/1 + 1e12/1) = 2.
    const v = meanIncreaseVerdict(newer, older, rule);
    expect(v.verdict).toBe('degraded');
    expect(v.z).toBeCloseTo(t, 9);
    // Student's t at 95 % with 2 df: 2.919986 (standard tables).
    expect(v.critical).toBeCloseTo(2.919986, 5);
    expect(v.reason).toBe(`mean time in flow 10.0 s against 5.0 s (t = ${t.toFixed(2)} > 2.92, 2 df)`);
    const bar = meanIncreaseVerdict(newer, older, { ...rule, looks: 10 });
    // 0.5 % one-sided with 2 df: 9.924843.
    expect(bar.critical).toBeCloseTo(9.924843, 5);
    expect(bar.verdict).toBe('healthy');
    expect(bar.reason).toBe(`mean time in flow 10.0 s against 5.0 s (t = ${t.toFixed(2)} ≤ 9.92, 2 df)`);
  });
});
