/**
 * Time, for every layer that reads the clock or waits (limiter, retry, polling, activation windows,
 * the ledger, the audit log, the event hub, the emulator). One clock type everywhere, injected
 * with the real clock as its default, so a test moves time instead of waiting for it.
 */

/** A clock: the current time in epoch milliseconds, as `Date.now` gives it. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();

/** The clock's time as an ISO 8601 timestamp (what the ledger, the logs and the events record). */
export function isoNow(clock: Clock): string {
  return new Date(clock()).toISOString();
}

/** A sleep function: resolves after `ms`, rejects with the signal's reason when it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Node's timers hold a signed 32-bit delay: anything longer (24.8 days) fires after 1 ms with a
 * TimeoutOverflowWarning. An activation window a month away must not publish at once, so long
 * waits are taken in pieces.
 */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Sleeps `ms` on the real clock (any length), rejecting when the signal aborts. */
export const sleep: Sleep = async (ms, signal) => {
  let left = ms;
  do {
    const piece = Math.min(Math.max(left, 0), LONGEST_TIMER_MS);
    await timer(piece, signal);
    left -= piece;
  } while (left > 0);
};

function timer(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const handle = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(handle);
          reject(signal.reason as Error);
        })
      : () => undefined;
  });
}

/**
 * Sleepers waiting on each signal. A run shares one signal (Ctrl-C, the end of an event hub)
 * across every call it makes, and as many calls may be waiting at once as there are retries in
 * flight (a webhook receiver that is down: every event of the run backing off together). One
 * `abort` listener per signal wakes them all; a listener per sleeper passed Node's limit of 10
 * per EventTarget and printed a MaxListenersExceededWarning although nothing leaked.
 */
const waiting = new WeakMap<AbortSignal, { sleepers: Set<() => void>; listener: () => void }>();

/** Calls `wake` once when `signal` aborts; returns the function that cancels it. */
function onAbort(signal: AbortSignal, wake: () => void): () => void {
  let entry = waiting.get(signal);
  if (!entry) {
    const sleepers = new Set<() => void>();
    const listener = () => {
      waiting.delete(signal);
      for (const w of sleepers) w();
    };
    waiting.set(signal, (entry = { sleepers, listener }));
    signal.addEventListener('abort', listener, { once: true });
  }
  const mine = entry;
  mine.sleepers.add(wake);
  return () => {
    mine.sleepers.delete(wake);
    // The last sleeper gone: no listener stays behind on a signal that lives on.
    if (mine.sleepers.size === 0 && waiting.get(signal) === mine) {
      waiting.delete(signal);
      signal.removeEventListener('abort', mine.listener);
    }
  };
}
