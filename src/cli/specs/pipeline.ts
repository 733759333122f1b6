/** The specs of `test` (call-path scenarios) and `comment` (the sticky pull-request comment); handlers in `cli/commands/`. */
import { Option } from 'commander';
import { defineCommand, flag, text, texts } from '../command-spec.js';

/** `flowgate test [files...]`. */
export const test = defineCommand({
  path: 'test',
  verdict: true,
  declare: (cmd) =>
    cmd
      .description(
        'run call-path scenarios (*.test.yaml) over the flows, offline: path, what is heard, the end, coverage',
      )
      .argument(
        '[files...]',
        'scenario files (default: the *.test.yaml next to the flows of ./flowgate.yaml)',
      )
      .option('-m, --manifest <file>', 'the manifest whose flows the scenarios run and follow')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'junit']))
      .option('-o, --output <file>', 'write the report to a file (a JUnit file for CI) and print the summary')
      .addHelpText(
        'after',
        '\nExit codes: 0 every case passed, 3 a case failed or could not run, 2 a scenario file is wrong.',
      ),
  parse: ([files], raw) => ({
    files: texts(files),
    options: {
      ...(text(raw.manifest) !== undefined ? { manifest: text(raw.manifest)! } : {}),
      ...(text(raw.format) !== undefined ? { format: text(raw.format) as 'text' | 'junit' } : {}),
      ...(text(raw.output) !== undefined ? { output: text(raw.output)! } : {}),
    },
  }),
  run: async (o, io) => (await import('../commands/test.js')).runTest(o.files, o.options, io),
});

/** `flowgate comment --file plan.md`. */
export const comment = defineCommand({
  path: 'comment',
  declare: (cmd) =>
    cmd
      .description(
        'create or update the one pull-request (GitHub) or merge-request (GitLab) comment that carries the plan, found by a hidden marker',
      )
      .requiredOption(
        '--file <file>',
        "the comment's Markdown, such as flowgate plan --format markdown > plan.md ('-' for stdin)",
      )
      .addOption(
        new Option('--provider <provider>', 'default: the CI job this runs in').choices(['github', 'gitlab']),
      )
      .option('--number <n>', "the pull or merge request (default: the pipeline's own)")
      .option('--marker <key>', 'which sticky comment: one per key (plan-prod, …)', 'plan')
      .option('--json', 'machine-readable output')
      .addHelpText(
        'after',
        '\nToken from the environment only: GITHUB_TOKEN (permissions: pull-requests: write); GITLAB_TOKEN (api scope), else CI_JOB_TOKEN.\nExit codes: 0 posted, 4 the token may not comment (403), 1 the API failed, 2 usage.',
      ),
  parse: (_args, raw) => ({
    file: text(raw.file) ?? '-',
    provider: text(raw.provider) as 'github' | 'gitlab' | undefined,
    number: text(raw.number),
    marker: text(raw.marker) ?? 'plan',
    json: flag(raw.json),
  }),
  run: async (o, io) => (await import('../commands/comment.js')).runComment(o, io),
  changes: true,
});
