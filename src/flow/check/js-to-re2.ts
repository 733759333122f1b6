/**
 * Translating a JavaScript regular expression (no flags, so Annex B syntax) into RE2 syntax with
 * the same meaning, or saying why it cannot be.
 *
 * RE2 (https://github.com/google/re2/wiki/Syntax) reads most of JavaScript's syntax alike; this
 * rewrites what it reads differently: `.` and `\s` (JavaScript's include `\r`, U+2028/9 and the
 * Unicode spaces, RE2's do not), `[]` and `[^]`, `\v`, `\cX`, `\xHH`, `\uHHHH`, identity escapes
 * of letters (`\A`, `\z`, `\Q`, `\p` are letters in JavaScript, operators in RE2), and a `-` next
 * to a class escape (`[\d-z]`). Capturing groups become non-capturing: only `test` is needed.
 * It refuses what RE2 cannot run in linear time (lookaround, backreferences) and what would change
 * meaning (octal escapes, inline modifiers, characters outside the Basic Multilingual Plane, which
 * JavaScript without the `u` flag treats as two units and RE2 as one).
 *
 * The source must already be a valid JavaScript pattern (`new RegExp(source)` succeeded): the
 * scanner relies on its brackets being balanced and its ranges in order.
 */

/** The translated pattern, or why there is none (with the 1-based character it concerns). */
export type Translation = { re2: string } | { problem: string };

// JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262 §22.2.2.9, CharacterClassEscape).
const SPACE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const MAX_CODE_POINT = 0x10ffff;

// Every literal is written `\x{…}`: no thought needed about what RE2 treats as special.
const hex = (code: number): string => `\\x{${code.toString(16).toUpperCase()}}`;
const ranges = (list: ReadonlyArray<readonly [number, number]>): string =>
  list.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');

function complement(list: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [a, b] of list) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const SPACE = ranges(SPACE_RANGES);
const NOT_SPACE = ranges(complement(SPACE_RANGES));
// JavaScript's `.` without the `s` flag: anything but a LineTerminator.
const DOT = `[^${ranges([
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
])}]`;
const ANY = `[${ranges([[0, MAX_CODE_POINT]])}]`;
const NOTHING = `[^${ranges([[0, MAX_CODE_POINT]])}]`;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isLetter = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/** One piece read from the source: RE2 text, or a problem; `next` is where reading goes on. */
type Piece = { text: string; next: number } | { problem: string };
/** One code unit read from an escape. */
type Unit = { code: number; next: number } | { problem: string };
/** A class atom: one code unit, or a set (a class escape) as RE2 class contents. */
type Atom = Unit | { set: string; next: number };

const at = (i: number) => `at character ${i + 1}`;
const problem = (what: string, i: number): { problem: string } => ({ problem: `${what} ${at(i)}` });

/** Translates a valid JavaScript pattern (see the module comment). */
export function translateToRe2(source: string): Translation {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const piece: Piece =
      c === '\\'
        ? escapeOutside(source, i)
        : c === '['
          ? characterClass(source, i)
          : c === '('
            ? group(source, i)
            : c === '.'
              ? { text: DOT, next: i + 1 }
              : literal(source, i);
    if ('problem' in piece) return piece;
    out += piece.text;
    i = piece.next;
  }
  return { re2: out };
}

// Syntax characters and literals outside classes mean the same in both (RE2 has no extended mode).
function literal(source: string, i: number): Piece {
  if (isSurrogate(source.charCodeAt(i)))
    return problem('a character outside the Basic Multilingual Plane (such as an emoji)', i);
  return { text: source[i]!, next: i + 1 };
}

function group(source: string, i: number): Piece {
  if (source[i + 1] !== '?') return { text: '(?:', next: i + 1 };
  const kind = source[i + 2];
  if (kind === ':') return { text: '(?:', next: i + 3 };
  if (kind === '=' || kind === '!') return problem(`a lookahead '(?${kind}'`, i);
  if (kind === '<' && (source[i + 3] === '=' || source[i + 3] === '!'))
    return problem(`a lookbehind '(?<${source[i + 3]}'`, i);
  if (kind === '<') return { text: '(?:', next: source.indexOf('>', i) + 1 };
  return problem("an inline modifier such as '(?i:'", i);
}

