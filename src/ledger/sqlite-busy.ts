/**
 * SQLite answers SQLITE_BUSY at once, without calling the busy handler that `timeout` sets, when
 * waiting could deadlock or while another connection recovers or converts the file: "the busy
 * handler is not invoked … if SQLite determines that invoking the busy handler could result in a
 * deadlock" (https://www.sqlite.org/c3ref/busy_handler.html), and a WAL file being recovered
 * answers SQLITE_BUSY_RECOVERY (https://www.sqlite.org/rescode.html#busy_recovery). Several runners
 * opening one new ledger at once meet this while the first turns WAL on (seen as LEDGER_OPEN
 * "database is locked" after 27 ms, once in 180 opens of six processes at once), so opening is
 * retried, with back-off, up to the same 10 s the busy handler waits.
 */

/** How long opening waits for a ledger file another process holds. */
export const OPEN_BUSY_MS = 10_000;

/** What {@link retryWhileBusy} needs from a clock: tests pass their own. */
export interface BusyClock {
  now(): number;
  /** Blocks for `ms` (opening is synchronous, as better-sqlite3 is). */
  block(ms: number): void;
}

const realClock: BusyClock = {
  now: Date.now,
  block: (ms) => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms),
};

/** Whether a better-sqlite3 error is SQLITE_BUSY or one of its extended codes. */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Runs `f`, again after each SQLITE_BUSY (5 ms, doubling to 200 ms) until `waitMs` have passed. */
export function retryWhileBusy<T>(f: () => T, waitMs = OPEN_BUSY_MS, clock: BusyClock = realClock): T {
  const deadline = clock.now() + waitMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      return f();
    } catch (e) {
      if (!isBusy(e) || clock.now() >= deadline) throw e;
      clock.block(Math.min(wait, Math.max(1, deadline - clock.now())));
    }
  }
}
