/**
 * `npm run test:guarantees [-- <row>…]`: breaks each promise of docs/GUARANTEES.md as its row says
 * (scripts/guarantees/rows.ts), runs that row's tests, and checks at least one fails; then puts the
 * source back. First the same tests run on the unbroken code and must all pass, so a failure is the
 * breakage's, not the machine's. Exit 0 when every row is caught, 1 otherwise.
 *
 * It edits `src/` in place: it refuses to start while a file it edits has uncommitted changes, so
 * `git checkout -- src` always restores the source if the script itself is killed. After each edit
 * `dist/` is built again, because tests that run `bin/flowgate.js` in a child process run the
 * compiled code, not `src/`; at the end it is built from the restored source.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUARANTEE_ROWS, type GuaranteeRow } from './rows.js';

interface VitestJson {
  numFailedTests: number;
  numPassedTests: number;
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>;
}

const asked = process.argv.slice(2);
const rows = asked.length === 0 ? GUARANTEE_ROWS : GUARANTEE_ROWS.filter((r) => asked.includes(r.row));
if (rows.length === 0) {
  console.error(`no such row: ${asked.join(', ')}; rows: ${GUARANTEE_ROWS.map((r) => r.row).join(', ')}`);
  process.exit(2);
}
const files = [...new Set(rows.flatMap((r) => r.edits.map((e) => e.file)))];
const dirty = spawnSync('git', ['status', '--porcelain', '--', ...files], { encoding: 'utf8' }).stdout.trim();
if (dirty !== '') {
  console.error(`commit or restore these first (the script edits them in place):\n${dirty}`);
  process.exit(2);
}
const original = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
/** Compiles `src/` into `dist/`; true when tsc accepted it. */
const build = () =>
  spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
const restore = () => {
  for (const [f, text] of original) writeFileSync(f, text);
};
const restoreAndBuild = () => {
  restore();
  if (!build()) console.error('dist/ could not be built from the restored source: run `npm run build`');
};
process.on('SIGINT', () => {
  restoreAndBuild();
  process.exit(130);
});

const out = mkdtempSync(join(tmpdir(), 'flowgate-guarantees-'));
/** Runs test files and returns vitest's JSON report. */
function runTests(tests: string[], name: string): VitestJson {
  const file = join(out, `${name}.json`);
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${file}`, ...tests], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  } catch {
    // No report is no verdict: counted as not caught, so a crash never passes for a failing test.
    console.error(`vitest wrote no report for ${name} (exit ${run.status ?? run.signal})`);
    return { numFailedTests: 0, numPassedTests: 0, testResults: [] };
  }
}

/** Applies a row's edits to the original text; throws when a search is not found exactly once. */
function breakRow(r: GuaranteeRow): void {
  const texts = new Map(original);
  for (const e of r.edits) {
    const text = texts.get(e.file)!;
    const count = text.split(e.search).length - 1;
    if (count !== 1)
      throw new Error(`row ${r.row}: ${e.file} holds its search text ${count} times, not once`);
    texts.set(
      e.file,
      text.replace(e.search, () => e.replace),
    );
  }
  for (const [f, text] of texts) if (text !== original.get(f)) writeFileSync(f, text);
}

const failing = (report: VitestJson) =>
  report.testResults.flatMap((t) =>
    t.assertionResults
      .filter((a) => a.status === 'failed')
      .map((a) => `${t.name.replace(`${process.cwd()}/`, '')} › ${a.fullName}`),
  );

const baseline = runTests([...new Set(rows.flatMap((r) => r.tests))], 'baseline');
if (baseline.numFailedTests > 0 || baseline.numPassedTests === 0) {
  console.error(`the unbroken code fails its own tests (${baseline.numFailedTests} failed):`);
  for (const f of failing(baseline)) console.error(`  ${f}`);
  process.exit(1);
}
console.log(`unbroken: ${baseline.numPassedTests} tests pass`);
let missed = 0;
for (const r of rows) {
  let report: VitestJson = { numFailedTests: 0, numPassedTests: 0, testResults: [] };
  try {
    breakRow(r);
    // A row whose edit does not compile breaks nothing the CLI runs: it counts as not caught.
    if (build()) report = runTests(r.tests, `row-${r.row}`);
    else console.error(`row ${r.row}: the broken source does not compile; fix the row in rows.ts`);
  } finally {
    restore();
  }
  const failed = failing(report);
  if (failed.length === 0) missed++;
  console.log(
    `row ${r.row} (${r.promise}): ${failed.length === 0 ? 'NOT CAUGHT' : `caught by ${failed.length}`}`,
  );
  for (const f of failed.slice(0, 3)) console.log(`    ${f}`);
  if (failed.length > 3) console.log(`    … and ${failed.length - 3} more`);
}
restoreAndBuild();
rmSync(out, { recursive: true, force: true });
console.log(missed === 0 ? `all ${rows.length} rows caught` : `${missed} of ${rows.length} rows not caught`);
process.exit(missed === 0 ? 0 : 1);
