/**
 * Issue 18 §4: output encoded for where it goes. Names from flow files and from the org reach the
 * terminal, GitHub workflow commands and pull-request comments; none of them can act there (real
 * CLI child processes, an emulator in this process).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv, flowId, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';

/** Retitles the terminal (OSC 0, ended by BEL), clears the screen (CSI 2J) and forges a verdict. */
const TERMINAL_EVIL = '\x1b]0;pwned\x07\x1b[2J✓ 0 errors';
/** The same in YAML's double-quoted escapes. */
const TERMINAL_EVIL_YAML = '"\\e]0;pwned\\a\\e[2J✓ 0 errors"';
/** What it must look like instead: readable escapes. */
const TERMINAL_EVIL_SHOWN = '\\x1b]0;pwned\\x07\\x1b[2J✓ 0 errors';
/** Any control character but the line feed (C0, DEL, C1 with U+009B, the one-character CSI). */
// eslint-disable-next-line no-control-regex -- the point of the test
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('names from files in the terminal and in GitHub workflow commands', () => {
  // Two flows that transfer to each other: the cycle warning quotes the evil name. A third file
  // holds a raw ESC sequence in its text (the source line is shown) and in its file name.
  const evilFlow = (name: string, target: string) => inboundFlow(name, { transferTo: target });
  const dir = workspace({
    'a.yaml': evilFlow(TERMINAL_EVIL_YAML, 'B'),
    'b.yaml': evilFlow('B', TERMINAL_EVIL_YAML),
  });
  const rawName = 'c\x1b[31m.yaml';
  writeFileSync(join(dir, rawName), 'inboundCall:\n  name: raw \x1b[2J\x9b2J here\n');
  const files = ['a.yaml', 'b.yaml', rawName];

  it('pretty: no control character is printed; each is shown as an escape', async () => {
    const r = await runCli(['validate', ...files], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(TERMINAL_EVIL_SHOWN);
    expect(r.stdout).toContain('c\\x1b[31m.yaml');
    expect(r.stdout).toContain('name: raw \\x1b[2J\\u009b2J here');
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
    // The real verdict is the only one.
    expect(r.stdout.split('\n').filter((l) => /^[✓✗] \d+ files?:/.test(l))).toEqual([
      '✗ 3 files: 2 errors, 1 warning, 0 info',
    ]);
  });

  it('github: one command per finding, every value escaped (toolkit escaping, no control characters)', async () => {
    const r = await runCli(['validate', ...files, '--format', 'github'], { cwd: dir });
    expect(r.code).toBe(3);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) file=[^:]*::/);
    expect(r.stdout).toContain(`file=c\\x1b[31m.yaml,line=2`);
    expect(r.stdout).toContain(TERMINAL_EVIL_SHOWN);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
  });
});

describe('names from the org and from files in plan, deploy, history, status and audit output', () => {
  const ORG_USER = '\x1b]0;owned\x07\x9b2JAlex';
  const e = useEmulator({
    seed: {
      users: [ORG_USER],
      flows: [
        {
          name: TERMINAL_EVIL,
          type: 'INBOUNDCALL',
          versions: [{ publishedHoursAgo: 24 }, {}],
        },
      ],
    },
  });

  it('plan pretty: the org’s flow name and the lock holder’s name are escaped', async () => {
    const emu = e.get();
    const id = flowId(emu, TERMINAL_EVIL);
    // The org's API: an Architect user takes the flow's lock.
    const lock = await fetch(`${emu.url}/__emulator/lock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flowId: id, userName: ORG_USER }),
    });
    expect(lock.ok).toBe(true);
    const dir = workspace({ 'flowgate.yaml': `version: 1\nflows:\n  - id: ${id}\n    version: '2.0'\n` });
    const r = await runCli(['plan'], { env: emulatorEnv(emu), cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(TERMINAL_EVIL_SHOWN);
    expect(r.stdout).toContain('locked in Architect by user \\x1b]0;owned\\x07\\u009b2JAlex');
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
  });

  // Closes the <details> block and the diff's fence, adds a heading, an image, a link, a mention.
  const MD_EVIL = '</details>\n# Pwned ![x](http://e/x.png) @everyone ```` www.e.com #1';
  const MD_EVIL_YAML = JSON.stringify(`${MD_EVIL} ${TERMINAL_EVIL}`);

  it('plan --format markdown: nothing in a name is active; deploy, history, status, audit show print no control character', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow(MD_EVIL_YAML),
    });
    const ledger = ['--ledger', join(dir, 'ledger.db')];
    const deploy = await runCli(['deploy', ...ledger], { env: emulatorEnv(emu), cwd: dir });
    expect(deploy.code, deploy.stderr).toBe(0);
    for (const out of [deploy.stdout, deploy.stderr]) expect(out).not.toMatch(CONTROL);
    // A change, so the plan has a diff: an action whose name holds the same text.
    writeFileSync(
      join(dir, 'a.yaml'),
      inboundFlow(MD_EVIL_YAML).replace('name: Hello', `name: ${JSON.stringify(`${MD_EVIL} \`\`\`\`\``)}`),
    );
    const plan = await runCli(['plan', '--format', 'markdown', ...ledger], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(plan.code, plan.stderr).toBe(0);
    assertInertMarkdown(plan.stdout);

    const id = /deployment (\S+)/i.exec(deploy.stdout)![1]!.replace(/:$/, '');
    for (const args of [
      ['history', ...ledger],
      ['status', id, ...ledger],
      ['audit', 'show'],
    ]) {
      const r = await runCli(args, { env: emulatorEnv(emu), cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      // The line break of the name is shown, not made.
      expect(r.stdout, args.join(' ')).toContain('</details>\\n# Pwned');
      expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(CONTROL);
    }
  });
});

/**
 * What GitHub would make of the comment, checked structurally (no CommonMark parser among the
 * dependencies): one `<details>` block, closed once; one fenced diff that its content cannot close;
 * the only heading is flowgate's; no mention, no link, no image, no raw HTML from the name.
 */
function assertInertMarkdown(md: string): void {
  const lines = md.split('\n');
  const open = lines.findIndex((l) => /^`{3,}diff$/.test(l));
  expect(open, md).toBeGreaterThan(0);
  const fence = lines[open]!.slice(0, -'diff'.length);
  const close = lines.findIndex((l, i) => i > open && l === fence);
  expect(close, md).toBeGreaterThan(open);
  const code = lines.slice(open + 1, close);
  for (const l of code) for (const run of l.match(/`+/g) ?? []) expect(run.length).toBeLessThan(fence.length);
  expect(code.join('\n')).toContain('`````');
  // Outside the code block: markup as flowgate wrote it, and nothing else.
  const prose = [...lines.slice(0, open), ...lines.slice(close + 1)].join('\n');
  expect(prose.match(/<details>/g)).toHaveLength(1);
  expect(prose.match(/<\/details>/g)).toHaveLength(1);
  expect(prose.match(/(?<!\\)<\/?[a-z]+/gi)).toEqual(['<details', '<summary', '</summary', '</details']);
  expect(lines[close + 1]).toBe('</details>');
  expect(lines.filter((l) => /^ {0,3}#/.test(l))).toEqual([expect.stringMatching(/^### flowgate plan/)]);
  expect(prose).not.toMatch(/@everyone|https?:\/\/|www\.e|(^|[^\\&])#1|!\[|\]\(/);
  expect(prose).not.toMatch(CONTROL);
  // The table row keeps its five cells: every `|` of the name is escaped.
  const row = lines.find((l) => l.startsWith('| 1 |'))!;
  expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
  expect(row).toContain('\\</details\\>');
}
