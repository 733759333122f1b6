/**
 * The one error of a file that cannot be written (a report, an exported flow, the emulator's
 * environment file): the path, what named it and why in words, with `OUTPUT_WRITE` (exit 1), never
 * an internal error with a bare `ENOENT`.
 */
import type { ErrorCode } from '../error-codes.js';
import { FlowgateError } from '../errors.js';

/** What a failed write's `code` means, in words. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** The FlowgateError of a failed write of `path`, named by `what` (a flag such as `--output`). */
export function writeError(
  path: string,
  what: string,
  e: unknown,
  code: ErrorCode = 'OUTPUT_WRITE',
): FlowgateError {
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = errno ? `${REASONS[errno] ?? 'the system refused'} (${errno})` : String(e);
  return new FlowgateError(code, `cannot write ${path} (${what}): ${reason}`, {
    hint: 'Name a file in a folder that exists and that you can write to.',
    cause: e,
  });
}
