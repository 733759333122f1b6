/** The real-clock sleep, on vitest's fake timers (no real waiting, no dependence on speed). */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sleep } from '../../src/shared/time.js';

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

  it('many sleepers on one signal hold one abort listener (no MaxListenersExceededWarning), all woken by an abort, none left after', async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const stop = new AbortController();
      // A webhook receiver that is down: every event of a run backing off at once on the hub's signal.
      const finished = Array.from({ length: 50 }, (_, i) => sleep(1_000 + i, stop.signal));
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(2_000);
      await Promise.all(finished);
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
      const aborted = Array.from({ length: 50 }, () =>
        sleep(60_000, stop.signal).catch((e: Error) => e.message),
      );
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
      stop.abort(new Error('stop'));
      expect(new Set(await Promise.all(aborted))).toEqual(new Set(['stop']));
      vi.useRealTimers();
      await new Promise((r) => setImmediate(r)); // Node emits the warning on a later tick
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
