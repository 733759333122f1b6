/**
 * The event path (`parse-events.ts`, js-yaml's events) against the `yaml` Document path
 * (`parse.ts`): the same values and the same offset of every mapping, sequence and value, on every
 * flow in examples/ and shared/flows/, on generated documents (fast-check), and the same guards.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseYaml, type ParsedDocument } from '../../src/flow/parse/parse.js';
import { parseYamlEvents } from '../../src/flow/parse/parse-events.js';
import { resolvePlain } from '../../src/flow/parse/yaml-fragment.js';
import { listRegions, parseInChunks } from '../../src/flow/parse/yaml-chunks.js';
import { OffsetTable } from '../../src/flow/parse/offset-table.js';

/** Every difference between two parses: values, and offsets of every container and child. */
export function differences(a: ParsedDocument, b: ParsedDocument): string[] {
  const out: string[] = [];
  const stack: Array<[unknown, unknown, string]> = [[a.value, b.value, '$']];
  while (stack.length > 0 && out.length < 10) {
    const [x, y, path] = stack.pop()!;
    if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) {
      if (!Object.is(x, y)) out.push(`${path}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
      continue;
    }
    if (Array.isArray(x) !== Array.isArray(y)) {
      out.push(`${path}: array and mapping`);
      continue;
    }
    if (a.offsetOf(x) !== b.offsetOf(y)) out.push(`${path}: at ${a.offsetOf(x)} ≠ ${b.offsetOf(y)}`);
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.join('\0') !== ky.join('\0')) out.push(`${path}: keys ${kx.join(',')} ≠ ${ky.join(',')}`);
    for (const k of kx) {
      const key = Array.isArray(x) ? Number(k) : k;
      if (a.offsetOf(x, key) !== b.offsetOf(y, key))
        out.push(`${path}.${k}: at ${a.offsetOf(x, key)} ≠ ${b.offsetOf(y, key)}`);
      stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`]);
    }
  }
  return out;
}

