/** The specs of `export` (the org's flows into a repository), `diff` (flows against the org, two orgs or two versions) and `prune` (flows the manifest dropped); handlers in `cli/commands/`. */
import { Option } from 'commander';
import { defineCommand, flag, text, wholeNumber } from '../command-spec.js';
import { collect, deployInputFlags, exitCodesHelp, jsonOption, ledgerOption } from '../options.js';

const list = (v: string, previous: string[] = []) => [
  ...previous,
  ...v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];

/** `flowgate export`. */
export const exportFlows = defineCommand({
  path: 'export',
  declare: (cmd) =>
    cmd
      .description("write the org's flows as Archy YAML files (the published version of each)")
      .option('-o, --out <dir>', 'the folder for the flow files', 'flows')
      .option('--type <types>', 'only these flow types, comma-separated (inboundcall,commonmodule,…)', list)
      .option('--name <glob>', "only flows whose name matches (* and ?, any case), e.g. 'IVR-*'")
      .option('--division <name>', 'only flows of this division (name or id)')
      .option('--version, --flow-version <version>', 'export this version instead of the published one')
      .option('--saved', 'export the saved (latest) version instead of the published one')
      .option(
        '--init',
        'also write flowgate.yaml (dependency order) and substitutions per --env, names as {{ tokens }}',
      )
      .option('-e, --env <name>', 'with --init: an environment to write substitutions for (repeatable)', list)
      .option('-m, --manifest <file>', 'with --init: the manifest to write', 'flowgate.yaml')
      .option('--concurrency <n>', 'export jobs at once (default 4)', wholeNumber(1))
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        `
  Examples:
    flowgate export --out flows/
    flowgate export --type inboundcall,commonmodule --name 'IVR-*' --division Home --out flows/
    flowgate export --init --env test --env prod

  Exit codes: 0 exported (skipped flows are listed), 1 API failure, 2 usage, 4 auth, 5 some flows failed.`,
      ),
  parse: (_args, raw) => raw,
  run: async (raw, io) => {
    const { exportFlags, runExport } = await import('../commands/export.js');
    return runExport(exportFlags(raw), io);
  },
  changes: true,
});

/** `flowgate diff`. */
export const diff = defineCommand({
  path: 'diff',
  verdict: true,
  declare: (cmd) =>
    cmd
      .description(
        'semantic diff of flows: the repository against its org, two orgs, or two versions of a flow',
      )
      .argument('[flow]', 'with --versions: the flow (name, type:name or id)')
      .option('--versions <versions...>', 'two versions of the flow to compare, e.g. --versions 3.0 5.0')
      .option(
        '--type <type>',
        "with --versions: the flow's type (inboundcall, inqueuecall…), when flows of several types have its name",
      )
      .option('-m, --manifest <file>', 'the deployment manifest (default: ./flowgate.yaml)')
      .option('-e, --env <name>', 'an environment of the manifest (its org and values)')
      .option('--against-env <name>', 'compare with the same flows in this environment of the manifest')
      .option('--set <key=value>', 'a substitution value for {{ key }} (repeatable)', collect)
      .option('--substitutions <file>', 'a YAML or JSON file of substitution values')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'markdown']))
      .addHelpText(
        'after',
        '\nExit codes: 0 equal, 3 different (or missing on one side), 1 API failure, 2 usage, 4 auth.',
      ),
  parse: ([flow], raw) => ({ flow: text(flow), raw }),
  run: async (o, io) => {
    const { diffFlags, runDiff } = await import('../commands/diff.js');
    return runDiff(diffFlags(o.flow, o.raw), io);
  },
});

/** `flowgate prune`. */
export const prune = defineCommand({
  path: 'prune',
  changes: true,
  declare: (cmd) =>
    exitCodesHelp(
      jsonOption(
        ledgerOption(
          cmd
            .description(
              'list the flows flowgate deployed to this org that the manifest no longer lists; --apply deletes them (never one another flow still uses)',
            )
            .option('-m, --manifest <file>', 'the deployment manifest (default: ./flowgate.yaml)')
            .option('-e, --env <name>', 'an environment of the manifest: its org and substitution values')
            .option('--set <key=value>', 'a substitution value for {{ key }} (repeatable)', collect)
            .option('--substitutions <file>', 'a YAML or JSON file of substitution values')
            .option('--apply', 'delete them (default: a dry run that changes nothing)')
            .option('--deactivate', 'deactivate instead of deleting'),
        ),
      ),
      '0 listed or done, 1 every change refused or an API failure, 2 usage, 4 auth, 5 some flows refused.',
      'Without --apply it changes nothing. ',
    ),
  parse: (_args, raw) => ({
    ...deployInputFlags(raw),
    apply: flag(raw.apply),
    deactivate: flag(raw.deactivate),
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/prune.js')).runPrune(o, io),
});
