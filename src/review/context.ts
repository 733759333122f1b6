/**
 * Which pull or merge request a CI job belongs to, from the variables the runner sets, and the
 * token from the environment only (never a flag or a file in the repository).
 * GitHub: https://docs.github.com/en/actions/reference/variables-reference (GITHUB_REPOSITORY,
 * GITHUB_API_URL, GITHUB_EVENT_PATH: the webhook payload, whose `pull_request.number` names it).
 * GitLab: https://docs.gitlab.com/ci/variables/predefined_variables/ (CI_API_V4_URL,
 * CI_PROJECT_ID, CI_MERGE_REQUEST_IID in merge request pipelines).
 */
import { readFileSync, statSync } from 'node:fs';
import { FlowgateError } from '../errors.js';
import { githubThread } from './github.js';
import { gitlabThread } from './gitlab.js';
import type { RestOptions } from './rest.js';
import type { CommentThread } from './sticky.js';

/** Where the comment goes. */
export type ReviewProvider = 'github' | 'gitlab';

/** Choices the caller makes instead of the environment. */
export interface ThreadChoice {
  provider?: ReviewProvider | undefined;
  /** The pull request number or merge request iid (default: the pipeline's own). */
  number?: number | undefined;
}

/** The provider of the CI job this runs in (`GITHUB_ACTIONS`, `GITLAB_CI`). */
export function detectProvider(env: NodeJS.ProcessEnv): ReviewProvider | undefined {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  return undefined;
}

/** The comment thread of the job's pull or merge request. */
export function threadFromEnv(
  env: NodeJS.ProcessEnv,
  choice: ThreadChoice = {},
  o: RestOptions = {},
): CommentThread {
  const provider = choice.provider ?? detectProvider(env);
  if (provider === 'github') return githubFromEnv(env, choice.number, o);
  if (provider === 'gitlab') return gitlabFromEnv(env, choice.number, o);
  throw new FlowgateError('REVIEW_CONTEXT', 'not in a GitHub Actions or GitLab CI job', {
    hint: 'Name the provider (github or gitlab) and set its CI variables.',
  });
}

function need(env: NodeJS.ProcessEnv, name: string, why: string): string {
  const v = env[name]?.trim();
  if (!v) throw new FlowgateError('REVIEW_CONTEXT', `${name} is not set`, { hint: why });
  return v;
}

function githubFromEnv(env: NodeJS.ProcessEnv, number: number | undefined, o: RestOptions): CommentThread {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token)
    throw new FlowgateError('REVIEW_TOKEN', 'GITHUB_TOKEN is not set', {
      hint: 'Pass it to the step: env: GITHUB_TOKEN: ${{ github.token }} (with permissions: pull-requests: write).',
    });
  return githubThread(
    {
      apiUrl: env.GITHUB_API_URL?.trim() || 'https://api.github.com',
      repository: need(env, 'GITHUB_REPOSITORY', 'GitHub Actions sets it: run this in a workflow.'),
      number: number ?? pullRequestNumber(env),
      token,
    },
    o,
  );
}

/** The pull request of the event that started the workflow (`pull_request`, `pull_request_target`, `issue_comment`). */
export function pullRequestNumber(env: NodeJS.ProcessEnv): number {
  const path = need(env, 'GITHUB_EVENT_PATH', 'GitHub Actions sets it: run this in a workflow.');
  let event: { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown } };
  try {
    // The payload is GitHub's own file on the runner; bounded all the same.
    if (statSync(path).size > 32 * 1024 * 1024) throw new Error('larger than 32 MiB');
    event = JSON.parse(readFileSync(path, 'utf8')) as typeof event;
  } catch (e) {
    throw new FlowgateError('REVIEW_CONTEXT', `GITHUB_EVENT_PATH ${path}: ${(e as Error).message}`);
  }
  const n = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0)
    throw new FlowgateError(
      'REVIEW_CONTEXT',
      `the ${env.GITHUB_EVENT_NAME ?? 'workflow'} event is not about a pull request`,
      {
        hint: 'Comment on pull_request events only (if: github.event_name == pull_request), or name the number.',
      },
    );
  return n;
}

function gitlabFromEnv(env: NodeJS.ProcessEnv, number: number | undefined, o: RestOptions): CommentThread {
  const own = env.GITLAB_TOKEN?.trim();
  const job = env.CI_JOB_TOKEN?.trim();
  if (!own && !job)
    throw new FlowgateError('REVIEW_TOKEN', 'neither GITLAB_TOKEN nor CI_JOB_TOKEN is set', {
      hint: 'Set GITLAB_TOKEN as a masked CI/CD variable: a project access token with the api scope.',
    });
  const iid =
    number ??
    Number(
      need(
        env,
        'CI_MERGE_REQUEST_IID',
        'GitLab sets it in merge request pipelines only (rules: if: $CI_MERGE_REQUEST_IID).',
      ),
    );
  return gitlabThread(
    {
      apiUrl: need(env, 'CI_API_V4_URL', 'GitLab CI sets it: run this in a pipeline.'),
      project: need(env, 'CI_PROJECT_ID', 'GitLab CI sets it: run this in a pipeline.'),
      iid,
      ...(own ? { token: own, tokenKind: 'private' as const } : { token: job!, tokenKind: 'job' as const }),
    },
    o,
  );
}
