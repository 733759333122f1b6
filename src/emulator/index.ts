/**
 * `flowgate/emulator`: the Genesys Cloud API emulator, a separate entry so that `import 'flowgate'`
 * does not load hono and the emulator.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'flowgate/emulator';
 * const emu = await startEmulator({ port: 0 });
 * // emu.baseUrl, emu.credentials, emu.control …
 * await emu.close();
 * ```
 * @packageDocumentation
 */
export { startEmulator, readSeed, type EmulatorOptions, type RunningEmulator } from './server.js';
export type { EmulatorControl, RequestLogEntry } from './control.js';
export type { FaultRule } from './faults.js';
export type { Seed } from './seed.js';
export type { EmulatorState } from './types.js';
