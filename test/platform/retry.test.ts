import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { clientFor, flowId, served, useEmulator } from '../helpers/emulator.js';
import { fullJitterDelay, parseRetryAfter } from '../../src/platform/retry-after.js';
import type { RetryEvent } from '../../src/platform/request.js';
import { virtualClock } from '../helpers/virtual-clock.js';

describe('retries over HTTP against the emulator', () => {
  const e = useEmulator();

  it('waits exactly Retry-After on a 429, never jittered, then succeeds', async () => {
    const emu = e.get();
    const clock = virtualClock();
    const retries: RetryEvent[] = [];
    const { client, calls } = clientFor(emu, {
      ...clock,
      random: () => 0.5,
      onRetry: (r) => retries.push(r),
    });
    await client.org.tokenInfo();
    emu.control.addFault({ path: 'limits/namespaces', action: 'rate-limit', retryAfterSeconds: 1, times: 1 });
    const started = clock.now();
    const limits = await client.org.limits('platform.api');
    expect(limits.length).toBeGreaterThan(0);
    expect(retries).toEqual([
      expect.objectContaining({ reason: 'rate-limited', delayMs: 1000, status: 429 }),
    ]);
    // One second on the client's clock and no more: the retry's wait, with the limiter's cooldown
    // (the same second) inside it.
    expect(clock.waits.filter((w) => w > 0)).toEqual([1000]);
    expect(clock.now() - started).toBe(1000);
    const call = calls.find((c) => c.path.includes('limits'))!;
    expect(call).toMatchObject({ status: 200, attempts: 2, totalRetryDelayMs: 1000 });
    expect(call.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a storm of 429s does not spend the attempts meant for errors; its own budget still ends it', async () => {
    const emu = e.get();
    const { waits, sleep, now } = virtualClock();
    // Retry-After 0: the storm costs no time, only attempts.
    const budget = 20; // retries of 429s allowed (the default), beside the 2 attempts for errors
    const { client } = clientFor(emu, { sleep, now, maxAttempts: 2, maxRateLimitedRetries: budget });
    await client.org.tokenInfo();
    // The answer without a storm: after twelve 429s the client must return this same answer.
    const calm = await client.org.limitNamespaces();
    expect(calm).toMatchObject({ entities: expect.arrayContaining([{ name: 'platform.api' }]) });
    emu.control.addFault({
      path: 'limits/namespaces$',
      action: 'rate-limit',
      retryAfterSeconds: 0,
      times: 12,
    });
    await expect(client.org.limitNamespaces()).resolves.toEqual(calm);
    expect(waits.filter((w) => w === 0)).toHaveLength(12);
    emu.control.addFault({
      path: 'limits/namespaces$',
      action: 'rate-limit',
      retryAfterSeconds: 0,
      times: 30,
    });
    const err = (await client.org.limitNamespaces().catch((x: unknown) => x)) as { code: string };
    expect(err.code).toBe('API_RATE_LIMITED');
    // The first storm in full, then the first attempt and every retry the budget allows.
    expect(served(emu, /limits\/namespaces$/).filter((r) => r.status === 429)).toHaveLength(12 + 1 + budget);
  });

  it('fails at once when Retry-After exceeds the configured maximum', async () => {
    const emu = e.get();
    const { waits, sleep, now } = virtualClock();
    const { client } = clientFor(emu, { sleep, now, maxRetryAfterMs: 2000 });
    emu.control.addFault({
      path: 'limits/namespaces$',
      action: 'rate-limit',
      retryAfterSeconds: 30,
      times: 1,
    });
    const err = (await client.org.limitNamespaces().catch((x: unknown) => x)) as {
      code: string;
      status: number;
      hint: string;
    };
    expect(err.status).toBe(429);
    expect(err.code).toBe('API_RATE_LIMITED');
    expect(err.hint).toContain('after 1 attempt and 0.0 s of waiting; the server asked for 30 s more');
    expect(waits.filter((w) => w >= 2000)).toEqual([]);
  });

  it('retries 502/503/504 with full-jitter backoff within its bounds', async () => {
    const emu = e.get();
    const { waits, sleep, now } = virtualClock();
    const { client, calls } = clientFor(emu, {
      sleep,
      now,
      random: () => 0.999,
      backoffBaseMs: 50,
      backoffCapMs: 120,
    });
    await client.org.tokenInfo();
    emu.control.addFault({ path: '^/api/v2/flows$', sequence: [503, 502, 504] });
    const flows = await client.flows.list();
    expect(flows.length).toBeGreaterThan(5);
    const backoffs = waits.filter((w) => w > 0);
    expect(backoffs).toHaveLength(3);
    const ceilings = [50, 100, 120];
    backoffs.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThan(ceilings[i]!);
      expect(w).toBeGreaterThanOrEqual(Math.floor(0.99 * ceilings[i]!));
    });
    expect(calls.find((c) => c.path.startsWith('/api/v2/flows?'))!.attempts).toBe(4);
  });

  it('gives up after the attempt budget with the last error', async () => {
    const emu = e.get();
    const { client } = clientFor(emu, { ...virtualClock(), maxAttempts: 3 });
    emu.control.addFault({ path: '^/api/v2/flows$', status: 503, times: 3 });
    const err = (await client.flows.list().catch((x: unknown) => x)) as {
      status: number;
      attempts: number;
      code: string;
    };
    expect(err).toMatchObject({ status: 503, attempts: 3, code: 'API_SERVER_ERROR' });
  });

  it('times out a slow attempt and retries it; the overall deadline ends the call', async () => {
    const emu = e.get();
    const { client, calls } = clientFor(emu, { timeoutMs: 150 });
    await client.org.tokenInfo();
    emu.control.addFault({
      path: 'limits/namespaces/architect',
      action: 'latency',
      latencyMs: 600,
      times: 1,
    });
    expect((await client.org.limits('architect')).length).toBeGreaterThan(0);
    expect(calls.at(-1)).toMatchObject({ status: 200, attempts: 2 });
    const slow = clientFor(emu, { timeoutMs: 100, deadlineMs: 250 }).client;
    await slow.org.tokenInfo();
    emu.control.addFault({
      path: 'limits/namespaces/architect',
      action: 'latency',
      latencyMs: 600,
      times: 10,
    });
    const err = (await slow.org.limits('architect').catch((x: unknown) => x)) as {
      code: string;
      message: string;
    };
    expect(err.code).toBe('TIMEOUT');
    // The overall deadline ended the call (not the attempt budget), however slow the machine.
    expect(err.message).toContain('deadline of 250 ms');
    emu.control.clearFaults();
  });

  it('retries a 500 as the Java SDK and the gc CLI do; never a 501', async () => {
    const emu = e.get();
    const { client } = clientFor(emu, virtualClock());
    emu.control.clearRequests();
    emu.control.addFault({ path: 'limits/namespaces/architect', status: 500, times: 1 });
    expect((await client.org.limits('architect')).length).toBeGreaterThanOrEqual(0);
    expect(served(emu, /limits\/namespaces\/architect/).map((r) => r.status)).toEqual([500, 200]);
    emu.control.clearRequests();
    emu.control.addFault({ path: 'limits/namespaces/architect', status: 501, times: 1 });
    const err = (await client.org.limits('architect').catch((x: unknown) => x)) as { status: number };
    expect(err.status).toBe(501);
    expect(served(emu, /limits\/namespaces\/architect/)).toHaveLength(1);
  });

  it('retries a connection reset of a safe request', async () => {
    const emu = e.get();
    const { client, calls } = clientFor(emu, virtualClock());
    emu.control.addFault({ path: 'limits/namespaces/platform', action: 'reset', times: 1 });
    expect((await client.org.limits('platform.api')).length).toBeGreaterThan(0);
    expect(calls.at(-1)).toMatchObject({ status: 200, attempts: 2 });
  });

  it('never publishes twice: a publish whose response was lost is confirmed, not resent', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Holiday_Flow');
    emu.control.clearRequests();
    emu.control.addFault({
      method: 'POST',
      path: 'actions/publish',
      action: 'reset',
      phase: 'after',
      times: 1,
    });
    const op = await client.flows.publish(id, '1.0');
    expect(op.actionName).toBe('PUBLISH');
    expect(served(emu, /actions\/publish/, 'POST')).toHaveLength(1);
    const done = await client.flows.followOperation(id, op.id);
    expect(done.actionStatus).toBe('SUCCESS');
    const publishes = emu.control.state().audits.filter((a) => a.entityId === id && a.action === 'Publish');
    expect(publishes).toHaveLength(1);
  });

  it('resends a publish that did not take effect (reset before the server saw it)', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Business Hours Check');
    emu.control.clearRequests();
    emu.control.addFault({ method: 'POST', path: 'actions/publish', action: 'reset', times: 1 });
    const op = await client.flows.publish(id);
    await client.flows.followOperation(id, op.id);
    expect(served(emu, /actions\/publish/, 'POST')).toHaveLength(2);
    expect(
      emu.control.state().audits.filter((a) => a.entityId === id && a.action === 'Publish'),
    ).toHaveLength(1);
  });

  it('a 429 cools down every request that shares the limiter', async () => {
    const emu = e.get();
    const clock = virtualClock();
    let rateLimitedAt = 0;
    let sawRateLimit: () => void = () => {};
    const rateLimited = new Promise<void>((r) => (sawRateLimit = r));
    const { client } = clientFor(emu, {
      ...clock,
      onRetry: (r) => {
        if (r.reason !== 'rate-limited') return;
        rateLimitedAt = clock.now();
        sawRateLimit();
      },
    });
    await client.org.tokenInfo();
    emu.control.addFault({
      path: 'limits/namespaces/architect',
      action: 'rate-limit',
      retryAfterSeconds: 1,
      times: 1,
    });
    const first = client.org.limits('architect');
    await rateLimited; // an event, not a sleep: the 429 has been seen and the cooldown started
    const second = client.org.tokenInfo().then(() => clock.now() - rateLimitedAt);
    await first;
    // The second request was sent after the 429 and had to wait for the shared cooldown: its own
    // wait in the limiter is the whole second (on the virtual clock, no real waiting).
    expect(await second).toBe(1000);
    expect(clock.waits.filter((w) => w > 0)).toEqual([1000, 1000]);
  });

  it('the emulator enforces its per-token limit with Retry-After, and the client rides it out', async () => {
    const emu = e.get();
    emu.control.setLimit('platform.api', 'client.credentials.token.rate.per.minute', 3);
    try {
      const retries: RetryEvent[] = [];
      const { client } = clientFor(emu, { maxRetryAfterMs: 1, onRetry: (r) => retries.push(r) });
      await client.org.tokenInfo();
      await client.org.tokenInfo();
      await client.org.tokenInfo();
      const err = (await client.org.tokenInfo().catch((x: unknown) => x)) as {
        status: number;
        body: { code: string };
      };
      expect(err.status).toBe(429);
      expect(err.body.code).toBe('too.many.requests.retry.after');
    } finally {
      emu.control.setLimit('platform.api', 'client.credentials.token.rate.per.minute', 300);
    }
  });
});

describe('retry timing, pure', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('42', 0)).toBe(42_000);
    expect(parseRetryAfter('0', 0)).toBe(0);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  test.prop([
    fc.nat(20),
    fc.integer({ min: 1, max: 10_000 }),
    fc.integer({ min: 1, max: 100_000 }),
    fc.double({ min: 0, max: 0.9999999, noNaN: true }),
  ])('full jitter stays in [0, min(cap, base·2^attempt))', (attempt, base, cap, r) => {
    const d = fullJitterDelay(attempt, base, cap, () => r);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThan(Math.max(1, Math.min(cap, base * 2 ** attempt)));
  });
});
