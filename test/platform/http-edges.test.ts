/**
 * The edges of the HTTP layers (send, retry, auth) that Stryker found no test holding
 * (BENCHMARKS.md, mutation testing of `platform/http/`): budget arithmetic when 429s and 5xx mix,
 * the deadline and `Retry-After` bounds exactly at their limits, what an unknown outcome of a
 * state-changing request does without `mayResend`, the binary body of an export download, and how
 * each kind of missing answer is named.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadlineError, sendWithRetry } from '../../src/platform/http/retry.js';
import {
  fetchSender,
  isRedirect,
  RedirectRefusedError,
  TransportError,
  type HttpRequest,
  type HttpResponse,
  type Send,
} from '../../src/platform/http/send.js';
import { withAuth } from '../../src/platform/http/auth.js';
import type { TokenProvider } from '../../src/platform/token-provider.js';

const GET: HttpRequest = { method: 'GET', url: 'http://127.0.0.1:9/x', headers: {} };
const POST: HttpRequest = { method: 'POST', url: 'http://127.0.0.1:9/x', headers: {}, body: '{}' };

/** The error a promise rejects with (and a failure when it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error & { kind?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { kind?: string };
  }
  throw new Error('expected a rejection');
}

/** A sender answering each attempt with the next status of a script (the last one repeats). */
function scripted(statuses: Array<number | 'reset'>, retryAfter?: string): Send & { calls: number } {
  const send = (() => {
    const status = statuses[Math.min(send.calls++, statuses.length - 1)]!;
    if (status === 'reset') return Promise.reject(new TransportError('network', new Error('ECONNRESET')));
    const headers = new Headers(
      status === 429 && retryAfter !== undefined ? { 'retry-after': retryAfter } : {},
    );
    return Promise.resolve({ status, headers, text: '' } satisfies HttpResponse);
  }) as unknown as Send & { calls: number };
  send.calls = 0;
  return send;
}

/** A clock that only the retry layer's sleeps move. */
function simulatedTime() {
  let t = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: (ms: number) => {
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

describe('retry budgets and bounds', () => {
  it('429s spend their own budget: after two of them a 5xx still gets every error attempt', async () => {
    const send = scripted([429, 429, 500, 500, 200], '1');
    const time = simulatedTime();
    const result = await sendWithRetry(
      send,
      GET,
      { idempotent: true },
      { ...time, maxAttempts: 3, random: () => 0 },
    );
    expect(result.kind === 'response' && result.response.status).toBe(200);
    expect(send.calls).toBe(5);
  });

  it('the error budget counts only error attempts: three 500s after a 429 stop at maxAttempts = 3', async () => {
    const send = scripted([429, 500, 500, 500, 200], '1');
    const time = simulatedTime();
    const result = await sendWithRetry(
      send,
      GET,
      { idempotent: true },
      { ...time, maxAttempts: 3, random: () => 0 },
    );
    expect(result.kind === 'response' && result.response.status).toBe(500);
    expect(send.calls).toBe(4);
  });

  it('a wait that ends exactly at the deadline is taken; one a millisecond past it is not', async () => {
    const atDeadline = simulatedTime();
    const ok = await sendWithRetry(
      scripted([429, 200], '2'),
      GET,
      { idempotent: true },
      {
        ...atDeadline,
        deadlineMs: 2_000,
      },
    );
    expect(ok.kind === 'response' && ok.response.status).toBe(200);
    expect(atDeadline.waits).toEqual([2_000]);

    const past = simulatedTime();
    const send = scripted([429, 200], '2');
    const error = await rejection(
      sendWithRetry(send, GET, { idempotent: true }, { ...past, deadlineMs: 1_999 }),
    );
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error.name).toBe('DeadlineError');
    expect(error.message).toBe('deadline of 1999 ms');
    expect(past.waits).toEqual([]); // refused before waiting, not after
    expect(send.calls).toBe(1);
  });

  it('a Retry-After exactly at maxRetryAfterMs is honoured; one above it ends the call at once', async () => {
    const equal = simulatedTime();
    const honoured = await sendWithRetry(
      scripted([429, 200], '3'),
      GET,
      { idempotent: true },
      {
        ...equal,
        maxRetryAfterMs: 3_000,
      },
    );
    expect(honoured.kind === 'response' && honoured.response.status).toBe(200);
    expect(equal.waits).toEqual([3_000]);

    const above = simulatedTime();
    const refused = await sendWithRetry(
      scripted([429, 200], '4'),
      GET,
      { idempotent: true },
      {
        ...above,
        maxRetryAfterMs: 3_000,
      },
    );
    expect(refused).toMatchObject({ kind: 'response', retryAfterMs: 4_000 });
    expect(above.waits).toEqual([]);
  });

  it('a state-changing request whose answer was lost, with no way to check, is never resent', async () => {
    const send = scripted(['reset', 200]);
    const time = simulatedTime();
    const error = await rejection(sendWithRetry(send, POST, { idempotent: false }, time));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.kind).toBe('network');
    expect(send.calls).toBe(1);
    expect(time.waits).toEqual([]);
  });
});

