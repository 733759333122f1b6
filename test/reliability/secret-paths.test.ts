/**
 * "The secret is redacted from every error and log" (README), path by path. A hostile server
 * (real HTTP on 127.0.0.1) echoes the client secret, its Basic header and the access token it
 * issued in every part of its answers it can: the token endpoint's error text, HTML pages, error
 * bodies (message, code, parameters, details, entity names), plain-text bodies, redirect targets,
 * the correlation-id header, a body of the wrong shape. Every error path of the token provider and
 * of the request core is driven; the error's message, `toJSON`, hint and everything `inspect`
 * reaches (stack and cause included: what `--verbose` prints) must hold none of them. Then the
 * CLI with `--verbose` against the emulator behind a proxy that answers the same way: its output,
 * the ledger file and the audit log hold none of them either.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isFlowgateError } from '../../src/errors.js';
import { createPlatformClient } from '../../src/platform/client.js';
import { Redactor } from '../../src/platform/redact.js';
import { resolveBaseUrl } from '../../src/platform/regions.js';
import { TokenProvider } from '../../src/platform/token-provider.js';
import { runCli } from '../helpers/cli.js';
import { cutProxy, type ForgedAnswer, type HeldAnswer } from '../helpers/cut-proxy.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

// Fresh for every run and recognisable anywhere; lowercase, so they fit in a host name too.
const SECRET = `canarysecret${randomBytes(10).toString('hex')}`;
const TOKEN = `canarytoken${randomBytes(10).toString('hex')}`;
const CLIENT_ID = 'hostile-test-client';
const BASIC = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
/** What the client holds before any token: the secret, and the Basic credentials made of it. */
const CREDENTIALS = { secret: SECRET, 'basic credentials': BASIC };

/** Everything a person or a log can get from an error. */
function surfaces(e: unknown): Record<string, string> {
  if (!isFlowgateError(e)) return { 'not a flowgate error': inspect(e) };
  return {
    message: e.message,
    toJSON: JSON.stringify(e.toJSON()),
    hint: e.hint ?? '',
    'inspect (stack, cause, fields)': inspect(e, { depth: 8 }),
  };
}

/** Which needle shows where (empty when none does). */
function leaks(where: string, texts: Record<string, string>, needles: Record<string, string>): string[] {
  return Object.entries(texts).flatMap(([surface, text]) =>
    Object.entries(needles)
      .filter(([, needle]) => text.includes(needle))
      .map(([name]) => `${where}: the ${name} in ${surface}`),
  );
}

/**
 * Text that names every credential the way a careless server would. (On the token endpoint the
 * token is one the client never got: only the secret and the Basic credentials are its own.)
 */
const echo = (what: string) =>
  `${what}: client_id ${CLIENT_ID} secret ${SECRET} authorization ${BASIC} token ${TOKEN} (Bearer ${TOKEN})`;

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A server on 127.0.0.1 whose answers the test sets per scenario. */
async function hostileServer() {
  let handler: Handler = (_q, res) => res.writeHead(500).end();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    answer(h: Handler) {
      handler = h;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));

/** An honest token endpoint (issuing TOKEN); everything else goes to `api`. */
const withToken =
  (api: Handler): Handler =>
  (req, res, body) =>
    req.url === '/oauth/token'
      ? json(res, 200, { access_token: TOKEN, token_type: 'bearer', expires_in: 86_400 })
      : api(req, res, body);

const genesysError = (status: number, code: string) => ({
  message: echo('refused'),
  code,
  status,
  contextId: TOKEN,
  messageParams: { secret: SECRET, token: TOKEN },
  details: [{ errorCode: code, fieldName: SECRET, entityId: TOKEN, entityName: echo('entity') }],
  errors: [{ message: echo('nested') }],
  entityName: echo('locked by'),
  entityId: TOKEN,
});

