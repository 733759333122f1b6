import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compileLinearPattern, type LinearPattern } from '../../src/flow/check/linear-pattern.js';

function compiled(source: string): LinearPattern {
  const r = compileLinearPattern(source);
  if ('problem' in r) throw new Error(`${source}: ${r.problem}`);
  return r.pattern;
}

function problemOf(source: string): string {
  const r = compileLinearPattern(source);
  if ('pattern' in r) throw new Error(`${source} was accepted`);
  return r.problem;
}

// Characters where JavaScript and RE2 differ by default: line terminators, Unicode spaces, `\v`.
const TEXT_UNITS = ['a', 'b', 'c', 'z', 'A', 'Q', '_', '1', ' ', '-', '.', '/', '\\', '[', ']', 'é'].concat([
  '\n',
  '\r',
  '\t',
  '\v',
  '\f',
  '\0',
  '\b',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
]);
const text = fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 10 });

// Ordinary JavaScript syntax, built so that it is always valid (no range out of order, no
// quantified assertion).
const literalAtom = fc.constantFrom('a', 'b', 'A', '_', '1', ' ', '-', 'é', '/', ']', '}', ',');
const escapeAtom = fc.constantFrom(
  ...['\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\t', '\\n', '\\v', '\\r', '\\f', '(?:\\0)', '\\x41'],
  ...['\\u00e9', '\\u2028', '\\cJ', '\\c1', '\\.', '\\-', '\\/', '\\\\', '\\[', '\\A', '\\z', '\\Q', '\\p'],
);
const classItem = fc.oneof(
  fc.constantFrom('a', 'b', 'z', ' ', '-', '.', ']', '[', '\\]', '\\-', '\\b', '\\s', '\\S', '\\d', '\\W'),
  fc.constantFrom('\\u00a0', '\\n', '\\c_', '\\ca', '\\x2D', '^'),
  fc
    .tuple(fc.constantFrom('a', 'A', '0', ' ', '-'), fc.constantFrom('b', 'z', 'Z', '9', '\u3000'))
    .map(([a, b]) => (a <= b ? `${a}-${b}` : `${b}-${a}`).replace('\u3000', '\\u3000')),
  fc.constantFrom('\\d-z', 'a-\\s', '\\w-'),
);
const characterClass = fc.oneof(
  fc
    .tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 4 }))
    .map(([neg, items]) => `[${neg ? '^' : ''}${items.join('')}]`),
  fc.constantFrom('[]', '[^]'),
);
const quantifier = fc
  .tuple(fc.constantFrom('*', '+', '?', '{2}', '{0,2}', '{1,}', '{,2}'), fc.boolean())
  .map(([q, lazy]) => (lazy && q !== '{,2}' ? `${q}?` : q));
const assertion = fc.constantFrom('^', '$', '\\b', '\\B');

const { pattern: generated } = fc.letrec<{ pattern: string; term: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literalAtom,
    escapeAtom,
    fc.constant('.'),
    characterClass,
    fc.tuple(fc.constantFrom('(', '(?:', '(?<g>'), tie('pattern')).map(([open, inner]) => `${open}${inner})`),
  ),
  term: fc.oneof(
    tie('atom'),
    fc.tuple(tie('atom'), quantifier).map(([a, q]) => `${a}${q}`),
    assertion,
  ),
  pattern: fc
    .array(
      fc.array(tie('term'), { maxLength: 4 }).map((t) => t.join('')),
      { minLength: 1, maxLength: 3 },
    )
    .map((alts) => alts.join('|')),
}));

// Pieces side by side can still make an invalid pattern (`z` then `--b` is a range out of order,
// two groups named `g`): only valid ones are kept.
const jsPattern = generated.filter((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
});

