/**
 * The commander program: global options, then every command registered from its spec
 * (`cli/specs/`). Each spec imports its handler only when it runs, so `flowgate validate` does
 * not pay for the emulator or the platform client at start-up.
 */
import { Command } from 'commander';
import { register, type CommandSpec, type RunState } from './command-spec.js';
import type { CliIo } from './io.js';
import * as audit from './specs/audit.js';
import * as deploy from './specs/deploy.js';
import * as ledger from './specs/ledger.js';
import * as orgSync from './specs/org-sync.js';
import * as pipeline from './specs/pipeline.js';
import * as promotion from './specs/promotion.js';
import * as tools from './specs/tools.js';
import { packageVersion } from './version.js';

export type { RunState } from './command-spec.js';

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
    // Commander's error messages are printed by the error boundary (`main.ts`), with a code and
    // the command's --help as advice; help itself still goes where commander sends it.
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s), outputError: () => {} })
    // Connection flags feed the same settings as the environment (secrets never come from flags).
    .hook('preAction', (cmd) => {
      const o = cmd.opts<{ region?: string; baseUrl?: string }>();
      // A flag beats the whole environment: `--region` also over a GENESYSCLOUD_BASE_URL left set
      // (pointing a deploy at a stale emulator or another org); `--base-url` over both.
      if (o.region) {
        const { GENESYSCLOUD_BASE_URL: _stale, ...rest } = io.env;
        io.env = { ...rest, GENESYSCLOUD_REGION: o.region };
      }
      if (o.baseUrl) io.env = { ...io.env, GENESYSCLOUD_BASE_URL: o.baseUrl };
    });

  // One line per command: its spec declares and parses its flags (`command-spec.ts`).
  const add = <O>(spec: CommandSpec<O>) => register(program, io, state, spec);
  add(tools.validate);
  add(pipeline.test);
  add(deploy.plan);
  add(deploy.deploy);
  add(deploy.rollback);
  add(promotion.promote);
  add(promotion.approve);
  add(orgSync.exportFlows);
  add(orgSync.diff);
  add(orgSync.prune);
  add(ledger.history);
  add(ledger.status);
  add(deploy.runScheduled);
  add(deploy.schedule);
  add(pipeline.comment);
  add(tools.demo);
  add(tools.adoption);
  add(ledger.ledgerMigrate);
  add(audit.auditVerify);
  add(audit.auditShow);
  add(audit.auditReconcile);
  add(audit.eventsRetry);
  add(tools.emulator);
  add(tools.whoami);
  add(tools.exitCodes);
  return program;
}
