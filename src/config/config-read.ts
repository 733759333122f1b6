/**
 * Reading a config file's text within limits: a regular file of at most {@link MAX_CONFIG_BYTES}.
 * A FIFO given as `--policy` waited forever for a writer, and `/dev/zero` as `--substitutions`
 * was read until 630 MB (issue 18 §3); flow files have had such limits (`flow/source/source-text.ts`).
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { readFailure } from '../flow/source/source-text.js';

/** Largest manifest, policy or substitutions file flowgate reads (1 MiB: they are hand-written). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The text of a config file (UTF-8).
 * @throws {ConfigError} `CONFIG_READ` when it cannot be opened, is not a regular file, or is larger
 *   than `maxBytes`.
 */
export async function readConfigText(
  file: string,
  what: string,
  maxBytes = MAX_CONFIG_BYTES,
): Promise<string> {
  let handle: FileHandle;
  try {
    // Non-blocking: opening a FIFO for reading otherwise waits until something writes to it.
    // (Windows has no O_NONBLOCK, and no FIFOs that block an open.)
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new ConfigError(
      'CONFIG_READ',
      `${what} file ${file}: ${readFailure((e as NodeJS.ErrnoException).code)}`,
      {
        hint: 'Check the path.',
      },
    );
  }
  try {
    // The opened file itself is checked (fstat), not the path again: nothing can swap it between.
    const kind = notRegular(await handle.stat());
    if (kind)
      throw new ConfigError('CONFIG_READ', `${what} file ${file} is ${kind}, not a regular file`, {
        hint: `Pass a ${what} file (YAML or JSON) saved on disk.`,
      });
    return (await readAtMost(handle, file, what, maxBytes)).toString('utf8');
  } finally {
    await handle.close();
  }
}

function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  return 'something other than a file';
}

// Reads up to one byte past the limit, whatever size the file reported (it may grow meanwhile,
// and files under /proc report 0).
async function readAtMost(handle: FileHandle, file: string, what: string, maxBytes: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(maxBytes + 1);
  let total = 0;
  while (total < buffer.length) {
    const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  if (total > maxBytes)
    throw new ConfigError('CONFIG_READ', `${what} file ${file} is larger than ${maxBytes} bytes`, {
      hint: `${what[0]!.toUpperCase()}${what.slice(1)} files are hand-written and limited to ${maxBytes} bytes; is this the right file?`,
    });
  return buffer.subarray(0, total);
}