describe('renewing a refused token', () => {
  it('stops after one send when renewing hands back the same token (the refusal stands)', async () => {
    let invalidated = 0;
    const tokens = {
      getToken: () => Promise.resolve('same-token'),
      invalidate: () => void invalidated++,
    } as unknown as TokenProvider;
    const send = scripted([401]);
    const response = await withAuth(send, tokens)(GET);
    expect(response.status).toBe(401);
    expect(send.calls).toBe(1);
    expect(invalidated).toBe(1);
  });
});

describe('one attempt over fetch', () => {
  const servers: Array<{ close: () => void }> = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  async function serve(status: number, body: Buffer) {
    const server = createServer((req, res) => {
      req.resume();
      res.statusCode = status;
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/zip`;
  }

  it('a binary request reads a 2xx body as bytes, untouched by text decoding', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x80]);
    const url = await serve(200, zip);
    const response = await fetchSender()({ method: 'GET', url, headers: {}, binary: true });
    expect(response.text).toBe('');
    expect(Buffer.from(response.bytes!)).toEqual(zip);
  });

  it('a binary request that fails reads its error body as text, to be reported', async () => {
    const url = await serve(404, Buffer.from('{"code":"not.found"}'));
    const response = await fetchSender()({ method: 'GET', url, headers: {}, binary: true });
    expect(response.status).toBe(404);
    expect(response.text).toBe('{"code":"not.found"}');
    expect(response.bytes).toBeUndefined();
  });

  it('a plain request reads its body as text and has no bytes', async () => {
    const url = await serve(200, Buffer.from('{"ok":true}'));
    const response = await fetchSender()({ method: 'GET', url, headers: {} });
    expect(response).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(response.bytes).toBeUndefined();
  });

  it('a body cut off while it is read leaves the status to speak, with an empty text', async () => {
    const cut = {
      status: 502,
      type: 'basic',
      headers: new Headers(),
      body: null,
      text: () => Promise.reject(new TypeError('terminated')),
    } as unknown as Response;
    const response = await fetchSender({ fetch: () => Promise.resolve(cut) })(GET);
    expect(response).toMatchObject({ status: 502, text: '' });
  });

  it('names each missing answer: the caller aborted, the attempt timed out, the network failed', async () => {
    const failing =
      (error: Error): typeof fetch =>
      () =>
        Promise.reject(error);
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });

    const aborted = new AbortController();
    aborted.abort();
    const byCaller = await rejection(
      fetchSender({ fetch: failing(new Error('aborted')) })({ ...GET, signal: aborted.signal }),
    );
    expect(byCaller).toMatchObject({ name: 'TransportError', kind: 'aborted', message: 'aborted' });

    const timedOut = await rejection(fetchSender({ fetch: failing(timeout) })(GET));
    expect(timedOut).toMatchObject({ name: 'TransportError', kind: 'timeout' });

    const network = await rejection(fetchSender({ fetch: failing(new TypeError('fetch failed')) })(GET));
    expect(network).toMatchObject({ name: 'TransportError', kind: 'network', message: 'fetch failed' });
  });

  it('refuses the opaque redirect a spec-following fetch hands back (status 0), as a redirect', async () => {
    const opaque = {
      status: 0,
      type: 'opaqueredirect',
      headers: new Headers(),
      body: null,
    } as unknown as Response;
    const error = await rejection(fetchSender({ fetch: () => Promise.resolve(opaque) })(GET));
    expect(error).toBeInstanceOf(RedirectRefusedError);
    expect(error.name).toBe('RedirectRefusedError');
    expect(error.message).toBe('answered 0, a redirect; flowgate follows no redirect');
  });

  it('names where a refused redirect pointed, by origin only', () => {
    const error = new RedirectRefusedError(302, 'https://elsewhere.example');
    expect(error.message).toBe(
      'answered 302, a redirect to https://elsewhere.example; flowgate follows no redirect',
    );
  });

  it('counts 300 to 399 as redirects, but not 304, and nothing outside them', () => {
    expect([299, 300, 301, 303, 304, 307, 308, 399, 400].filter(isRedirect)).toEqual([
      300, 301, 303, 307, 308, 399,
    ]);
  });
});
