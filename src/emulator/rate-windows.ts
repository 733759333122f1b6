/**
 * The per-token request limit (docs/platform-api.md#rate-limits: `client.credentials.token.rate.per.minute`), in fixed
 * one-minute windows on the org's simulated clock, so advancing the clock opens a new window.
 */
import type { Clock } from '../shared/time.js';

/** Rate-limit windows per token. */
export class RateWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: Clock) {}

  /** Counts a request; returns the seconds to wait when it is over the limit, else undefined. */
  count(token: string, perMinute: number): number | undefined {
    const now = this.now();
    let w = this.windows.get(token);
    if (!w || now - w.start >= 60_000 || now < w.start) {
      // Forget windows of tokens that went quiet, so a long-running emulator does not grow.
      if (this.windows.size > 10_000)
        for (const [t, x] of this.windows) if (now - x.start >= 60_000) this.windows.delete(t);
      this.windows.set(token, (w = { start: now, count: 0 }));
    }
    w.count++;
    return w.count > perMinute ? Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000)) : undefined;
  }
}
