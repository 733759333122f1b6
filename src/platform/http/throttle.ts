/**
 * Throttling as a layer (octokit's plugin-throttling): every attempt takes a slot from the limiter
 * shared by all calls made with one token. The retry layer's `onRateLimited` feeds the limiter's
 * cooldown, so a 429 slows every concurrent call, not only the one that saw it.
 */
import type { RateLimiter } from '../rate-limiter.js';
import type { Send } from './send.js';

/** Wraps a sender so that each attempt waits for a limiter slot. */
export function withThrottle(send: Send, limiter: RateLimiter): Send {
  return async (request) => {
    await limiter.acquire(request.signal);
    return send(request);
  };
}
