/**
 * OAuth client credentials (docs/platform-api.md#oauth-client-credentials): `POST https://login.{env}/oauth/token` with HTTP Basic
 * auth and `grant_type=client_credentials`. The token is cached and renewed before it expires;
 * concurrent callers share one renewal (the smithy `memoize` pattern); a 401 from the API
 * invalidates it so the next caller renews once.
 */
import { AuthError, NetworkError, RedirectError } from './errors.js';
import { isRedirect, locationOrigin } from './http/send.js';
import type { Redactor } from './redact.js';
import { fullJitterDelay, parseRetryAfter } from './retry-after.js';
import { sleep, type Clock } from '../shared/time.js';

/** Client credentials; the secret comes from env or a file, never from a flag. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Token provider options. */
export interface TokenProviderOptions {
  credentials: ClientCredentials;
  loginBaseUrl: string;
  fetch?: typeof fetch;
  now?: Clock;
  redactor: Redactor;
  /** Renew this long before expiry. @default 5 minutes, or 10 % of the lifetime when that is shorter */
  refreshSkewMs?: number;
  /** Per-attempt timeout of the token request. @default 16000 (the JS SDK's default timeout) */
  timeoutMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A cached token. */
export interface CachedToken {
  accessToken: string;
  expiresAt: number;
  obtainedAt: number;
}

/** Single-flight, early-renewing client-credentials token cache. */
export class TokenProvider {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  /** Number of token requests sent (for tests and metrics). */
  requests = 0;
  private readonly fetchFn: typeof fetch;
  private readonly now: Clock;

  constructor(private readonly options: TokenProviderOptions) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    const { clientId, clientSecret } = options.credentials;
    options.redactor.add(clientSecret);
    // The Basic credentials are the secret too, whichever way a server echoes them.
    options.redactor.add(Buffer.from(`${clientId}:${clientSecret}`).toString('base64'));
  }

  /** A valid access token, renewing it when it is about to expire. */
  async getToken(): Promise<string> {
    const c = this.cached;
    if (c && this.now() < c.expiresAt - this.skew(c)) return c.accessToken;
    return (await this.renew()).accessToken;
  }

  /** Drops a token the API refused, unless a newer one has already replaced it. */
  invalidate(token: string): void {
    if (this.cached?.accessToken === token) this.cached = undefined;
  }

  /** The cached token's expiry (for diagnostics), if any. */
  get expiresAt(): number | undefined {
    return this.cached?.expiresAt;
  }

  private skew(c: CachedToken): number {
    if (this.options.refreshSkewMs !== undefined) return this.options.refreshSkewMs;
    const lifetime = c.expiresAt - c.obtainedAt;
    return Math.min(5 * 60_000, lifetime * 0.1);
  }

  private renew(): Promise<CachedToken> {
    // Concurrent callers share one renewal.
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async request(): Promise<CachedToken> {
    const { credentials, loginBaseUrl, redactor } = this.options;
    const url = `${loginBaseUrl}/oauth/token`;
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    const random = this.options.random ?? Math.random;
    const wait = this.options.sleep ?? sleep;
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      this.requests++;
      const obtainedAt = this.now();
      let res: Response;
      try {
        res = await this.fetchFn(url, {
          method: 'POST',
          headers: {
            authorization: `Basic ${basic}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: 'grant_type=client_credentials',
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 16_000),
          // A followed redirect would send the client secret (Basic) to whatever host it names.
          redirect: 'manual',
        });
      } catch (e) {
        lastError = e;
        await wait(fullJitterDelay(attempt, 500, 8_000, random));
        continue;
      }
      if (isRedirect(res.status) || res.type === 'opaqueredirect') {
        await res.body?.cancel();
        // The target is the server's word: redacted like any text it sends.
        const to = locationOrigin(res.headers.get('location'), url);
        throw new RedirectError({ method: 'POST', path: url }, res.status, to && redactor.redact(to));
      }
      if (res.status === 429 || res.status >= 500) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now());
        await res.body?.cancel();
        lastError = new Error(`HTTP ${res.status}`);
        await wait(retryAfter ?? fullJitterDelay(attempt, 500, 8_000, random));
        continue;
      }
      const text = await res.text();
      let body: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        /* an HTML error page: handled below */
      }
      if (!res.ok || typeof body.access_token !== 'string') {
        throw new AuthError(
          res.status,
          typeof body.error === 'string' ? redactor.redact(body.error) : undefined,
          loginBaseUrl,
        );
      }
      const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 86_400;
      redactor.add(body.access_token);
      const token = { accessToken: body.access_token, obtainedAt, expiresAt: obtainedAt + expiresIn * 1000 };
      this.cached = token;
      return token;
    }
    throw new NetworkError({ method: 'POST', path: '/oauth/token' }, lastError, 4);
  }
}
