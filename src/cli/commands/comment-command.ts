/**
 * The `comment` command's definition, registered by one line in `program.ts`; its run is imported
 * lazily (`comment.ts`), so other commands do not load the review module.
 */
import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';

/** Adds `flowgate comment` to the program (`state` is program.ts's RunState, not imported: no cycle). */
export function registerComment(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('comment')
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
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runComment } = await import('./comment.js');
      state.exitCode = await runComment(opts, io);
    });
}
