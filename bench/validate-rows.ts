/**
 * The validation rows of BENCHMARKS.md alone (`npm run bench` runs every section): the six real
 * flows in one process, `flowgate validate` on one real flow as a whole process (the CLI start-up
 * row), Archy YAML of 2 and 10 MB (load + checks in process), and graph JSON of 1e6 nodes (dag,
 * dense). One child process per figure. Run from a checkout: `node --import tsx bench/validate-rows.ts`
 * (it uses that checkout's bench/ children and dist/, so `npm run build` first); pointed at another
 * checkout with `cd OTHER && node --import tsx /path/to/bench/validate-rows.ts`, it measures that one
 * with the same script. Prints Markdown lines.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const tsx = (script: string, args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', script, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    }),
  ) as Record<string, number>;
const dir = mkdtempSync(join(tmpdir(), 'flowgate-rows-'));
const rows: string[] = ['| row | figure |', '|---|---:|'];

const real = tsx('bench/real-flows-one.ts', ['300']);
rows.push(
  `| six real flows, load + checks in one process, median of 300 rounds | ${fmt(real.medianMs!)} ms (fastest ${fmt(real.minMs!)}) |`,
);

const times: number[] = [];
for (let i = 0; i < 21; i++) {
  const t = performance.now();
  spawnSync(
    process.execPath,
    [
      'bin/flowgate.js',
      'validate',
      'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml',
      '--no-color',
    ],
    { stdio: 'ignore' },
  );
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
rows.push(`| \`flowgate validate holiday_flow.yaml\`, whole process, median of 21 | ${fmt(times[10]!)} ms |`);

const { generateArchy } = (await import(join(process.cwd(), 'bench/shapes.ts'))) as {
  generateArchy: (tasks: number, actions: number) => string;
};
for (const mb of [2, 10]) {
  const actions = Math.round(Math.sqrt((mb * 1e6) / 328));
  const file = join(dir, `flow-${mb}.yaml`);
  writeFileSync(file, generateArchy(Math.round((mb * 1e6) / 328 / actions), actions));
  const ms = [0, 1, 2].map(() => tsx('bench/yaml-path-one.ts', [file, 'events']).ms!).sort((a, b) => a - b);
  rows.push(`| Archy YAML ${mb} MB, load + checks in process, median of 3 | ${fmt(ms[1]!)} ms |`);
}

for (const shape of ['dag', 'dense']) {
  const file = join(dir, `${shape}.json`);
  tsx('bench/generate-one.ts', [shape, '1000000', file]);
  const ms = [0, 1, 2].map(() => tsx('bench/validate-one.ts', [file]).totalMs!).sort((a, b) => a - b);
  rows.push(`| graph JSON ${shape}, 1e6 nodes, load + checks, median of 3 | ${fmt(ms[1]!)} ms |`);
  rmSync(file);
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(rows.join('\n') + '\n');
