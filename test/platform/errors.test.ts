import { describe, expect, it } from 'vitest';
import { clientFor, flowId, useEmulator } from '../helpers/emulator.js';
import { ApiError } from '../../src/platform/errors.js';
import { createPlatformClient } from '../../src/platform/client.js';
import { resolveBaseUrl } from '../../src/platform/regions.js';
import type { CallRecord } from '../../src/platform/request.js';

describe('typed errors over HTTP against the emulator', () => {
  const e = useEmulator();
  const caught: unknown[] = [];
  const catchIt = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    caught.push(err);
    return err as ApiError;
  };

  it('400: a bad page size', async () => {
    const { client } = clientFor(e.get());
    const err = await catchIt(client.flows.listPage({ pageSize: 100_000 }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'API_BAD_REQUEST', apiCode: 'invalid.value' });
  });

  it('403: names the missing permission and the scope to grant', async () => {
    const emu = e.get();
    const readonly = createPlatformClient({
      credentials: { clientId: 'readonly-client', clientSecret: 'readonly-demo' },
      endpoints: resolveBaseUrl(emu.url),
    });
    const err = await catchIt(readonly.flows.publish(flowId(emu, 'Main IVR')));
    expect(err).toMatchObject({ status: 403, code: 'API_FORBIDDEN', apiCode: 'missing.any.permissions' });
    expect(err.hint).toContain('architect:flow:publish');
    expect(err.hint).toContain('scope architect');
    const auditor = createPlatformClient({
      credentials: { clientId: 'editor-client', clientSecret: 'editor-demo' },
      endpoints: resolveBaseUrl(emu.url),
    });
    const err2 = await catchIt(
      auditor.audits.realtime({
        interval: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z',
        serviceName: 'Architect',
      }),
    );
    expect(err2).toMatchObject({ status: 403, apiCode: 'missing.permissions' });
    expect(err2.hint).toContain('audits:readonly');
  });

  it('404: an unknown flow and a missing version', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const err = await catchIt(client.flows.get('00000000-0000-4000-8000-000000000000'));
    expect(err).toMatchObject({ status: 404, code: 'API_NOT_FOUND', apiCode: 'architect.flow.not.found' });
    const v = await catchIt(client.flows.publish(flowId(emu, 'Main IVR'), '99.0'));
    expect(v).toMatchObject({ status: 404, apiCode: 'architect.flow.version.missing' });
    expect(v.hint).toContain('versions');
  });

  it('409: says who holds the lock; and an operation in progress', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const err = await catchIt(client.flows.checkout(flowId(emu, 'Sales IVR')));
    expect(err).toMatchObject({ status: 409, code: 'API_LOCKED', apiCode: 'architect.flow.locked.by.user' });
    // The holder comes from the flow's lockedUser; the body's entityName names the flow.
    expect(err.body?.entityName).toBe('Sales IVR');
    expect(err.hint).toContain('locked by user Alex Designer');
    expect(err.hint).not.toContain('Sales IVR');
    const id = flowId(emu, 'In-Queue Flow');
    // The emulator's clock stands still, so the first publish is still running, however slow the machine.
    emu.control.setClock({ speed: 0 });
    await client.flows.publish(id);
    const busy = await catchIt(client.flows.publish(id));
    expect(busy).toMatchObject({ status: 409, apiCode: 'architect.operation.already.in.progress' });
  });

  it('every error carries method, path and the contextId of the ININ-Correlation-Id header', async () => {
    const { client } = clientFor(e.get());
    const err = await catchIt(client.flows.get('nope'));
    expect(err.method).toBe('GET');
    expect(err.path).toBe('/api/v2/flows/nope');
    expect(err.contextId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('no client secret and no token in any error, log line or serialized error', async () => {
    const emu = e.get();
    const records: CallRecord[] = [];
    const { client } = clientFor(emu, { onCall: (r) => records.push(r) });
    await client.org.tokenInfo();
    // An error body that echoes the credentials must be redacted too.
    caught.push(await catchIt(client.request('GET', '/api/v2/flows/x', { query: { access_token: 'leak' } })));
    const tokens = [...emu.control.org.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    const secret = emu.credentials.clientSecret;
    const texts = caught.flatMap((err) => {
      const x = err as Error & { hint?: string; cause?: unknown; body?: unknown };
      return [
        x.message,
        x.hint ?? '',
        JSON.stringify(x),
        JSON.stringify(x.cause ?? null),
        JSON.stringify(x.body ?? null),
        String(x.stack ?? ''),
      ];
    });
    texts.push(...records.map((r) => JSON.stringify(r)));
    const all = texts.join('\n');
    expect(all.length).toBeGreaterThan(500);
    expect(all).not.toContain(secret);
    for (const t of tokens) expect(all).not.toContain(t);
    expect(all).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
    expect(all).toContain('access_token=[REDACTED]');
  });
});

describe('redaction of presigned upload URLs', () => {
  it('an S3 SigV4 signature in a path is redacted, as a token would be', async () => {
    const { redactPatterns } = await import('../../src/platform/redact.js');
    const text = redactPatterns(
      'PUT /uploads/job-1?X-Amz-Signature=abcdef0123456789&X-Amz-Credential=AKIA%2F20261125&X-Amz-Expires=900',
    );
    expect(text).toBe(
      'PUT /uploads/job-1?X-Amz-Signature=[REDACTED]&X-Amz-Credential=[REDACTED]&X-Amz-Expires=900',
    );
  });
});
