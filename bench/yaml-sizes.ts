/**
 * Archy YAML at 0.5, 2, 10 and 50 MB, old paths against the new one, side by side in one run:
 * - new: `flowgate validate FILE` as a whole process (start-up, read, parse with positions, every
 *   check, output), and the same load + checks inside one process (`bench/yaml-path-one.ts events`);
 * - old below 1 MiB: the `yaml` Document path with positions (parse only; about 1 s per MB, so it
 *   runs up to 10 MB);
 * - old above 1 MiB: js-yaml `load` without positions (parse only).
 * Every figure comes from its own child process (peak RSS = that process's maxRSS).
 * Prints Markdown lines. Usage: tsx bench/yaml-sizes.ts [sizes MB, comma-separated]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateArchy } from './shapes.js';

const sizes = (process.argv[2] ?? '0.5,2,10,50').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'flowgate-bench-yaml-'));
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** A generated inbound-call flow of about `mb` MB (decisions with nested outputs). */
function flowOf(mb: number): string {
  const perAction = 328; // characters per decision of generateArchy
  const actions = Math.max(10, Math.round(Math.sqrt((mb * 1e6) / perAction)));
  const tasks = Math.max(1, Math.round((mb * 1e6) / perAction / actions));
  return generateArchy(tasks, actions);
}

function inProcess(file: string, path: string): { ms: number; peakMB: number; positions: boolean } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/yaml-path-one.ts', file, path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as { ms: number; peakMB: number; positions: boolean };
}

/** The CLI as a user runs it: wall time and peak RSS through /usr/bin/time. */
function wholeProcess(file: string, bytes: number): { s: number; peakMB: number } {
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%e %M',
      process.execPath,
      'bin/flowgate.js',
      'validate',
      file,
      '--max-file-size',
      String(bytes + 1),
      '-q',
    ],
    { encoding: 'utf8' },
  );
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [s, kb] = last.split(' ').map(Number);
  return { s: s ?? NaN, peakMB: (kb ?? NaN) / 1024 };
}

const lines = [
  '| file MB | new: `flowgate validate` whole process s | MB/s | peak RSS MB | new: load + checks in process ms (positions) | old: `yaml` Documents ms (positions) | peak RSS MB | old: js-yaml `load` ms (no positions) | peak RSS MB |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const mb of sizes) {
  const text = flowOf(mb);
  const file = join(dir, `flow-${mb}.yaml`);
  writeFileSync(file, text);
  const size = text.length / 1e6;
  const whole = wholeProcess(file, text.length);
  const fresh = inProcess(file, 'events');
  const documents = mb <= 10 ? inProcess(file, 'yaml') : undefined;
  const jsYaml = inProcess(file, 'js-yaml');
  lines.push(
    `| ${fmt(size)} | ${whole.s.toFixed(2)} | ${fmt(size / whole.s)} | ${fmt(whole.peakMB)} | ${fmt(fresh.ms)} (${fresh.positions ? 'yes' : 'no'}) | ${documents ? fmt(documents.ms) : 'not run (≈ 1 s per MB)'} | ${documents ? fmt(documents.peakMB) : '–'} | ${fmt(jsYaml.ms)} | ${fmt(jsYaml.peakMB)} |`,
  );
  rmSync(file);
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${lines.join('\n')}\n`);
