/** `flowgate emulator` (filled in with the emulator module). */
import { FlowgateError } from '../../errors.js';
import type { CliIo } from '../io.js';

/** Starts the emulator. */
export function runEmulator(_opts: Record<string, unknown>, _io: CliIo): Promise<number> {
  return Promise.reject(new FlowgateError('NOT_READY', 'the emulator is not built yet'));
}
