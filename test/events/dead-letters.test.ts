/**
 * Dead letters through the real CLI: `events retry` signs only events the audit log recorded
 * (same id, same hash), and a webhook URL with a password in it is refused when the manifest is
 * loaded, so it never reaches a request or the dead-letter file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/events/audit-log.js';
import { readDeadLetters, writeDeadLetters } from '../../src/events/dead-letter.js';
import { EventHub } from '../../src/events/hub.js';
import { newEvent, type DeploymentEvent } from '../../src/events/model.js';
import { resolveWebhook } from '../../src/events/webhooks.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { startReceiver } from '../helpers/receiver.js';

// Made fresh for every run: no secret-looking value is committed.
const SECRET = `test-signing-${randomBytes(12).toString('hex')}`;
const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;

const event = (i: number) =>
  newEvent({
    type: 'step.published',
    time: new Date().toISOString(),
    deploymentId: 'd-1',
    actor: 'client-1',
    org: 'https://api.example',
    message: `event ${i}`,
  });

describe('events retry', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it('signs only dead letters whose event is in the audit log; forged and edited ones stay, exit 3', async () => {
    // The run's deliveries go to a receiver that is down; `events retry` to another one, which
    // the manifest names: an attempt of the run still in flight can never count as a retry.
    const down = await startReceiver((_r, res) => res.writeHead(500).end());
    closers.push(down.close);
    const receiver = await startReceiver((_r, res) => res.writeHead(204).end());
    closers.push(receiver.close);
    const url = `${receiver.url}/hooks`;
    const dir = workspace({
      'flowgate.yaml': `version: 1\nevents:\n  webhooks:\n    - url: ${url}\nflows:\n  - file: a.yaml\n`,
    });
    const deadLetter = join(dir, '.flowgate', 'dead-letter.jsonl');
    const hub = new EventHub({
      auditLog: new AuditLog(join(dir, '.flowgate', 'audit.jsonl')),
      webhooks: [{ url: `${down.url}/hooks`, format: 'json', secret: SECRET }],
      deadLetterPath: deadLetter,
      deliveryBudgetMs: 100,
    });
    const recorded = [event(1), event(2)];
    for (const ev of recorded) await hub.emit(ev);
    expect((await hub.close()).deadLettered).toBe(2);

    // Someone who can write the dead-letter file adds an event flowgate never emitted, and
    // changes what the second one says.
    const [first, second] = readDeadLetters(deadLetter).map((l) => ({ ...l, url }));
    const forged = { ...first!, event: { ...event(3), message: 'rolled back: nothing to see' } };
    const edited = { ...second!, event: { ...second!.event, message: 'event 2, but better' } };
    writeDeadLetters(deadLetter, [first!, edited, forged]);

    const before = receiver.received.length;
    expect(before).toBe(0);
    const r = await runCli(['events', 'retry'], { cwd: dir, env: { FLOWGATE_WEBHOOK_SECRET: SECRET } });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('1 delivered, 0 still undelivered, 2 refused');
    expect(r.stdout).toContain(
      `event ${forged.event.id} (step.published): its event is not in the audit log`,
    );
    expect(r.stdout).toContain(`event ${edited.event.id} (step.published): its event differs from entry 2`);
    const sent = receiver.received.slice(before).map((q) => JSON.parse(q.body) as DeploymentEvent);
    expect(sent).toEqual([recorded[0]]);
    const left = readDeadLetters(deadLetter);
    expect(left.map((l) => l.event)).toEqual([edited.event, forged.event]);
    expect(left.every((l) => l.error.startsWith('not sent: '))).toBe(true);
  });

  it('a log that does not verify sends nothing', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const url = `${receiver.url}/hooks`;
    const dir = workspace({
      'flowgate.yaml': `version: 1\nevents:\n  webhooks:\n    - url: ${url}\nflows:\n  - file: a.yaml\n`,
    });
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    const entries = [await log.append(event(1)), await log.append(event(2))];
    const deadLetter = join(dir, 'dl.jsonl');
    const letters = entries.map((e) => ({
      url,
      format: 'json' as const,
      event: e.event,
      error: 'HTTP 500',
      attempts: 6,
      at: '',
    }));
    writeDeadLetters(deadLetter, letters);
    writeFileSync(log.path, readFileSync(log.path, 'utf8').replace('"event 1"', '"event one"'));
    const r = await runCli(['events', 'retry', '--dead-letter', deadLetter, '--log', log.path], {
      cwd: dir,
      env: { FLOWGATE_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      `${log.path}:1: the entry was edited after it was written; no dead letter was sent`,
    );
    expect(receiver.received).toEqual([]);
    expect(readDeadLetters(deadLetter)).toEqual(letters);
  });
});

describe('a webhook URL with a user and password', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  /** A stand-in for the org that records whatever reaches it (nothing should). */
  const org = async () => {
    const api = await startReceiver((_r, res) => res.writeHead(500).end());
    closers.push(api.close);
    const env = {
      GENESYSCLOUD_BASE_URL: api.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: 'client-1',
      GENESYSCLOUD_OAUTHCLIENT_SECRET: `s-${randomBytes(8).toString('hex')}`,
      FLOWGATE_WEBHOOK_SECRET: SECRET,
    };
    return { api, env };
  };

  it('is refused when the manifest loads (file:line:col, exit 2), before any request; the password is not repeated', async () => {
    const { api, env } = await org();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nevents:\n  webhooks:\n    - format: json\n      url: https://hooks:${PASSWORD}@hooks.example.com/flowgate\nflows:\n  - file: a.yaml\n`,
      'a.yaml': inboundFlow('Credentialed'),
    });
    const r = await runCli(['deploy'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CONFIG_INVALID]');
    expect(r.stderr).toMatch(
      /flowgate\.yaml:5:12: events\.webhooks\.0\.url: a webhook URL must not carry a user or password/,
    );
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(api.received).toEqual([]);
    expect(existsSync(join(dir, '.flowgate', 'dead-letter.jsonl'))).toBe(false);

    const retry = await runCli(['events', 'retry'], { cwd: dir, env });
    mkdirSync(join(dir, '.flowgate'));
    writeDeadLetters(join(dir, '.flowgate', 'dead-letter.jsonl'), [
      {
        url: 'https://hooks.example.com/flowgate',
        format: 'json',
        event: event(1),
        error: 'HTTP 500',
        attempts: 1,
        at: '',
      },
    ]);
    const retried = await runCli(['events', 'retry'], { cwd: dir, env });
    expect(retry.code).toBe(0); // nothing to send: the manifest is not read
    expect(retried.code).toBe(2);
    expect(retried.stdout + retried.stderr).not.toContain(PASSWORD);
  });

  it('is refused by the library too, naming only the host', () => {
    let thrown: unknown;
    try {
      resolveWebhook(
        { url: `https://hooks:${PASSWORD}@hooks.example.com/x` },
        { FLOWGATE_WEBHOOK_SECRET: SECRET },
      );
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'webhook URL for hooks.example.com carries a user or password',
    });
    expect(JSON.stringify(thrown)).not.toContain(PASSWORD);
  });
});
