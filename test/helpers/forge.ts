/**
 * A small GitHub and GitLab on 127.0.0.1 for the comment endpoints flowgate calls. Every request
 * is checked against the documented endpoint, headers and body; what does not match is recorded
 * in `problems` (and answered 400/404), so a test asserts `problems` is empty.
 * GitHub: https://docs.github.com/en/rest/issues/comments (Link paging, answers 201/200, 422 for
 * a body over 65536 characters, 403 "Resource not accessible by integration").
 * GitLab: https://docs.gitlab.com/api/notes/ (X-Next-Page paging, PRIVATE-TOKEN / JOB-TOKEN).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A scripted answer for the next request that matches. */
export interface Fault {
  method: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Do what the request asks, then drop the connection before answering. */
  resetAfter?: boolean;
}

/** One stored comment or note. */
export interface Stored {
  id: number;
  body: string;
  system?: boolean;
}

/** What a forge saw. */
export interface ForgeLog {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body?: unknown;
}

const GITHUB_REPO_ID = 4242;

/** Starts the forge; `kind` decides which API it speaks. */
export async function startForge(kind: 'github' | 'gitlab', o: { token: string; comments?: Stored[] }) {
  const comments: Stored[] = [...(o.comments ?? [])];
  let nextId = 900_000;
  const faults: Fault[] = [];
  const problems: string[] = [];
  const log: ForgeLog[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://forge');
      const entry: ForgeLog = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
      };
      if (raw) entry.body = JSON.parse(raw) as unknown;
      log.push(entry);
      const fault = faults.findIndex((f) => f.method === req.method);
      const ctx = { req, res, url, raw, entry, problems, comments, newId: () => ++nextId, token: o.token };
      if (fault >= 0) {
        const f = faults.splice(fault, 1)[0]!;
        if (f.resetAfter) {
          (kind === 'github' ? github : gitlab)(ctx, () => req.socket.destroy());
          return;
        }
        return send(res, f.status ?? 500, f.body ?? { message: 'scripted' }, f.headers);
      }
      (kind === 'github' ? github : gitlab)(ctx);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: kind === 'github' ? origin : `${origin}/api/v4`,
    origin,
    comments,
    faults,
    problems,
    log,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  raw: string;
  entry: ForgeLog;
  problems: string[];
  comments: Stored[];
  newId: () => number;
  token: string;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Checks a write's body: JSON `{"body": string}` and nothing else. */
function bodyProblem(c: Ctx): string | undefined {
  if (!String(c.req.headers['content-type']).startsWith('application/json'))
    return 'content-type is not JSON';
  const b = c.entry.body as Record<string, unknown> | undefined;
  if (!b || typeof b.body !== 'string' || Object.keys(b).length !== 1)
    return `body is not {"body": string}: ${c.raw.slice(0, 80)}`;
  return undefined;
}

function refuse(c: Ctx, status: number, problem: string): void {
  c.problems.push(`${c.req.method} ${c.url.pathname}: ${problem}`);
  send(c.res, status, { message: problem });
}

function page(c: Ctx, list: Stored[]): { items: Stored[]; page: number; last: number } {
  const per = Number(c.url.searchParams.get('per_page') ?? 30);
  const n = Number(c.url.searchParams.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(list.length / per));
  return { items: list.slice((n - 1) * per, n * per), page: n, last };
}

function github(c: Ctx, after?: () => void): void {
  const h = c.req.headers;
  if (h.authorization !== `Bearer ${c.token}`) return send(c.res, 401, { message: 'Bad credentials' });
  if (h.accept !== 'application/vnd.github+json') return refuse(c, 400, `accept is ${h.accept}`);
  if (h['x-github-api-version'] !== '2022-11-28') return refuse(c, 400, 'no X-GitHub-Api-Version');
  if (!h['user-agent']) return refuse(c, 403, 'no User-Agent');
  const list = /^\/(?:repos\/acme\/flows|repositories\/4242)\/issues\/17\/comments$/.exec(c.url.pathname);
  const one = /^\/repos\/acme\/flows\/issues\/comments\/(\d+)$/.exec(c.url.pathname);
  const view = (s: Stored) => ({
    id: s.id,
    body: s.body,
    html_url: `https://github.example/acme/flows/pull/17#issuecomment-${s.id}`,
    user: { login: 'github-actions[bot]', type: 'Bot' },
  });
  if (list && c.req.method === 'GET') {
    const p = page(c, c.comments);
    const link = (n: number) =>
      `<http://${h.host}/repositories/${GITHUB_REPO_ID}/issues/17/comments?per_page=${c.url.searchParams.get('per_page') ?? 30}&page=${n}>`;
    const rels = [
      ...(p.page < p.last ? [`${link(p.page + 1)}; rel="next"`, `${link(p.last)}; rel="last"`] : []),
      ...(p.page > 1 ? [`${link(1)}; rel="first"`, `${link(p.page - 1)}; rel="prev"`] : []),
    ];
    return send(c.res, 200, p.items.map(view), rels.length ? { link: rels.join(', ') } : {});
  }
  if (list && c.req.method === 'POST' && c.url.pathname.startsWith('/repos/')) {
    const problem = bodyProblem(c);
    if (problem) return refuse(c, 400, problem);
    const body = (c.entry.body as { body: string }).body;
    if (body.length > 65_536)
      return send(c.res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)',
          },
        ],
      });
    const s = { id: c.newId(), body };
    c.comments.push(s);
    if (after) return after();
    return send(c.res, 201, view(s), {
      location: `http://${h.host}/repos/acme/flows/issues/comments/${s.id}`,
    });
  }
  if (one && c.req.method === 'PATCH') {
    const problem = bodyProblem(c);
    if (problem) return refuse(c, 400, problem);
    const s = c.comments.find((x) => x.id === Number(one[1]));
    if (!s) return refuse(c, 404, 'no such comment');
    s.body = (c.entry.body as { body: string }).body;
    return send(c.res, 200, view(s));
  }
  refuse(c, 404, 'not a documented endpoint');
}

