/**
 * The client-side limiter shared by every request made with one token. Genesys allows 300 requests
 * per minute per client-credentials token by default (`client.credentials.token.rate.per.minute`,
 * docs/platform-api.md#rate-limits). A token bucket paces requests at that rate with a small burst; a 429 anywhere
 * starts a shared cooldown so that concurrent work slows down together instead of storming.
 */
import { sleep, type Sleep, type Clock } from '../shared/time.js';

/** Limiter options. */
export interface RateLimiterOptions {
  /** Requests per minute. @default 300 (docs/platform-api.md#rate-limits) */
  requestsPerMinute?: number;
  /** Requests that may go at once after a quiet period. @default 5 */
  burst?: number;
  /** Clock. @default Date.now */
  now?: Clock;
  /** Sleep. @default the real clock's sleep (`shared/time.ts`) */
  sleep?: Sleep;
}

/** A token-bucket limiter with a shared cooldown. */
export class RateLimiter {
  readonly requestsPerMinute: number;
  readonly burst: number;
  private readonly intervalMs: number;
  private readonly now: Clock;
  private readonly sleepFn: Sleep;
  /** The earliest time the next request may start (GCRA "theoretical arrival time"). */
  private nextFree = 0;
  private cooldownUntil = 0;
  /** Requests granted so far. */
  granted = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.requestsPerMinute = options.requestsPerMinute ?? 300;
    if (!(this.requestsPerMinute > 0)) throw new RangeError('requestsPerMinute must be positive');
    this.burst = Math.max(1, Math.floor(options.burst ?? 5));
    this.intervalMs = 60_000 / this.requestsPerMinute;
    this.now = options.now ?? Date.now;
    this.sleepFn = options.sleep ?? sleep;
  }

  /**
   * Waits for a slot. Slots are handed out in call order (reserved synchronously), so N callers
   * over T ms never exceed `burst + T / interval` requests.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      const start = Math.max(now, this.cooldownUntil, this.nextFree - (this.burst - 1) * this.intervalMs);
      // Reserve the slot now (first come, first served), then wait for it.
      this.nextFree = Math.max(this.nextFree, start) + this.intervalMs;
      if (start > now) await this.sleepFn(start - now, signal);
      // A 429 elsewhere may have started a cooldown while this caller waited.
      if (this.cooldownUntil > this.now()) continue;
      this.granted++;
      return;
    }
  }

  /** Holds every request back until `ms` from now (a 429's Retry-After). */
  cooldown(ms: number): void {
    this.cooldownUntil = Math.max(this.cooldownUntil, this.now() + ms);
  }

  /** When the current cooldown ends (0 when none). */
  get cooldownEndsAt(): number {
    return this.cooldownUntil;
  }
}
