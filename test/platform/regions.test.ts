import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGIONS, resolveBaseUrl, resolveRegion } from '../../src/platform/regions.js';
import { loadConnectionSettings } from '../../src/platform/credentials.js';

describe('regions (docs/platform-api.md#regions)', () => {
  it('has all 18 environments', () => {
    expect(REGIONS).toHaveLength(18);
    expect(new Set(REGIONS.map((r) => r.environment)).size).toBe(18);
  });

  it.each(REGIONS.map((r) => [r.sdkKey, r]))('%s resolves from every accepted form', (_key, r) => {
    const want = {
      environment: r.environment,
      apiBaseUrl: `https://api.${r.environment}`,
      loginBaseUrl: `https://login.${r.environment}`,
    };
    for (const form of [
      r.sdkKey,
      r.cliKey,
      r.environment,
      `api.${r.environment}`,
      `https://api.${r.environment}/`,
      `https://login.${r.environment}`,
    ]) {
      expect(resolveRegion(form)).toEqual(want);
    }
  });

  it('rejects unknown regions with the list of known ones', () => {
    expect(() => resolveRegion('mars-1')).toThrow(/unknown Genesys Cloud region/);
  });

  it('base URLs: https anywhere, http only on loopback', () => {
    expect(resolveBaseUrl('http://127.0.0.1:8080').apiBaseUrl).toBe('http://127.0.0.1:8080');
    expect(resolveBaseUrl('http://localhost:1/').loginBaseUrl).toBe('http://localhost:1');
    expect(resolveBaseUrl('http://[::1]:9').apiBaseUrl).toBe('http://[::1]:9');
    expect(resolveBaseUrl('https://gateway.example.test').apiBaseUrl).toBe('https://gateway.example.test');
    expect(() => resolveBaseUrl('http://gateway.example.test')).toThrow(/must use https/);
    expect(() => resolveBaseUrl('http://10.0.0.1')).toThrow(/must use https/);
    expect(() => resolveBaseUrl('not a url')).toThrow(/not a URL/);
  });
});

describe('credentials come from env or a secret file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-cred-'));

  it('reads the Terraform provider variable names', () => {
    const s = loadConnectionSettings({
      GENESYSCLOUD_OAUTHCLIENT_ID: 'id',
      GENESYSCLOUD_OAUTHCLIENT_SECRET: 's3cret',
      GENESYSCLOUD_REGION: 'eu-west-1',
    });
    expect(s.credentials).toEqual({ clientId: 'id', clientSecret: 's3cret' });
    expect(s.endpoints.apiBaseUrl).toBe('https://api.mypurecloud.ie');
  });

  it('reads a bare secret or JSON from a secret file, and the base URL wins over the region', () => {
    writeFileSync(join(dir, 'secret'), 'file-secret\n');
    writeFileSync(
      join(dir, 'secret.json'),
      JSON.stringify({ clientId: 'json-id', clientSecret: 'json-secret' }),
    );
    const a = loadConnectionSettings({
      GENESYSCLOUD_OAUTHCLIENT_ID: 'id',
      GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE: join(dir, 'secret'),
      GENESYSCLOUD_BASE_URL: 'http://127.0.0.1:9',
      GENESYSCLOUD_REGION: 'us-east-1',
    });
    expect(a.credentials.clientSecret).toBe('file-secret');
    expect(a.endpoints.apiBaseUrl).toBe('http://127.0.0.1:9');
    const b = loadConnectionSettings(
      { GENESYSCLOUD_REGION: 'us-east-1' },
      { secretFile: join(dir, 'secret.json') },
    );
    expect(b.credentials).toEqual({ clientId: 'json-id', clientSecret: 'json-secret' });
  });

  it('says what is missing, never printing a secret', () => {
    expect(() =>
      loadConnectionSettings({ GENESYSCLOUD_OAUTHCLIENT_SECRET: 'x', GENESYSCLOUD_REGION: 'us-east-1' }),
    ).toThrow(/missing GENESYSCLOUD_OAUTHCLIENT_ID/);
    expect(() =>
      loadConnectionSettings({
        GENESYSCLOUD_OAUTHCLIENT_ID: 'x',
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'topsecret',
      }),
    ).toThrow(/missing GENESYSCLOUD_REGION/);
    try {
      loadConnectionSettings({
        GENESYSCLOUD_OAUTHCLIENT_ID: 'x',
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'topsecret',
        GENESYSCLOUD_BASE_URL: 'http://evil.example',
      });
    } catch (err) {
      expect(JSON.stringify(err) + String(err)).not.toContain('topsecret');
      return;
    }
    throw new Error('expected an error');
  });
});
