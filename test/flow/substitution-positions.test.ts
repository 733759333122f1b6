/**
 * Issue 18 §4: a substituted value stays one scalar wherever its token stands (flow collections,
 * keys, block scalars), or the substitution is reported `unsafe-substitution`: never a different
 * structure. Oracle: the YAML with the token replaced by the value itself, read with the failsafe
 * schema (every scalar a string), equals the structure the position expects.
 */
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { applySubstitutions } from '../../src/flow/source/substitute.js';

/** A place for `{{ v }}` and what the document must read as, for a value `v`. */
interface Position {
  name: string;
  text: string;
  expected: (v: string) => unknown;
  /** Values this position cannot hold for reasons of the oracle (a key equal to its neighbour). */
  excludes?: (v: string) => boolean;
}

const POSITIONS: Position[] = [
  { name: 'plain block value', text: 'k: {{ v }}\nj: x\n', expected: (v) => ({ k: v, j: 'x' }) },
  { name: 'double-quoted value', text: 'k: "{{ v }}"\nj: x\n', expected: (v) => ({ k: v, j: 'x' }) },
  { name: 'single-quoted value', text: "k: '{{ v }}'\nj: x\n", expected: (v) => ({ k: v, j: 'x' }) },
  { name: 'block sequence item', text: '- {{ v }}\n- b\n', expected: (v) => [v, 'b'] },
  {
    name: 'flow mapping value',
    text: 'm: { tts: {{ v }}, other: x }\n',
    expected: (v) => ({ m: { tts: v, other: 'x' } }),
  },
  {
    name: 'flow mapping value over lines',
    text: 'm: {\n  tts: {{ v }},\n  other: x\n}\n',
    expected: (v) => ({ m: { tts: v, other: 'x' } }),
  },
  {
    name: 'flow mapping value, quoted',
    text: 'm: { tts: "{{ v }}", other: x }\n',
    expected: (v) => ({ m: { tts: v, other: 'x' } }),
  },
  { name: 'flow sequence item', text: 's: [a, {{ v }}, b]\n', expected: (v) => ({ s: ['a', v, 'b'] }) },
  {
    name: 'part of a plain scalar in a flow mapping',
    text: 'm: { tts: IVR {{ v }} x, other: y }\n',
    expected: (v) => ({ m: { tts: `IVR ${v} x`, other: 'y' } }),
  },
  {
    name: 'block mapping key',
    text: '{{ v }}: x\nother: y\n',
    expected: (v) =>
      new Map([
        [v, 'x'],
        ['other', 'y'],
      ]),
    excludes: (v) => v === 'other',
  },
  {
    name: 'flow mapping key',
    text: 'm: { {{ v }}: x, other: y }\n',
    expected: (v) => ({
      m: new Map([
        [v, 'x'],
        ['other', 'y'],
      ]),
    }),
    excludes: (v) => v === 'other',
  },
  {
    name: 'part of a plain value',
    text: 'k: IVR {{ v }} line\n',
    expected: (v) => ({ k: `IVR ${v} line` }),
  },
  {
    name: 'literal block scalar line',
    text: 'k: |\n  before\n  {{ v }}\n  after\nj: x\n',
    expected: (v) => ({ k: `before\n${v}\nafter\n`, j: 'x' }),
  },
  {
    name: 'inside a literal block scalar line',
    text: 'k: |\n  before\n  say {{ v }} now\n  after\n',
    expected: (v) => ({ k: `before\nsay ${v} now\nafter\n` }),
  },
  {
    name: 'first line of a literal block scalar (it sets the indentation)',
    text: 'k: |\n  {{ v }}\n  after\n',
    expected: (v) => ({ k: `${v}\nafter\n` }),
  },
  {
    name: 'literal block scalar in a sequence of mappings',
    text: 'l:\n  - k: |\n      before\n      {{ v }}\n      after\n    other: x\n',
    expected: (v) => ({ l: [{ k: `before\n${v}\nafter\n`, other: 'x' }] }),
  },
  {
    name: 'folded block scalar line',
    text: 'k: >\n  before\n  {{ v }}\n  after\n',
    expected: (v) => ({ k: `before ${v} after\n` }),
  },
  {
    name: 'comment',
    text: 'k: x # {{ v }}\nj: y\n',
    expected: () => ({ k: 'x', j: 'y' }),
  },
];

