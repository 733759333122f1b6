/**
 * Opening a ledger that another process is turning to WAL (ledger/sqlite-busy.ts): SQLITE_BUSY
 * answered at once, without the busy handler, is tried again with back-off for as long as the busy
 * handler would have waited; any other error, and a busy past the deadline, is thrown as it came.
 * The clock is the test's: nothing waits.
 */
import { describe, expect, it } from 'vitest';
import { isBusy, OPEN_BUSY_MS, retryWhileBusy, type BusyClock } from '../../src/ledger/sqlite-busy.js';

const busy = (code = 'SQLITE_BUSY') => Object.assign(new Error('database is locked'), { code });

function fakeClock(): BusyClock & { blocks: number[] } {
  let t = 0;
  const blocks: number[] = [];
  return { blocks, now: () => t, block: (ms) => void (blocks.push(ms), (t += ms)) };
}

describe('retryWhileBusy', () => {
  it('tries again after each busy answer, 5 ms doubling to 200 ms, and returns what succeeds', () => {
    const clock = fakeClock();
    let calls = 0;
    const value = retryWhileBusy(
      () => {
        if (++calls <= 8) throw busy(calls % 2 ? 'SQLITE_BUSY' : 'SQLITE_BUSY_RECOVERY');
        return 'open';
      },
      OPEN_BUSY_MS,
      clock,
    );
    expect(value).toBe('open');
    expect(calls).toBe(9);
    expect(clock.blocks).toEqual([5, 10, 20, 40, 80, 160, 200, 200]);
  });

  it('throws the busy answer once the wait is spent, having waited exactly that long', () => {
    const clock = fakeClock();
    const last = busy();
    expect(() =>
      retryWhileBusy(
        () => {
          throw last;
        },
        1_000,
        clock,
      ),
    ).toThrow(last);
    expect(clock.blocks.reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it('throws any other error at once', () => {
    const clock = fakeClock();
    const other = Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });
    expect(() =>
      retryWhileBusy(
        () => {
          throw other;
        },
        OPEN_BUSY_MS,
        clock,
      ),
    ).toThrow(other);
    expect(clock.blocks).toEqual([]);
  });

  it('knows SQLITE_BUSY and its extended codes, nothing else', () => {
    expect(
      [
        busy(),
        busy('SQLITE_BUSY_SNAPSHOT'),
        busy('SQLITE_LOCKED'),
        new Error('x'),
        undefined,
        'SQLITE_BUSY',
      ].map(isBusy),
    ).toEqual([true, true, false, false, false, false]);
  });
});
