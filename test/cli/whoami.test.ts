import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../helpers/cli.js';

describe('flowgate whoami (child process against the emulator)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clientSecret: 'whoami-secret' });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('reports the org, client, scopes and rate limit, with --base-url instead of the environment', async () => {
    const r = await runCli(['whoami', '--base-url', emu.url, '--json'], {
      env: {
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'whoami-secret',
      },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      organization: { name: 'Flowgate Demo Org' },
      client: { id: emu.credentials.clientId },
      missingScopes: [],
      requestsPerMinute: 300,
    });
    expect(r.stdout).not.toContain('whoami-secret');
  });

  it('says every retry on stderr, and every call under --verbose', async () => {
    emu.control.addFault({ path: 'tokens/me', action: 'rate-limit', retryAfterSeconds: 0, times: 1 });
    const r = await runCli(['whoami', '-v', '--base-url', emu.url], {
      env: {
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'whoami-secret',
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('rate-limited (429): retrying GET /api/v2/tokens/me in 0.0 s');
    expect(r.stderr).toMatch(/GET \/api\/v2\/tokens\/me → 200 \(2 attempts, \d+ ms, [0-9a-f-]{36}\)/);
    expect(r.stderr).not.toContain('whoami-secret');
  });

  it('names the scopes a read-only client lacks', async () => {
    const r = await runCli(['whoami', '--no-color'], {
      env: {
        GENESYSCLOUD_OAUTHCLIENT_ID: 'readonly-client',
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'readonly-demo',
        GENESYSCLOUD_BASE_URL: emu.url,
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('missing       architect: needed for publishing and importing flows');
    expect(r.stdout).toContain('missing       audits:readonly');
    // The org objects flows name (issue 25): each kind's scope is named.
    expect(r.stdout).toContain('missing       routing:readonly: needed for checking the queues, skills');
    expect(r.stdout).toContain('missing       integrations:readonly: needed for checking the data actions');
  });

  it('bad credentials exit 4 with a hint and no secret; missing ones exit 2; plain http elsewhere is refused', async () => {
    const bad = await runCli(['whoami'], {
      env: {
        GENESYSCLOUD_OAUTHCLIENT_ID: 'x',
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'not-the-secret',
        GENESYSCLOUD_BASE_URL: emu.url,
      },
    });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('[AUTH_FAILED]');
    expect(bad.stderr).toContain('hint:');
    expect(bad.stderr).not.toContain('not-the-secret');
    const none = await runCli(['whoami'], { env: { GENESYSCLOUD_BASE_URL: emu.url } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing GENESYSCLOUD_OAUTHCLIENT_ID');
    const insecure = await runCli(['whoami', '--base-url', 'http://example.test'], {
      env: { GENESYSCLOUD_OAUTHCLIENT_ID: 'x', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'y' },
    });
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain('must use https');
  });
});
