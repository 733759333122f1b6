/**
 * Polling an asynchronous platform process (an Architect operation, an import job, an audit
 * query) with exponential backoff until it reaches an end state or a deadline.
 */
import { sleep, type Clock, type Sleep } from '../shared/time.js';

/** Polling options. */
export interface PollOptions {
  /** First delay; doubles up to `maxIntervalMs`. @default 250 */
  intervalMs?: number;
  /** @default 5000 */
  maxIntervalMs?: number;
  /** Give up after this long. */
  timeoutMs?: number;
  /** @default the real clock's {@link sleep} */
  sleep?: Sleep;
  /** @default Date.now */
  now?: Clock;
  signal?: AbortSignal;
}

/**
 * Calls `check` until it returns a value; waits with backoff between calls; throws `onTimeout()`
 * when the next wait would pass the deadline.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: PollOptions,
  defaultTimeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  const wait = options.sleep ?? sleep;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? defaultTimeoutMs);
  let delay = options.intervalMs ?? 250;
  for (;;) {
    const done = await check();
    if (done !== undefined) return done;
    if (now() + delay > deadline) throw onTimeout();
    options.signal?.throwIfAborted();
    await wait(delay);
    delay = Math.min(delay * 2, options.maxIntervalMs ?? 5_000);
  }
}
