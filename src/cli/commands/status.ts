/** `flowgate status <deployment>`: the report of one deployment. */
import { FlowgateError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { readLedger } from '../deploy-session.js';
import type { LedgerFlags } from '../options.js';
import { formatReportJson, formatReportPretty } from '../output/format-report.js';

/** `flowgate status`'s options. */
export interface StatusOptions extends LedgerFlags {
  deployment: string;
  json: boolean;
}

/** Prints the deployment's report. @throws DEPLOY_NOT_FOUND */
export async function runStatus(opts: StatusOptions, io: CliIo): Promise<number> {
  const { deploymentReport } = await import('../../deploy/report.js');
  const ledger = await readLedger(opts);
  try {
    const report = await deploymentReport(ledger, opts.deployment);
    if (!report)
      throw new FlowgateError('DEPLOY_NOT_FOUND', `the ledger has no deployment ${opts.deployment}`, {
        hint: 'flowgate history lists the deployments.',
      });
    io.out(opts.json ? formatReportJson(report) : formatReportPretty(report, io.colors));
    return ExitCode.Ok;
  } finally {
    await ledger.close();
  }
}
