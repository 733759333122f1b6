/**
 * The sticky plan comment against a local GitHub and GitLab (test/helpers/forge.ts) that checks
 * every request against the documented endpoint, headers and body.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { isFlowgateError } from '../../src/errors.js';
import { githubThread, nextLink } from '../../src/review/github.js';
import { gitlabThread } from '../../src/review/gitlab.js';
import { threadFromEnv } from '../../src/review/context.js';
import { markerOf, stickyBody, upsertStickyComment } from '../../src/review/sticky.js';
import { startForge, type Stored } from '../helpers/forge.js';

const TOKEN = `ghs_${randomBytes(12).toString('hex')}`;
const MARK = markerOf('plan');
const PLAN = '## flowgate plan\n\n| flow | action |\n|---|---|\n| Main IVR | update |\n';
const others = (n: number, from = 1): Stored[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, body: `a review remark ${from + i}` }));

/** An injected sleep: records the waits instead of waiting. */
function sleeper() {
  const waits: number[] = [];
  return { waits, sleep: (ms: number) => (waits.push(ms), Promise.resolve()) };
}

/** The error a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('it did not reject');
}

let close: Array<() => void> = [];
afterEach(() => {
  for (const c of close) c();
  close = [];
});

async function github(comments: Stored[] = []) {
  const f = await startForge('github', { token: TOKEN, comments });
  close.push(f.close);
  const s = sleeper();
  const thread = githubThread(
    { apiUrl: f.url, repository: 'acme/flows', number: 17, token: TOKEN },
    { retry: { sleep: s.sleep } },
  );
  return { f, thread, waits: s.waits };
}

async function gitlab(comments: Stored[] = [], tokenKind: 'private' | 'job' = 'private') {
  const f = await startForge('gitlab', { token: TOKEN, comments });
  close.push(f.close);
  const thread = gitlabThread({ apiUrl: f.url, project: 'group/flows', iid: 5, token: TOKEN, tokenKind });
  return { f, thread };
}

describe('the sticky comment on GitHub', () => {
  it('pages through 250 comments by their Link headers and updates the marked one in place', async () => {
    const marked = { id: 231, body: `${MARK}\nan older plan` };
    const { f, thread } = await github([...others(230), marked, ...others(19, 232)]);
    const r = await upsertStickyComment(thread, PLAN);
    expect(r.action).toBe('updated');
    expect(f.problems).toEqual([]);
    // Pages 1 and 2 by the documented path and per_page, page 3 through the Link GitHub gave.
    expect(f.log.map((l) => `${l.method} ${l.path} ${l.query.page ?? ''}`)).toEqual([
      'GET /repos/acme/flows/issues/17/comments ',
      'GET /repositories/4242/issues/17/comments 2',
      'GET /repositories/4242/issues/17/comments 3',
      'PATCH /repos/acme/flows/issues/comments/231 ',
    ]);
    expect(f.log[0]!.query.per_page).toBe('100');
    expect(f.comments.find((c) => c.id === 231)!.body).toBe(`${MARK}\n${PLAN}`);
    expect(r.comment.url).toContain('#issuecomment-231');
    // The same plan again: nothing is sent but the listing.
    const again = await upsertStickyComment(thread, PLAN);
    expect(again.action).toBe('unchanged');
    expect(f.log.filter((l) => l.method !== 'GET')).toHaveLength(1);
  });

  it('creates the comment once; the next push updates that one comment', async () => {
    const { f, thread } = await github(others(3));
    expect((await upsertStickyComment(thread, PLAN)).action).toBe('created');
    expect((await upsertStickyComment(thread, `${PLAN}| Queue flow | create |\n`)).action).toBe('updated');
    expect(f.problems).toEqual([]);
    expect(f.comments.filter((c) => c.body.startsWith(MARK))).toHaveLength(1);
    expect(f.log.filter((l) => l.method === 'POST')).toHaveLength(1);
  });

  it('a token without permission: 403 is a clear REVIEW_FORBIDDEN that never shows the token', async () => {
    const { f, thread } = await github();
    f.faults.push({
      method: 'POST',
      status: 403,
      body: {
        message: `Resource not accessible by integration (${TOKEN})`,
        documentation_url: 'https://docs.github.com/rest',
      },
    });
    const e = await rejection(upsertStickyComment(thread, PLAN));
    expect(isFlowgateError(e)).toBe(true);
    expect(e.code).toBe('REVIEW_FORBIDDEN');
    expect(e.message).toContain('POST /repos/acme/flows/issues/17/comments answered 403');
    expect(e.message).toContain('Resource not accessible by integration');
    expect(e.message).not.toContain(TOKEN);
    expect(e.hint).toContain('pull-requests: write');
  });

  it('a 422 is REVIEW_REJECTED with what GitHub said', async () => {
    const { f, thread } = await github();
    f.faults.push({
      method: 'POST',
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'unprocessable' }] },
    });
    const e = await rejection(upsertStickyComment(thread, PLAN));
    expect(e.code).toBe('REVIEW_REJECTED');
    expect(e.message).toContain('422: Validation Failed');
  });

  it('a plan over 65536 characters is cut at a line so GitHub accepts it', async () => {
    const { f, thread } = await github();
    const big = Array.from({ length: 3000 }, (_, i) => `| flow ${i} | update | ${'x'.repeat(20)} |`).join(
      '\n',
    );
    const r = await upsertStickyComment(thread, big);
    expect(r).toMatchObject({ action: 'created', truncated: true });
    expect(f.problems).toEqual([]);
    const body = f.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/\|\n\n… \(cut to fit/);
  });

  it('a 429 waits exactly its Retry-After; a secondary-limit 403 with Retry-After is a wait too', async () => {
    const { f, thread, waits } = await github();
    f.faults.push({ method: 'GET', status: 429, headers: { 'retry-after': '7' } });
    f.faults.push({
      method: 'POST',
      status: 403,
      headers: { 'retry-after': '3' },
      body: { message: 'You have exceeded a secondary rate limit' },
    });
    expect((await upsertStickyComment(thread, PLAN)).action).toBe('created');
    expect(waits).toEqual([7000, 3000]);
    expect(f.comments).toHaveLength(1);
  });

  it('a create whose answer was lost is not sent again when the comment is there', async () => {
    const { f, thread, waits } = await github(others(2));
    f.faults.push({ method: 'POST', resetAfter: true });
    const r = await upsertStickyComment(thread, PLAN);
    expect(r.action).toBe('created');
    expect(r.comment.id).toBe(String(f.comments[2]!.id));
    expect(f.comments.filter((c) => c.body.startsWith(MARK))).toHaveLength(1);
    expect(f.log.filter((l) => l.method === 'POST')).toHaveLength(1);
    expect(waits).toHaveLength(0);
  });

  it('a Link to another origin is not followed with the token', async () => {
    const { f, thread } = await github();
    f.faults.push({
      method: 'GET',
      status: 200,
      body: [],
      headers: { link: '<https://elsewhere.example/x?page=2>; rel="next"' },
    });
    const e = await rejection(upsertStickyComment(thread, PLAN));
    expect(e.code).toBe('REVIEW_API');
    expect(e.message).toContain('https://elsewhere.example');
  });

  it('plain http off loopback is refused before any call', () => {
    expect(() =>
      githubThread({ apiUrl: 'http://api.github.example', repository: 'a/b', number: 1, token: TOKEN }),
    ).toThrow(/must use https/);
  });

  it('the pull request comes from the event file GitHub writes (GITHUB_EVENT_PATH)', async () => {
    const { f } = await github();
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-event-'));
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 17, pull_request: { number: 17 } }));
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/flows',
      GITHUB_API_URL: f.url,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_TOKEN: TOKEN,
    };
    expect((await upsertStickyComment(threadFromEnv(env), PLAN)).action).toBe('created');
    expect(f.problems).toEqual([]);
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main', commits: [] }));
    expect(() => threadFromEnv({ ...env, GITHUB_EVENT_NAME: 'push' })).toThrow(
      /push event is not about a pull request/,
    );
    expect(() => threadFromEnv({ ...env, GITHUB_TOKEN: '' })).toThrow(/GITHUB_TOKEN is not set/);
  });
});

describe('the sticky note on GitLab', () => {
  it('pages by X-Next-Page past system notes and updates the marked note with PUT', async () => {
    const notes: Stored[] = [
      ...others(120).map((n, i) => (i % 3 === 0 ? { ...n, system: true, body: 'added 1 commit' } : n)),
      { id: 500, body: `${MARK}\nold` },
    ];
    const { f, thread } = await gitlab(notes);
    const r = await upsertStickyComment(thread, PLAN);
    expect(r.action).toBe('updated');
    expect(f.problems).toEqual([]);
    expect(f.log.map((l) => `${l.method} ${l.path} ${l.query.page ?? ''}`)).toEqual([
      'GET /api/v4/projects/group%2Fflows/merge_requests/5/notes 1',
      'GET /api/v4/projects/group%2Fflows/merge_requests/5/notes 2',
      'PUT /api/v4/projects/group%2Fflows/merge_requests/5/notes/500 ',
    ]);
    expect(f.log[0]!.headers['private-token']).toBe(TOKEN);
    expect(f.comments.at(-1)!.body).toBe(`${MARK}\n${PLAN}`);
  });

  it('creates the note when none is marked, through CI variables', async () => {
    const f = await startForge('gitlab', { token: TOKEN, comments: others(4) });
    close.push(f.close);
    const env = {
      GITLAB_CI: 'true',
      CI_API_V4_URL: f.url,
      CI_PROJECT_ID: '77',
      CI_MERGE_REQUEST_IID: '5',
      GITLAB_TOKEN: TOKEN,
    };
    expect((await upsertStickyComment(threadFromEnv(env), PLAN)).action).toBe('created');
    expect(f.problems).toEqual([]);
    expect(f.log.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v4/projects/77/merge_requests/5/notes',
    });
    expect(() => threadFromEnv({ ...env, CI_MERGE_REQUEST_IID: '' })).toThrow(
      /CI_MERGE_REQUEST_IID is not set/,
    );
  });

  it('the job token goes in JOB-TOKEN; its 403 says to set GITLAB_TOKEN', async () => {
    const { f, thread } = await gitlab([], 'job');
    const e = await rejection(upsertStickyComment(thread, PLAN));
    expect(e.code).toBe('REVIEW_FORBIDDEN');
    expect(e.hint).toContain('GITLAB_TOKEN');
    expect(f.log[0]!.headers['job-token']).toBe(TOKEN);
    expect(f.log[0]!.headers['private-token']).toBeUndefined();
  });
});

describe('the marker and the body', () => {
  it('nextLink reads rel="next" among others', () => {
    expect(nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next"')).toBe(
      'https://a/x?page=3',
    );
    expect(nextLink('<https://a/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  fcTest.prop([fc.string({ unit: 'binary', maxLength: 3000 }), fc.integer({ min: 120, max: 4000 })])(
    'the body always starts with the marker and fits; uncut it is the marker and the text',
    (text, max) => {
      const { body, truncated } = stickyBody(MARK, text, max);
      expect(body.startsWith(`${MARK}\n`)).toBe(true);
      expect(body.length).toBeLessThanOrEqual(max);
      if (!truncated) expect(body).toBe(`${MARK}\n${text}`);
      else expect(`${MARK}\n${text}`.length).toBeGreaterThan(max);
    },
  );
});
