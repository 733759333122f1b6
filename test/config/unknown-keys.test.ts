/**
 * Unknown keys in config files (issue 20 §12): the keys a schema knows at a place, the closest
 * one to a slip, and the edit distance behind it (against breadth-first search over edits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../../src/config/manifest.js';
import { PolicySchema } from '../../src/flow/check/policy-schema.js';
import { closestKey, editDistance, knownKeysAt } from '../../src/config/unknown-keys.js';

/** Fewest edits from a to b by breadth-first search: insert, delete, substitute, and swap neighbours. */
function bfsDistance(a: string, b: string, alphabet: string, swaps: boolean): number {
  const seen = new Set([a]);
  let frontier = [a];
  for (let d = 0; ; d++) {
    if (frontier.includes(b)) return d;
    const next: string[] = [];
    for (const s of frontier) {
      const out: string[] = [];
      for (let i = 0; i <= s.length; i++)
        for (const c of alphabet) {
          out.push(s.slice(0, i) + c + s.slice(i));
          if (i < s.length) out.push(s.slice(0, i) + c + s.slice(i + 1));
        }
      for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
      if (swaps)
        for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
      // Longer than both ends is never on a shortest path of these lengths.
      for (const o of out)
        if (!seen.has(o) && o.length <= Math.max(a.length, b.length) + 1) {
          seen.add(o);
          next.push(o);
        }
    }
    frontier = next;
  }
}

describe('unknown keys', () => {
  it('knows the keys at each place of the manifest, through arrays, records and wrappers', () => {
    expect(knownKeysAt(ManifestSchema, [])).toContain('flows');
    expect(knownKeysAt(ManifestSchema, ['flows', 0])).toEqual([
      'file',
      'id',
      'name',
      'type',
      'version',
      'definition',
      'expectCheckedIn',
      'substitutions',
      'activateAt',
    ]);
    expect(knownKeysAt(ManifestSchema, ['environments', 'prod'])).toEqual([
      'org',
      'substitutions',
      'substitutionsFile',
      'requires',
    ]);
    expect(knownKeysAt(ManifestSchema, ['events', 'webhooks', 3])).toContain('secretEnv');
    expect(knownKeysAt(ManifestSchema, ['ledger'])).toEqual(['path', 'url', 'passwordFile']);
    expect(knownKeysAt(PolicySchema, [])).toContain('naming');
    expect(knownKeysAt(ManifestSchema, ['substitutions'])).toEqual([]);
  });

  it('suggests the closest key for a slip, and nothing for a word that is not one', () => {
    const flow = knownKeysAt(ManifestSchema, ['flows', 0]);
    expect(closestKey('fil', flow)).toBe('file');
    expect(closestKey('flie', flow)).toBe('file');
    expect(closestKey('substitutons', flow)).toBe('substitutions');
    expect(closestKey('ActivateAt', flow)).toBe('activateAt');
    expect(closestKey('flow', knownKeysAt(ManifestSchema, []))).toBe('flows');
    expect(closestKey('timeout', flow)).toBeUndefined();
  });

  it('the edit distance lies between the search with swaps and the search without (brute force)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 4 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d).toBeGreaterThanOrEqual(bfsDistance(a, b, 'abc', true));
        expect(d).toBeLessThanOrEqual(bfsDistance(a, b, 'abc', false));
        // One swap of neighbours is one edit.
        if (a.length >= 2) expect(editDistance(a, a[1]! + a[0]! + a.slice(2))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
