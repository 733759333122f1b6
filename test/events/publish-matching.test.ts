/**
 * The pairing of flowgate's publish records with the platform's audit entries (issue 20 §1),
 * against a brute-force oracle that tries every pairing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compatible, matchInTime, type MatchWindow } from '../../src/events/publish-matching.js';

const WINDOW: MatchWindow = { beforeMs: 600_000, afterMs: 60_000 };

/** The best (most pairs, then least total distance) over every pairing, by enumeration. */
function bruteForce(local: number[], platform: number[], w: MatchWindow): { count: number; cost: number } {
  let best = { count: 0, cost: 0 };
  const used = new Array<boolean>(platform.length).fill(false);
  const visit = (i: number, count: number, cost: number) => {
    if (i === local.length) {
      if (count > best.count || (count === best.count && cost < best.cost)) best = { count, cost };
      return;
    }
    visit(i + 1, count, cost);
    platform.forEach((p, j) => {
      if (used[j] || !compatible(local[i]!, p, w)) return;
      used[j] = true;
      visit(i + 1, count + 1, cost + Math.abs(local[i]! - p));
      used[j] = false;
    });
  };
  visit(0, 0, 0);
  return best;
}

describe('matchInTime', () => {
  it('a publish 58 s after the pipeline’s does not take its place', () => {
    const t = Date.UTC(2026, 10, 25, 12, 46, 1);
    // flowgate recorded its publish 400 ms after the platform finished it.
    const m = matchInTime([t + 400], [t, t + 58_000], WINDOW);
    expect(m.pairs).toEqual([[0, 0]]);
    expect(m.unmatchedPlatform).toEqual([1]);
  });

  it('finds as many pairs as any pairing can, with the least total distance (brute force)', () => {
    // Times on a coarse grid so that ties, window edges and crowded clusters all occur.
    const time = fc.integer({ min: 0, max: 40 }).map((k) => k * 30_000);
    fc.assert(
      fc.property(
        fc.array(time, { maxLength: 5 }),
        fc.array(time, { maxLength: 5 }),
        fc.record({
          beforeMs: fc.integer({ min: 0, max: 8 }).map((k) => k * 30_000),
          afterMs: fc.integer({ min: 0, max: 8 }).map((k) => k * 30_000),
        }),
        (local, platform, w) => {
          const m = matchInTime(local, platform, w);
          const oracle = bruteForce(local, platform, w);
          // A pairing: each index at most once, every pair within its window.
          expect(new Set(m.pairs.map(([a]) => a)).size).toBe(m.pairs.length);
          expect(new Set(m.pairs.map(([, b]) => b)).size).toBe(m.pairs.length);
          for (const [a, b] of m.pairs) expect(compatible(local[a]!, platform[b]!, w)).toBe(true);
          expect(m.unmatchedLocal.length + m.pairs.length).toBe(local.length);
          expect(m.unmatchedPlatform.length + m.pairs.length).toBe(platform.length);
          // Optimal.
          expect(m.pairs.length).toBe(oracle.count);
          expect(m.pairs.reduce((s, [a, b]) => s + Math.abs(local[a]! - platform[b]!), 0)).toBe(oracle.cost);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('work grows with the clusters, not with the whole history: 20,000 daily publishes pair in one pass', () => {
    const day = 86_400_000;
    const local = Array.from({ length: 20_000 }, (_, i) => i * day + 500);
    const platform = Array.from({ length: 20_000 }, (_, i) => i * day);
    const m = matchInTime(local, platform, WINDOW);
    expect(m.pairs).toHaveLength(20_000);
    expect(m.pairs.every(([a, b]) => a === b)).toBe(true);
  });
});
