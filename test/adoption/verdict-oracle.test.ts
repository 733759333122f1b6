/**
 * The health verdict against a brute-force oracle (README, "health gate": H₀ p₁ ≤ p₀ + m, one
 * sided at the confidence, Bonferroni over the looks, *insufficient* while either side is below
 * the minimum). The oracle shares no code with `adoption/stats.ts`: its normal tail is a Simpson
 * integral of the density, and it decides by the p-value of the statistic, not by a quantile.
 * Then the gate itself: every look is judged at the bar of all its looks, so the chance of a
 * false *degraded* over the whole watch stays at or below 1 − confidence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { healthVerdict, type GateRule } from '../../src/adoption/stats.js';
import { runHealthGate } from '../../src/deploy/health-gate.js';
import { librarySession, workspace } from '../helpers/deploy.js';
import { flowId, useEmulator } from '../helpers/emulator.js';

/** P(Z > z) for a standard normal Z: Simpson's rule over the density from z to 12. */
function upperTail(z: number): number {
  if (z >= 12) return 0;
  const from = Math.max(z, -12);
  const n = 4000;
  const h = (12 - from) / n;
  const f = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let s = f(from) + f(12);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(from + i * h);
  const tail = (s * h) / 3;
  return z < -12 ? 1 : tail;
}

const criticals = new Map<number, number>();

/** The smallest x (to 1e-10) with P(Z > x) ≤ alpha: the one-sided critical value, by bisection. */
function criticalOracle(alpha: number): number {
  const known = criticals.get(alpha);
  if (known !== undefined) return known;
  let lo = -12;
  let hi = 12;
  while (hi - lo > 1e-10) {
    const mid = (lo + hi) / 2;
    if (upperTail(mid) > alpha) lo = mid;
    else hi = mid;
  }
  criticals.set(alpha, hi);
  return hi;
}

type Side = { failed: number; total: number };
type Oracle = { verdict: 'healthy' | 'degraded' | 'insufficient'; pValue?: number; alpha: number };

/** The stated rule, computed the long way. */
function oracle(newer: Side, older: Side, rule: GateRule): Oracle {
  const alpha = (1 - rule.confidence) / Math.max(1, rule.looks);
  if (newer.total < rule.minExecutions || older.total < rule.minExecutions)
    return { verdict: 'insufficient', alpha };
  const p1 = newer.failed / newer.total;
  const p0 = older.failed / older.total;
  const pooled = (newer.failed + older.failed) / (newer.total + older.total);
  const variance = pooled * (1 - pooled) * (1 / newer.total + 1 / older.total);
  // No spread at all: both sides failed alike (all or none), so p1 − p0 − m ≤ 0 for any m ≥ 0.
  if (variance === 0) return { verdict: 'healthy', pValue: 1, alpha };
  const pValue = upperTail((p1 - p0 - rule.margin) / Math.sqrt(variance));
  return { verdict: pValue < alpha ? 'degraded' : 'healthy', pValue, alpha };
}

const ruleArb = fc.record({
  confidence: fc.constantFrom(0.8, 0.9, 0.95, 0.99),
  minExecutions: fc.integer({ min: 1, max: 400 }),
  margin: fc.integer({ min: 0, max: 100 }).map((k) => k / 1000),
  looks: fc.integer({ min: 1, max: 6 }),
});

/**
 * A side's counts: a total around the minimum (either side of it), failures at a rate near `base`.
 * Rates and margins are whole thousandths: fast-check's doubles favour extreme values (0, the
 * smallest subnormals), which would leave the margin all but untested.
 */
const sideArb = (rule: GateRule, base: number) =>
  fc.tuple(fc.integer({ min: -60, max: 1500 }), fc.integer({ min: -50, max: 150 })).map(([offset, delta]) => {
    const total = Math.max(0, rule.minExecutions + offset);
    const rate = Math.min(1, Math.max(0, base + delta / 1000));
    return { total, failed: Math.round(rate * total) };
  });

const caseArb = ruleArb.chain((rule) =>
  fc
    .double({ min: 0, max: 0.3, noNaN: true })
    .chain((base) => fc.tuple(fc.constant(rule), sideArb(rule, base), sideArb(rule, base))),
);

