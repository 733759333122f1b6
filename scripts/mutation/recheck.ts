/**
 * `npm run test:mutation:recheck -- <report.json> <test file>…`: the mutants a Stryker report left
 * alive (survived, or no test covered them), each applied in turn to `src/` and run against the
 * given test files; a failing run kills it. For tests written after a Stryker run: the earlier
 * run's tests did not kill these mutants, so only the new tests can, and running only them checks
 * each survivor in seconds where a new Stryker run of the group takes an hour or more.
 *
 * Like Stryker it runs the tests in process: a test that drives `bin/flowgate.js` runs `dist/`,
 * which is not rebuilt per mutant. A file whose source differs from the one the report mutated is
 * skipped (the mutants' lines would be wrong). It refuses to start while a file it edits has
 * uncommitted changes, and restores each file after each mutant and on Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { applyMutant, mutatedText, readReport, scoreTerms, type Mutant } from './report.js';

const [path, ...tests] = process.argv.slice(2);
if (!path || tests.length === 0) {
  console.error('usage: recheck.ts <report.json> <test file>…');
  process.exit(2);
}
const report = readReport(path);
const files = Object.keys(report.files).filter((f) => {
  const same = readFileSync(f, 'utf8') === report.files[f]!.source;
  if (!same) console.log(`${f}: changed since the report, skipped`);
  return same;
});
const dirty = spawnSync('git', ['status', '--porcelain', '--', ...files], { encoding: 'utf8' }).stdout.trim();
if (dirty !== '') {
  console.error(`commit or restore these first (the script edits them in place):\n${dirty}`);
  process.exit(2);
}
let editing: { file: string; source: string } | undefined;
process.on('SIGINT', () => {
  if (editing) writeFileSync(editing.file, editing.source);
  process.exit(130);
});

const VITEST = 'node_modules/vitest/vitest.mjs';

/** True when the tests fail (or do not end within five minutes, as Stryker's time-outs) with the mutant in place. */
function killed(file: string, source: string, m: Mutant): boolean {
  editing = { file, source };
  writeFileSync(file, applyMutant(source, m));
  try {
    // vitest itself (not through npx) with its tests in threads, so the kill on time-out ends
    // them too: a mutant that loops forever leaves no orphaned worker behind (forks outlive it).
    const run = spawnSync(process.execPath, [VITEST, 'run', '--bail=1', '--pool=threads', ...tests], {
      stdio: 'ignore',
      timeout: 300_000,
      killSignal: 'SIGKILL',
    });
    return run.status !== 0;
  } finally {
    writeFileSync(file, source);
    editing = undefined;
  }
}

for (const file of files) {
  const { source, mutants } = report.files[file]!;
  const alive = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
  const { valid, detected } = scoreTerms(mutants);
  let now = 0;
  for (const m of alive) {
    const k = killed(file, source, m);
    if (k) now++;
    const text = mutatedText(source, m.location).replace(/\s+/g, ' ').slice(0, 80);
    console.log(
      `${file}:${m.location.start.line} #${m.id} ${m.status} → ${k ? 'KILLED' : 'alive'}: ${text}  →  ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 50)}`,
    );
  }
  const pct = (n: number) => `${((100 * n) / valid).toFixed(1)} %`;
  console.log(
    `== ${file}: ${now} of ${alive.length} alive killed; ${pct(detected)} → ${pct(detected + now)} (${detected + now} of ${valid})`,
  );
}
