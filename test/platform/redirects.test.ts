/**
 * No redirect is followed: not by the Platform API calls, not by the token request, not by the
 * presigned upload, not by webhooks. Each test puts a real server on 127.0.0.1 that answers with
 * a redirect to a second one, and checks that the second one never hears of the request (the
 * bearer token, the client secret, the YAML or the signed event would have gone there). And the
 * presigned upload goes only to https on the region's storage (or loopback).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDeadLetters } from '../../src/events/dead-letter.js';
import { EventHub } from '../../src/events/hub.js';
import { newEvent } from '../../src/events/model.js';
import { createPlatformClient } from '../../src/platform/client.js';
import type { CallRecord } from '../../src/platform/request.js';
import { resolveBaseUrl, resolveRegion, uploadUrlProblem } from '../../src/platform/regions.js';
import { runCli } from '../helpers/cli.js';
import { redirectTo, startReceiver, type Answer } from '../helpers/receiver.js';

const CLIENT_SECRET = `secret-${randomBytes(8).toString('hex')}`;
const TOKEN = `token-${randomBytes(8).toString('hex')}`;

/** An org stand-in: a token for any client, and `api` answers the rest. */
const org =
  (api: Answer): Answer =>
  (r, res) => {
    if (r.path === '/oauth/token')
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: TOKEN, expires_in: 3600 }));
    api(r, res);
  };

