/**
 * Reading small YAML/JSON config files (manifest, policy, substitutions) with zod, reporting
 * problems as file:line:column usage errors.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseYaml } from '../flow/parse/parse.js';
import { LineIndex } from '../flow/source/source-text.js';
import { readConfigText } from './config-read.js';
import { closestKey, knownKeysAt } from './unknown-keys.js';

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
  const issues = parsed.error.issues;
  // A misspelt key is often why a required one is "missing": the slip is the news.
  const slip = issues.find((i) => i.code === 'unrecognized_keys' && suggestionFor(schema, i) !== undefined);
  const issue = slip ?? issues[0]!;
  // Walk the issue path to the deepest container we have a position for.
  let container: unknown = doc.value;
  let offset = -1;
  for (const key of issue.path) {
    if (typeof container !== 'object' || container === null) break;
    const k = typeof key === 'symbol' ? String(key) : key;
    offset = doc.offsetOf(container, k);
    container = (container as Record<string | number, unknown>)[k];
  }
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  if (issue.code === 'unrecognized_keys' && typeof container === 'object' && container !== null) {
    // The key's own line, not its mapping's.
    const key = issue.keys[0]!;
    const at = doc.keyOffsetOf?.(container, key) ?? doc.offsetOf(container, key);
    const p = at >= 0 ? lines.position(at) : { line: 1, column: 1 };
    const known = knownKeysAt(schema, issue.path);
    const closest = suggestionFor(schema, issue);
    throw new ConfigError(
      'CONFIG_INVALID',
      `${file}:${p.line}:${p.column}: ${issue.path.length > 0 ? `${path}: ` : ''}unknown key '${key}'${closest ? `; did you mean \`${closest}\`?` : ''}`,
      { hint: known.length > 0 ? `Known keys here: ${known.join(', ')}.` : `Fix the ${what} file.` },
    );
  }
  const p = offset >= 0 ? lines.position(offset) : { line: 1, column: 1 };
  // `requireTests: yes` read "expected boolean, received string": say what the key takes. YAML 1.2
  // (which flowgate reads) keeps yes/no/on/off as text.
  if (issue.code === 'invalid_type' && issue.expected === 'boolean')
    throw new ConfigError(
      'CONFIG_INVALID',
      `${file}:${p.line}:${p.column}: ${path} takes true or false, not ${JSON.stringify(container) ?? String(container)}`,
      { hint: 'Write true or false: YAML 1.2 reads yes, no, on and off as text.' },
    );
  throw new ConfigError('CONFIG_INVALID', `${file}:${p.line}:${p.column}: ${path}: ${issue.message}`, {
    hint: hintOf(issue) ?? `Fix the ${what} file.`,
  });
}

/** The known key closest to an unknown key's first name, if one is close. */
function suggestionFor(schema: z.ZodType, issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  return closestKey(issue.keys[0] ?? '', knownKeysAt(schema, issue.path));
}

// A schema can say more than "fix the file" (the naming patterns say which features are missing).
function hintOf(issue: object): string | undefined {
  const params = (issue as { params?: { hint?: unknown } }).params;
  return typeof params?.hint === 'string' ? params.hint : undefined;
}
