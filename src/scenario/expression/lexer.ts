/**
 * Tokens of Architect's expression language: numbers, double-quoted strings (backslash escapes, as
 * the real flows write `"\"phone\": \""`), names, and the operators of the expression help
 * (`+ - * / %`, `== != < <= > >=`, `and or not`, calls, `.member`, `[index]`).
 */

/** One token; `at` is its offset in the expression text. */
export type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

/** A syntax problem at an offset of the expression. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
  '!',
  '=',
];

const isDigit = (c: string) => c >= '0' && c <= '9';
const isNameStart = (c: string) => /[A-Za-z_]/.test(c);
const isNamePart = (c: string) => /[A-Za-z0-9_]/.test(c);

/** Splits an expression into tokens, ending with an `end` token. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (isDigit(c)) {
      const start = i;
      while (i < text.length && isDigit(text[i]!)) i++;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        i++;
        while (i < text.length && isDigit(text[i]!)) i++;
      }
      out.push({ kind: 'num', value: Number(text.slice(start, i)), at: start });
    } else if (c === '"') {
      const start = i++;
      let s = '';
      for (;;) {
        if (i >= text.length) throw new ExpressionSyntaxError('a string is not closed', start);
        const d = text[i++]!;
        if (d === '"') break;
        if (d === '\\' && i < text.length) {
          const e = text[i++]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else s += d;
      }
      out.push({ kind: 'str', value: s, at: start });
    } else if (isNameStart(c)) {
      const start = i;
      while (i < text.length && isNamePart(text[i]!)) i++;
      out.push({ kind: 'name', value: text.slice(start, i), at: start });
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw new ExpressionSyntaxError(`unexpected character '${c}'`, i);
      out.push({ kind: 'op', value: op, at: i });
      i += op.length;
    }
  }
  out.push({ kind: 'end', at: text.length });
  return out;
}
