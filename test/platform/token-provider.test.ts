/**
 * The token provider (src/platform/token-provider.ts) against a real HTTP server on 127.0.0.1 that
 * answers from a script, with the provider's clock and sleep injected: the retry budget, the waits
 * it takes, the expiry it computes and when it renews, and exactly what it sends. The emulator's
 * token endpoint (test/platform/token.test.ts) cannot answer 5xx or drop a connection on demand.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isFlowgateError } from '../../src/errors.js';
import { Redactor } from '../../src/platform/redact.js';
import { TokenProvider, type TokenProviderOptions } from '../../src/platform/token-provider.js';

type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'drop'; // the connection closed without an answer

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A token endpoint answering `script` in order (the last answer repeats). */
async function endpoint(script: Answer[]) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = script[Math.min(seen.length - 1, script.length - 1)]!;
      if (a === 'drop') return req.socket.destroy();
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const ok = (token: string, expiresIn?: unknown): Answer => ({
  status: 200,
  body: JSON.stringify({
    access_token: token,
    token_type: 'bearer',
    ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
  }),
});

/** A provider on a clock that moves only when the test (or a sleep) moves it. */
function provider(url: string, o: Partial<TokenProviderOptions> = {}) {
  let t = 1_000_000;
  const waits: number[] = [];
  const redactor = new Redactor();
  const p = new TokenProvider({
    credentials: { clientId: 'client-1', clientSecret: 'secret-1' },
    loginBaseUrl: url,
    redactor,
    now: () => t,
    random: () => 0.5,
    sleep: (ms) => {
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
    ...o,
  });
  return { p, waits, redactor, advance: (ms: number) => (t += ms), now: () => t };
}

async function failure(
  p: Promise<unknown>,
): Promise<Record<string, unknown> & { code: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isFlowgateError(e)) throw new Error(`expected a FlowgateError, got ${String(e)}`);
  return e as unknown as Record<string, unknown> & { code: string; message: string };
}

