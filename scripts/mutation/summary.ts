/**
 * `node --import tsx scripts/mutation/summary.ts reports/mutation/<group>.json [--survivors]`: a
 * Stryker JSON report (the mutation-testing-report-schema) as the BENCHMARKS.md table rows, one
 * per file (score = (killed + timed out) / valid mutants, valid leaving out compile errors and
 * ignored ones), and with `--survivors` each surviving or uncovered mutant with its line.
 */
import { count, mutatedText, readReport, scoreTerms } from './report.js';

const [path, flag] = process.argv.slice(2);
if (!path) {
  console.error('usage: summary.ts <report.json> [--survivors]');
  process.exit(2);
}
const report = readReport(path);
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  const { valid, detected } = scoreTerms(mutants);
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
  console.log(
    `| \`${file.replace(/^src\//, '')}\` | ${mutants.length} | ${count(mutants, 'Killed')} | ${count(mutants, 'Survived')} | ${count(mutants, 'Timeout')} | ${count(mutants, 'NoCoverage')} | ${count(mutants, 'CompileError')} | **${score}** |`,
  );
  if (flag !== '--survivors') continue;
  for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
    const text = mutatedText(source, m.location).replace(/\s+/g, ' ').slice(0, 100);
    const into = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
    console.log(
      `    ${file}:${m.location.start.line} #${m.id} ${m.status} ${m.mutatorName}: ${text}  →  ${into}`,
    );
  }
}
