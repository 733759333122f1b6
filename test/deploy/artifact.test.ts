/**
 * The artifact hash against an oracle: a random document whose leaves are plain words or
 * `{{ key }}` tokens is written as YAML in a random key order, with random quoting and comments;
 * its artifact hash must be the hash of the document's own value with every token as `__key__`
 * (computed from the value, never from the text), and its values hash must change exactly when a
 * value of a key the document uses changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { artifactOf } from '../../src/deploy/artifact.js';
import { canonicalJson, contentHash } from '../../src/deploy/content.js';

type Leaf = { word: string } | { token: string };
type Doc = { [key: string]: Leaf | Doc };

const key = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ word: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}$/) }),
  fc.record({ token: fc.constantFrom('greeting', 'queue', 'flow_name') }),
);
const doc: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc; node: Leaf | Doc }>((tie) => ({
  doc: fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 4 }),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('doc')),
})).doc;

const isLeaf = (v: Leaf | Doc): v is Leaf => 'word' in v || 'token' in v;

/** The oracle: the document's value with every token as its placeholder. */
function masked(d: Doc): unknown {
  return Object.fromEntries(
    Object.entries(d).map(([k, v]) => [k, isLeaf(v) ? ('word' in v ? v.word : `__${v.token}__`) : masked(v)]),
  );
}

/** The document as YAML: keys in the order `order` picks, leaves quoted or not, a comment or not. */
function yaml(d: Doc, order: (n: number) => number[], style: () => number, indent = ''): string {
  const entries = Object.entries(d);
  return order(entries.length)
    .map((i) => {
      const [k, v] = entries[i]!;
      if (!isLeaf(v)) return `${indent}${k}:\n${yaml(v, order, style, `${indent}  `)}`;
      const text = 'word' in v ? v.word : `{{ ${v.token} }}`;
      const s = style();
      const shown = s === 0 ? `"${text}"` : s === 1 ? `'${text}'` : `"${text}"  # note`;
      return `${indent}${k}: ${shown}`;
    })
    .join('\n');
}

const tokensOf = (d: Doc): string[] =>
  Object.values(d).flatMap((v) => (isLeaf(v) ? ('token' in v ? [v.token] : []) : tokensOf(v)));

describe('artifact hash', () => {
  it('is the hash of the value with tokens kept, whatever the key order, quoting and comments (oracle)', () => {
    fc.assert(
      fc.property(doc, fc.infiniteStream(fc.nat()), (d, stream) => {
        const it = stream[Symbol.iterator]();
        const next = () => it.next().value as number;
        const order = (n: number) => {
          const idx = [...Array(n).keys()];
          for (let i = n - 1; i > 0; i--) {
            const j = next() % (i + 1);
            [idx[i], idx[j]] = [idx[j]!, idx[i]!];
          }
          return idx;
        };
        const text = yaml(d, order, () => next() % 3);
        const { artifactHash } = artifactOf(text, { greeting: 'Hi', queue: 'Q' });
        expect(artifactHash).toBe(contentHash(canonicalJson(masked(d))));
      }),
      { numRuns: 200 },
    );
  });

  it('the values hash changes exactly when a value the file uses changes', () => {
    fc.assert(
      fc.property(
        doc,
        fc.constantFrom('greeting', 'queue', 'flow_name', 'unused'),
        fc.string(),
        (d, k, v) => {
          const text = yaml(
            d,
            (n) => [...Array(n).keys()],
            () => 0,
          );
          const base = { greeting: 'Hi', queue: 'Q', flow_name: 'Main', unused: 'x' };
          const changed = { ...base, [k]: base[k] === v ? `${v}!` : v };
          const same = artifactOf(text, base).valuesHash === artifactOf(text, changed).valuesHash;
          expect(same).toBe(!tokensOf(d).includes(k));
          // The values never change the artifact.
          expect(artifactOf(text, changed).artifactHash).toBe(artifactOf(text, base).artifactHash);
        },
      ),
      { numRuns: 200 },
    );
  });
});