describe('the token request', () => {
  it('POSTs the client-credentials grant to /oauth/token with Basic auth, JSON accepted, no redirect followed', async () => {
    const s = await endpoint([ok('tok-1')]);
    const { p } = provider(s.url);
    expect(await p.getToken()).toBe('tok-1');
    expect(s.seen).toHaveLength(1);
    expect(s.seen[0]).toMatchObject({
      method: 'POST',
      url: '/oauth/token',
      body: 'grant_type=client_credentials',
      headers: {
        authorization: `Basic ${Buffer.from('client-1:secret-1').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
    });
    expect(p.requests).toBe(1);
  });

  it('the token, the secret and the Basic credentials are registered with the redactor', async () => {
    const s = await endpoint([ok('tok-registered')]);
    const { p, redactor } = provider(s.url);
    await p.getToken();
    const basic = Buffer.from('client-1:secret-1').toString('base64');
    expect(redactor.redact(`a tok-registered b secret-1 c ${basic}`)).toBe(
      'a [REDACTED] b [REDACTED] c [REDACTED]',
    );
  });
});

describe('expiry and renewal', () => {
  it('expires_in sets the expiry; without it (or when not a positive number) a day is assumed', async () => {
    for (const [given, seconds] of [
      [120, 120],
      [undefined, 86_400],
      [0, 86_400],
      [-5, 86_400],
      ['3600', 86_400],
    ] as const) {
      const s = await endpoint([ok('t', given)]);
      const { p, now } = provider(s.url);
      expect(p.expiresAt).toBeUndefined();
      await p.getToken();
      expect(p.expiresAt, `expires_in ${String(given)}`).toBe(now() + seconds * 1000);
    }
  });

  it('a long-lived token is renewed 5 minutes before it expires, not earlier', async () => {
    const s = await endpoint([ok('day-1', 86_400), ok('day-2', 86_400)]);
    const { p, advance } = provider(s.url);
    await p.getToken();
    advance(86_400_000 - 5 * 60_000 - 1);
    expect(await p.getToken()).toBe('day-1');
    advance(1);
    expect(await p.getToken()).toBe('day-2');
    expect(s.seen).toHaveLength(2);
  });

  it('a short-lived token is renewed when 10 % of its lifetime is left', async () => {
    const s = await endpoint([ok('short-1', 100), ok('short-2', 100)]);
    const { p, advance } = provider(s.url);
    await p.getToken();
    advance(90_000 - 1);
    expect(await p.getToken()).toBe('short-1');
    advance(1);
    expect(await p.getToken()).toBe('short-2');
  });

  it('refreshSkewMs replaces the default renewal margin', async () => {
    const s = await endpoint([ok('skew-1', 100), ok('skew-2', 100)]);
    const { p, advance } = provider(s.url, { refreshSkewMs: 30_000 });
    await p.getToken();
    advance(70_000 - 1);
    expect(await p.getToken()).toBe('skew-1');
    advance(1);
    expect(await p.getToken()).toBe('skew-2');
  });

  it('invalidate drops the cached token it names, and only that one', async () => {
    const s = await endpoint([ok('inv-1', 3600), ok('inv-2', 3600)]);
    const { p } = provider(s.url);
    await p.getToken();
    p.invalidate('some-older-token');
    expect(await p.getToken()).toBe('inv-1');
    expect(s.seen).toHaveLength(1);
    p.invalidate('inv-1');
    expect(p.expiresAt).toBeUndefined();
    expect(await p.getToken()).toBe('inv-2');
    expect(s.seen).toHaveLength(2);
  });

  it('a renewal that failed is not shared with the next caller: it asks again', async () => {
    const s = await endpoint([{ status: 401, body: '{"error":"invalid_client"}' }, ok('after-401')]);
    const { p } = provider(s.url);
    expect((await failure(p.getToken())).code).toBe('AUTH_FAILED');
    expect(await p.getToken()).toBe('after-401');
  });
});

describe('failures and the retry budget', () => {
  it('429 and 5xx are retried, Retry-After honoured, then full jitter (random × min(8 s, 500 ms × 2^attempt))', async () => {
    const s = await endpoint([
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 500 },
      { status: 503 },
      ok('late'),
    ]);
    const { p, waits } = provider(s.url);
    expect(await p.getToken()).toBe('late');
    // 7 s from Retry-After; then attempts 1 and 2 without it: 0.5 × 1000 ms and 0.5 × 2000 ms.
    expect(waits).toEqual([7000, 500, 1000]);
    expect(p.requests).toBe(4);
  });

  it('after 4 attempts without a usable answer: NETWORK_ERROR naming the attempts and the last problem', async () => {
    const s = await endpoint([{ status: 502 }]);
    const { p, waits } = provider(s.url);
    const e = await failure(p.getToken());
    expect(e.code).toBe('NETWORK_ERROR');
    expect(e.message).toBe('POST /oauth/token: no response after 4 attempts (HTTP 502)');
    expect(s.seen).toHaveLength(4);
    expect(waits).toEqual([250, 500, 1000, 2000]);
  });

  it('a dropped connection is retried like a 5xx', async () => {
    const s = await endpoint(['drop', 'drop', ok('after-drops')]);
    const { p, waits } = provider(s.url);
    expect(await p.getToken()).toBe('after-drops');
    expect(waits).toEqual([250, 500]);
  });

  it('a 4xx other than 429 is not retried: AUTH_FAILED with the status and the OAuth error', async () => {
    const s = await endpoint([{ status: 400, body: '{"error":"unsupported_grant_type"}' }]);
    const { p } = provider(s.url);
    const e = await failure(p.getToken());
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toBe(
      `the token request to ${s.url}/oauth/token failed with 400 (unsupported_grant_type)`,
    );
    expect(s.seen).toHaveLength(1);
  });

  it('an HTML error page, or a 200 without a token, is AUTH_FAILED without an OAuth error', async () => {
    for (const answer of [
      { status: 403, body: '<html><body>Forbidden</body></html>' },
      { status: 200, body: '{"token_type":"bearer"}' },
      { status: 200, body: '{"access_token":42}' },
    ]) {
      const s = await endpoint([answer]);
      const e = await failure(provider(s.url).p.getToken());
      expect(e.code).toBe('AUTH_FAILED');
      expect(e.message).toBe(`the token request to ${s.url}/oauth/token failed with ${answer.status}`);
    }
  });

  it('a redirect is HTTP_REDIRECT naming only the target origin; it is not retried', async () => {
    for (const status of [301, 302, 307, 308]) {
      const s = await endpoint([
        { status, headers: { location: 'https://elsewhere.example:8443/steal?x=1' } },
      ]);
      const e = await failure(provider(s.url).p.getToken());
      expect(e.code).toBe('HTTP_REDIRECT');
      expect(e.message).toBe(
        `POST ${s.url}/oauth/token answered ${status}, a redirect to https://elsewhere.example:8443: not followed`,
      );
      expect(s.seen).toHaveLength(1);
    }
  });

  it('a 304 is not a redirect: it has no token, so AUTH_FAILED', async () => {
    const s = await endpoint([{ status: 304 }]);
    expect((await failure(provider(s.url).p.getToken())).code).toBe('AUTH_FAILED');
  });
});
