/**
 * CLI start-up before/after: `flowgate validate <one real flow>` from this checkout and from another
 * (`npm run build` in both first), 41 runs each, alternating, so both see the same machine load.
 * Prints the fastest, the first quartile and the median of each. Usage: tsx bench/ab-cli.ts OTHER_CHECKOUT
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const other = resolve(process.argv[2] ?? '');
const flow = 'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml';
const t: Record<'before' | 'after', number[]> = { before: [], after: [] };
const run = (side: 'before' | 'after', cwd: string) => {
  const s = performance.now();
  spawnSync(process.execPath, ['bin/flowgate.js', 'validate', flow, '--no-color'], { cwd, stdio: 'ignore' });
  t[side].push(performance.now() - s);
};
for (let i = 0; i < 41; i++)
  if (i % 2) {
    run('before', other);
    run('after', '.');
  } else {
    run('after', '.');
    run('before', other);
  }
const lines = [
  '| `flowgate validate holiday_flow.yaml` | fastest ms | first quartile ms | median ms |',
  '|---|---:|---:|---:|',
];
for (const side of ['before', 'after'] as const) {
  const v = t[side].sort((a, b) => a - b);
  lines.push(`| ${side} | ${v[0]!.toFixed(0)} | ${v[10]!.toFixed(0)} | ${v[20]!.toFixed(0)} |`);
}
process.stdout.write(lines.join('\n') + '\n');
