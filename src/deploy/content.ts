/** The content a step deploys: the Archy text after substitutions, and its SHA-256. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { applySubstitutions } from '../flow/substitute.js';

/** SHA-256 of a text, hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads an Archy file and applies its values (validation has already reported any problem). */
export async function deployableContent(
  file: string,
  values: Readonly<Record<string, string>>,
): Promise<string> {
  return applySubstitutions(await readFile(file, 'utf8'), values).text;
}
