import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { contractProblems } from './contract.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import { createPlatformClient, type PlatformClientOptions } from '../../src/platform/client.js';
import { resolveBaseUrl } from '../../src/platform/regions.js';
import type { CallRecord } from '../../src/platform/request.js';

/** Fast settings for tests: short delays, real HTTP on 127.0.0.1:0. */
export const FAST = { operationDelayMs: 40, jobDelayMs: 40, auditQueryDelayMs: 40 };

/**
 * Starts a fresh emulator for every test (no state shared between tests: a rate limit, a clock
 * jump or a fault of one test never reaches the next). Every `/api/v2` response it gives is
 * checked against the API definition, and the test that received a response that did not
 * conform fails (after it ran, whichever tests ran before it).
 */
export function useEmulator(
  options: EmulatorOptions & {
    /** One emulator for the whole file: only for a suite written as one scenario in steps. */
    sharedAcrossTests?: boolean;
  } = {},
): { get: () => RunningEmulator } {
  let emu: RunningEmulator | undefined;
  const problems: string[] = [];
  const { sharedAcrossTests, ...emulatorOptions } = options;
  const start = async () => {
    emu = await startEmulator({
      ...emulatorOptions,
      settings: { ...FAST, ...emulatorOptions.settings },
      onResponse: (r) => {
        problems.push(...contractProblems(r));
      },
    });
  };
  const stop = async () => {
    await emu?.stop();
    emu = undefined;
  };
  if (sharedAcrossTests) {
    beforeAll(start);
    afterAll(stop);
  } else {
    beforeEach(start);
    afterEach(stop);
  }
  afterEach(() => {
    const found = problems.splice(0);
    expect(found, 'responses that do not conform to the API definition').toEqual([]);
  });
  return { get: () => emu! };
}

/** A client of the emulator's default client, with fast pacing unless told otherwise. */
export function clientFor(emu: RunningEmulator, options: Partial<PlatformClientOptions> = {}) {
  const calls: CallRecord[] = [];
  const client = createPlatformClient({
    credentials: { clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret },
    endpoints: resolveBaseUrl(emu.url),
    requestsPerMinute: 60_000,
    burst: 100,
    backoffBaseMs: 20,
    backoffCapMs: 200,
    onCall: (r) => calls.push(r),
    ...options,
  });
  return { client, calls };
}

/** Requests the emulator served for a path (regex). */
export function served(emu: RunningEmulator, path: RegExp, method?: string) {
  return emu.control
    .requests()
    .filter((r) => path.test(r.path) && (method === undefined || r.method === method));
}

/** The id of a seeded flow. */
export function flowId(emu: RunningEmulator, name: string): string {
  const f = emu.control.state().flows.find((x) => x.name === name);
  if (!f) throw new Error(`no seeded flow ${name}`);
  return f.id;
}

/** The environment a CLI child process needs to reach `emu` with its default client (every permission). */
export function emulatorEnv(emu: RunningEmulator): Record<string, string> {
  return {
    GENESYSCLOUD_BASE_URL: emu.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
  };
}
