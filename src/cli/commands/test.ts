/**
 * `flowgate test [files...] [--manifest FILE] [--format text|junit]`: runs call-path scenarios
 * (`*.test.yaml`) over the flows, offline (docs/scenarios.md). Without files, the scenarios next
 * to the manifest's flows. Exit 0 when every case passes, 3 when one fails, 2 when a scenario
 * file is wrong (its file:line:column).
 */
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** The options of `flowgate test`. */
export interface TestOptions {
  manifest?: string;
  format?: 'text' | 'junit';
  output?: string;
}

/** Runs the scenarios and prints the report; returns the exit code. */
export async function runTest(files: string[], opts: TestOptions, io: CliIo): Promise<number> {
  const { runScenarios } = await import('./test-run.js');
  const report = await runScenarios(files, opts.manifest);
  const { formatJunit, formatText } = await import('../../scenario/report.js');
  const text = opts.format === 'junit' ? formatJunit(report) : formatText(report, { verbose: io.verbose });
  if (opts.output !== undefined) {
    const { writeOutputFile } = await import('../output-file.js');
    writeOutputFile(opts.output, text, { flag: '--output' });
    io.out(formatText(report).split('\n').slice(-2).join('\n'));
  } else io.out(text);
  return report.failed + report.errors > 0 ? ExitCode.Invalid : ExitCode.Ok;
}
