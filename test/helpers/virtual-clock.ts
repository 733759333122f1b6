/**
 * A virtual clock for the layers that wait (limiter, retry, polling, activation windows): `sleep`
 * never waits in real time, and time moves only when the next sleeper is due. Sleepers wake one at
 * a time, each after everything already runnable has run (a macrotask turn), so concurrent callers
 * see time pass for all of them at once, as on a real clock: a request that starts while another
 * one sleeps computes its own wait from the same `now`.
 */
import type { Sleep } from '../../src/shared/time.js';

/** A clock and the sleep that moves it. */
export interface VirtualClock {
  now: () => number;
  sleep: Sleep;
  /** Every wait asked for, in order. */
  waits: number[];
  /** The time each sleeper woke at, in order. */
  wakes: number[];
}

/** A virtual clock starting at `start` (epoch ms). */
export function virtualClock(start = Date.parse('2030-01-07T09:00:00Z')): VirtualClock {
  let t = start;
  const sleepers: Array<{ at: number; seq: number; wake: () => void }> = [];
  const waits: number[] = [];
  const wakes: number[] = [];
  let seq = 0;
  let scheduled = false;
  const drive = () => {
    scheduled = false;
    sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = sleepers.shift();
    if (!next) return;
    t = Math.max(t, next.at);
    wakes.push(t);
    next.wake();
    if (sleepers.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drive);
  };
  const sleep: Sleep = (ms, signal) => {
    waits.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const sleeper = {
        at: t + Math.max(0, ms),
        seq: seq++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = sleepers.indexOf(sleeper);
        if (i >= 0) sleepers.splice(i, 1);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      sleepers.push(sleeper);
      schedule();
    });
  };
  return { now: () => t, sleep, waits, wakes };
}
