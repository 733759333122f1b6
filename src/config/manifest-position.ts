/**
 * Where a value stands in a manifest (`file:line:column`), for errors raised after the manifest
 * was read: a rule about an endpoint or a file is decided when a command runs, and its message
 * must still point at the line the user wrote.
 */
import { readFileSync } from 'node:fs';
import { parseYaml } from '../flow/parse.js';
import { LineIndex } from '../flow/source-text.js';

/** `file:line:column` of the value at `path` (keys from the root), or `file` when not found. */
export function positionInFile(file: string, path: readonly (string | number)[]): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return file;
  }
  const doc = parseYaml(text);
  let container: unknown = doc.value;
  let offset = -1;
  for (const key of path) {
    if (typeof container !== 'object' || container === null) return file;
    offset = doc.offsetOf(container, key);
    container = (container as Record<string | number, unknown>)[key];
  }
  if (offset < 0) return file;
  const p = new LineIndex(text).position(offset);
  return `${file}:${p.line}:${p.column}`;
}
