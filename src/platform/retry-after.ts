/**
 * `Retry-After` parsing (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Genesys sends seconds on
 * every 429 since 2021 (docs/platform-api.md#rate-limits); dates are accepted for proxies in between. Semantics after ky's
 * `retry-timing.ts`: a server-given delay is never jittered.
 */

/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full-jitter exponential backoff (AWS Architecture Blog): random in [0, min(cap, base·2^attempt)). */
export function fullJitterDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
