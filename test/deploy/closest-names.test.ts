/**
 * "Did you mean …?" (src/deploy/closest-names.ts) against the rule it states, computed by brute
 * force: close when only the case differs, when one name contains the other, or within an edit
 * distance of a third of the longer name (at least 2); closest first, ties by name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestNames } from '../../src/deploy/closest-names.js';

/** Levenshtein distance by the textbook dynamic programme (the oracle's own, not the library's). */
function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The stated rule, candidate by candidate. */
function oracle(name: string, candidates: string[], max: number): string[] {
  const w = name.toLowerCase();
  const scored = [...new Set(candidates)]
    .filter((c) => c !== name)
    .flatMap((c) => {
      const l = c.toLowerCase();
      if (l === w) return [{ c, score: 0 }];
      if (l.includes(w) || (l.length >= 3 && w.includes(l)))
        return [{ c, score: 1 + Math.abs(l.length - w.length) / 100 }];
      const d = levenshtein(l, w);
      return d <= Math.max(2, Math.floor(Math.max(l.length, w.length) / 3)) ? [{ c, score: 1 + d }] : [];
    });
  scored.sort((a, b) => a.score - b.score || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  return scored.slice(0, max).map((s) => s.c);
}

describe('closestNames', () => {
  it('examples: case, containment both ways, a typo; the name itself and far names left out', () => {
    expect(closestNames('support', ['Support', 'Support-Prod', 'Sales', 'support'])).toEqual([
      'Support',
      'Support-Prod',
    ]);
    expect(closestNames('Main IRV', ['Main IVR', 'Sales IVR', 'Zzzzzzzz'])).toEqual(['Main IVR']);
    // A candidate the name contains counts only from three letters (`IV` is not `Main IVR`'s).
    expect(closestNames('Main IVR', ['IV', 'IVR'])).toEqual(['IVR']);
    // Ties in name order; at most `max`, three by default.
    expect(closestNames('abcd', ['abce', 'abcf', 'abcg', 'abch'])).toEqual(['abce', 'abcf', 'abcg']);
    expect(closestNames('abcd', ['abch', 'abce'], 1)).toEqual(['abce']);
    expect(closestNames('abcd', ['abch', 'abcg', 'abcf', 'abce'])).toEqual(['abce', 'abcf', 'abcg']);
    // Names the name contains: the nearer in length first.
    expect(closestNames('Support-Prod-EU', ['Support', 'Support-Prod'])).toEqual(['Support-Prod', 'Support']);
    // A third of the longer name's length: 4 edits from 9 letters to 12 are close (4 of 12), though
    // more than a third of the shorter (3 of 9).
    expect(closestNames('abcdefghi', ['abcdefghXZZZ', 'abcdefgXZZZZ'])).toEqual(['abcdefghXZZZ']);
  });

  it('the same names as the stated rule computed by brute force, in the same order', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'c', '-'), maxLength: 14 });
    fc.assert(
      fc.property(
        word,
        fc.array(word, { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (name, candidates, max) => {
          expect(closestNames(name, candidates, max)).toEqual(oracle(name, candidates, max));
        },
      ),
      { numRuns: 500 },
    );
  });
});
