/** Issue 8: the validation edges a new user ran into, each as a test that failed before the fix. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { parse as parseYamlDoc } from 'yaml';
import { loadFlowFile, loadFlowText } from '../../src/flow/load.js';
import { applySubstitutions } from '../../src/flow/source/substitute.js';
import { validateLoaded } from '../../src/flow/validate.js';
import { codes, validateText } from '../helpers/flow.js';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-edges-'));

describe('any number of findings', () => {
  it('a graph of 1,000,000 nodes and no edges: 1,000,000 findings, capped while collected', async () => {
    const n = 1_000_000;
    const file = join(dir, 'million.json');
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`{"id":"n${i}"}`);
    writeFileSync(file, `{"nodes":[${parts.join(',')}],"edges":[]}`);
    const loaded = await loadFlowFile(file, { maxFileBytes: 100_000_000 });
    const report = validateLoaded([loaded]);
    const disconnected = report.diagnostics.filter((d) => d.code === 'disconnected');
    const note = report.diagnostics.find((d) => d.code === 'truncated');
    expect(disconnected).toHaveLength(200);
    // Every node but the start is its own island: n - 1 findings in all, 200 shown.
    expect(note?.leftOut).toEqual({ code: 'disconnected', count: n - 1 - 200 });
    expect(report.diagnostics.length).toBeLessThan(300);
  });
});

describe('the start of a graph JSON without start', () => {
  const ivr = (extra = '') =>
    `{"nodes":[{"id":"main","type":"menu"},{"id":"sales","type":"menu"},{"id":"bye","type":"disconnect"},{"id":"lost","type":"menu"}${extra}],
"edges":[{"source":"main","target":"sales"},{"source":"sales","target":"main"},{"source":"sales","target":"bye"},{"source":"lost","target":"main"},{"source":"main","target":"lost"}]}`;

  it('an IVR whose options return to the main menu starts at the first node listed, said once as info', () => {
    const r = validateText(ivr(), 'ivr.json');
    expect(codes(r)).toContain('implicit-start');
    expect(codes(r)).not.toContain('no-start');
    const info = r.diagnostics.find((d) => d.code === 'implicit-start')!;
    expect(info.severity).toBe('info');
    expect(info.message).toContain("'main'");
    expect(info.hint).toContain('"start": "main"');
    expect(r.summary.errors).toBe(0);
  });

  it('the other checks still run from that start (an unreachable node is reported)', () => {
    const r = validateText(
      ivr(',{"id":"orphanMenu","type":"menu"},{"id":"tail"}').replace(
        '"edges":[',
        '"edges":[{"source":"orphanMenu","target":"tail"},{"source":"tail","target":"orphanMenu"},',
      ),
      'ivr.json',
    );
    expect(codes(r)).toContain('implicit-start');
    expect(r.diagnostics.some((d) => d.code === 'unreachable' || d.code === 'disconnected')).toBe(true);
  });

  it('the one node no edge enters (and some edge leaves) is the start, without a finding', () => {
    const r = validateText(
      '{"nodes":[{"id":"a"},{"id":"b","type":"disconnect"},{"id":"island"}],"edges":[{"source":"a","target":"b"}]}',
      'g.json',
    );
    expect(codes(r)).not.toContain('implicit-start');
    expect(codes(r)).toEqual(['disconnected']);
  });
});

describe('substituted values never change the structure of the YAML', () => {
  const flow = (place: string) => `inboundCall:
  name: ${place}
  defaultLanguage: en-us
  startUpRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: bye
`;
  const nameOf = (text: string, value: string) => {
    const loaded = loadFlowText(text, 'f.yaml', {
      substitutions: { v: value },
      substitutionOrigins: { v: '--set' },
    });
    return { name: loaded.graph?.name, codes: loaded.diagnostics.map((d) => d.code), loaded };
  };
  const nasty = [
    'Main #1',
    'IVR: Main #1',
    'say "hi"',
    "O'Brien",
    '*star',
    '&anchor',
    '!tag',
    'two\nlines',
    '{{x}}',
    ' padded ',
    '- dash',
    'ends:',
    '',
  ];

  for (const value of nasty) {
    it(`a whole plain scalar keeps ${JSON.stringify(value)}`, () => {
      const r = nameOf(flow('{{ v }}'), value);
      expect(r.codes).not.toContain('unsafe-substitution');
      expect(r.name ?? '').toBe(value);
    });
    it(`inside double quotes keeps ${JSON.stringify(value)}`, () => {
      expect(nameOf(flow('"{{ v }}"'), value).name ?? '').toBe(value);
    });
  }

  it('inside single quotes doubles the quote; a line break is an error naming the key and --set', () => {
    expect(nameOf(flow("'{{ v }}'"), "O'Brien").name).toBe("O'Brien");
    const r = nameOf(flow("'{{ v }}'"), 'two\nlines');
    const d = r.loaded.diagnostics.find((x) => x.code === 'unsafe-substitution')!;
    expect(d.message).toContain("'{{ v }}'");
    expect(d.message).toContain('(from --set)');
    expect(d.line).toBe(2);
    expect(d.column).toBe(10);
  });

  it('in the middle of a plain value, a value with " #" or ": " is an error (not a silent comment)', () => {
    for (const value of ['Main #1', 'IVR: Main', 'a\nb']) {
      const r = nameOf(flow('IVR {{ v }} line'), value);
      expect(r.codes).toContain('unsafe-substitution');
    }
    expect(nameOf(flow('IVR {{ v }} line'), 'Sales, EMEA').name).toBe('IVR Sales, EMEA line');
  });

  it('the origin names the manifest entry or the file the value came from', () => {
    const loaded = loadFlowText(flow('IVR {{ v }} x'), 'f.yaml', {
      substitutions: { v: 'a: b' },
      substitutionOrigins: { v: 'manifest flowgate.yaml (flows[2])' },
    });
    expect(loaded.diagnostics.find((d) => d.code === 'unsafe-substitution')!.message).toContain(
      'manifest flowgate.yaml (flows[2])',
    );
  });

  // Oracle: the value itself. Any string, placed as a whole scalar or in double quotes, comes back
  // out of the YAML unchanged.
  test.prop(
    [fc.string({ unit: 'grapheme-composite', maxLength: 30 }), fc.constantFrom('{{ v }}', '"{{ v }}"')],
    { numRuns: 300 },
  )('any value round-trips through a whole scalar or double quotes', (value, place) => {
    const sub = applySubstitutions(`k: ${place}\n`, { v: value });
    expect(sub.unsafe).toEqual([]);
    const k = (parseYamlDoc(sub.text) as { k: string | null }).k;
    expect(k ?? '').toBe(value);
  });
});

describe('schema depth: shapes Archy documents', () => {
  const base = (mutate: (s: string) => string) =>
    validateText(
      mutate(`inboundCall:
  name: Main
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      textToSpeech:
        defaultEngine:
          voice: Jill
  startUpRef: ./menus/menu[m]
  menus:
    - menu:
        name: Main Menu
        refId: m
        audio:
          tts: hi
        choices:
          - menuDisconnect:
              name: bye
              dtmf: digit_1
`),
    );
  const schemaAt = (r: ReturnType<typeof base>) =>
    r.diagnostics.filter((d) => d.code === 'schema').map((d) => [d.line, d.message]);

  it('the base flow is clean', () => {
    expect(base((s) => s).summary.errors).toBe(0);
  });
  it('dtmf: 1e309', () => {
    expect(schemaAt(base((s) => s.replace('dtmf: digit_1', 'dtmf: 1e309')))).toEqual([
      [19, expect.stringContaining("'dtmf' is not a finite number")],
      [19, expect.stringContaining("'dtmf' must be digit_0")],
    ]);
  });
  it('a menu with name: ~', () => {
    expect(schemaAt(base((s) => s.replace('name: Main Menu', 'name: ~')))).toEqual([
      [12, expect.stringContaining("a menu needs a 'name'")],
    ]);
  });
  it('voice: []', () => {
    expect(schemaAt(base((s) => s.replace('voice: Jill', 'voice: []')))).toEqual([
      [8, expect.stringContaining("'voice' must be the name")],
    ]);
  });
  it('a flow without defaultLanguage', () => {
    expect(schemaAt(base((s) => s.replace('  defaultLanguage: en-us\n', '')))).toEqual([
      [2, expect.stringContaining("no 'defaultLanguage'")],
    ]);
  });
});

describe('Archy branching found wrong on real flows', () => {
  const flow = (actions: string, tasks = '') => `inboundCall:
  name: Main
  defaultLanguage: en-us
  startUpRef: ./tasks/task[start]
  tasks:
    - task:
        name: Start
        refId: start
        actions:
${actions}${tasks}`;

  for (const [mode, type] of [
    ['firstMatch', 'string'],
    ['firstMatch', 'integer'],
    ['firstTrue', undefined],
  ] as const) {
    const cases = (target: string) =>
      type === undefined
        ? `                firstTrue:
                  cases:
                    - case:
                        value:
                          exp: "true"
                        actions:
                          - callTask:
                              name: go
                              targetTaskRef: ./tasks/task[${target}]`
        : `                ${mode}:
                  ${type}:
                    value:
                      exp: Flow.x
                    cases:
                      - case:
                          value:
                            lit: "1"
                          actions:
                            - callTask:
                                name: go
                                targetTaskRef: ./tasks/task[${target}]`;
    const text = (target: string) =>
      flow(
        `          - switch:
              name: route
              evaluate:
${cases(target)}
          - disconnect:
              name: bye
`,
        `    - task:
        name: Other
        refId: other
        actions:
          - disconnect:
              name: done
`,
      );
    it(`switch evaluate.${mode}${type ? `.${type}` : ''}: a task reached only through a case is reachable`, () => {
      expect(codes(validateText(text('other')))).not.toContain('unreachable');
    });
    it(`switch evaluate.${mode}${type ? `.${type}` : ''}: a callTask in a case to a missing task is an error`, () => {
      const r = validateText(text('nowhere'));
      expect(r.diagnostics.find((d) => d.code === 'unresolved-reference')?.message).toContain(
        'task[nowhere]',
      );
    });
  }

  it('a transfer whose failure output ends in disconnect draws no missing-terminal', () => {
    const r = validateText(
      flow(`          - transferToAcd:
              name: to queue
              targetQueue:
                lit:
                  name: Sales
              outputs:
                failure:
                  actions:
                    - playAudio:
                        name: sorry
                        audio:
                          tts: Sorry
                    - disconnect:
                        name: bye
`),
    );
    expect(codes(r)).not.toContain('missing-terminal');
  });

  it('a transfer without a failure output still falls through (its failure continues)', () => {
    const r = validateText(
      flow(`          - transferToAcd:
              name: to queue
              targetQueue:
                lit:
                  name: Sales
`),
    );
    expect(codes(r)).toContain('missing-terminal');
  });
});
