/**
 * Archy-style `{{ key }}` substitutions, applied to the text before any YAML parsing:
 * `{{x}}` is not YAML, and the usual parsers silently turn it into garbage keys (FLOWS.md §1.7).
 *
 * Archy's pre-processor and Terraform's `substitutions` insert values verbatim, so a value such as
 * `Main #1` silently becomes `Main` (the rest a comment). flowgate inserts a value so that it stays
 * one scalar (`insertion.ts`): escaped inside quotes, quoted when it is a whole plain scalar that
 * needs it, verbatim when it is safe; and reports the few places where no safe form exists.
 */
import { placeValue, type Placement } from './insertion.js';
import { lastAtOrBelow } from './source-text.js';
import { ContextScanner } from './yaml-context.js';

/** A token whose key has no value. */
export interface UnresolvedToken {
  key: string;
  /** Offset of the `{{` in the original text. */
  offset: number;
}

/** A value that would change the structure of the document where it stands. */
export interface UnsafeValue {
  key: string;
  /** Offset of the `{{` in the original text. */
  offset: number;
  /** Why, in words. */
  reason: string;
}

/** The substituted text plus a map from its offsets back to the original text. */
export interface SubstitutionResult {
  text: string;
  unresolved: UnresolvedToken[];
  /** Values that could not be placed safely (left as a placeholder so the rest still checks). */
  unsafe: UnsafeValue[];
  /** Maps an offset in `text` to the offset in the original text. */
  toOriginal(offset: number): number;
}

// Keys follow Archy's examples: `{{flow_name}}`, `{{ substitutions.flow_name }}`.
const TOKEN_SOURCE = String.raw`\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}`;
const TOKEN = new RegExp(TOKEN_SOURCE, 'g');

/**
 * Replaces every `{{ key }}` whose key is in `values`; reports the others (replaced by `__key__`).
 * A key `substitutions.x` also matches `x`, as Archy's options-file form does.
 */
export function applySubstitutions(
  original: string,
  values: Readonly<Record<string, string>>,
  format: 'yaml' | 'json' = 'yaml',
): SubstitutionResult {
  const unresolved: UnresolvedToken[] = [];
  const unsafe: UnsafeValue[] = [];
  // Segments: [newStart, origStart] pairs where a replacement changed lengths.
  const newStarts: number[] = [0];
  const origStarts: number[] = [0];
  let out = '';
  let last = 0;
  let scanner: ContextScanner | undefined;
  for (const m of original.matchAll(TOKEN)) {
    const key = m[1] ?? '';
    const at = m.index;
    const raw = lookup(values, key);
    let value: string;
    if (raw === undefined) {
      unresolved.push({ key, offset: at });
      // A plain placeholder keeps the YAML parseable so every other check still runs.
      value = `__${key}__`;
    } else {
      scanner ??= new ContextScanner(original, format, TOKEN_SOURCE);
      const placed: Placement = placeValue(scanner.at(at, at + m[0].length), raw, format);
      if ('reason' in placed) {
        unsafe.push({ key, offset: at, reason: placed.reason });
        value = `__${key}__`;
      } else value = placed.text;
    }
    out += original.slice(last, at);
    // Inside the replacement, every offset maps to the token's start.
    newStarts.push(out.length);
    origStarts.push(at);
    out += value;
    last = at + m[0].length;
    newStarts.push(out.length);
    origStarts.push(last);
  }
  if (last === 0) return { text: original, unresolved, unsafe, toOriginal: (o) => o };
  out += original.slice(last);
  return {
    text: out,
    unresolved,
    unsafe,
    toOriginal(offset: number): number {
      if (offset < 0) return offset;
      const lo = lastAtOrBelow(newStarts, offset);
      const segStart = newStarts[lo] ?? 0;
      const orig = origStarts[lo] ?? 0;
      // Odd segments are inside a replacement value: map to the token start.
      return lo % 2 === 1 ? orig : orig + (offset - segStart);
    },
  };
}

function lookup(values: Readonly<Record<string, string>>, key: string): string | undefined {
  if (Object.hasOwn(values, key)) return values[key];
  if (key.startsWith('substitutions.')) {
    const short = key.slice('substitutions.'.length);
    if (Object.hasOwn(values, short)) return values[short];
  }
  return undefined;
}

/** Finds every `{{ key }}` token in a text (for reports and `--list-substitutions`). */
export function findSubstitutionKeys(text: string): string[] {
  return [...new Set([...text.matchAll(TOKEN)].map((m) => m[1] ?? ''))];
}
