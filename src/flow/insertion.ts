/**
 * Where a `{{ token }}` stands in YAML or JSON text, and how a value must be written there to stay
 * one scalar. Contexts are read from the token's line (Archy writes one scalar per line):
 * - inside double quotes: JSON-style escapes (valid YAML double-quoted);
 * - inside single quotes: `'` doubled; a line break cannot be written;
 * - a whole plain scalar (`name: {{x}}`): verbatim when plain-safe, else double-quoted;
 * - part of a plain scalar (`name: IVR {{x}}`): verbatim when plain-safe, else no safe form;
 * - a comment: verbatim unless it holds a line break.
 */

/** How to write a value, or why it cannot be written. */
export type Placement = { text: string } | { reason: string };

type Context = 'double' | 'single' | 'comment' | 'whole' | 'part';

/** The text to insert for `value` at the token `[start, end)` of `text`. */
export function placeValue(
  text: string,
  start: number,
  end: number,
  value: string,
  format: 'yaml' | 'json',
): Placement {
  const ctx = contextAt(text, start, end, format);
  switch (ctx) {
    case 'double':
      return { text: JSON.stringify(value).slice(1, -1) };
    case 'single':
      return /[\r\n]/.test(value)
        ? { reason: 'holds a line break, which a single-quoted YAML string cannot keep' }
        : { text: value.replace(/'/g, "''") };
    case 'comment':
      return /[\r\n]/.test(value) ? { reason: 'holds a line break inside a comment' } : { text: value };
    case 'whole': {
      if (format === 'json')
        return /^[\w.+-]+$/.test(value)
          ? { text: value }
          : { reason: 'is not a JSON number, true, false or null, and stands outside quotes' };
      return plainProblem(value, true) === undefined ? { text: value } : { text: JSON.stringify(value) };
    }
    case 'part': {
      const problem = format === 'json' ? 'stands outside quotes in JSON' : plainProblem(value, false);
      return problem === undefined || (format === 'json' && /^[\w.+-]*$/.test(value))
        ? { text: value }
        : { reason: `${problem}, in the middle of an unquoted value; quote the whole value in the file` };
    }
  }
}

/** Why a value is not safe as (part of) a plain YAML scalar, or undefined when it is. */
function plainProblem(value: string, whole: boolean): string | undefined {
  if (/[\r\n]/.test(value)) return 'holds a line break';
  if (/:(\s|$)/.test(value)) return "holds ': ' (or ends with ':'), which starts a mapping entry";
  if (/(^|\s)#/.test(value)) return "holds ' #', which starts a comment";
  if (!whole) return undefined;
  if (value === '') return 'is empty (an empty plain value is null)';
  if (/^\s|\s$/.test(value)) return 'starts or ends with a space';
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return `starts with '${value[0]}', a YAML indicator`;
  return undefined;
}

function contextAt(text: string, start: number, end: number, format: 'yaml' | 'json'): Context {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let quote: '"' | "'" | undefined;
  let lastSignificant = ''; // the last character outside quotes that is not a space
  let spaceSince = true; // a space came after it (so ':' or '-' is an indicator, not part of a word)
  const scalarMayStart = () =>
    lastSignificant === '' ||
    '[{,'.includes(lastSignificant) ||
    (format === 'json' && lastSignificant === ':') ||
    (':-?'.includes(lastSignificant) && spaceSince);
  for (let i = lineStart; i < start; i++) {
    const ch = text[i]!;
    if (quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') [quote, lastSignificant, spaceSince] = [undefined, ch, false];
      continue;
    }
    if (quote === "'") {
      if (ch === "'") {
        if (text[i + 1] === "'") i++;
        else [quote, lastSignificant, spaceSince] = [undefined, ch, false];
      }
      continue;
    }
    if (format === 'yaml' && ch === '#' && (i === lineStart || /\s/.test(text[i - 1]!))) return 'comment';
    const opensQuote = ch === '"' || (format === 'yaml' && ch === "'");
    if (opensQuote && scalarMayStart()) {
      quote = ch;
      continue;
    }
    if (/\s/.test(ch)) spaceSince = true;
    else {
      lastSignificant = ch;
      spaceSince = false;
    }
  }
  if (quote === '"') return 'double';
  if (quote === "'") return 'single';
  const starts = scalarMayStart();
  const rest = text.slice(end, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end));
  const ends = /^\s*($|#|[,\]}])/.test(format === 'json' ? rest.replace(/#/g, 'x') : rest);
  return starts && ends ? 'whole' : 'part';
}