describe('healthVerdict against the oracle', () => {
  it('property: the same verdict and critical value as the stated rule, on generated counts', () => {
    let decided = 0;
    fc.assert(
      fc.property(caseArb, ([rule, newer, older]) => {
        const want = oracle(newer, older, rule);
        // A statistic within rounding of the bar could go either way in floating point.
        fc.pre(want.pValue === undefined || Math.abs(want.pValue - want.alpha) > 1e-7);
        const got = healthVerdict(newer, older, rule);
        expect(got.verdict).toBe(want.verdict);
        expect(got.critical).toBeCloseTo(criticalOracle(want.alpha), 6);
        if (want.verdict !== 'insufficient') decided++;
      }),
      { numRuns: 1500, seed: 2208 },
    );
    // The generator reaches both sides of the minimum and of the bar.
    expect(decided).toBeGreaterThan(300);
  });

  it('the margin: 2.5 % against 1 % is degraded beyond no margin, healthy within a margin of 1 point', () => {
    const newer = { failed: 25, total: 1000 };
    const older = { failed: 10, total: 1000 };
    const rule = { confidence: 0.95, minExecutions: 200, looks: 1 };
    expect(healthVerdict(newer, older, { ...rule, margin: 0 }).verdict).toBe('degraded');
    expect(oracle(newer, older, { ...rule, margin: 0 }).verdict).toBe('degraded');
    expect(healthVerdict(newer, older, { ...rule, margin: 0.01 }).verdict).toBe('healthy');
    expect(oracle(newer, older, { ...rule, margin: 0.01 }).verdict).toBe('healthy');
  });

  it('the minimum on each side: a clear degradation is insufficient while either side is short', () => {
    const rule = { confidence: 0.95, minExecutions: 200, margin: 0.01, looks: 1 };
    const bad = { failed: 900, total: 1000 };
    const good = { failed: 0, total: 1000 };
    expect(healthVerdict(bad, good, rule).verdict).toBe('degraded');
    expect(healthVerdict({ failed: 199, total: 199 }, good, rule).verdict).toBe('insufficient');
    expect(healthVerdict(bad, { failed: 0, total: 199 }, rule).verdict).toBe('insufficient');
    expect(healthVerdict({ failed: 200, total: 200 }, { failed: 0, total: 200 }, rule).verdict).toBe(
      'degraded',
    );
  });
});

describe('the health gate judges every look at the bar of all its looks', () => {
  const e = useEmulator();

  it('three looks at 95 %: each look tests at 5 %/3, so all three together stay at or below 5 %', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0, to: Date.parse('2030-01-07T09:00:00Z') });
    const id = flowId(emu, 'Main IVR');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 60, failureProbability: 0.02 });
    emu.control.setTraffic({ flowId: id, version: '3.0', failureProbability: 0.02 });
    emu.control.setTraffic({ flowId: id, version: '2.0', failureProbability: 0.02 });
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '2.0'\n",
    });
    const s = librarySession(emu, dir);
    const now = () => emu.control.org.now();
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const { outcome } = await s.deploy({ now, poll: { intervalMs: 20, sleep: advance, now } });
    const looks: Array<{ verdict: string; z: number | null; critical: number }> = [];
    await runHealthGate(
      outcome.deploymentId,
      { windowMs: 60 * 60_000, looks: 3, rule: { confidence: 0.95 } },
      {
        client: s.client,
        ledger: s.ledger,
        now,
        sleep: advance,
        poll: { intervalMs: 20, sleep: advance, now },
        onVerdict: ({ verdict }) => void looks.push(verdict),
      },
    );
    const bar = criticalOracle(0.05 / 3);
    expect(looks).toHaveLength(3);
    for (const v of looks) {
      expect(v.critical).toBeCloseTo(bar, 6);
      if (v.z !== null) expect(v.verdict).toBe(v.z > bar ? 'degraded' : 'healthy');
    }
    // Union bound over the looks: 3 × (5 %/3) = 5 %.
    expect(3 * upperTail(bar)).toBeLessThanOrEqual(0.05 + 1e-9);
  });
});
