/** Publish order against a brute-force oracle (fast-check). */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { publishSequence } from '../../src/flow/algorithms/publish-sequence.js';

/** A DAG: edges only from a higher index to a lower one (then shuffled by the labelling). */
const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 }),
    fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
  ),
);

describe('publishSequence', () => {
  test.prop([dag])(
    'a permutation in which every flow comes after what it depends on (acyclic input)',
    ([n, pairs, label]) => {
      const deps: number[][] = Array.from({ length: n }, () => []);
      for (const [a, b] of pairs) if (a > b) deps[label[a]!]!.push(label[b]!); // acyclic by construction
      const order = publishSequence(n, deps);
      expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
      const at = new Map(order.map((x, i) => [x, i]));
      for (let i = 0; i < n; i++) for (const d of deps[i]!) expect(at.get(d)!).toBeLessThan(at.get(i)!);
      // Oracle for the tie-break: the lowest-numbered ready step first (Kahn by index), computed by brute force.
      const done = new Set<number>();
      const expected: number[] = [];
      while (expected.length < n) {
        const next = Array.from({ length: n }, (_, i) => i).find(
          (i) => !done.has(i) && deps[i]!.every((d) => done.has(d)),
        )!;
        done.add(next);
        expected.push(next);
      }
      expect(order).toEqual(expected);
    },
  );

  test.prop([
    fc
      .integer({ min: 1, max: 10 })
      .chain((n) =>
        fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 25 })),
      ),
  ])('a cycle never loses or repeats a flow', ([n, pairs]) => {
    const deps: number[][] = Array.from({ length: n }, () => []);
    for (const [a, b] of pairs) if (a !== b) deps[a]!.push(b);
    const order = publishSequence(n, deps);
    expect(new Set(order).size).toBe(n);
    expect(order).toHaveLength(n);
  });
});
