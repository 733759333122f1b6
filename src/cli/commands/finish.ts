/** The end of every command that runs a deployment: its report, and the exit code of its outcome. */
import type { RunOutcome } from '../../deploy/executor.js';
import type { Ledger } from '../../ledger/types.js';
import { exitCodeOf } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { formatReportJson, formatReportPretty } from '../output/format-report.js';

/** Prints the report and returns the exit code of the outcome. */
export async function finish(outcome: RunOutcome, ledger: Ledger, io: CliIo, json: boolean): Promise<number> {
  const [{ deploymentReport }, { deploymentOutcome }] = await Promise.all([
    import('../../deploy/report.js'),
    import('../../deploy/schedules.js'),
  ]);
  const report = (await deploymentReport(ledger, outcome.deploymentId))!;
  io.out(json ? formatReportJson(report) : formatReportPretty(report, io.colors));
  return exitCodeOf(deploymentOutcome(outcome.status));
}
