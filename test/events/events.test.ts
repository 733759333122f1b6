/** Events: signed webhooks against a real receiver, callbacks, the hash-chained audit log, reconciliation. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, verifyAuditText, type AuditEntry } from '../../src/events/audit-log.js';
import { EventHub } from '../../src/events/hub.js';
import { newEvent, type DeploymentEvent } from '../../src/events/model.js';
import { readDeadLetters } from '../../src/events/dead-letter.js';
import { reconcile } from '../../src/events/reconcile.js';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import { flowId, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';

// Made fresh for every run: no secret-looking value is committed.
const SECRET = `test-signing-${randomBytes(12).toString('hex')}`;

/** A receiver that verifies signatures and timestamps, keeps events by idempotency key, and misbehaves on a script. */
async function receiver(script: Array<'500' | 'reset' | 'hang' | 'ok'>) {
  const kept = new Map<string, DeploymentEvent>();
  const bad: string[] = [];
  let requests = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const what = script[requests++] ?? 'ok';
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const ts = String(req.headers['x-flowgate-timestamp']);
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
      const given = String(req.headers['x-flowgate-signature']);
      // What the README tells receivers to do: constant-time compare, reject stale timestamps.
      const valid =
        given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
      if (!valid || !fresh)
        bad.push(`${String(req.headers['idempotency-key'])}: ${valid ? 'stale' : 'bad signature'}`);
      if (what === 'reset') return req.socket.destroy();
      if (what === 'hang') return; // never answers: the client's timeout ends the attempt
      if (what === '500') {
        res.statusCode = 500;
        return res.end();
      }
      const key = String(req.headers['idempotency-key']);
      if (!kept.has(key)) kept.set(key, JSON.parse(body) as DeploymentEvent);
      res.statusCode = 204;
      res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/flowgate`;
  return {
    url,
    kept,
    bad,
    requests: () => requests,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const event = (i: number, type: DeploymentEvent['type'] = 'step.published') =>
  newEvent({
    type,
    time: new Date().toISOString(),
    deploymentId: 'd-1',
    actor: 'client-1',
    org: 'https://api.example',
    message: `event ${i}`,
    flow: { id: `f-${i}`, name: `Flow ${i}`, type: 'inboundcall' },
  });

describe('webhooks and callbacks', () => {
  const closers: Array<() => void> = [];
  afterEach(() => closers.splice(0).forEach((c) => c()));

  it('every event arrives exactly once, signed, through 5xx, hangs and resets', async () => {
    const r = await receiver(['500', 'reset', 'hang', 'ok', '500', 'ok', 'reset', 'ok']);
    closers.push(r.close);
    const hub = new EventHub({
      webhooks: [{ url: r.url, format: 'json', secret: SECRET, timeoutMs: 300 }],
      deliveryBudgetMs: 60_000,
    });
    const events = [event(1), event(2), event(3)];
    for (const e of events) await hub.emit(e);
    const summary = await hub.close();
    expect(summary).toMatchObject({ events: 3, delivered: 3, deadLettered: 0 });
    expect([...r.kept.keys()].sort()).toEqual(events.map((e) => e.id).sort());
    expect(r.requests()).toBeGreaterThan(3); // the failures were retried
    expect(r.bad).toEqual([]);
    expect(r.kept.get(events[0]!.id)!.message).toBe('event 1');
  });

  it('undeliverable events land in the dead-letter file; events retry delivers them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-dl-'));
    const deadLetter = join(dir, 'dead-letter.jsonl');
    const down = await receiver(Array.from({ length: 50 }, () => '500' as const));
    closers.push(down.close);
    const hub = new EventHub({
      // events retry signs only what the audit log recorded (its default place, under dir).
      auditLog: new AuditLog(join(dir, '.flowgate', 'audit.jsonl')),
      webhooks: [{ url: down.url, format: 'json', secret: SECRET }],
      deadLetterPath: deadLetter,
      deliveryBudgetMs: 60_000,
    });
    await hub.emit(event(1));
    await hub.emit(event(2));
    const summary = await hub.close();
    expect(summary.deadLettered).toBe(2);
    const letters = readDeadLetters(deadLetter);
    expect(letters.map((l) => l.error)).toEqual(['HTTP 500', 'HTTP 500']);
    expect((await import('node:fs')).statSync(deadLetter).mode & 0o777).toBe(0o600);
    // The receiver comes back (a new one on another port: the manifest points there now).
    const up = await receiver([]);
    closers.push(up.close);
    writeFileSync(deadLetter, readFileSync(deadLetter, 'utf8').split(down.url).join(up.url));
    writeFileSync(
      join(dir, 'flowgate.yaml'),
      `version: 1\nevents:\n  webhooks:\n    - url: ${up.url}\nflows:\n  - file: a.yaml\n`,
    );
    const r = await runCli(['events', 'retry', '--dead-letter', deadLetter], {
      cwd: dir,
      env: { FLOWGATE_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 delivered, 0 still undelivered');
    expect(up.kept.size).toBe(2);
    expect(up.bad).toEqual([]);
    expect(readDeadLetters(deadLetter)).toEqual([]);
  });

  it('delivery never blocks longer than the budget: what is left is dead-lettered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-budget-'));
    const slow = await receiver(Array.from({ length: 50 }, () => 'hang' as const));
    closers.push(slow.close);
    const hub = new EventHub({
      webhooks: [{ url: slow.url, format: 'json', secret: SECRET, timeoutMs: 60_000 }],
      deadLetterPath: join(dir, 'dl.jsonl'),
      deliveryBudgetMs: 50,
    });
    await hub.emit(event(1));
    const summary = await hub.close();
    expect(summary.deadLettered).toBe(1);
    expect(readDeadLetters(join(dir, 'dl.jsonl'))[0]!.error).toContain('within the budget of 50 ms');
  });

  it('the ServiceNow format is a change request for the Table API', async () => {
    const r = await receiver([]);
    closers.push(r.close);
    const hub = new EventHub({ webhooks: [{ url: r.url, format: 'servicenow', secret: SECRET }] });
    const e = event(7, 'deployment.completed');
    e.result = 'succeeded';
    await hub.emit(e);
    await hub.close();
    expect(r.kept.get(e.id)).toMatchObject({
      type: 'standard',
      state: 'closed',
      close_code: 'successful',
      correlation_id: e.id,
      short_description: 'flowgate: event 7',
    });
  });

  it('callbacks run in registration order; one that throws or hangs is recorded and changes nothing', async () => {
    const order: string[] = [];
    const hub = new EventHub({ handlerTimeoutMs: 30 });
    hub.onEvent(() => void order.push('first'));
    hub.onEvent(() => {
      throw new Error('handler bug');
    });
    hub.onEvent(() => new Promise<void>(() => {})); // never resolves
    hub.onEvent(() => void order.push('last'));
    await hub.emit(event(1));
    expect(order).toEqual(['first', 'last']);
    expect(hub.handlerFailures.map((f) => f.error)).toEqual(['handler bug', 'still running after 30 ms']);
  });
});

describe('callbacks during a real deployment', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('a handler that throws or hangs does not change the outcome; the events carry ids, versions and calls', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Handled'),
    });
    const s = librarySession(emu, dir);
    const hub = new EventHub({ handlerTimeoutMs: 20, auditLog: new AuditLog(join(dir, 'audit.jsonl')) });
    const seen: DeploymentEvent[] = [];
    hub.onEvent(() => {
      throw new Error('boom');
    });
    hub.onEvent(() => new Promise<void>(() => {}));
    hub.onEvent((ev) => void seen.push(ev));
    const { outcome } = await s.deploy({ onEvent: eventBridge(hub, s.ledger) });
    expect(outcome.status).toBe('succeeded');
    await hub.close();
    expect(seen.map((x) => x.type)).toEqual([
      'deployment.planned',
      'step.publishing',
      'step.published',
      'deployment.completed',
    ]);
    const published = seen.find((x) => x.type === 'step.published')!;
    expect(published).toMatchObject({
      schemaVersion: 1,
      actor: emu.credentials.clientId,
      flow: { name: 'Handled', type: 'inboundcall' },
      versionAfter: '1.0',
      result: 'succeeded',
    });
    expect(published.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(published.calls!.statuses.every((st) => st === 200)).toBe(true);
    expect(published.calls!.correlationIds.length).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toContain(emu.credentials.clientSecret);
    expect(hub.handlerFailures.length).toBe(8); // two failing handlers × four events
  });

  it('an audit log that cannot be written stops the deployment before its first publish', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Unrecorded'),
    });
    mkdirSync(join(dir, 'audit.jsonl')); // a folder where the log should be: every append fails
    const s = librarySession(emu, dir);
    const hub = new EventHub({ auditLog: new AuditLog(join(dir, 'audit.jsonl')) });
    await expect(s.deploy({ onEvent: eventBridge(hub, s.ledger) })).rejects.toMatchObject({
      code: 'AUDIT_LOG_WRITE',
    });
    expect(
      emu.control.requests().filter((r) => r.method === 'POST' && r.path.includes('/flows/jobs')),
    ).toEqual([]);
    const [d] = await s.ledger.listDeployments();
    expect(d!.status).toBe('failed');
  });

  it('reconcile finds a publish made directly against the emulator, outside flowgate', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const since = new Date(emu.control.org.now() - 1000);
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Reconciled'),
    });
    const s = librarySession(emu, dir);
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    const hub = new EventHub({ auditLog: log });
    await s.deploy({
      onEvent: eventBridge(hub, s.ledger),
      now: () => emu.control.org.now(),
      poll: { intervalMs: 20, sleep: advance },
    });
    await hub.close();
    const { readAuditLog } = await import('../../src/events/audit-log.js');
    const poll = { intervalMs: 10, sleep: advance };
    const clean = await reconcile(s.client, readAuditLog(log.path), {
      since,
      until: new Date(emu.control.org.now() + 1000),
      poll,
    });
    expect(clean).toMatchObject({ outside: [], missing: [], localPublishes: 1, platformPublishes: 1 });
    // Someone publishes Main IVR straight through the API, not through flowgate.
    const id = flowId(emu, 'Main IVR');
    await s.client.flows.followOperation(id, await s.client.flows.publish(id, '1.0'), poll);
    const found = await reconcile(s.client, readAuditLog(log.path), {
      since,
      until: new Date(emu.control.org.now() + 1000),
      poll,
    });
    expect(found.outside).toEqual([
      expect.objectContaining({ flowId: id, flowName: 'Main IVR', by: `client ${emu.credentials.clientId}` }),
    ]);
    expect(found.missing).toEqual([]);
  });
});

describe('the audit log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-audit-'));

  it('any edited, removed, inserted or reordered line is detected, naming the first bad line', async () => {
    const log = new AuditLog(join(dir, 'tamper.jsonl'));
    for (let i = 1; i <= 6; i++) await log.append(event(i));
    const text = readFileSync(log.path, 'utf8');
    expect(verifyAuditText(text)).toMatchObject({ ok: true, entries: 6 });
    const lines = text.trimEnd().split('\n');
    const join2 = (ls: string[]) => `${ls.join('\n')}\n`;
    for (let i = 0; i < lines.length; i++) {
      const edited = [...lines];
      edited[i] = edited[i]!.replace(/"message":"event \d"/, '"message":"event X"');
      expect(verifyAuditText(join2(edited)), `edit line ${i + 1}`).toMatchObject({ ok: false, line: i + 1 });
      const removed = lines.filter((_, k) => k !== i);
      if (i < lines.length - 1)
        expect(verifyAuditText(join2(removed)), `remove line ${i + 1}`).toMatchObject({
          ok: false,
          line: i + 1,
        });
      const inserted = [...lines.slice(0, i), lines[(i + 2) % lines.length]!, ...lines.slice(i)];
      expect(verifyAuditText(join2(inserted)), `insert at ${i + 1}`).toMatchObject({
        ok: false,
        line: i + 1,
      });
      if (i + 1 < lines.length) {
        const swapped = [...lines];
        [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
        expect(verifyAuditText(join2(swapped)), `swap ${i + 1}`).toMatchObject({ ok: false, line: i + 1 });
      }
    }
  });

  it('the CLI names the bad line and exits 3; a good log exits 0', async () => {
    const log = new AuditLog(join(dir, 'cli.jsonl'));
    for (let i = 1; i <= 3; i++) await log.append(event(i));
    expect((await runCli(['audit', 'verify', '--log', log.path])).code).toBe(0);
    const lines = readFileSync(log.path, 'utf8').trimEnd().split('\n');
    writeFileSync(log.path, `${[lines[0], lines[2]].join('\n')}\n`);
    const r = await runCli(['audit', 'verify', '--log', log.path]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${log.path}:2: sequence number 3 where 2 was expected`);
  });

  it('two processes appending at once never break the chain', async () => {
    const path = join(dir, 'concurrent.jsonl');
    const script = `
      import { AuditLog } from ${JSON.stringify(new URL('../../src/events/audit-log.ts', import.meta.url).pathname)};
      import { newEvent } from ${JSON.stringify(new URL('../../src/events/model.ts', import.meta.url).pathname)};
      const log = new AuditLog(${JSON.stringify(path)});
      for (let i = 0; i < 50; i++) await log.append(newEvent({ type: 'step.published', time: new Date().toISOString(), deploymentId: 'p' + process.pid, actor: 'a', org: 'o', message: 'm' + i }));
    `;
    const run = () =>
      new Promise<number | null>((resolve) => {
        const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: 'ignore',
        });
        c.on('exit', resolve);
      });
    expect(await Promise.all([run(), run(), run(), run()])).toEqual([0, 0, 0, 0]);
    const text = readFileSync(path, 'utf8');
    expect(verifyAuditText(text)).toMatchObject({ ok: true, entries: 200 });
    const seqs = text
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as AuditEntry).seq);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  }, 60_000);
});
