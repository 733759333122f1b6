/**
 * Where a name a flow uses came from (src/deploy/substituted-name.ts): the `{{ tokens }}` on the
 * reference's line and the few below it whose value is part of the name, with where each value
 * was set, so an error about an org object names the substitution to change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineStarts, nameOrigins } from '../../src/deploy/substituted-name.js';

describe('lineStarts', () => {
  it("each line's first offset, against splitting the text on newlines", () => {
    expect(lineStarts('')).toEqual([0]);
    expect(lineStarts('a\nbc\n')).toEqual([0, 2, 5]);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', ' ') }), (text) => {
        const lengths = text.split('\n').map((l) => l.length);
        const want = lengths.map((_, i) => lengths.slice(0, i).reduce((n, l) => n + l + 1, 0));
        expect(lineStarts(text)).toEqual(want);
      }),
    );
  });
});

describe('nameOrigins', () => {
  // Line 3 is the reference's key; its name stands two lines below.
  const text = [
    'inboundCall:', // 1
    '  tasks:', // 2
    '    targetQueue:', // 3
    '      lit:', // 4
    '        name: {{ team }} {{substitutions.site}} {{ team }}', // 5
    '        other: {{ far }}', // 6
    '        later: {{ beyond }}', // 7
  ].join('\n');
  const starts = lineStarts(text);
  const values = { team: 'Sales', site: 'Dublin', far: 'Sales', beyond: 'Sales', empty: '' };
  const origins = { team: '--set', 'substitutions.site': 'manifest flowgate.yaml (environments.prod)' };

  it('the tokens at or up to three lines below whose value is in the name, first first, each once, with their origin', () => {
    // Strict: a token of no known origin has no `origin` key at all.
    expect(nameOrigins(text, starts, 3, 'Sales Dublin', values, origins)).toStrictEqual([
      { token: 'team', value: 'Sales', origin: '--set' },
      { token: 'substitutions.site', value: 'Dublin', origin: 'manifest flowgate.yaml (environments.prod)' },
      // Line 6 is within three lines of the key; its token's value is in the name too; no origin known.
      { token: 'far', value: 'Sales' },
    ]);
  });

  it('a token further down, a value not in the name, an empty or unknown value: none', () => {
    // From line 4, line 7 is within reach; from line 3 it is not (above: `beyond` absent).
    expect(nameOrigins(text, starts, 4, 'Sales', values, {}).map((o) => o.token)).toEqual([
      'team',
      'far',
      'beyond',
    ]);
    expect(nameOrigins(text, starts, 3, 'Support', values, origins)).toEqual([]);
    const blank = 'a:\n  name: {{ empty }}{{ unknown }}\n';
    expect(nameOrigins(blank, lineStarts(blank), 1, 'x', values, {})).toEqual([]);
  });

  it("a line past the text's end has no tokens; the last lines reach to the end", () => {
    expect(nameOrigins(text, starts, 99, 'Sales', values, origins)).toEqual([]);
    expect(nameOrigins(text, starts, 7, 'Sales', values, origins)).toEqual([
      { token: 'beyond', value: 'Sales' },
    ]);
  });

  it('a token written substitutions.<key> finds the value and origin of the plain key (values are kept by plain key)', () => {
    const t = 'q:\n  name: {{ substitutions.team }} {{ site }}\n';
    expect(
      nameOrigins(
        t,
        lineStarts(t),
        1,
        'Sales Dublin',
        { team: 'Sales', 'substitutions.site': 'Dublin' },
        { team: 'env' },
      ),
    ).toEqual([{ token: 'substitutions.team', value: 'Sales', origin: 'env' }]);
    // A plain token reads the plain key only; only a leading substitutions. is dropped.
    const inner = 'q:\n  name: {{ site.substitutions.team }}\n';
    expect(nameOrigins(inner, lineStarts(inner), 1, 'Sales', { 'site.team': 'Sales' }, {})).toEqual([]);
  });
});