describe('redirects are not followed', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  const server = async (answer?: Answer) => {
    const s = await startReceiver(answer);
    closers.push(s.close);
    return s;
  };
  const clientOf = (baseUrl: string, calls: CallRecord[] = []) =>
    createPlatformClient({
      credentials: { clientId: 'client-1', clientSecret: CLIENT_SECRET },
      endpoints: resolveBaseUrl(baseUrl),
      backoffBaseMs: 1,
      backoffCapMs: 5,
      onCall: (c) => calls.push(c),
    });

  it('a Platform API call answered with 307 fails with HTTP_REDIRECT; the token never leaves for the other host', async () => {
    const elsewhere = await server();
    const api = await server(org(redirectTo(`${elsewhere.url}/api/v2/flows?stolen=1`)));
    const calls: CallRecord[] = [];
    await expect(clientOf(api.url, calls).flows.list()).rejects.toMatchObject({
      code: 'HTTP_REDIRECT',
      message: expect.stringContaining(`answered 307, a redirect to ${elsewhere.url}: not followed`),
    });
    expect(elsewhere.received).toEqual([]);
    expect(api.received.filter((r) => r.path.startsWith('/api/v2/'))).toHaveLength(1); // not retried
    expect(calls.at(-1)).toMatchObject({ status: 307, error: 'HTTP_REDIRECT' });
  });

  it('the token request answered with 308 fails with HTTP_REDIRECT; the client secret never leaves', async () => {
    const elsewhere = await server();
    const login = await server(redirectTo(`${elsewhere.url}/oauth/token`, 308));
    await expect(clientOf(login.url).flows.list()).rejects.toMatchObject({ code: 'HTTP_REDIRECT' });
    expect(elsewhere.received).toEqual([]);
    expect(login.received).toHaveLength(1);
  });

  it('flowgate whoami against a redirecting base URL exits 1 with [HTTP_REDIRECT]', async () => {
    const elsewhere = await server();
    const login = await server(redirectTo(`${elsewhere.url}/oauth/token`, 302));
    const r = await runCli(['whoami'], {
      env: {
        GENESYSCLOUD_BASE_URL: login.url,
        GENESYSCLOUD_OAUTHCLIENT_ID: 'client-1',
        GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT_SECRET,
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[HTTP_REDIRECT]');
    expect(r.stderr).toContain(`a redirect to ${elsewhere.url}: not followed`);
    expect(elsewhere.received).toEqual([]);
  });

  it('a presigned upload answered with 307 fails with HTTP_REDIRECT; the YAML never leaves', async () => {
    const elsewhere = await server();
    const storage = await server(redirectTo(`${elsewhere.url}/bucket/key`));
    const api = await server(
      org((r, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'job-1',
            presignedUrl: `${storage.url}/upload?X-Amz-Signature=abc`,
            headers: {},
          }),
        ),
      ),
    );
    await expect(clientOf(api.url).jobs.importYaml('inboundCall: {}\n')).rejects.toMatchObject({
      code: 'HTTP_REDIRECT',
    });
    expect(storage.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
  });

  it('a webhook answered with 307 is dead-lettered after one attempt; the signed body never reaches the other host', async () => {
    const elsewhere = await server();
    const hook = await server(redirectTo(`${elsewhere.url}/collect`));
    const deadLetter = join(mkdtempSync(join(tmpdir(), 'flowgate-redirect-')), 'dl.jsonl');
    const hub = new EventHub({
      webhooks: [{ url: `${hook.url}/hooks`, format: 'json', secret: 'test-secret' }],
      deliveryBudgetMs: 10_000,
      deadLetterPath: deadLetter,
    });
    await hub.emit(
      newEvent({
        type: 'step.published',
        time: new Date().toISOString(),
        deploymentId: 'd',
        actor: 'a',
        org: 'o',
        message: 'm',
      }),
    );
    const summary = await hub.close();
    expect(summary).toMatchObject({ events: 1, delivered: 0, deadLettered: 1 });
    expect(hook.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
    expect(readDeadLetters(deadLetter)).toEqual([
      expect.objectContaining({
        attempts: 1,
        error: `answered 307, a redirect to ${elsewhere.url}; flowgate follows no redirect`,
      }),
    ]);
  });
});

describe('the presigned upload URL', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it('goes only to https on the storage of the region (or loopback)', () => {
    const us = resolveRegion('us-east-1');
    const ok = [
      'https://genesys-architect-jobs.s3.us-east-1.amazonaws.com/abc?X-Amz-Signature=1',
      'https://s3.amazonaws.com/bucket/abc',
      'https://uploads.mypurecloud.com/abc',
      'http://127.0.0.1:8080/__emulator/uploads/1',
      'https://localhost/upload',
    ];
    for (const url of ok) expect(uploadUrlProblem(url, us), url).toBeUndefined();
    const refused: Array<[string, string]> = [
      ['http://bucket.s3.amazonaws.com/abc', 'it is not https'],
      ['https://s3.amazonaws.com.evil.example/abc', 'is not a storage host of the region'],
      ['https://evilamazonaws.com/abc', 'is not a storage host of the region'],
      ['https://uploads.mypurecloud.ie/abc', 'is not a storage host of the region'],
      ['https://user:pw@bucket.s3.amazonaws.com/abc', 'it carries a user or password'],
      ['ftp://127.0.0.1/abc', 'it uses ftp:'],
      ['not a url', 'it is not a URL'],
    ];
    for (const [url, problem] of refused) expect(uploadUrlProblem(url, us), url).toContain(problem);
    // An explicit base URL: its own domain is the region's.
    const gateway = resolveBaseUrl('https://api.gateway.example.test');
    expect(uploadUrlProblem('https://files.gateway.example.test/x', gateway)).toBeUndefined();
    expect(uploadUrlProblem('https://files.other.example.test/x', gateway)).toContain('not a storage host');
  });

  it('an import job handing out another host is refused before anything is sent, without the URL query', async () => {
    const api = await startReceiver(
      org((_r, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'job-1',
            presignedUrl: 'https://collector.example.net/upload?X-Amz-Signature=sig-value',
            headers: {},
          }),
        ),
      ),
    );
    closers.push(api.close);
    const client = createPlatformClient({
      credentials: { clientId: 'client-1', clientSecret: CLIENT_SECRET },
      endpoints: resolveBaseUrl(api.url),
    });
    const err = await client.jobs.importYaml('inboundCall: {}\n').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'UPLOAD_URL_REFUSED',
      message: expect.stringContaining(
        "the import job's upload URL (https://collector.example.net) was refused: collector.example.net is not a storage host",
      ),
    });
    expect(JSON.stringify(err)).not.toContain('sig-value');
    expect((err as Error).message).not.toContain('sig-value');
    expect(api.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /oauth/token',
      'POST /api/v2/flows/jobs',
    ]);
  });
});
