/** `flowgate history [flow]`: the ledger's steps, newest first. */
import { closestNames } from '../../deploy/closest-names.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { readLedger } from '../deploy-session.js';
import type { LedgerFlags } from '../options.js';
import { terminalSafe as safe } from '../output/encode.js';
import { stepOutcome, stepVersion, type StepPurpose } from '../output/step-version.js';
import { tableLines } from '../output/table.js';

/** `flowgate history`'s options. */
export interface HistoryOptions extends LedgerFlags {
  /** Only this flow (name, type:name or id). */
  flow?: string | undefined;
  limit: number;
  json: boolean;
}

/** Prints the ledger's steps, newest first. */
export async function runHistory(opts: HistoryOptions, io: CliIo): Promise<number> {
  const { flow } = opts;
  const ledger = await readLedger(opts);
  try {
    // The limit counts the named flow's steps: filtering after it hid a flow behind busier ones.
    const rows =
      flow === undefined
        ? await ledger.history(undefined, opts.limit)
        : await ledger.flowHistory(flow, opts.limit);
    if (opts.json) {
      io.out(
        `${JSON.stringify({ schemaVersion: 1, steps: rows.map(({ content: _c, source: _s, ...s }) => s) }, null, 2)}\n`,
      );
      return ExitCode.Ok;
    }
    if (rows.length === 0) {
      if (!flow) {
        io.out('the ledger is empty\n');
        return ExitCode.Ok;
      }
      const close = closestNames(flow, await ledger.flowNames());
      io.out(
        `no deployment of ${safe(flow)} in the ledger${close.length ? `; did you mean ${close.map((n) => safe(n)).join(', ')}?` : ''}\n`,
      );
      return ExitCode.Ok;
    }
    // The gates each deployment passed (`deploy/gates.ts`) and its purpose (a rollback's steps
    // read as rolled back), read once per deployment.
    const gates = new Map<string, string>();
    const purposes = new Map<string, StepPurpose>();
    for (const id of new Set(rows.map((s) => s.deploymentId))) {
      const d = await ledger.getDeployment(id);
      const met = d?.gates?.filter((g) => g.met).map((g) => g.gate);
      gates.set(id, met?.length ? met.join(', ') : '—');
      purposes.set(id, d?.purpose);
    }
    // Names and versions come from files and the org: `terminalSafe`. Columns fit their content.
    const table = tableLines(
      ['when', 'deployment', 'flow', 'outcome', 'artifact', 'gates', 'version'],
      rows.map((s) => [
        s.updatedAt.slice(0, 19).replace('T', ' '),
        safe(s.deploymentId),
        safe(`${s.flowName} [${s.flowType}]`),
        stepOutcome(s, purposes.get(s.deploymentId)),
        // The same change has the same artifact in every environment (`deploy/artifact.ts`).
        s.artifactHash ? `${s.artifactHash.slice(0, 12)}${s.health ? ` ${s.health}` : ''}` : '—',
        safe(gates.get(s.deploymentId) ?? '—'),
        safe(stepVersion(s, purposes.get(s.deploymentId))),
      ]),
    );
    io.out(`${table.join('\n')}\n`);
    return ExitCode.Ok;
  } finally {
    await ledger.close();
  }
}
