/**
 * Issue 18 §4: the output encoders, as properties over any text (oracles: the decoders' rules),
 * and the Markdown plan's size limit.
 */
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import {
  githubCommandProperty,
  githubCommandValue,
  markdownFence,
  markdownHtmlText,
  markdownInline,
  terminalSafe,
} from '../../src/cli/output/encode.js';
import { formatPlanMarkdown } from '../../src/cli/output/format-plan.js';
import type { DeploymentPlan, PlannedStep } from '../../src/deploy/types.js';

// eslint-disable-next-line no-control-regex -- the point of the test
const CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(...'\x1b\x07\x9b\n\r\t%:,`*_[]()<>#|!~&$@/\\ aw.1'.split('')),
    maxLength: 40,
  }),
);

/** The runner's decoding of a command's message (actions/runner ActionCommand.cs, unescapeData). */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

describe('terminalSafe', () => {
  test.prop([text])('prints no control character, and changes nothing else', (s) => {
    const out = terminalSafe(s);
    expect(out).not.toMatch(CONTROL);
    if (!CONTROL.test(s)) expect(out).toBe(s);
  });
  it('shows what it escapes', () => {
    expect(terminalSafe('\x1b]0;t\x07\x9b2J\n\u202e')).toBe('\\x1b]0;t\\x07\\u009b2J\\n\\u202e');
  });
});

describe('GitHub workflow commands', () => {
  test.prop([text])('a message decodes back to itself and holds no line break', (s) => {
    const out = githubCommandValue(s);
    expect(out).not.toMatch(/[\r\n]/);
    expect(unescapeData(out)).toBe(s);
  });
  test.prop([text])('a property holds no line break, : or , and no control character', (s) => {
    expect(githubCommandProperty(s)).not.toMatch(/[\r\n:,]/);
    expect(githubCommandProperty(s)).not.toMatch(CONTROL);
  });
});

describe('Markdown', () => {
  test.prop([text])(
    'inline: every significant character is escaped; no mention, autolink, line break',
    (s) => {
      const out = markdownInline(s);
      // Drop the escaped pairs: nothing significant may be left.
      expect(out.replace(/\\[\s\S]/g, '')).not.toMatch(/[\\`*_[\]()<>#|!~&$]/);
      expect(out).not.toMatch(/@(?!\u200b)|:\/\/|www\.|\n/i);
    },
  );
  test.prop([text])('inside HTML: no tag, no entity of the value’s own, no mention', (s) => {
    const out = markdownHtmlText(s);
    expect(out.replace(/&#\d+;/g, '')).not.toMatch(/[<>&"'`*_[\]()#|!~$\\]/);
    expect(out).not.toMatch(/@(?!\u200b)|:\/\/|\n/);
  });
  test.prop([fc.array(text, { maxLength: 5 })])('a fence its content cannot close', (lines) => {
    const block = markdownFence(lines, 'diff').split('\n');
    const fence = block[0]!.slice(0, -'diff'.length);
    expect(fence).toMatch(/^`{3,}$/);
    expect(block.at(-1)).toBe(fence);
    for (const l of block.slice(1, -1))
      for (const run of l.match(/`+/g) ?? []) expect(run.length).toBeLessThan(fence.length);
    expect(block.length).toBe(lines.length + 2 + (lines.length === 0 ? 1 : 0));
  });
});

describe('plan --format markdown within a comment’s size', () => {
  // 300 flows with a 400-action diff each: far more than a comment holds (65,536 characters).
  const step = (i: number): PlannedStep => ({
    index: i,
    manifestIndex: i,
    kind: 'import',
    action: 'update',
    flowName: `Flow ${i} </details> \`\`\``,
    flowType: 'inboundcall',
    flowKey: `inboundcall:flow ${i}`,
    previousVersion: '1.0',
    blocked: [],
    notes: [],
    dependsOn: [],
    diff: {
      settings: [],
      fieldsChanged: [],
      containersAdded: [],
      containersRemoved: [],
      actionsAdded: Array.from({ length: 400 }, (_, k) => ({
        type: 'playAudio',
        name: `say ${k} \`\`\`\``,
        container: 'main',
      })),
      actionsRemoved: [],
      actionsChanged: [],
      references: [],
      empty: false,
    },
  });
  const plan = {
    org: 'https://api.example',
    actor: 'ci',
    steps: Array.from({ length: 300 }, (_, i) => step(i)),
    order: Array.from({ length: 300 }, (_, i) => i),
    validation: { summary: { errors: 0, warnings: 0 }, diagnostics: [] },
    blocked: false,
  } as unknown as DeploymentPlan;

  it('leaves out whole diffs, says how many, and keeps every block closed', () => {
    const md = formatPlanMarkdown(plan);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/\n… \d+ more diffs left out \(the comment size limit\)\n/);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect(md.match(/^`{5}diff$/gm)?.length).toBe(md.match(/^`{5}$/gm)?.length);
    expect(md.endsWith('\nValidation: 0 errors, 0 warnings.\n')).toBe(true);
    // Every row of the table is there (300 short rows fit).
    expect(md.match(/^\| \d+ \| Flow /gm)).toHaveLength(300);
  });
});
