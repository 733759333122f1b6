/**
 * The platform's clock, as its answers tell it: every HTTP response carries a `Date` header, the
 * origin server's time when it answered (RFC 9110 §6.6.1, one-second resolution). Reports about the
 * org's data ("the last hour", "since the publish") are taken on that clock, not this machine's,
 * which may be off, or far off from an emulator whose clock was moved.
 */
import type { Clock } from '../shared/time.js';

/** The org's time as of its last answer, advanced by the time elapsed here since. */
export class ServerClock {
  private offsetMs: number | undefined;

  constructor(private readonly localNow: Clock = Date.now) {}

  /** Takes the `Date` header of an answer received now; ignores a missing or unparsable one. */
  observe(dateHeader: string | null | undefined): void {
    if (!dateHeader) return;
    const server = Date.parse(dateHeader);
    if (Number.isNaN(server)) return;
    this.offsetMs = server - this.localNow();
  }

  /** The platform's time now (to the second), or `undefined` before any answer with a `Date`. */
  now(): number | undefined {
    return this.offsetMs === undefined ? undefined : this.localNow() + this.offsetMs;
  }
}
