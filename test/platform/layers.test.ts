import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { clientFor, served, useEmulator } from '../helpers/emulator.js';
import { sendWithRetry } from '../../src/platform/http/retry.js';
import { fetchSender, TransportError } from '../../src/platform/http/send.js';
import type { RetryEvent } from '../../src/platform/request.js';
import { sleep as realSleep } from '../../src/shared/time.js';

/** A plain HTTP server that answers each request with the next status of a script. */
async function scriptedServer(statuses: number[]) {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.statusCode = statuses[Math.min(seen.length - 1, statuses.length - 1)]!;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen, server };
}

describe('the retry layer on its own (no token, no limiter: what webhooks use)', () => {
  const servers: Array<{ close: () => void }> = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it('resends an idempotent request after 503s, with no Authorization header', async () => {
    const s = await scriptedServer([503, 503, 200]);
    servers.push(s.server);
    const waits: number[] = [];
    const result = await sendWithRetry(
      fetchSender(),
      { method: 'POST', url: s.url, headers: { 'idempotency-key': 'k1' }, body: '{}' },
      { idempotent: true },
      { sleep: (ms) => (waits.push(ms), Promise.resolve()), random: () => 0.5, backoffBaseMs: 100 },
    );
    expect(result.kind === 'response' && result.response.status).toBe(200);
    expect(s.seen).toHaveLength(3);
    expect(s.seen.every((h) => h.authorization === undefined && h['idempotency-key'] === 'k1')).toBe(true);
    expect(waits).toEqual([50, 100]); // full jitter at 0.5 of 100·2^n
  });

  it('never resends a request that is not idempotent without a way to check its effect', async () => {
    const s = await scriptedServer([503, 200]);
    servers.push(s.server);
    const result = await sendWithRetry(
      fetchSender(),
      { method: 'POST', url: s.url, headers: {} },
      { idempotent: false },
    );
    expect(result.kind === 'response' && result.response.status).toBe(503);
    expect(s.seen).toHaveLength(1);
  });

  it('stops when mayResend finds the effect, and says so', async () => {
    const s = await scriptedServer([502, 200]);
    servers.push(s.server);
    const result = await sendWithRetry(
      fetchSender(),
      { method: 'POST', url: s.url, headers: {} },
      { idempotent: false, mayResend: () => Promise.resolve(false) },
      { sleep: () => Promise.resolve() },
    );
    expect(result.kind).toBe('effect-confirmed');
    expect(s.seen).toHaveLength(1);
  });

  it('a refused connection is a TransportError of kind network after the attempt budget', async () => {
    const s = await scriptedServer([200]);
    const url = s.url;
    await new Promise<void>((r) => s.server.close(() => r()));
    const err = await sendWithRetry(
      fetchSender(),
      { method: 'GET', url, headers: {} },
      { idempotent: true },
      { sleep: () => Promise.resolve(), maxAttempts: 3 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('network');
  });
});

describe('the Genesys layers over HTTP against the emulator', () => {
  const e = useEmulator({ settings: { tokenTtlSeconds: 3600 } });

  it('advancing the emulator clock past the token lifetime gives a 401, and the client renews once', async () => {
    const emu = e.get();
    const retries: RetryEvent[] = [];
    // The client's own clock stands still, so only the emulator's clock can expire the token.
    const { client } = clientFor(emu, { now: () => 1_000_000, onRetry: (r) => retries.push(r) });
    await client.org.tokenInfo();
    emu.control.setClock({ advanceMs: 2 * 3_600_000 });
    const me = await client.org.tokenInfo();
    expect(me.OAuthClient?.id).toBe(emu.credentials.clientId);
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(2);
    expect(served(emu, /tokens\/me/).map((r) => r.status)).toEqual([200, 401, 200]);
    expect(retries).toEqual([expect.objectContaining({ reason: 'unauthorized', status: 401 })]);
  });

  it('advancing the emulator clock opens a new rate-limit window', async () => {
    const emu = e.get();
    emu.control.setLimit('platform.api', 'client.credentials.token.rate.per.minute', 2);
    const { client } = clientFor(emu, { maxAttempts: 1, maxRateLimitedRetries: 0 });
    await client.org.tokenInfo();
    await client.org.tokenInfo();
    const err = (await client.org.tokenInfo().catch((x: unknown) => x)) as { status: number };
    expect(err.status).toBe(429);
    emu.control.setClock({ advanceMs: 60_000 });
    // A new client: the first one's limiter rightly cools down for the Retry-After on its own clock.
    await expect(clientFor(emu).client.org.tokenInfo()).resolves.toMatchObject({
      OAuthClient: { id: emu.credentials.clientId },
    });
  });

  it('an aborted call leaves a call record (code ABORTED), and the error is typed', async () => {
    const emu = e.get();
    const controller = new AbortController();
    const { client, calls } = clientFor(emu, {
      fetch: (url, init) => {
        if ((url instanceof Request ? url.url : url.toString()).includes('/flows'))
          controller.abort(new Error('Ctrl-C'));
        return globalThis.fetch(url, init);
      },
    });
    const err = (await client
      .request('GET', '/api/v2/flows', { signal: controller.signal })
      .catch((x: unknown) => x)) as { code: string };
    expect(err.code).toBe('ABORTED');
    expect(calls.filter((c) => c.path.startsWith('/api/v2/flows'))).toEqual([
      expect.objectContaining({ method: 'GET', error: 'ABORTED', attempts: 1 }),
    ]);
  });

  it('createPlatformClient accepts defaultRetryAfterMs (a 429 without Retry-After, as a proxy may send)', async () => {
    const emu = e.get();
    // The emulator, like Genesys, always sends Retry-After; a plain server in between may not.
    const proxy = await scriptedServer([429, 200]);
    const waits: number[] = [];
    const { client } = clientFor(emu, {
      defaultRetryAfterMs: 7,
      sleep: (ms, signal) => (waits.push(ms), realSleep(ms, signal)),
    });
    try {
      const result = await client.request('GET', proxy.url, { auth: false });
      expect(result.meta).toMatchObject({ status: 200, attempts: 2, totalRetryDelayMs: 7 });
      expect(waits).toContain(7);
    } finally {
      proxy.server.close();
    }
  });
});
