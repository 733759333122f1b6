/** JSON-lines files (the audit log, the dead letters): one JSON value per line. */
import { readFileSync } from 'node:fs';

/** The values of a JSON-lines file; none when it does not exist. */
export function readJsonLines<T>(path: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
