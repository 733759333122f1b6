/**
 * Reading small YAML/JSON config files (manifest, policy, substitutions) with zod, reporting
 * problems as file:line:column usage errors.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseYaml } from '../flow/parse.js';
import { LineIndex } from '../flow/source-text.js';
import { readConfigText } from './config-read.js';

/** Reads and validates a config file; throws {@link ConfigError} with a position on any problem. */
export async function loadConfigFile<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
  const text = await readConfigText(file, what);
  const lines = new LineIndex(text);
  const doc = parseYaml(text);
  const first = doc.problems[0];
  if (first) {
    const p = lines.position(first.offset);
    throw new ConfigError('CONFIG_PARSE', `${file}:${p.line}:${p.column}: ${first.message}`, {
      hint: `Fix the ${what} file's syntax.`,
    });
  }
  const parsed = schema.safeParse(doc.value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // Walk the issue path to the deepest container we have a position for.
  let container: unknown = doc.value;
  let offset = -1;
  for (const key of issue.path) {
    if (typeof container !== 'object' || container === null) break;
    const k = typeof key === 'symbol' ? String(key) : key;
    offset = doc.offsetOf(container, k);
    container = (container as Record<string | number, unknown>)[k];
  }
  const p = offset >= 0 ? lines.position(offset) : { line: 1, column: 1 };
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new ConfigError('CONFIG_INVALID', `${file}:${p.line}:${p.column}: ${path}: ${issue.message}`, {
    hint: hintOf(issue) ?? `Fix the ${what} file.`,
  });
}

// A schema can say more than "fix the file" (the naming patterns say which features are missing).
function hintOf(issue: object): string | undefined {
  const params = (issue as { params?: { hint?: unknown } }).params;
  return typeof params?.hint === 'string' ? params.hint : undefined;
}
