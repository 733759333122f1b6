/**
 * Reading a file that holds a secret (an OAuth client secret, a webhook signing secret, a ledger
 * password). A file named in a manifest must lie inside the manifest's folder: the manifest may
 * arrive in a pull request, and must not be able to send `/etc/…` or `~/.ssh/…` as a secret to
 * an endpoint (issue 18 §2). Every secret file must be a regular file of a secret's size, so a
 * FIFO cannot hang a pipeline and `/dev/zero` cannot fill its memory.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { ConfigError } from './errors.js';

/** Largest secret file read: secrets are short; a key file in JSON fits comfortably. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Where a secret file was named, which decides where it may lie. */
export type SecretFileOrigin =
  | { kind: 'environment'; variable: string }
  | { kind: 'manifest'; manifest: string; folder: string; key: string };

/**
 * Reads a secret file, trimmed of a final line break.
 * @throws {ConfigError} `CONFIG_SECRET_FILE` when it cannot be read, is not a regular file, is too
 *   big, or (named in a manifest) lies outside the manifest's folder. Messages never hold content.
 */
export function readSecretFile(path: string, origin: SecretFileOrigin): string {
  const named =
    origin.kind === 'environment' ? `${origin.variable}` : `${origin.key} in the manifest ${origin.manifest}`;
  const refuse = (why: string, hint: string) =>
    new ConfigError('CONFIG_SECRET_FILE', `the secret file ${path} (${named}) ${why}`, { hint });
  let real: string;
  let fd: number;
  try {
    real = realpathSync(path);
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then says it is not a file.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw refuse(
      `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'Check the path and permissions (0600 is recommended).',
    );
  }
  try {
    if (origin.kind === 'manifest') {
      const inside = relative(realpathSync(origin.folder), real);
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
        throw refuse(
          "lies outside the manifest's folder",
          'Keep the file beside the manifest, or name it in the environment (GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE, FLOWGATE_LEDGER_PASSWORD_FILE).',
        );
    }
    const st = fstatSync(fd);
    if (!st.isFile()) throw refuse('is not a regular file', 'Point at a file holding only the secret.');
    if (st.size > MAX_SECRET_FILE_BYTES)
      throw refuse(
        `is ${st.size} bytes, more than a secret (${MAX_SECRET_FILE_BYTES})`,
        'Point at a file holding only the secret.',
      );
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buf, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buf
      .subarray(0, read)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  } finally {
    closeSync(fd);
  }
}
