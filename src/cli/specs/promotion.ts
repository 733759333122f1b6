/** The specs of `promote` and `approve` (handlers in `cli/commands/`): issue 26, dev to prod. */
import { defineCommand, flag, text } from '../command-spec.js';
import {
  deployInputFlags,
  deployInputOptions,
  exitCodesHelp,
  jsonOption,
  ledgerFlags,
  ledgerOption,
  lockFlags,
  lockOptions,
} from '../options.js';

/** `flowgate promote --from test --to prod`. */
export const promote = defineCommand({
  path: 'promote',
  changes: true,
  declare: (cmd) =>
    exitCodesHelp(
      jsonOption(
        lockOptions(
          deployInputOptions(
            cmd.description(
              'deploy to --to exactly the flows that passed in --from (the content the ledger recorded, with --to values), after its gates',
            ),
          ),
        )
          .option(
            '--from <env>',
            "the environment whose passed deployments are promoted (default: the one the target's requires.passed names)",
          )
          .option('--to <env>', 'the environment to deploy them to (the same as --env)')
          .option('--dry-run', 'plan only: the promotion plan, its gates and diff'),
        'print only the JSON report (with --dry-run: the plan)',
      ),
      '0 done, 3 a gate is unmet or nothing passed there, 1 a step failed, 2 usage, 4 authentication, 130 interrupted.',
    ),
  parse: (_args, raw) => ({
    ...deployInputFlags(raw),
    ...lockFlags(raw),
    from: text(raw.from),
    to: text(raw.to),
    dryRun: flag(raw.dryRun),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/promote.js')).runPromote(o, io),
});

/** `flowgate approve <plan-hash | deployment>`. */
export const approve = defineCommand({
  path: 'approve',
  changes: true,
  declare: (cmd) =>
    jsonOption(
      ledgerOption(
        cmd
          .description("record an approval of a plan (its hash, as plan prints it) or of a deployment's plan")
          .argument('<target>', 'a plan hash (64 hex digits) or a deployment id')
          .option('--note <text>', 'why (kept in the ledger and the audit log)')
          .option(
            '--as <identity>',
            "the approver's identity from the CI (default: the credentials' OAuth client)",
          )
          .option('-m, --manifest <file>', 'the manifest (its ledger, audit log and org)')
          .option('-e, --env <name>', 'the environment the plan is for (its org for the credentials)'),
        "the ledger (default: FLOWGATE_LEDGER_URL, the manifest's, else .flowgate/ledger.db)",
      ),
    ),
  parse: (args, raw) => ({
    target: String(args[0]),
    ...ledgerFlags(raw),
    note: text(raw.note),
    as: text(raw.as),
    manifest: text(raw.manifest),
    env: text(raw.env),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/approve.js')).runApprove(o, io),
});