describe('linear-time patterns agree with JavaScript', () => {
  test.prop([jsPattern, fc.array(text)], {
    numRuns: 3000,
  })('on generated patterns of ordinary syntax (RegExp as the oracle)', (source, texts) => {
    const p = compiled(source);
    const oracle = new RegExp(source);
    for (const t of ['', ...texts])
      expect(p.test(t), `${source} on ${JSON.stringify(t)}`).toBe(oracle.test(t));
  });

  const rawUnit = fc.constantFrom(
    ...['a', 'b', '-', '^', '$', '.', '*', '+', '?', '|', '(', ')', '[', ']', '{', '}', ',', '2', '0'],
    ...['\\', 'c', 'x', 'u', 'd', 's', 'S', 'b', 'k', '<', '>', '=', '!', ':', 'A', 'z', ' ', '\n'],
  );
  test.prop([fc.string({ unit: rawUnit, maxLength: 8 }), fc.array(text)], { numRuns: 5000 })(
    'on arbitrary pattern text: whatever it accepts means what RegExp means',
    (source, texts) => {
      let oracle: RegExp;
      try {
        oracle = new RegExp(source);
      } catch {
        expect(compileLinearPattern(source)).toHaveProperty('problem');
        return;
      }
      const r = compileLinearPattern(source);
      if ('problem' in r) return;
      for (const t of ['', ...texts])
        expect(r.pattern.test(t), `${source} on ${JSON.stringify(t)}`).toBe(oracle.test(t));
    },
  );

  test('reads the usual naming patterns', () => {
    expect(compiled('^IVR-[A-Z][a-z]+$').test('IVR-Main')).toBe(true);
    expect(compiled('^IVR-[A-Z][a-z]+$').test('ivr-main')).toBe(false);
    expect(compiled('^(?<env>dev|prod)_\\w+$').test('prod_Main_Menu')).toBe(true);
    expect(compiled('').test('anything')).toBe(true);
  });
});

describe('patterns that cannot stall a pipeline (issue 18 §3)', () => {
  // Backtracking needs about 2^n steps for these: 2^40 never ends, 2^5000 is beyond any machine.
  test('(a+)+$ against 40, 5,000 and 100,000 characters', () => {
    const p = compiled('(a+)+$');
    for (const n of [40, 5000, 100_000]) {
      expect(p.test(`${'a'.repeat(n)}!`)).toBe(false);
      expect(p.test('a'.repeat(n))).toBe(true);
    }
  });

  test('^(\\w+\\s?)+$ against 29 and 5,000 characters', () => {
    const p = compiled('^(\\w+\\s?)+$');
    for (const n of [29, 5000]) {
      expect(p.test(`${'a'.repeat(n - 1)}!`)).toBe(false);
      expect(p.test('ab '.repeat(n / 3))).toBe(true);
    }
  });

  test('refuses what RE2 cannot run, saying what and where', () => {
    expect(problemOf('^(?=IVR)')).toBe("the pattern uses a lookahead '(?=' at character 2");
    expect(problemOf('x(?!y)')).toContain("a lookahead '(?!'");
    expect(problemOf('(?<=a)b')).toContain("a lookbehind '(?<='");
    expect(problemOf('(?<!a)b')).toContain("a lookbehind '(?<!'");
    expect(problemOf('(a)\\1')).toBe("the pattern uses a backreference or octal escape '\\1' at character 4");
    expect(problemOf('(?<n>a)\\k<n>')).toContain("a named backreference '\\k'");
    expect(problemOf('\\012')).toContain('an octal escape');
    expect(problemOf('[\\1]')).toContain('an octal escape');
    expect(problemOf('a{1001}')).toContain('repeats more than 1000 times');
    expect(problemOf('(a{100}){100}')).toContain('repeats more than 1000 times');
    expect(problemOf('IVR 😀')).toContain('outside the Basic Multilingual Plane');
    expect(problemOf('\\ud83d')).toContain('a surrogate escape');
    expect(problemOf('x'.repeat(1001))).toBe('the pattern is 1001 characters long; the limit is 1000');
    expect(problemOf('(')).toMatch(/^not a valid regular expression: .*Unterminated group/);
  });
});
