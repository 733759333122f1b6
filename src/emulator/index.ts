/**
 * `flowgate/emulator`: the Genesys Cloud API emulator, a separate entry so that `import 'flowgate'`
 * does not load hono and the emulator. `startEmulator` answers `{ url, port, credentials, control,
 * routes, stop() }` (test/emulator/example.test.ts runs this example).
 *
 * @example
 * ```ts
 * import { startEmulator } from 'flowgate/emulator';
 * import { createPlatformClient, loadConnectionSettings } from 'flowgate';
 *
 * const emu = await startEmulator({ port: 0 }); // on 127.0.0.1, a free port
 * const client = createPlatformClient(
 *   loadConnectionSettings({
 *     GENESYSCLOUD_BASE_URL: emu.url,
 *     GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
 *     GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
 *   }),
 * );
 * const flows = await client.flows.list({ type: 'inboundcall' }); // the seed org's call flows
 * emu.control.setClock({ advanceMs: 3_600_000 }); // an hour later, on the emulator's clock
 * await emu.stop();
 * ```
 * @packageDocumentation
 */
export { startEmulator, readSeed, type EmulatorOptions, type RunningEmulator } from './server.js';
export type { EmulatorControl, RequestLogEntry } from './control.js';
export type { FaultRule } from './faults.js';
export type { Seed } from './seed.js';
export type { EmulatorState } from './types.js';
