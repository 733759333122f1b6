/**
 * Adversarial input (issue 18 §3): what crafted references, naming patterns and config files cost.
 * - the 1.6 MB `task[task[…x` container reference: `parseContainerRef` alone (its work counter),
 *   and `flowgate validate` of a flow whose `startUpRef` is that reference (whole process);
 * - `(a+)+$` and `^(\w+\s?)+$` against names of 40, 1,000 and 100,000 characters in the
 *   linear-time engine (the first compile loads re2js), and JavaScript's `RegExp` on the short
 *   names it can still finish;
 * - `/dev/zero` as `--substitutions` and a FIFO as `--policy` (whole process).
 * Whole-process figures come from /usr/bin/time (wall seconds, peak RSS). Prints Markdown lines.
 * Usage: tsx bench/adversarial.ts (after `npm run build`)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseContainerRef } from '../src/flow/graph/archy/archy-refs.js';
import { compileLinearPattern } from '../src/flow/check/linear-pattern.js';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-bench-adversarial-'));
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3));
const lines: string[] = [];

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

/** `flowgate ARGS` as a user runs it: exit code, wall seconds and peak RSS through /usr/bin/time. */
function cli(args: string[]): { code: number | null; s: number; peakMB: number; stderr: string } {
  // stdout is not kept: a finding quotes its source line, here 1.6 MB long.
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, 'bin/flowgate.js', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  const all = r.stderr.trim().split('\n');
  const [s, kb] = (all.pop() ?? '').split(' ').map(Number);
  return { code: r.status, s: s ?? NaN, peakMB: (kb ?? NaN) / 1024, stderr: all.join('\n') };
}

// ---- 1. the crafted container reference ----------------------------------------------------------
const ref = `${'task['.repeat(320_000)}x`;
lines.push('| input | what runs | result | work | time | peak RSS MB |', '|---|---|---|---:|---:|---:|');
for (const [label, text] of [
  ["reference `task[` × 320,000 + `x` (the issue's)", ref],
  ['the same closed: `task[` × 320,000 + `x]`', `${ref}]`],
  [
    'near misses: `reusableTas` × 145,455 + `]` (every kind tried at every place)',
    `${'reusableTas'.repeat(145_455)}]`,
  ],
] as const) {
  const work = { steps: 0 };
  const parsed = timed(() => parseContainerRef(text, work));
  lines.push(
    `| ${label}, ${fmt(text.length / 1e6)} MB | \`parseContainerRef\` | ${parsed.value === undefined ? 'no container' : `${parsed.value.kind}[…]`} | ${work.steps.toLocaleString('en')} steps (${(work.steps / text.length).toFixed(2)} per character) | ${fmt(parsed.ms)} ms | – |`,
  );
}
const flow = join(dir, 'crafted-ref.yaml');
writeFileSync(
  flow,
  `inboundCall:\n  name: Crafted\n  startUpRef: '${ref}'\n  defaultLanguage: en-us\n  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - disconnect:\n              name: bye\n`,
);
const whole = cli(['validate', flow, '-q', '--no-color']);
lines.push(
  `| a flow (${fmt(ref.length / 1e6)} MB) whose \`startUpRef\` is the issue's reference | \`flowgate validate\` (whole process) | exit ${whole.code} | – | ${whole.s.toFixed(2)} s | ${fmt(whole.peakMB)} |`,
);

// ---- 2. naming patterns ---------------------------------------------------------------------------
const names: Record<string, (n: number) => string> = {
  '(a+)+$': (n) => `${'a'.repeat(n - 1)}!`,
  '^(\\w+\\s?)+$': (n) => `${'a'.repeat(n - 1)}!`,
};
for (const [source, name] of Object.entries(names)) {
  const compiled = timed(() => compileLinearPattern(source));
  if ('problem' in compiled.value) throw new Error(compiled.value.problem);
  const pattern = compiled.value.pattern;
  pattern.test('warm-up');
  for (const n of [40, 1000, 100_000]) {
    const r = timed(() => pattern.test(name(n)));
    lines.push(
      `| \`${source}\` against ${n.toLocaleString('en')} characters (\`a…a!\`) | linear-time engine (compile ${fmt(compiled.ms)} ms) | ${r.value ? 'match' : 'no match'} | – | ${fmt(r.ms)} ms | – |`,
    );
  }
  // JavaScript's RegExp, for contrast: each character more doubles the time.
  const js = new RegExp(source);
  for (const n of [20, 24, 27]) {
    const r = timed(() => js.test(name(n)));
    lines.push(
      `| \`${source}\` against ${n} characters | JavaScript \`RegExp\` (backtracking) | ${r.value ? 'match' : 'no match'} | – | ${fmt(r.ms)} ms | – |`,
    );
  }
}

// ---- 3. config files that are not files ------------------------------------------------------------
const small = join(dir, 'small.yaml');
writeFileSync(
  small,
  'inboundCall:\n  name: Small\n  startUpTaskActions:\n    - disconnect:\n        name: bye\n',
);
const fifo = join(dir, 'policy.fifo');
execFileSync('mkfifo', [fifo]);
for (const [label, args] of [
  ['`--substitutions /dev/zero`', ['--substitutions', '/dev/zero']],
  ['`--policy` a FIFO nobody writes to', ['--policy', fifo]],
] as const) {
  const r = cli(['validate', small, ...args, '--no-color']);
  const code = /\[([A-Z_]+)\]/.exec(r.stderr)?.[1] ?? '?';
  lines.push(
    `| ${label} | \`flowgate validate\` (whole process) | exit ${r.code} (${code}) | – | ${r.s.toFixed(2)} s | ${fmt(r.peakMB)} |`,
  );
}

rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${lines.join('\n')}\n`);
