/**
 * Command definitions. Each action lazy-imports its module, so `flowgate validate` does not pay
 * for the emulator or the platform client at start-up.
 */
import { Command, Option } from 'commander';
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
    .hook('preAction', (cmd) => {
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
      new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'sarif', 'github']),
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
    .command('emulator')
    .description('start the embedded Genesys Cloud API emulator')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', (v) => Number(v), 0)
    .option('--seed <file>', 'seed org (JSON or YAML); default: the bundled example org')
    .option('--state <file>', 'load state from this JSON file if it exists, and save to it on exit')
    .option('--token-ttl <seconds>', 'access token lifetime', (v) => Number(v))
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
