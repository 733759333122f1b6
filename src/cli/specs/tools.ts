/** The specs of `validate`, `demo`, `adoption`, `emulator`, `whoami` and `exit-codes` (handlers in `cli/commands/`). */
import { Option } from 'commander';
import { count, defineCommand, flag, text, texts } from '../command-spec.js';
import { EXIT_CODES_HELP, ExitCode } from '../exit-codes.js';
import { collect, exitCodesHelp, jsonOption, ledgerFlags, ledgerOption } from '../options.js';

/** `flowgate validate [files...]`. */
export const validate = defineCommand({
  path: 'validate',
  verdict: true,
  declare: (cmd) =>
    cmd
      .description(
        'check flow files offline: syntax, references, reachability, loops, dependencies and policy',
      )
      .argument(
        '[files...]',
        "Archy YAML or graph JSON files, globs, or '-' for stdin (default: the flows of ./flowgate.yaml)",
      )
      .option('-m, --manifest <file>', 'a deployment manifest listing flows, substitutions and policy')
      .option('-e, --env <name>', "an environment of the manifest: its substitution values (as plan's)")
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
      .option('--max-file-size <bytes>', 'largest file accepted (default: 10485760, 10 MiB)', (v) =>
        Number(v),
      )
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
      ),
  parse: (args, raw) => ({
    files: texts(args[0]),
    manifest: text(raw.manifest),
    env: text(raw.env),
    format: text(raw.format) as 'pretty' | 'json' | 'sarif' | 'github' | 'codequality' | undefined,
    set: texts(raw.set),
    substitutions: text(raw.substitutions),
    policy: text(raw.policy),
    loops: text(raw.loops) as 'allow-with-exit' | 'error' | undefined,
    maxFileSize: count(raw.maxFileSize),
    online: flag(raw.online),
    quiet: flag(raw.quiet),
  }),
  run: async (o, io) => (await import('../commands/validate.js')).runValidate(o, io),
});

/** `flowgate demo`. */
export const demo = defineCommand({
  path: 'demo',
  changes: true,
  declare: (cmd) =>
    jsonOption(
      cmd.description(
        'deploy the example flows to the embedded emulator: plan, activation window, report, traffic',
      ),
      'print only the JSON report',
    ),
  parse: (_args, raw) => ({ json: flag(raw.json) }),
  run: async (o, io) => (await import('../commands/demo.js')).runDemo(o, io),
});

/** `flowgate adoption [flows...]`. */
export const adoption = defineCommand({
  path: 'adoption',
  declare: (cmd) =>
    exitCodesHelp(
      jsonOption(
        ledgerOption(
          cmd
            .description(
              "traffic share of each flow's new version, failure rates and time in flow per version, and a health verdict",
            )
            .argument(
              '[flows...]',
              'flow names or ids (default: the flows the newest deployment in the ledger published)',
            )
            .option('--deployment <id>', 'the flows a deployment published (from the ledger)'),
          'the ledger of the deployments (default .flowgate/ledger.db)',
          '<file>',
        )
          .option(
            '--watch [looks]',
            'look again every interval, up to this many times (default 12), with the Bonferroni correction; stops at a degraded verdict',
          )
          .option(
            '--since <time>',
            'start of the window every figure covers (default: when the version was published)',
          )
          .option('--until <time>', "end of the window (default: now, on the platform's clock)")
          .option(
            '--granularity <period>',
            "interval of the share over time (ISO-8601; default: the manifest's health.granularity, else PT5M)",
          )
          .option(
            '-m, --manifest <file>',
            "the manifest whose health: section sets the verdict's rule (default: ./flowgate.yaml when it exists)",
          )
          .option('--html <file>', 'also write a self-contained HTML report with charts'),
      ),
      '0, 3 when a new version is degraded (see the README for the statistical rule), 2 usage, 1 API failure, 4 auth.',
    ),
  parse: (args, raw) => ({
    flows: texts(args[0]),
    deployment: text(raw.deployment),
    ...ledgerFlags(raw),
    watch: raw.watch === true ? (true as const) : text(raw.watch),
    since: text(raw.since),
    until: text(raw.until),
    granularity: text(raw.granularity),
    manifest: text(raw.manifest),
    html: text(raw.html),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/adoption.js')).runAdoption(o, io),
});

/** `flowgate emulator`. */
export const emulator = defineCommand({
  path: 'emulator',
  changes: true,
  declare: (cmd) =>
    cmd
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
      ),
  parse: (_args, raw) => ({
    port: Number(raw.port),
    seed: text(raw.seed),
    state: text(raw.state),
    tokenTtl: count(raw.tokenTtl),
    writeEnv: text(raw.writeEnv),
  }),
  run: async (o, io) => (await import('../commands/emulator.js')).runEmulator(o, io),
});

/** `flowgate whoami`. */
export const whoami = defineCommand({
  path: 'whoami',
  declare: (cmd) =>
    jsonOption(
      cmd.description('check the credentials: organization, OAuth client, scopes and rate limit'),
    ).addHelpText(
      'after',
      '\nCredentials: GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET (or _SECRET_FILE), GENESYSCLOUD_REGION or --region / --base-url.',
    ),
  parse: (_args, raw) => ({ json: flag(raw.json) }),
  run: async (o, io) => (await import('../commands/whoami.js')).runWhoami(o, io),
});

/** `flowgate exit-codes`. */
export const exitCodes = defineCommand({
  path: 'exit-codes',
  declare: (cmd) => cmd.description('list the exit codes'),
  parse: () => ({}),
  run: (_o, io) => {
    io.out(EXIT_CODES_HELP);
    return ExitCode.Ok;
  },
});