function gitlab(c: Ctx, after?: () => void): void {
  const h = c.req.headers;
  if (h['job-token'] !== undefined)
    // The job token reaches only the endpoints GitLab lists for it; notes are not among them.
    return send(c.res, 403, { message: '403 Forbidden' });
  if (h['private-token'] !== c.token) return send(c.res, 401, { message: '401 Unauthorized' });
  const list = /^\/api\/v4\/projects\/(group%2Fflows|77)\/merge_requests\/5\/notes$/.exec(c.url.pathname);
  const one = /^\/api\/v4\/projects\/(group%2Fflows|77)\/merge_requests\/5\/notes\/(\d+)$/.exec(
    c.url.pathname,
  );
  const view = (s: Stored) => ({ id: s.id, body: s.body, system: s.system ?? false, noteable_iid: 5 });
  if (list && c.req.method === 'GET') {
    if (c.url.searchParams.get('sort') !== 'asc' || c.url.searchParams.get('order_by') !== 'created_at')
      c.problems.push('notes listed without sort=asc&order_by=created_at');
    const p = page(c, c.comments);
    return send(c.res, 200, p.items.map(view), {
      'x-page': String(p.page),
      'x-per-page': c.url.searchParams.get('per_page') ?? '20',
      'x-total': String(c.comments.length),
      'x-total-pages': String(p.last),
      'x-next-page': p.page < p.last ? String(p.page + 1) : '',
    });
  }
  if (list && c.req.method === 'POST') {
    const problem = bodyProblem(c);
    if (problem) return refuse(c, 400, problem);
    const s = { id: c.newId(), body: (c.entry.body as { body: string }).body };
    c.comments.push(s);
    if (after) return after();
    return send(c.res, 201, view(s));
  }
  if (one && c.req.method === 'PUT') {
    const problem = bodyProblem(c);
    if (problem) return refuse(c, 400, problem);
    const s = c.comments.find((x) => x.id === Number(one[2]));
    if (!s) return refuse(c, 404, '404 Not found');
    s.body = (c.entry.body as { body: string }).body;
    return send(c.res, 200, view(s));
  }
  refuse(c, 404, 'not a documented endpoint');
}
