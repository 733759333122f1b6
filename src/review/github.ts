/**
 * A pull request's comments through GitHub's REST API (issue comments: a pull request is an issue
 * there). https://docs.github.com/en/rest/issues/comments
 * - list: `GET /repos/{owner}/{repo}/issues/{issue_number}/comments?per_page=100`, paged by the
 *   `Link` header's `rel="next"` (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api);
 * - create: `POST` the same path with `{"body"}` (201);
 * - update: `PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}` with `{"body"}` (200).
 * A body holds at most 65536 characters (a longer one is a 422).
 */
import { FlowgateError } from '../errors.js';
import type { HttpResponse } from '../platform/http/send.js';
import { Redactor } from '../platform/redact.js';
import { apiBase, jsonOf, restCall, type RestApi, type RestOptions } from './rest.js';
import { findBody, type CommentThread, type ThreadComment } from './sticky.js';

/** Where the comment goes and with which token. */
export interface GitHubTarget {
  /** `https://api.github.com`, or `GITHUB_API_URL` on GitHub Enterprise Server. */
  apiUrl: string;
  /** `owner/repo` (`GITHUB_REPOSITORY`). */
  repository: string;
  /** The pull request number. */
  number: number;
  token: string;
}

interface GitHubComment {
  id: number;
  body?: string | null;
  html_url?: string;
}

/**
 * GitHub's secondary rate limits answer 403 (or 429) with `Retry-After`, and its primary limit a
 * 403 with `x-ratelimit-remaining: 0` and the reset time in `x-ratelimit-reset`
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api). Those 403s
 * are waits, not refusals: they reach the retry layer as the 429 they mean.
 */
export function githubRateLimit(r: HttpResponse, now: () => number = Date.now): HttpResponse {
  if (r.status !== 403) return r;
  const retryAfter = r.headers.get('retry-after');
  const exhausted = r.headers.get('x-ratelimit-remaining') === '0';
  if (!retryAfter && !exhausted) return r;
  const headers = new Headers(r.headers);
  if (!retryAfter) {
    const reset = Number(r.headers.get('x-ratelimit-reset'));
    const seconds = Number.isFinite(reset) ? Math.max(1, Math.ceil(reset - now() / 1000)) : 60;
    headers.set('retry-after', String(seconds));
  }
  return { ...r, status: 429, headers };
}

/** The `rel="next"` URL of a `Link` header. */
export function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]!.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

const toComment = (c: GitHubComment): ThreadComment => ({
  id: String(c.id),
  body: c.body ?? '',
  url: c.html_url,
});

/** The pull request's comments as a {@link CommentThread}. */
export function githubThread(t: GitHubTarget, o: RestOptions = {}): CommentThread {
  if (!/^[\w.-]+\/[\w.-]+$/.test(t.repository))
    throw new FlowgateError('REVIEW_CONTEXT', `GITHUB_REPOSITORY '${t.repository}' is not owner/repo`);
  const base = apiBase('GitHub', t.apiUrl, 'GITHUB_API_URL');
  const redactor = new Redactor();
  redactor.add(t.token);
  const api: RestApi = {
    service: 'GitHub',
    baseUrl: base,
    redactor,
    classify: (r) => githubRateLimit(r),
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${t.token}`,
      'x-github-api-version': '2022-11-28',
      // GitHub refuses requests without one.
      'user-agent': 'flowgate',
    },
  };
  const comments = `${base}/repos/${t.repository}/issues/${t.number}/comments`;
  return {
    where: `${t.repository}#${t.number}`,
    maxBody: 65_536,
    async *pages() {
      let url: string | undefined = `${comments}?per_page=100`;
      while (url) {
        const r = await restCall(api, 'GET', url, undefined, { idempotent: true }, o);
        yield jsonOf<GitHubComment[]>(api, 'list comments', r).map(toComment);
        url = r === 'effect-confirmed' ? undefined : nextLink(r.headers.get('link'));
      }
    },
    async create(body, mayResend) {
      const r = await restCall(api, 'POST', comments, { body }, { idempotent: false, mayResend }, o);
      if (r === 'effect-confirmed') return findBody(this.pages(), body);
      return toComment(jsonOf<GitHubComment>(api, 'create comment', r));
    },
    async update(id, body) {
      const url = `${base}/repos/${t.repository}/issues/comments/${encodeURIComponent(id)}`;
      const r = await restCall(api, 'PATCH', url, { body }, { idempotent: true }, o);
      return toComment(jsonOf<GitHubComment>(api, 'update comment', r));
    },
  };
}
