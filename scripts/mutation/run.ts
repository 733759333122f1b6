/**
 * `npm run test:mutation [-- <group>…]`: Stryker over one group of promise modules at a time
 * (scripts/mutation/groups.ts), each with its narrowed tests and its own report in
 * `reports/mutation/<group>.json` and `.html`, and its own sandbox folder, so two groups never share
 * one. Without a group it runs them all, in order. `scripts/mutation/summary.ts` prints a report's
 * scores per file and its survivors; BENCHMARKS.md records them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { MUTATION_GROUPS } from './groups.js';

const asked = process.argv.slice(2);
const names = asked.length === 0 || asked.includes('all') ? Object.keys(MUTATION_GROUPS) : asked;
const unknown = names.filter((n) => !(n in MUTATION_GROUPS));
if (unknown.length > 0) {
  console.error(`unknown group ${unknown.join(', ')}; groups: ${Object.keys(MUTATION_GROUPS).join(', ')}`);
  process.exit(2);
}

const base = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as Record<string, unknown>;
mkdirSync('reports/mutation', { recursive: true });
let failed = 0;
for (const name of names) {
  const group = MUTATION_GROUPS[name]!;
  const config = {
    ...base,
    mutate: group.mutate,
    tempDirName: `.stryker-tmp-${name}`,
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    // A re-run after new tests re-tests only the mutants whose code or covering tests changed
    // (https://stryker-mutator.io/docs/stryker-js/incremental/), so raising a score is minutes.
    incremental: true,
    incrementalFile: `reports/mutation/${name}.incremental.json`,
    // A mutant that loops ends at twice the tests' time plus this (a minute by default is the
    // whole-suite setting; a group's tests take seconds).
    timeoutMS: 10_000,
    ignorePatterns: [...(base.ignorePatterns as string[]), '.stryker-tmp*', 'stryker.*.json'],
  };
  const file = `stryker.${name}.json`;
  writeFileSync(file, JSON.stringify(config, null, 2));
  console.log(`== ${name}: ${group.mutate.join(', ')} (tests ${group.tests.join(', ')})`);
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', file], {
    stdio: 'inherit',
    env: { ...process.env, FLOWGATE_MUTATION_TESTS: group.tests.join(',') },
  });
  console.log(`== ${name}: exit ${run.status} after ${Math.round((Date.now() - started) / 1000)} s`);
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
