/**
 * `node --import tsx scripts/mutation/summary.ts reports/mutation/<group>.json [--survivors]`: a
 * Stryker JSON report (the mutation-testing-report-schema) as the BENCHMARKS.md table rows, one
 * per file (score = (killed + timed out) / valid mutants, valid leaving out compile errors and
 * ignored ones), and with `--survivors` each surviving or uncovered mutant with its line.
 */
import { readFileSync } from 'node:fs';

interface Mutant {
  id: string;
  status: string;
  mutatorName: string;
  replacement?: string;
  /** 1-based lines and columns (mutation-testing-report-schema). */
  location: { start: Position; end: Position };
}
interface Position {
  line: number;
  column: number;
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const [path, flag] = process.argv.slice(2);
if (!path) {
  console.error('usage: summary.ts <report.json> [--survivors]');
  process.exit(2);
}
const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
const count = (ms: Mutant[], ...s: string[]) => ms.filter((m) => s.includes(m.status)).length;
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  const valid = mutants.length - count(mutants, 'CompileError', 'Ignored', 'RuntimeError');
  const detected = count(mutants, 'Killed', 'Timeout');
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
  console.log(
    `| \`${file.replace(/^src\//, '')}\` | ${mutants.length} | ${count(mutants, 'Killed')} | ${count(mutants, 'Survived')} | ${count(mutants, 'Timeout')} | ${count(mutants, 'NoCoverage')} | ${count(mutants, 'CompileError')} | **${score}** |`,
  );
  if (flag !== '--survivors') continue;
  const lines = source.split('\n');
  for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
    const line = m.location.start.line;
    const text = mutated(lines, m.location).replace(/\s+/g, ' ').slice(0, 100);
    const into = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
    console.log(`    ${file}:${line} #${m.id} ${m.status} ${m.mutatorName}: ${text}  →  ${into}`);
  }
}

/**
 * The source a mutant replaces: its range, not its whole line (a line holds several mutants of
 * its parts, and the whole line misreads which part was changed).
 */
function mutated(lines: string[], { start, end }: { start: Position; end: Position }): string {
  if (start.line === end.line) return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  return [
    (lines[start.line - 1] ?? '').slice(start.column - 1),
    ...middle,
    (lines[end.line - 1] ?? '').slice(0, end.column - 1),
  ].join('\n');
}
