/**
 * A merge request's notes through GitLab's REST API. https://docs.gitlab.com/api/notes/#merge-requests
 * - list: `GET /projects/:id/merge_requests/:merge_request_iid/notes?sort=asc&order_by=created_at&per_page=100`,
 *   paged by `X-Next-Page` (empty on the last page; https://docs.gitlab.com/api/rest/#pagination);
 * - create: `POST` the same path with `{"body"}` (201);
 * - update: `PUT /projects/:id/merge_requests/:merge_request_iid/notes/:note_id` with `{"body"}` (200).
 * A note holds at most 1,000,000 characters. System notes ("added 1 commit") are skipped.
 * Authentication (https://docs.gitlab.com/api/rest/authentication/): a project, group or personal
 * access token in `PRIVATE-TOKEN`; the CI job token in `JOB-TOKEN`.
 */
import { FlowgateError } from '../errors.js';
import { Redactor } from '../platform/redact.js';
import { apiBase, jsonOf, restCall, type RestApi, type RestOptions } from './rest.js';
import { findBody, type CommentThread, type ThreadComment } from './sticky.js';

/** Where the note goes and with which token. */
export interface GitLabTarget {
  /** `CI_API_V4_URL`, such as `https://gitlab.com/api/v4`. */
  apiUrl: string;
  /** `CI_PROJECT_ID` (a number, or the URL-encoded path). */
  project: string;
  /** `CI_MERGE_REQUEST_IID`. */
  iid: number;
  token: string;
  /** `private` for an access token (`PRIVATE-TOKEN`), `job` for `CI_JOB_TOKEN` (`JOB-TOKEN`). */
  tokenKind: 'private' | 'job';
}

interface GitLabNote {
  id: number;
  body?: string | null;
  system?: boolean;
}

/** The merge request's notes as a {@link CommentThread}. */
export function gitlabThread(t: GitLabTarget, o: RestOptions = {}): CommentThread {
  if (!(Number.isInteger(t.iid) && t.iid > 0))
    throw new FlowgateError('REVIEW_CONTEXT', `merge request iid '${t.iid}' is not a number`);
  const base = apiBase('GitLab', t.apiUrl, 'CI_API_V4_URL');
  const redactor = new Redactor();
  redactor.add(t.token);
  const api: RestApi = {
    service: 'GitLab',
    baseUrl: base,
    redactor,
    headers: {
      accept: 'application/json',
      [t.tokenKind === 'job' ? 'job-token' : 'private-token']: t.token,
      'user-agent': 'flowgate',
    },
  };
  const notes = `${base}/projects/${encodeURIComponent(t.project)}/merge_requests/${t.iid}/notes`;
  const toComment = (n: GitLabNote): ThreadComment => ({
    id: String(n.id),
    body: n.body ?? '',
    // The API gives no web URL for a note; the merge request's is in CI_MERGE_REQUEST_PROJECT_URL.
  });
  return {
    where: `${t.project}!${t.iid}`,
    maxBody: 1_000_000,
    async *pages() {
      for (let page: string | undefined = '1'; page;) {
        const url = `${notes}?sort=asc&order_by=created_at&per_page=100&page=${encodeURIComponent(page)}`;
        const r = await restCall(api, 'GET', url, undefined, { idempotent: true }, o);
        const list = jsonOf<GitLabNote[]>(api, 'list notes', r);
        yield list.filter((n) => n.system !== true).map(toComment);
        const next = r === 'effect-confirmed' ? '' : (r.headers.get('x-next-page') ?? '').trim();
        page = /^\d+$/.test(next) ? next : undefined;
      }
    },
    async create(body, mayResend) {
      const r = await restCall(api, 'POST', notes, { body }, { idempotent: false, mayResend }, o);
      if (r === 'effect-confirmed') return findBody(this.pages(), body);
      return toComment(jsonOf<GitLabNote>(api, 'create note', r));
    },
    async update(id, body) {
      const r = await restCall(
        api,
        'PUT',
        `${notes}/${encodeURIComponent(id)}`,
        { body },
        { idempotent: true },
        o,
      );
      return toComment(jsonOf<GitLabNote>(api, 'update note', r));
    },
  };
}
