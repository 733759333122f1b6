/** The real-clock sleep, on vitest's fake timers (no real waiting, no dependence on speed). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sleep } from '../../src/platform/time.js';

const DAY = 24 * 3_600_000;

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits the whole of a wait longer than a 32-bit timer (an activation window a month away)', async () => {
    vi.useFakeTimers();
    let done = false;
    const p = sleep(30 * DAY).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(false); // a plain setTimeout fires here, after 1 ms
    await vi.advanceTimersByTimeAsync(29 * DAY);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(DAY);
    await p;
    expect(done).toBe(true);
  });

  it('rejects with the reason when aborted mid-wait, also in a later piece', async () => {
    vi.useFakeTimers();
    const stop = new AbortController();
    const p = sleep(60 * DAY, stop.signal);
    const seen = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(40 * DAY);
    stop.abort(new Error('stop'));
    expect(((await seen) as Error).message).toBe('stop');
  });
});
