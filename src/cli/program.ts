/**
 * Command definitions. Each action lazy-imports its module, so `flowgate validate` does not pay
 * for the emulator or the platform client at start-up.
 */
import { Argument, Command, Option } from 'commander';
import { registerComment } from './commands/comment-command.js';
import { ExitCode, EXIT_CODES_HELP } from './exit-codes.js';
import type { CliIo } from './io.js';
import { packageVersion } from './version.js';

/** Mutable state the commands report into. */
export interface RunState {
  exitCode: number;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Commands that change something (the org, a ledger, a dead-letter file, a running server):
 * a closed stdout does not cut them short, it only silences their output.
 */
const FINISH_WITHOUT_STDOUT = new Set([
  'deploy',
  'promote',
  'approve',
  'rollback',
  'run-scheduled',
  'schedule',
  'demo',
  'emulator',
  'ledger migrate',
  'events retry',
]);

/** `audit verify`, `deploy`: the command's words under the program. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Builds the commander program. */
export function buildProgram(io: CliIo, state: RunState): Command {
  const program = new Command('flowgate')
    .description('Validate, publish and observe Genesys Cloud Architect flows.')
    .version(packageVersion(), '--version', 'print the version')
    .option('-v, --verbose', 'show stack traces and request details')
    .option('--no-color', 'disable colour')
    .option('--color', 'force colour')
    .option(
      '--region <region>',
      'Genesys Cloud region (overrides GENESYSCLOUD_REGION): us-east-1, eu-west-1, mypurecloud.ie, …',
    )
    .option(
      '--base-url <url>',
      'one origin for login and API, such as the emulator (overrides GENESYSCLOUD_BASE_URL); https unless loopback',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)')
    // Connection flags feed the same settings as the environment (secrets never come from flags).
    .hook('preAction', (cmd, action) => {
      if (FINISH_WITHOUT_STDOUT.has(commandPath(action))) io.onStdoutClosed = 'finish';
      const o = cmd.opts<{ region?: string; baseUrl?: string }>();
      if (o.region) io.env = { ...io.env, GENESYSCLOUD_REGION: o.region };
      if (o.baseUrl) io.env = { ...io.env, GENESYSCLOUD_BASE_URL: o.baseUrl };
    });

  program
    .command('validate')
    .description('check flow files offline: syntax, references, reachability, loops, dependencies and policy')
    .argument(
      '[files...]',
      "Archy YAML or graph JSON files, globs, or '-' for stdin (default: the flows of ./flowgate.yaml)",
    )
    .option('-m, --manifest <file>', 'a deployment manifest listing flows, substitutions and policy')
    .addOption(
      new Option('-f, --format <format>', 'output format (codequality: GitLab Code Quality JSON)').choices([
        'pretty',
        'json',
        'sarif',
        'github',
        'codequality',
      ]),
    )
    .option('--set <key=value>', 'a substitution value for {{ key }} (repeatable)', collect)
    .option('--substitutions <file>', 'a YAML or JSON file of substitution values')
    .option('--policy <file>', 'an organisation policy file (YAML or JSON)')
    .addOption(new Option('--loops <mode>', 'how loops are judged').choices(['allow-with-exit', 'error']))
    .option('--max-file-size <bytes>', 'largest file accepted (default: 10485760, 10 MiB)', (v) => Number(v))
    .option('--online', 'also check that referenced flows exist in the org (needs credentials)')
    .option('-q, --quiet', 'print errors only')
    .addHelpText(
      'after',
      `
Examples:
  flowgate validate examples/flows/*.yaml
  flowgate validate 'flows/**/*.yaml' --set flow_name=Main --format sarif > flowgate.sarif
  flowgate validate flow.yaml --policy policy.yaml --format github
  flowgate validate --manifest examples/flowgate.yaml
  cat flow.yaml | flowgate validate -

Exit codes:
  0  no errors (warnings and info allowed)
  1  runtime failure (with --online or a live max-flows count: the API failed after retries)
  2  usage error: bad flag, manifest, policy or substitutions file
  3  validation found errors
  4  authentication failed (with --online or a live max-flows count)`,
    )
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { runValidate } = await import('./commands/validate.js');
      state.exitCode = await runValidate(files, opts, io);
    });

  program
    .command('test')
    .description(
      'run call-path scenarios (*.test.yaml) over the flows, offline: path, what is heard, the end, coverage',
    )
    .argument('[files...]', 'scenario files (default: the *.test.yaml next to the flows of ./flowgate.yaml)')
    .option('-m, --manifest <file>', 'the manifest whose flows the scenarios run and follow')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'junit']))
    .option('-o, --output <file>', 'write the report to a file (a JUnit file for CI) and print the summary')
    .addHelpText(
      'after',
      '\nExit codes: 0 every case passed, 3 a case failed or could not run, 2 a scenario file is wrong.',
    )
    .action(async (files: string[], opts: import('./commands/test.js').TestOptions) => {
      state.exitCode = await (await import('./commands/test.js')).runTest(files, opts, io);
    });

  const deployOptions = (cmd: Command) =>
    cmd
      .option('-m, --manifest <file>', 'the deployment manifest (default: ./flowgate.yaml)')
      .option('-e, --env <name>', 'an environment of the manifest: its org and substitution values')
      .option('--set <key=value>', 'a substitution value for {{ key }} (repeatable)', collect)
      .option('--substitutions <file>', 'a YAML or JSON file of substitution values')
      .option('--policy <file>', "an organisation policy file (replaces the manifest's)")
      .option('--force-unlock', 'take over flows locked in Architect by someone else (says who held them)')
      .option(
        '--ledger <file|url>',
        "the ledger: a SQLite file or a postgres:// URL without its password (default: FLOWGATE_LEDGER_URL, the manifest's ledger, else .flowgate/ledger.db)",
      );
  const lockOptions = (cmd: Command) =>
    cmd
      .option(
        '--lock-timeout <duration>',
        'how long to wait for flows another deployment is deploying, ISO-8601 (default PT15M)',
      )
      .option('--no-wait', 'fail at once, naming the holder, when another deployment holds a flow');

  deployOptions(
    program
      .command('plan')
      .description(
        'show what deploy would do: per flow create, update, publish, unchanged or blocked, the order, activation times and a semantic diff',
      ),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'markdown']))
    .option('--json', 'the same as --format json')
    .addHelpText(
      'after',
      `
Changes nothing. Exit codes: 0 the plan can be applied, 3 something is blocked, 2 usage, 1 API failure, 4 auth.`,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runPlan } = await import('./commands/deploy.js');
      state.exitCode = await runPlan(opts, io);
    });

  lockOptions(
    deployOptions(
      program
        .command('deploy')
        .description(
          "validate, plan and publish the manifest's flows in dependency order, recorded in the ledger",
        ),
    ),
  )
    .option('--dry-run', 'plan only (the same as flowgate plan)')
    .option('--resume', 'only finish what a killed or interrupted run left')
    .option('--no-atomic', 'keep the flows that published when another fails (default: roll them back)')
    .option('--concurrency <n>', 'flows published at once (default 4)', (v) => Number(v))
    .option(
      '--schedule-only',
      'record steps with a future activateAt and exit; flowgate run-scheduled publishes them',
    )
    .option(
      '--health-window <duration>',
      "then watch the flows it published over an earlier version this long, ISO-8601 (PT15M), and roll a degraded one back (the manifest's health: settings, its window replaced)",
    )
    .addOption(
      new Option('-f, --format <format>', 'plan format with --dry-run').choices([
        'pretty',
        'json',
        'markdown',
      ]),
    )
    .option('--json', 'print only the JSON report')
    .addHelpText(
      'after',
      `
Exit codes: 0 done (or scheduled), 1 a step failed (atomic: rolled back), 2 usage, 3 blocked by the plan,
4 authentication, 5 some flows failed (--no-atomic), 130 interrupted (resume with --resume).`,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runDeploy } = await import('./commands/deploy.js');
      state.exitCode = await runDeploy(opts, io);
    });

  lockOptions(
    program
      .command('promote')
      .description(
        'deploy to --to exactly the flows that passed in --from (the content the ledger recorded, with --to values), after its gates',
      )
      .option(
        '--from <env>',
        "the environment whose passed deployments are promoted (default: the one the target's requires.passed names)",
      )
      .option('--to <env>', 'the environment to deploy them to')
      .option('-e, --env <env>', 'the same as --to')
      .option('-m, --manifest <file>', 'the deployment manifest (default: ./flowgate.yaml)')
      .option(
        '--ledger <file|url>',
        "the ledger (default: FLOWGATE_LEDGER_URL, the manifest's, else .flowgate/ledger.db)",
      )
      .option('--force-unlock', 'take over flows locked in Architect by someone else')
      .option('--dry-run', 'plan only: the promotion plan, its gates and diff')
      .option('--json', 'print only the JSON report (with --dry-run: the plan)'),
  ).action(async (opts: Record<string, unknown>) => {
    state.exitCode = await (await import('./commands/promote.js')).runPromote(opts, io);
  });

  program
    .command('approve')
    .description("record an approval of a plan (its hash, as plan prints it) or of a deployment's plan")
    .argument('<target>', 'a plan hash (64 hex digits) or a deployment id')
    .option('--note <text>', 'why (kept in the ledger and the audit log)')
    .option('--as <identity>', "the approver's identity from the CI (default: the credentials' OAuth client)")
    .option('-m, --manifest <file>', 'the manifest (its ledger, audit log and org)')
    .option('-e, --env <name>', 'the environment the plan is for (its org for the credentials)')
    .option(
      '--ledger <file|url>',
      "the ledger (default: FLOWGATE_LEDGER_URL, the manifest's, else .flowgate/ledger.db)",
    )
    .option('--json', 'machine-readable output')
    .action(async (target: string, opts: Record<string, unknown>) => {
      state.exitCode = await (await import('./commands/approve.js')).runApprove(target, opts, io);
    });

  lockOptions(
    program
      .command('rollback')
      .description('publish again the previous versions recorded in the ledger, for a deployment or one flow')
      .argument('<target>', 'a deployment id, or a flow (name, type:name or id)')
      .option('--ledger <file|url>', 'the ledger (default: FLOWGATE_LEDGER_URL, else .flowgate/ledger.db)')
      .option('--force-unlock', 'take over flows locked by someone else'),
  )
    .option('--json', 'print only the JSON report')
    .action(async (target: string, opts: Record<string, unknown>) => {
      const { runRollback } = await import('./commands/ledger-commands.js');
      state.exitCode = await runRollback(target, opts, io);
    });

  program
    .command('history')
    .description('what the ledger recorded, newest first')
    .argument('[flow]', 'only this flow (name, type:name or id)')
    .option('--ledger <file|url>', 'the ledger (default: FLOWGATE_LEDGER_URL, else .flowgate/ledger.db)')
    .option('--limit <n>', 'rows', (v) => Number(v), 50)
    .option('--json', 'machine-readable output')
    .action(async (flow: string | undefined, opts: Record<string, unknown>) => {
      const { runHistory } = await import('./commands/ledger-commands.js');
      state.exitCode = await runHistory(flow, opts, io);
    });

  program
    .command('status')
    .description("a deployment's report: each flow's outcome, attempts and API latency")
    .argument('<deployment>', 'the deployment id')
    .option('--ledger <file|url>', 'the ledger (default: FLOWGATE_LEDGER_URL, else .flowgate/ledger.db)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: Record<string, unknown>) => {
      const { runStatus } = await import('./commands/ledger-commands.js');
      state.exitCode = await runStatus(id, opts, io);
    });

  lockOptions(
    program
      .command('run-scheduled')
      .description('publish the scheduled steps that are due (run it from cron or a scheduled CI job)')
      .option('--ledger <file|url>', 'the ledger (default: FLOWGATE_LEDGER_URL, else .flowgate/ledger.db)'),
  )
    .option('--json', 'print only the JSON reports')
    .action(async (opts: Record<string, unknown>) => {
      const { runScheduled } = await import('./commands/ledger-commands.js');
      state.exitCode = await runScheduled(opts, io);
    });

  program
    .command('schedule')
    .description('list or cancel scheduled deployments')
    .addArgument(new Argument('<action>', 'list or cancel').choices(['list', 'cancel']))
    .argument('[deployment]', 'the deployment to cancel')
    .option('--ledger <file|url>', 'the ledger (default: FLOWGATE_LEDGER_URL, else .flowgate/ledger.db)')
    .option('--json', 'machine-readable output')
    .action(async (action: string, id: string | undefined, opts: Record<string, unknown>) => {
      const { runSchedule } = await import('./commands/ledger-commands.js');
      state.exitCode = await runSchedule(action, id, opts, io);
    });

  registerComment(program, io, state);

  program
    .command('demo')
    .description(
      'deploy the example flows to the embedded emulator: plan, activation window, report, traffic',
    )
    .option('--json', 'print only the JSON report')
    .action(async (opts: Record<string, unknown>) => {
      const { runDemo } = await import('./commands/demo.js');
      state.exitCode = await runDemo(opts, io);
    });

  program
    .command('adoption')
    .description(
      "traffic share of each flow's new version, failure rates and time in flow per version, and a health verdict",
    )
    .argument(
      '[flows...]',
      'flow names or ids (default: the flows the newest deployment in the ledger published)',
    )
    .option('--deployment <id>', 'the flows a deployment published (from the ledger)')
    .option('--ledger <file>', 'the ledger of the deployments (default .flowgate/ledger.db)')
    .option(
      '--watch [looks]',
      'look again every interval, up to this many times (default 12), with the Bonferroni correction; stops at a degraded verdict',
    )
    .option(
      '--since <time>',
      'start of the window every figure covers (default: when the version was published)',
    )
    .option('--until <time>', "end of the window (default: now, on the platform's clock)")
    .option('--granularity <period>', 'interval of the share over time (ISO-8601)', 'PT5M')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nExit codes: 0, 3 when a new version is degraded (see the README for the statistical rule), 2 usage, 1 API failure, 4 auth.',
    )
    .action(async (flows: string[], opts: Record<string, unknown>) => {
      const { runAdoption } = await import('./commands/adoption.js');
      state.exitCode = await runAdoption(flows, opts, io);
    });

  program
    .command('ledger')
    .description('the team ledger')
    .command('migrate')
    .description(
      'copy a SQLite ledger (every deployment, state change and API call) into the PostgreSQL ledger; run again, it copies only what is new',
    )
    .option('--from <file>', 'the SQLite ledger to copy (default .flowgate/ledger.db)')
    .option('--to <url>', 'the PostgreSQL ledger, without its password (default: FLOWGATE_LEDGER_URL)')
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, unknown>) => {
      const { runLedgerMigrate } = await import('./commands/ledger-migrate.js');
      state.exitCode = await runLedgerMigrate(opts, io);
    });

  const audit = program.command('audit').description('the hash-chained audit log of deployment events');
  audit
    .command('verify')
    .description(
      'check the chain: exit 3 naming the first edited, removed, inserted or reordered line, or when an anchor fails',
    )
    .option('--log <file>', 'the audit log (default .flowgate/audit.jsonl)')
    .option('--expect-head <hash>', 'an anchor kept elsewhere: this head hash must still be on the chain')
    .option('--expect-count <n>', 'the log must hold at least this many entries')
    .option('--allow-missing', 'no log (or an empty one) is fine: nothing was recorded yet')
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, unknown>) => {
      const { runAuditVerify } = await import('./commands/audit.js');
      state.exitCode = runAuditVerify(opts, io);
    });
  audit
    .command('show')
    .description('the entries, filtered by flow, time and result')
    .option('--log <file>', 'the audit log (default .flowgate/audit.jsonl)')
    .option('--flow <name or id>', 'only this flow')
    .option('--since <time>', 'only from this time (ISO-8601)')
    .option('--result <result>', 'only this result (succeeded, failed, rolled-back, …)')
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, unknown>) => {
      const { runAuditShow } = await import('./commands/audit.js');
      state.exitCode = runAuditShow(opts, io);
    });
  audit
    .command('reconcile')
    .description(
      "compare with the platform's audit trail: publishes outside flowgate, records missing on the platform (exit 3 when any)",
    )
    .requiredOption('--since <time>', 'from this time (ISO-8601)')
    .option('--log <file>', 'the audit log (default .flowgate/audit.jsonl)')
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, unknown>) => {
      const { runAuditReconcile } = await import('./commands/audit.js');
      state.exitCode = await runAuditReconcile(opts, io);
    });
  program
    .command('events')
    .description('deployment events')
    .command('retry')
    .description(
      'send the undelivered webhook events again (the dead-letter file); only events the audit log recorded are signed (exit 3 naming the others)',
    )
    .option('-m, --manifest <file>', 'the manifest with the webhooks (default ./flowgate.yaml)')
    .option('--dead-letter <file>', 'the dead-letter file (default .flowgate/dead-letter.jsonl)')
    .option(
      '--log <file>',
      "the audit log the events must be in (default: the manifest's, else .flowgate/audit.jsonl)",
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runEventsRetry } = await import('./commands/audit.js');
      state.exitCode = await runEventsRetry(opts, io);
    });

  program
    .command('emulator')
    .description('start the embedded Genesys Cloud API emulator')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', (v) => Number(v), 0)
    .option('--seed <file>', 'seed org (JSON or YAML); default: the bundled example org')
    .option('--state <file>', 'load state from this JSON file if it exists, and save to it on exit')
    .option('--token-ttl <seconds>', 'access token lifetime', (v) => Number(v))
    // Not `--env-file`: Node itself reads any `--env-file` argument, after the script name too, and
    // exits 9 when the file does not exist yet (nodejs/node#54232).
    .option(
      '--write-env <file>',
      'write the connection variables as `export` lines to this file (mode 0600), to source with `. FILE`',
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runEmulator } = await import('./commands/emulator.js');
      state.exitCode = await runEmulator(opts, io);
    });

  program
    .command('whoami')
    .description('check the credentials: organization, OAuth client, scopes and rate limit')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nCredentials: GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET (or _SECRET_FILE), GENESYSCLOUD_REGION or --region / --base-url.',
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runWhoami } = await import('./commands/whoami.js');
      state.exitCode = await runWhoami(opts, io);
    });

  program
    .command('exit-codes')
    .description('list the exit codes')
    .action(() => {
      io.out(EXIT_CODES_HELP);
      state.exitCode = ExitCode.Ok;
    });
  return program;
}
