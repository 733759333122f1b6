/**
 * Which manifest a recorded deployment was made from, whatever the spelling of its path: a
 * deployment recorded as `./flowgate.yaml` is the one `deploy -m flowgate.yaml`, `-m
 * /repo/flowgate.yaml` or a symlink to it resumes. The ledger records the identity (the absolute
 * path with symlinks resolved); a record of an older flowgate (the path as it was typed) is read
 * against the current folder, the best that can be known of it.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** The manifest's absolute path with symlinks resolved (the absolute path when it is gone). */
export function manifestIdentity(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/** Whether a recorded manifest and the current one are the same file (both absent: the same). */
export function sameManifest(recorded: string | undefined, current: string | undefined): boolean {
  if (recorded === undefined || current === undefined) return recorded === current;
  return recorded === current || manifestIdentity(recorded) === manifestIdentity(current);
}