/** The document as plain values, mappings with non-string-safe keys as Maps. */
function read(text: string): { value: unknown; errors: string[] } {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  const errors = doc.errors.map((e) => e.message);
  return { value: doc.toJS({ mapAsMap: true }), errors };
}

/** Expected structure with every plain object turned into a Map, as `read` returns them. */
function asMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asMaps);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, asMaps(x)]));
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, asMaps(x)]));
  return v;
}

/** Characters that YAML gives a meaning to, line breaks, controls and some non-ASCII. */
const NASTY = [
  ...', : { } [ ] # " \' - ? & * ! | > % @ ` ~ \\ a b 1'.split(' '),
  ' ',
  '\n',
  '\r',
  '\t',
  '\x1b',
  '\x85',
  '\u2028',
  '\ufeff',
  'é',
  '中',
  '😀',
];
const values = fc.oneof(
  fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 12 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 12 }),
  fc.constantFrom('x, "startUpRef":"./menus/menu[evil]"', 'a, b', '[x]', '{a: b}', 'a\nb', 'a\n', ''),
);

describe('a substituted value stays one scalar, or is reported', () => {
  for (const p of POSITIONS) {
    test.prop([values], { numRuns: 250 })(p.name, (value) => {
      fc.pre(!p.excludes?.(value));
      const sub = applySubstitutions(p.text, { v: value });
      if (sub.unsafe.length > 0) return;
      const got = read(sub.text);
      expect(got.errors, sub.text).toEqual([]);
      expect(got.value, sub.text).toEqual(asMaps(p.expected(value)));
    });
  }

  it('the values of issue 18 are placed, not refused, and add no key', () => {
    const evil = 'x, "startUpRef":"./menus/menu[evil]"';
    const sub = applySubstitutions('m: { tts: {{ v }} }\n', { v: evil });
    expect(sub.unsafe).toEqual([]);
    expect(read(sub.text).value).toEqual(asMaps({ m: { tts: evil } }));
    // In a block scalar every character is literal: no JSON quotes around the value.
    const block = applySubstitutions('k: |\n  {{ v }}\n', { v: 'say "hi": now #1' });
    expect(block.text).toBe('k: |\n  say "hi": now #1\n');
  });

  it('a line break in a literal block scalar is indented into it; in a folded one it is refused', () => {
    const lit = applySubstitutions('k: |\n  {{ v }}\n  end\n', { v: 'one\ntwo' });
    expect(lit.text).toBe('k: |\n  one\n  two\n  end\n');
    const folded = applySubstitutions('k: >\n  {{ v }}\n  end\n', { v: 'one\ntwo' });
    expect(folded.unsafe.map((u) => u.reason)).toEqual([expect.stringContaining('line break')]);
  });

  it('contexts that start on earlier lines: a double-quoted string, a tagged block scalar, an empty one', () => {
    const v = 'a, b: c #d';
    const cases: Array<[string, unknown]> = [
      ['k: "first\n  {{ v }}"\n', { k: `first ${v}` }],
      ['k: !!str |\n  {{ v }}\n', { k: `${v}\n` }],
      ['- key: |\n  other: {{ v }}\n', [{ key: '', other: v }]],
      ['m: { a: {{ unknown }}, b: {{ v }} }\n', { m: { a: '__unknown__', b: v } }],
      ['m: {"a":{{ v }}}\n', { m: { a: v } }],
    ];
    for (const [text, expected] of cases) {
      const sub = applySubstitutions(text, { v });
      expect(sub.unsafe, text).toEqual([]);
      expect(read(sub.text).value, sub.text).toEqual(asMaps(expected));
    }
  });

  // Not over-cautious: ordinary words go in as they are at every position.
  test.prop([fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}[A-Za-z0-9]$/)], { numRuns: 100 })(
    'ordinary names are never refused',
    (value) => {
      fc.pre(value !== 'other');
      for (const p of POSITIONS) expect(applySubstitutions(p.text, { v: value }).unsafe, p.name).toEqual([]);
    },
  );
});