function compare(text: string): string[] {
  const before = parseYaml(text);
  const after = parseYamlEvents(text, { declineProblems: true });
  if (!after) return before.problems.length > 0 ? [] : ['declined a document the yaml path accepts'];
  if (before.problems.length > 0) return [`yaml: ${before.problems[0]!.code}, events: accepted`];
  return differences(before, after);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('the event path reproduces the yaml path', () => {
  // examples/flows/public holds the six real flows of shared/flows (a clean checkout has no ../shared).
  const files = [...yamlFiles('examples'), ...yamlFiles('test')];

  it(`every flow in examples/, shared/flows/ and the tests (${files.length} files): same values, same offsets`, () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(compare(readFileSync(f, 'utf8')), f).toEqual([]);
  });

  it('hand-picked edges: empty values, comments, block scalars, anchors, flow, CRLF, BOM', () => {
    const cases = [
      'a:\nb: 1\n',
      '- \n- x\n',
      'a:\n  b:\n    c:\n',
      'a: # comment - x\nb: 1\n',
      '- x # - y\n- \n',
      'a: |\n  text\n  more\nb: 2\n',
      'a: >-\n  folded\n  text\n',
      'a: |+\n  keep\n\n',
      'a: &x {b: 1}\nc: *x\n',
      'a: &s scalar\nb: *s\n',
      '# c\na: 1 # c\n',
      'a: multi\n  line plain\n',
      'k: "multi\n  line"\n',
      '---\na: 1\n...\n',
      '{a: 1, b: [1, 2,], }',
      'a:\n- 1\n- 2\n',
      "a: \"q\\\"x\"\nb: 's''q'\n",
      '"k": v\n',
      "'k': v\n",
      '? a\n: 1\n',
      '- [a, {b: c}]\n',
      'a:    \n  - x\n',
      '\ufeffa: 1\n',
      'a: 1\r\nb: 2\r\n',
      '',
      '# only a comment\n',
    ];
    for (const t of cases) expect(compare(t), JSON.stringify(t)).toEqual([]);
  });

  it('generated documents in every style yaml writes: same values, same offsets', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        '~',
        'Null',
        '0o17',
        '0x1F',
        '+12',
        '1.',
        '.5',
        '1e3',
        '.inf',
        '-.Inf',
        '.NaN',
        'yes',
        'a: b',
        '#x',
        '- x',
        '',
      ),
    );
    const doc = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(
        fc.oneof(fc.string(), fc.constantFrom('1', '1.0', 'true', 'null', '__proto__')),
        tie('node'),
        { maxKeys: 4 },
      ),
      list: fc.array(tie('node'), { maxLength: 4 }),
    })).map;
    const styles = fc.record({
      indent: fc.integer({ min: 1, max: 4 }),
      flow: fc.boolean(),
      quote: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      seqIndent: fc.boolean(),
    });
    fc.assert(
      fc.property(doc, styles, (value, s) => {
        const text = stringify(value, {
          indent: s.indent,
          collectionStyle: s.flow ? 'flow' : 'block',
          defaultStringType: s.quote as 'PLAIN',
          indentSeq: s.seqIndent,
        });
        expect(compare(text), text).toEqual([]);
      }),
      { numRuns: 400, seed: 20261125 },
    );
  });

  it('big flows parsed in chunks (forced here at any size) give the same values and offsets', () => {
    let cut = 0;
    let tried = 0;
    const chunked = (text: string) => {
      const before = parseYaml(text);
      // The chunked parse itself (not its fallback to the whole text), when the text can be cut.
      const table = new OffsetTable();
      tried++;
      const pieces = parseInChunks(text, table, { maxAliasNodes: 10_000, maxDepth: 400 }, 0);
      if (!pieces) return differences(before, parseYamlEvents(text)!);
      cut++;
      expect(pieces.problems).toEqual([]);
      return differences(before, {
        value: pieces.value,
        problems: [],
        hasPositions: true,
        offsetOf: (c, k) => table.offsetOf(c, k),
      });
    };
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (parseYaml(text).problems.length === 0) expect(chunked(text), f).toEqual([]);
    }
    const item = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.constant(null),
        tie('map'),
        tie('list'),
      ),
      map: fc.dictionary(fc.string({ minLength: 1 }), tie('node'), { minKeys: 1, maxKeys: 3 }),
      list: fc.array(tie('node'), { maxLength: 3 }),
    })).map;
    const flow = fc.record({
      name: fc.string(),
      tasks: fc.array(fc.record({ task: item }), { maxLength: 6 }),
      menus: fc.array(fc.record({ menu: item }), { maxLength: 4 }),
      defaultLanguage: fc.constant('en-us'),
    });
    fc.assert(
      fc.property(
        flow,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.boolean(),
        (f, indent, indentSeq, comments) => {
          let text = stringify({ inboundCall: f }, { indent, indentSeq });
          // Comments between items and at odd indentations must not move a cut.
          if (comments) text = text.replace(/\n(\s*)- /g, '\n# between items\n$1- ');
          expect(chunked(text), text).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 14 },
    );
    // Most of them were really cut (the rest have no list, or a tab or an anchor-like text).
    expect(cut / tried).toBeGreaterThan(0.5);
  });

  it('cuts a big flow at its list items only', () => {
    const text =
      'inboundCall:\n  name: x\n  tasks:\n    - task:\n        name: a\n        note: |\n          - not an item\n    - task:\n        name: b\n  menus:\n  - menu: {name: m}\n  defaultLanguage: en-us\n';
    const regions = listRegions(text, 0);
    expect(regions.map((r) => [r.key, r.items.length])).toEqual([
      ['tasks', 2],
      ['menus', 1],
    ]);
    expect(text.slice(regions[0]!.items[1])).toMatch(/^ {4}- task:\n {8}name: b/);
  });

  it('resolves plain scalars as the YAML 1.2 core schema does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^[-+]?[0-9._eExXoO]{0,6}$/),
          fc.constantFrom('.inf', '-.INF', '.nan', 'TRUE', 'False', '~'),
        ),
        (s) => {
          const viaYaml = parseYaml(`k: ${JSON.stringify(s)}`).value as { k: unknown };
          // Quoted: always a string on both paths; the plain resolution is compared below.
          expect(viaYaml.k).toBe(s);
          const plain = parseYaml(`k: ${s}`);
          if (plain.problems.length > 0 || /[\n#:]|^[\s\-?[\]{}&*!|>'"%@`,]|\s$/.test(s)) return;
          expect(
            Object.is(resolvePlain(s), (plain.value as { k: unknown }).k) ||
              (plain.value as { k: unknown }).k === resolvePlain(s),
          ).toBe(true);
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('keeps the guards: duplicate keys, non-scalar keys, alias expansion, depth', () => {
    const p = (t: string) => parseYamlEvents(t)!.problems.map((x) => x.code);
    expect(p('a: 1\nb: 2\na: 3\n')).toEqual(['duplicate-key']);
    expect(p('? [a]\n: 1\n')).toEqual(['non-scalar-key']);
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      laughs.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(p(`${laughs.join('\n')}\n`)).toEqual(['alias-limit']);
    expect(p(`${'['.repeat(500)}${']'.repeat(500)}`)).toEqual(['too-deep']);
    expect(p('a: *nowhere\n')).toEqual(['parse-error']);
    // declineProblems hands every problem back to the yaml path (its words below 1 MiB).
    expect(parseYamlEvents('a: 1\na: 2\n', { declineProblems: true })).toBeUndefined();
  });
});
