/**
 * Whether a name a flow uses came from a `{{ token }}`, and where the token's value was set: the
 * reference's position points into the file as written (positions survive substitutions,
 * docs/ARCHITECTURE.md), so the token is in the original text at or just below it (a reference's
 * position is its key; the name may stand a line or two further, `targetQueue:` → `lit:` →
 * `name: {{ queue }}`).
 */

/** A token whose value is (part of) a name, and where that value came from. */
export interface NameOrigin {
  token: string;
  value: string;
  /** `--set`, `substitutions file X`, `manifest X (environments.prod)`, … */
  origin?: string;
}

const TOKEN = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
/** How many lines below the reference's own the name may stand. */
const LINES_BELOW = 3;

/** The offset of each line's first character (index 0 is line 1). */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/**
 * The tokens on the reference's lines whose value is part of `name` (first one first), or an
 * empty list for a name written out. `starts` is {@link lineStarts} of `text`.
 */
export function nameOrigins(
  text: string,
  starts: readonly number[],
  line: number,
  name: string,
  values: Readonly<Record<string, string>>,
  origins: Readonly<Record<string, string>>,
): NameOrigin[] {
  const start = starts[line - 1];
  if (start === undefined) return [];
  const end = starts[line + LINES_BELOW] ?? text.length;
  const out: NameOrigin[] = [];
  for (const m of text.slice(start, end).matchAll(TOKEN)) {
    const key = m[1]!;
    const plain = key.replace(/^substitutions\./, '');
    const value = values[key] ?? values[plain];
    if (value === undefined || value === '' || !name.includes(value)) continue;
    if (out.some((o) => o.token === key)) continue;
    const origin = origins[key] ?? origins[plain];
    out.push({ token: key, value, ...(origin !== undefined ? { origin } : {}) });
  }
  return out;
}