describe('every error path, the secret and the token absent', () => {
  let server: Awaited<ReturnType<typeof hostileServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const tokenPaths: Array<[string, Handler]> = [
    [
      '401 with the OAuth error echoing everything',
      (_q, res) => json(res, 401, { error: echo('invalid_client') }),
    ],
    [
      '400 with error and description',
      (_q, res) => json(res, 400, { error: echo('bad'), error_description: echo('why') }),
    ],
    [
      '200 with an HTML page',
      (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${echo('page')}</p>`),
    ],
    ['200 without a token', (_q, res) => json(res, 200, { error: echo('no token'), token_type: TOKEN })],
    ['503 every time', (_q, res) => json(res, 503, { error: echo('down') }, { 'retry-after': '0' })],
    ['429 every time', (_q, res) => json(res, 429, { error: echo('slow down') }, { 'retry-after': '0' })],
    [
      'a redirect to a host named after the secret',
      (_q, res) =>
        res.writeHead(302, { location: `http://${SECRET}.example.test/${TOKEN}?s=${SECRET}` }).end(),
    ],
    ['the connection dropped', (req) => req.socket.destroy()],
  ];
  for (const [name, handler] of tokenPaths)
    it(`token endpoint: ${name}`, async () => {
      server = await hostileServer();
      server.answer(handler);
      const provider = new TokenProvider({
        credentials: { clientId: CLIENT_ID, clientSecret: SECRET },
        loginBaseUrl: server.url,
        redactor: new Redactor(),
        sleep: () => Promise.resolve(),
      });
      const error = await provider.getToken().then(
        () => 'no error',
        (e: unknown) => e,
      );
      expect(isFlowgateError(error), inspect(error)).toBe(true);
      expect(leaks(name, surfaces(error), CREDENTIALS)).toEqual([]);
    });

  const apiPaths: Array<[string, Handler]> = [
    [
      '400 with a Genesys error body echoing everything',
      (_q, res) => json(res, 400, genesysError(400, 'bad.request')),
    ],
    [
      '403 naming permissions',
      (_q, res) =>
        json(res, 403, {
          ...genesysError(403, 'missing.permissions'),
          message: `${echo('denied')} [architect:flow:view]`,
        }),
    ],
    [
      '404 as plain text',
      (_q, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end(echo('not here')),
    ],
    [
      '409 locked, the holder echoing',
      (_q, res) => json(res, 409, genesysError(409, 'architect.flow.locked.by.user')),
    ],
    ['a JSON string body', (_q, res) => json(res, 422, echo('a string'))],
    [
      '429 every time',
      (_q, res) => json(res, 429, genesysError(429, 'too.many.requests.retry.after'), { 'retry-after': '0' }),
    ],
    ['500 every time', (_q, res) => json(res, 500, genesysError(500, 'internal.server.error'))],
    ['401 even after renewing', (_q, res) => json(res, 401, genesysError(401, 'bad.credentials'))],
    [
      'the correlation id header echoing the token',
      (_q, res) => json(res, 400, { message: 'no', code: 'bad.request' }, { 'inin-correlation-id': TOKEN }),
    ],
    [
      'a redirect to a host named after the token',
      (_q, res) => res.writeHead(307, { location: `http://${TOKEN}.example.test/?t=${TOKEN}` }).end(),
    ],
    ['a body of the wrong shape', (_q, res) => json(res, 200, { id: 7, name: [TOKEN], [TOKEN]: SECRET })],
    ['the connection dropped', (req) => req.socket.destroy()],
    ['no answer within the timeout', () => undefined],
  ];
  for (const [name, handler] of apiPaths)
    it(`request core: ${name}`, async () => {
      server = await hostileServer();
      server.answer(withToken(handler));
      // What the ledger and --verbose are given of every call and retry.
      const records: string[] = [];
      const client = createPlatformClient({
        onCall: (c) => void records.push(JSON.stringify(c)),
        onRetry: (x) => void records.push(JSON.stringify(x)),
        credentials: { clientId: CLIENT_ID, clientSecret: SECRET },
        endpoints: resolveBaseUrl(server.url),
        sleep: () => Promise.resolve(),
        maxAttempts: 2,
        maxRateLimitedRetries: 1,
        timeoutMs: 300,
        requestsPerMinute: 60_000,
        burst: 100,
      });
      const error = await client.flows.get('0b6c9a35-3d5e-4a1f-9d57-3a8e0f4b2c11').then(
        () => 'no error',
        (e: unknown) => e,
      );
      expect(isFlowgateError(error), inspect(error)).toBe(true);
      // The token was issued to this client: it is as secret as the secret.
      const needles = { ...CREDENTIALS, token: TOKEN };
      expect(leaks(name, surfaces(error), needles)).toEqual([]);
      expect(leaks(name, { 'call records and retry events': records.join('\n') }, needles)).toEqual([]);
    });
});

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the CLI with --verbose: output, ledger and audit log', () => {
  const e = useEmulator({ clientSecret: SECRET, clientId: CLIENT_ID });
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  /** The emulator behind a proxy that answers `forge` where it matches. */
  async function hostileFront(forge: (a: HeldAnswer) => ForgedAnswer | undefined) {
    const proxy = await cutProxy(e.get().url, (a) => forge(a) ?? 'relay');
    close = () => proxy.close();
    return {
      GENESYSCLOUD_BASE_URL: proxy.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: CLIENT_ID,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: SECRET,
    };
  }

  /** What the forged answer echoes: everything above, and the bearer token the client really sent. */
  const echoOf = (a: HeldAnswer) => {
    const bearer = String(a.requestHeaders.authorization ?? '').replace(/^Bearer /, '');
    return {
      ...genesysError(400, 'bad.request'),
      message: `${echo('refused')} sent ${bearer}`,
      entityId: bearer,
    };
  };

  it('a deployment whose import the server refuses, echoing the token it was sent', async () => {
    const tokens = () => [...e.get().control.org.tokens.keys()];
    const env = await hostileFront((a) =>
      a.method === 'POST' && a.path === '/api/v2/flows/jobs'
        ? {
            status: 400,
            headers: { 'content-type': 'application/json', 'inin-correlation-id': tokens()[0] ?? TOKEN },
            body: JSON.stringify(echoOf(a)),
          }
        : undefined,
    );
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Hostile A'),
    });
    const r = await runCli(['deploy', '--verbose'], { cwd: dir, env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('bad.request');
    const issued = tokens();
    expect(issued.length).toBeGreaterThan(0);
    const files = filesUnder(dir).filter((f) => !f.endsWith('.yaml'));
    expect(files.map((f) => f.slice(dir.length))).toEqual(
      expect.arrayContaining(['/.flowgate/ledger.db', '/.flowgate/audit.jsonl']),
    );
    const needles = { ...CREDENTIALS, ...Object.fromEntries(issued.map((t, i) => [`issued token ${i}`, t])) };
    const found = [
      ...leaks('deploy --verbose', { stdout: r.stdout, stderr: r.stderr }, needles),
      ...files.flatMap((f) =>
        leaks(f.slice(dir.length), { file: readFileSync(f).toString('latin1') }, needles),
      ),
    ];
    expect(found).toEqual([]);
  }, 120_000);

  it('a token endpoint that echoes the secret and the Basic header it was sent', async () => {
    const env = await hostileFront((a) =>
      a.path === '/oauth/token'
        ? {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              error: `${echo('invalid_client')} got ${String(a.requestHeaders.authorization)}`,
            }),
          }
        : undefined,
    );
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Hostile B'),
    });
    for (const args of [
      ['whoami', '--verbose'],
      ['deploy', '--verbose'],
    ]) {
      const r = await runCli(args, { cwd: dir, env, timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toContain('AUTH_FAILED');
      expect(leaks(args.join(' '), { stdout: r.stdout, stderr: r.stderr }, CREDENTIALS)).toEqual([]);
    }
  }, 120_000);
});
