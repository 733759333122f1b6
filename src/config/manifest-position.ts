/**
 * Where a value stands in a manifest (`file:line:column`), for errors raised after the manifest
 * was read: a rule about an endpoint or a file is decided when a command runs, and its message
 * must still point at the line the user wrote.
 */
import { readFileSync } from 'node:fs';
import { parseYaml } from '../flow/parse/parse.js';
import { LineIndex } from '../flow/source/source-text.js';

/** `file:line:column` of the value at `path` (keys from the root), or `file` when not found. */
export function positionInFile(file: string, path: readonly (string | number)[]): string {
  const p = positionsInFile(file, [path])[0];
  return p ? `${file}:${p.line}:${p.column}` : file;
}

/**
 * Line and column of the value at each path (keys from the root), reading and parsing the file
 * once; `undefined` for a path not found.
 */
export function positionsInFile(
  file: string,
  paths: readonly (readonly (string | number)[])[],
): Array<{ line: number; column: number } | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return paths.map(() => undefined);
  }
  const doc = parseYaml(text);
  const lines = new LineIndex(text);
  return paths.map((path) => {
    let container: unknown = doc.value;
    let offset = -1;
    for (const key of path) {
      if (typeof container !== 'object' || container === null) return undefined;
      offset = doc.offsetOf(container, key);
      container = (container as Record<string | number, unknown>)[key];
    }
    return offset < 0 ? undefined : lines.position(offset);
  });
}
