import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { RateLimiter } from '../../src/platform/rate-limiter.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { virtualClock as sharedClock } from '../helpers/virtual-clock.js';

/** A virtual clock whose sleep advances time. */
function virtualClock() {
  let t = 0;
  return { now: () => t, sleep: (ms: number) => ((t += ms), Promise.resolve()) };
}

describe('the shared rate limiter', () => {
  test.prop(
    [fc.integer({ min: 1, max: 60 }), fc.integer({ min: 60, max: 6000 }), fc.integer({ min: 1, max: 10 })],
    { numRuns: 60 },
  )(
    'N requests at R per minute with burst B take at least (N - B) · 60/R seconds, and no more than one interval extra',
    async (n, rpm, burst) => {
      const clock = virtualClock();
      const limiter = new RateLimiter({ requestsPerMinute: rpm, burst, ...clock });
      const grants: number[] = [];
      for (let i = 0; i < n; i++) {
        await limiter.acquire();
        grants.push(clock.now());
      }
      const interval = 60_000 / rpm;
      const elapsed = grants.at(-1)!;
      expect(elapsed).toBeGreaterThanOrEqual(Math.max(0, n - burst) * interval - 1e-6);
      expect(elapsed).toBeLessThanOrEqual(Math.max(0, n - burst) * interval + interval + 1e-6);
      // In any window of length w, at most burst + w/interval requests start.
      for (let i = 0; i < grants.length; i++) {
        for (let j = i; j < grants.length; j++)
          expect(j - i + 1).toBeLessThanOrEqual(burst + (grants[j]! - grants[i]!) / interval + 1e-9);
      }
    },
  );

  it('a cooldown holds every caller back', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 6000, burst: 10, ...clock });
    limiter.cooldown(5_000);
    await limiter.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
  });

  const e = useEmulator();
  it('paces real requests over HTTP no faster than the bound', async () => {
    const emu = e.get();
    // The client's own clock (virtual: the pacing is checked, not waited for).
    const clock = sharedClock();
    const { client } = clientFor(emu, { requestsPerMinute: 1200, burst: 1, ...clock });
    await client.org.tokenInfo();
    emu.control.clearRequests();
    const started = clock.now();
    await Promise.all(Array.from({ length: 10 }, () => client.org.tokenInfo()));
    // 1200/min = one request per 50 ms: after the first request's slot, each of the ten waits
    // for the next 50 ms one (on the client's clock, in call order).
    expect(clock.wakes.map((w) => w - started)).toEqual(Array.from({ length: 10 }, (_, k) => (k + 1) * 50));
    expect(clock.now() - started).toBe(10 * 50);
    expect(client.limiter.granted).toBe(11);
    expect(emu.control.requests().filter((r) => r.path === '/api/v2/tokens/me')).toHaveLength(10);
  });
});
