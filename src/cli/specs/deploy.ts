/** The specs of `plan`, `deploy`, `rollback`, `run-scheduled` and `schedule` (handlers in `cli/commands/`). */
import { Argument, Option } from 'commander';
import { ConfigError } from '../../errors.js';
import { count, defineCommand, flag, text, wholeNumber } from '../command-spec.js';
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

const planFlags = (raw: Record<string, unknown>) => ({
  ...deployInputFlags(raw),
  format: text(raw.format) as 'pretty' | 'json' | 'markdown' | undefined,
  json: flag(raw.json),
});

/** `flowgate plan`. */
export const plan = defineCommand({
  path: 'plan',
  verdict: true,
  declare: (cmd) =>
    exitCodesHelp(
      jsonOption(
        deployInputOptions(
          cmd.description(
            'show what deploy would do: per flow create, update, publish, unchanged or blocked, the order, activation times and a semantic diff',
          ),
        ).addOption(
          new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'markdown']),
        ),
        'the same as --format json',
      ),
      '0 the plan can be applied, 3 something is blocked (or a gate unmet, a required scenario case failing), 2 usage, 1 API failure, 4 auth.',
      'Changes nothing. ',
    ),
  parse: (_args, raw) => planFlags(raw),
  run: async (o, io) => (await import('../commands/deploy.js')).runPlan(o, io),
});

/** `flowgate deploy`. */
export const deploy = defineCommand({
  path: 'deploy',
  changes: true,
  declare: (cmd) =>
    exitCodesHelp(
      jsonOption(
        lockOptions(
          deployInputOptions(
            cmd.description(
              "validate, plan and publish the manifest's flows in dependency order, recorded in the ledger",
            ),
          ),
        )
          .option('--dry-run', 'plan only (the same as flowgate plan)')
          .option('--resume', 'only finish what a killed or interrupted run left')
          .option('--no-atomic', 'keep the flows that published when another fails (default: roll them back)')
          .option('--concurrency <n>', 'flows published at once (default 4)', wholeNumber(1))
          .option(
            '--schedule-only',
            'record steps with a future activateAt and exit (an unfinished deployment is finished the same way, never waited for; a step already scheduled is not scheduled again); flowgate run-scheduled publishes them',
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
          ),
        'print only the JSON report',
      ),
      `0 done (or scheduled), 1 a step failed (atomic: rolled back), 2 usage, 3 blocked by the plan,
4 authentication, 5 some flows failed (--no-atomic), 130 interrupted (resume with --resume).`,
    ),
  parse: (_args, raw) => ({
    ...planFlags(raw),
    ...lockFlags(raw),
    dryRun: flag(raw.dryRun),
    resume: flag(raw.resume),
    atomic: raw.atomic !== false,
    concurrency: count(raw.concurrency),
    scheduleOnly: flag(raw.scheduleOnly),
    // Commander gives the text after the flag; anything else is no duration (checked by deploy).
    healthWindow: raw.healthWindow === undefined ? undefined : (text(raw.healthWindow) ?? ''),
  }),
  run: async (o, io) => (await import('../commands/deploy.js')).runDeploy(o, io),
});

/** `flowgate rollback <target>`. */
export const rollback = defineCommand({
  path: 'rollback',
  changes: true,
  declare: (cmd) =>
    jsonOption(
      lockOptions(
        ledgerOption(
          cmd
            .description(
              'publish again the previous versions recorded in the ledger, for a deployment or one flow',
            )
            .argument('[target]', 'a deployment id, or a flow (name, type:name or id)'),
        )
          .option('--force-unlock', 'take over flows locked by someone else')
          .option(
            '--resume',
            'only finish the rollbacks an interrupted (Ctrl-C) or killed run left; without it they are finished before the rollback asked for',
          ),
      ),
      'print only the JSON report',
    ),
  parse: (args, raw) => ({
    target: text(args[0]),
    resume: flag(raw.resume),
    ...ledgerFlags(raw),
    ...lockFlags(raw),
    forceUnlock: flag(raw.forceUnlock),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/rollback.js')).runRollback(o, io),
});

/** `flowgate run-scheduled`. */
export const runScheduled = defineCommand({
  path: 'run-scheduled',
  changes: true,
  declare: (cmd) =>
    jsonOption(
      lockOptions(
        ledgerOption(
          cmd.description(
            'publish the scheduled steps that are due (run it from cron or a scheduled CI job)',
          ),
        ),
      ),
      'print only the JSON reports',
    ),
  parse: (_args, raw) => ({ ...ledgerFlags(raw), ...lockFlags(raw), json: flag(raw.json) }),
  run: async (o, io) => (await import('../commands/run-scheduled.js')).runScheduled(o, io),
});

/** `flowgate schedule list|cancel [deployment]`. */
export const schedule = defineCommand({
  path: 'schedule',
  changes: true,
  declare: (cmd) =>
    jsonOption(
      ledgerOption(
        cmd
          .description('list or cancel scheduled deployments')
          .addArgument(new Argument('<action>', 'list or cancel').choices(['list', 'cancel']))
          .argument('[deployment]', 'the deployment to cancel'),
      ),
    ),
  parse: (args, raw) => {
    // `schedule cancel` without its deployment is a usage error, not an unknown deployment.
    if (args[0] === 'cancel' && text(args[1]) === undefined)
      throw new ConfigError(
        'USAGE_MISSING_ARGUMENT',
        "missing required argument 'deployment' (schedule cancel)",
        {
          hint: 'flowgate schedule list shows the scheduled deployments and their ids.',
          details: { command: 'flowgate schedule' },
        },
      );
    return {
      action: args[0] as 'list' | 'cancel',
      deployment: text(args[1]),
      ...ledgerFlags(raw),
      json: flag(raw.json),
    };
  },
  run: async (o, io) => (await import('../commands/schedule.js')).runSchedule(o, io),
});
