/** The package version, read once from package.json (it ships with the package). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** flowgate's version, e.g. `0.1.0`. */
export function packageVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
