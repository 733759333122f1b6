/**
 * The in-use retry of a prune's delete (deploy/prune-in-use.ts): which refusals count as in use,
 * the waits against a brute-force oracle (0.5 s doubling to 10 s, the last cut to the budget), the
 * consumers a refusal names and the seconds as the ledger says them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IN_USE_MAX_DELAY_MS,
  IN_USE_RETRY_MS,
  isInUse,
  namedConsumers,
  nextInUseDelay,
  seconds,
} from '../../src/deploy/prune-in-use.js';
import { ApiError } from '../../src/platform/errors.js';

const refusal = (status: number, code?: string, details?: Array<{ entityName?: string }>) =>
  new ApiError(
    status,
    code === undefined ? undefined : { code, message: 'refused', status, ...(details ? { details } : {}) },
    { method: 'DELETE', path: '/api/v2/flows/f1' },
  );

/** The oracle: the wait doubled once per earlier refusal, capped, and cut to what the budget leaves. */
function oracleDelay(attempt: number, elapsedMs: number, budgetMs: number): number | undefined {
  if (elapsedMs >= budgetMs) return undefined;
  let delay = 500;
  for (let i = 1; i < attempt; i++) delay = Math.min(delay * 2, 10_000);
  return Math.min(delay, 10_000, budgetMs - elapsedMs);
}

describe('prune: a delete refused as in use', () => {
  it('is a 409 with one of the two codes; a lock, another 409 or another status is not', () => {
    expect(isInUse(refusal(409, 'architect.dependency.object.in.use'))).toBe(true);
    expect(isInUse(refusal(409, 'architect.flow.cannot.delete.used.in.flows'))).toBe(true);
    expect(isInUse(refusal(409, 'general.conflict'))).toBe(false);
    expect(isInUse(refusal(409))).toBe(false);
    expect(isInUse(refusal(400, 'architect.dependency.object.in.use'))).toBe(false);
    expect(isInUse(new Error('architect.dependency.object.in.use'))).toBe(false);
  });

  it('waits 0.5 s doubling to 10 s, the last wait cut so the attempts end at the budget', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => nextInUseDelay(a, 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(nextInUseDelay(7, 25_500)).toBe(4500);
    expect(nextInUseDelay(8, IN_USE_RETRY_MS)).toBeUndefined();
    expect(nextInUseDelay(1, 29_999)).toBe(1);
    expect(nextInUseDelay(1, 0, 200)).toBe(200);
    expect(IN_USE_RETRY_MS).toBe(30_000);
    expect(IN_USE_MAX_DELAY_MS).toBe(10_000);
  });

  it('agrees with the oracle on generated attempts, elapsed times and budgets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        (attempt, elapsed, budget) => {
          expect(nextInUseDelay(attempt, elapsed, budget)).toBe(oracleDelay(attempt, elapsed, budget));
        },
      ),
    );
  });

  it('names the consumers the refusal lists, skipping entries without a name', () => {
    const e = refusal(409, 'architect.dependency.object.in.use', [
      { entityName: 'Main IVR' },
      {},
      { entityName: 'Overflow' },
    ]);
    expect(namedConsumers(e)).toEqual(['Main IVR', 'Overflow']);
    expect(namedConsumers(refusal(409, 'architect.dependency.object.in.use'))).toEqual([]);
    expect(namedConsumers(refusal(409))).toEqual([]);
  });

  it('says durations in seconds to a tenth', () => {
    expect([500, 30_000, 1234, 0, 10_050].map(seconds)).toEqual(['0.5 s', '30 s', '1.2 s', '0 s', '10.1 s']);
  });
});
