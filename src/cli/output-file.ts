/**
 * The one writer of the files a command's flag names (`test --output`, `adoption --html`,
 * `emulator --write-env`): a path that cannot be written is an I/O error naming the flag, the
 * path and why (`OUTPUT_WRITE`, exit 1), never an internal error with a bare `ENOENT`.
 */
import { closeSync, fchmodSync, openSync, writeFileSync } from 'node:fs';
import type { ErrorCode } from '../error-codes.js';
import { writeError } from '../shared/write-error.js';

/** How `writeOutputFile` writes. */
export interface OutputFileOptions {
  /** The flag that named the path, for the message (`--output`). */
  flag: string;
  /** Only the owner may read it (0600, also when the file existed with a wider mode). */
  private?: boolean;
  /** The error code of a failed write (default `OUTPUT_WRITE`). */
  code?: ErrorCode;
}

/** Writes `text` to `path`; a failure is a FlowgateError naming the flag, the path and the reason. */
export function writeOutputFile(path: string, text: string, options: OutputFileOptions): void {
  try {
    if (options.private) {
      // The mode is set on the open descriptor before anything is written.
      const fd = openSync(path, 'w', 0o600);
      try {
        fchmodSync(fd, 0o600);
        writeFileSync(fd, text);
      } finally {
        closeSync(fd);
      }
    } else writeFileSync(path, text);
  } catch (e) {
    throw writeError(path, options.flag, e, options.code);
  }
}
