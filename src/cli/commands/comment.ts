/**
 * `flowgate comment --file plan.md`: creates or updates the one pull-request (GitHub) or
 * merge-request (GitLab) comment that carries the plan, found by its hidden marker. The token
 * comes from the environment only (GITHUB_TOKEN; GITLAB_TOKEN or CI_JOB_TOKEN). When posting
 * fails, the plan is written to stderr before the error, so the job log still shows it.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readStdin } from '../stdin.js';
import type { CliIo } from '../io.js';
import { terminalSafe } from '../output/encode.js';

/** Largest comment file read (a plan's Markdown is far smaller; the APIs cut at 64 KiB or 1 MB). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** `comment`'s options. */
export interface CommentOptions {
  /** The Markdown file, or `-` for stdin. */
  file: string;
  provider?: 'github' | 'gitlab' | undefined;
  /** The pull or merge request number as typed (checked here). */
  number?: string | undefined;
  /** Which sticky comment: one per key. */
  marker: string;
  json: boolean;
}

/** Runs the command; returns the exit code. */
export async function runComment(opts: CommentOptions, io: CliIo): Promise<number> {
  const text = await commentText(opts.file);
  const number = opts.number === undefined ? undefined : Number(opts.number);
  if (number !== undefined && !(Number.isInteger(number) && number > 0))
    throw new ConfigError(
      'USAGE_ID',
      `--number '${String(opts.number)}' is not a pull or merge request number`,
      {
        hint: 'Give the number shown in its URL, such as 17.',
      },
    );
  const { threadFromEnv } = await import('../../review/context.js');
  const { upsertStickyComment } = await import('../../review/sticky.js');
  const marker = opts.marker;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(marker))
    throw new ConfigError('CONFIG_INVALID', `--marker '${marker}' is not letters, digits, '.', '_' or '-'`, {
      hint: 'One comment per key: plan, plan-prod, …',
    });
  try {
    const thread = threadFromEnv(io.env, {
      provider: opts.provider,
      number,
    });
    const r = await upsertStickyComment(thread, text, marker);
    if (opts.json)
      io.out(
        `${JSON.stringify({ action: r.action, where: thread.where, id: r.comment.id, url: r.comment.url, truncated: r.truncated })}\n`,
      );
    else {
      io.err(
        terminalSafe(
          `${r.action} the ${marker} comment on ${thread.where}${r.truncated ? ' (cut to the size limit)' : ''}`,
        ) + '\n',
      );
      io.out(`${r.comment.url ?? r.comment.id}\n`);
    }
    return ExitCode.Ok;
  } catch (e) {
    // Line by line: the plan's line breaks stay, any other control character is escaped.
    const lines = text.replace(/\n$/, '').split('\n').map(terminalSafe);
    io.err(`the plan (not posted):\n${lines.join('\n')}\n`);
    throw e;
  }
}

/** The file's text, or stdin's for `-`. */
async function commentText(file: string): Promise<string> {
  if (file === '-') return (await readStdin(MAX_FILE_BYTES, COMMENT_LIMITS)).toString('utf8');
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (e) {
    throw new ConfigError('CONFIG_READ', `${file}: ${(e as Error).message}`, {
      hint: 'Write the plan first: flowgate plan --format markdown > plan.md',
    });
  }
  if (size > MAX_FILE_BYTES) throw tooBig(file);
  return readFileSync(file, 'utf8');
}

const COMMENT_LIMITS = 'A comment holds at most 64 KiB on GitHub and 1 MB on GitLab.';

function tooBig(what: string): ConfigError {
  return new ConfigError('CONFIG_READ', `${what} is over ${MAX_FILE_BYTES} bytes`, { hint: COMMENT_LIMITS });
}
