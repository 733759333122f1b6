import { describe, expect, it } from 'vitest';
import { clientFor, served, useEmulator } from '../helpers/emulator.js';
import { AuthError } from '../../src/platform/errors.js';
import { createPlatformClient } from '../../src/platform/client.js';
import { resolveBaseUrl } from '../../src/platform/regions.js';

describe('OAuth client credentials token (over HTTP against the emulator)', () => {
  const e = useEmulator({ settings: { tokenTtlSeconds: 3 } });

  it('caches the token: many calls, one token request', async () => {
    const emu = e.get();
    emu.control.clearRequests();
    // Both clocks stand still: a slow machine must not reach the 3 s lifetime mid-test.
    emu.control.setClock({ speed: 0 });
    const { client } = clientFor(emu, { now: () => 1_000_000 });
    await client.org.tokenInfo();
    await client.flows.list();
    await client.org.limits('platform.api');
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(1);
    expect(client.tokens.requests).toBe(1);
  });

  it('sends Basic auth and grant_type=client_credentials; a wrong secret is an AuthError without the secret', async () => {
    const emu = e.get();
    const secret = 'wrong-secret-value-123';
    const client = createPlatformClient({
      credentials: { clientId: emu.credentials.clientId, clientSecret: secret },
      endpoints: resolveBaseUrl(emu.url),
    });
    const err = await client.org.tokenInfo().catch((x: unknown) => x);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).code).toBe('AUTH_FAILED');
    expect((err as AuthError).status).toBe(401);
    expect(JSON.stringify(err)).not.toContain(secret);
    expect(String((err as Error).message) + String((err as AuthError).hint)).not.toContain(secret);
  });

  it('renews before expiry (10 % of a short lifetime early), never after a 401', async () => {
    const emu = e.get();
    emu.control.clearRequests();
    let skew = 0;
    const { client } = clientFor(emu, { now: () => Date.now() + skew });
    await client.org.tokenInfo();
    // 3 s lifetime: renewal is due 0.3 s before expiry. Jump the client's clock to 2.75 s.
    skew = 2_750;
    await client.org.tokenInfo();
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(2);
    expect(served(emu, /^\/api\/v2\/tokens\/me$/).map((r) => r.status)).toEqual([200, 200]);
    skew = 2_000;
    await client.org.tokenInfo();
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(2);
  });

  it('50 concurrent requests on a cold cache cause exactly one token request', async () => {
    const emu = e.get();
    emu.control.clearRequests();
    const { client } = clientFor(emu);
    const results = await Promise.all(Array.from({ length: 50 }, () => client.org.tokenInfo()));
    expect(results).toHaveLength(50);
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(1);
  });

  it('a 401 renews the token once and retries the request once', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    await client.org.tokenInfo();
    emu.control.clearRequests();
    expect(emu.control.revokeTokens()).toBeGreaterThan(0);
    const info = await client.org.tokenInfo();
    expect(info.OAuthClient?.id).toBe(emu.credentials.clientId);
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(1);
    expect(served(emu, /tokens\/me/).map((r) => r.status)).toEqual([401, 200]);
  });

  it('a 401 that persists through fresh tokens is an ApiError after 3 renewals, not a loop', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    await client.org.tokenInfo();
    emu.control.clearRequests();
    emu.control.addFault({ path: 'tokens/me', action: 'status', status: 401, times: 10 });
    const err = (await client.org.tokenInfo().catch((x: unknown) => x)) as {
      status: number;
      code: string;
      hint: string;
    };
    expect(err.status).toBe(401);
    expect(err.code).toBe('API_UNAUTHORIZED');
    expect(err.hint).toMatch(/GENESYSCLOUD_OAUTHCLIENT_ID/);
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(3);
    expect(served(emu, /tokens\/me/)).toHaveLength(4);
  });

  it('tokens revoked again while a call renews: each fresh token is tried once more', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    await client.org.tokenInfo();
    // Two revocations in a row (the second hits the token the first renewal got).
    emu.control.addFault({ path: 'tokens/me', action: 'status', status: 401, times: 2 });
    await expect(client.org.tokenInfo()).resolves.toMatchObject({
      OAuthClient: { id: emu.credentials.clientId },
    });
    // The first token, then one renewal per refusal; each token tried once.
    expect(served(emu, /^\/oauth\/token$/)).toHaveLength(3);
    expect(served(emu, /tokens\/me/).map((r) => r.status)).toEqual([200, 401, 401, 200]);
  });
});
