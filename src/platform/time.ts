/** Waiting, for every layer that waits (limiter, retry, polling, activation windows). */

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
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