function escapeOutside(source: string, i: number): Piece {
  const n = source[i + 1]!;
  if ('dDwWbB'.includes(n)) return { text: `\\${n}`, next: i + 2 };
  if (n === 's') return { text: `[${SPACE}]`, next: i + 2 };
  if (n === 'S') return { text: `[${NOT_SPACE}]`, next: i + 2 };
  if (n >= '1' && n <= '9') return problem(`a backreference or octal escape '\\${n}'`, i);
  if (n === 'k') return problem("a named backreference '\\k'", i);
  // Annex B: `\c` not followed by a letter is a backslash and a `c`.
  if (n === 'c' && !isLetter(source[i + 2])) return { text: '\\\\c', next: i + 2 };
  const atom = escapedCode(source, i);
  return 'problem' in atom ? atom : { text: hex(atom.code), next: atom.next };
}

/**
 * The code unit of an escape that stands for one character, in or out of a class: control and
 * hex escapes, `\0`, `\cX`, identity escapes (Annex B: any character but `c`, `k` and digits).
 */
function escapedCode(source: string, i: number): Unit {
  const n = source[i + 1]!;
  const control = CONTROL_ESCAPES[n];
  if (control !== undefined) return { code: control, next: i + 2 };
  if (n === '0') {
    if (isDigit(source[i + 2])) return problem(`an octal escape '\\0${source[i + 2]}'`, i);
    return { code: 0, next: i + 2 };
  }
  if (n === 'c') return { code: source.charCodeAt(i + 2) % 32, next: i + 3 };
  if (n === 'x' && isHex(source[i + 2]) && isHex(source[i + 3]))
    return { code: parseInt(source.slice(i + 2, i + 4), 16), next: i + 4 };
  if (n === 'u' && [2, 3, 4, 5].every((k) => isHex(source[i + k]))) {
    const code = parseInt(source.slice(i + 2, i + 6), 16);
    if (isSurrogate(code)) return problem(`a surrogate escape '\\u${source.slice(i + 2, i + 6)}'`, i);
    return { code, next: i + 6 };
  }
  const code = source.charCodeAt(i + 1);
  if (isSurrogate(code))
    return problem('a character outside the Basic Multilingual Plane (such as an emoji)', i + 1);
  return { code, next: i + 2 };
}

function characterClass(source: string, start: number): Piece {
  let i = start + 1;
  const negated = source[i] === '^';
  if (negated) i++;
  // `[]` matches nothing and `[^]` anything in JavaScript; in RE2 a `]` first is a literal.
  if (source[i] === ']') return { text: negated ? ANY : NOTHING, next: i + 1 };
  let body = '';
  while (source[i] !== ']') {
    const a = classAtom(source, i);
    if ('problem' in a) return a;
    i = a.next;
    if (source[i] === '-' && source[i + 1] !== ']') {
      const b = classAtom(source, i + 1);
      if ('problem' in b) return b;
      i = b.next;
      // Annex B: a `-` next to a class escape is a literal (`[\d-z]`).
      body +=
        'code' in a && 'code' in b
          ? `${hex(a.code)}-${hex(b.code)}`
          : `${atomText(a)}${hex(0x2d)}${atomText(b)}`;
    } else {
      body += atomText(a);
    }
  }
  return { text: `[${negated ? '^' : ''}${body}]`, next: i + 1 };
}

function atomText(a: { code: number } | { set: string }): string {
  return 'code' in a ? hex(a.code) : a.set;
}

function classAtom(source: string, i: number): Atom {
  const c = source[i]!;
  if (c !== '\\') {
    const code = source.charCodeAt(i);
    if (isSurrogate(code))
      return problem('a character outside the Basic Multilingual Plane (such as an emoji)', i);
    return { code, next: i + 1 };
  }
  const n = source[i + 1]!;
  if ('dDwW'.includes(n)) return { set: `\\${n}`, next: i + 2 };
  if (n === 's') return { set: SPACE, next: i + 2 };
  if (n === 'S') return { set: NOT_SPACE, next: i + 2 };
  if (n === 'b') return { code: 8, next: i + 2 };
  if (n >= '1' && n <= '9') return problem(`an octal escape '\\${n}'`, i);
  // Annex B (ClassControlLetter): in a class, `\c` also takes a digit or `_`; otherwise it is a
  // backslash, and the `c` is the next atom.
  if (n === 'c') {
    const x = source[i + 2];
    if (isLetter(x) || isDigit(x) || x === '_') return { code: source.charCodeAt(i + 2) % 32, next: i + 3 };
    return { code: 0x5c, next: i + 1 };
  }
  return escapedCode(source, i);
}
