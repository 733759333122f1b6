import { describe, expect, it } from 'vitest';
import { manifestEndpoint } from '../../src/platform/endpoint-trust.js';
import { REGIONS } from '../../src/platform/regions.js';

const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('manifestEndpoint', () => {
  it("honours every region's own API and login origin, loopback, and nothing else without the opt-in", () => {
    for (const r of REGIONS) {
      expect(code(() => manifestEndpoint({}, { baseUrl: `https://api.${r.environment}` }))).toBe('ok');
      expect(code(() => manifestEndpoint({}, { baseUrl: `https://login.${r.environment}/` }))).toBe('ok');
      // Look-alikes: another port, plain http, a suffix, a subdomain of the attacker.
      for (const bad of [
        `https://api.${r.environment}:8443`,
        `http://api.${r.environment}`,
        `https://api.${r.environment}.attacker.test`,
        `https://api.${r.environment}@attacker.test`,
      ])
        expect(code(() => manifestEndpoint({}, { baseUrl: bad }))).toBe('CONFIG_UNTRUSTED_ENDPOINT');
    }
    expect(code(() => manifestEndpoint({}, { baseUrl: 'http://127.0.0.1:9999' }))).toBe('ok');
    expect(code(() => manifestEndpoint({}, { baseUrl: 'http://[::1]:9999' }))).toBe('ok');
    expect(
      code(() =>
        manifestEndpoint({ FLOWGATE_ALLOW_MANIFEST_ENDPOINTS: '1' }, { baseUrl: 'https://gw.corp.test' }),
      ),
    ).toBe('ok');
    expect(manifestEndpoint({ GENESYSCLOUD_REGION: 'eu-west-1' }, { baseUrl: 'https://evil.test' })).toEqual(
      {},
    );
    expect(manifestEndpoint({}, { region: 'eu-west-1' })).toEqual({ region: 'eu-west-1' });
  });
});
