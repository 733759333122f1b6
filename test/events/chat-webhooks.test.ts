/**
 * Slack and Teams webhooks: the payloads against their documented schemas (test/fixtures/schemas),
 * the `notify:` filter, URLs from the environment kept out of the dead letter, and the manifest.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchema, type AnySchemaObject } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/config/manifest.js';
import { readDeadLetters } from '../../src/events/dead-letter.js';
import { EventHub } from '../../src/events/hub.js';
import { newEvent, type DeploymentEvent } from '../../src/events/model.js';
import { payload, resolveWebhook } from '../../src/events/webhooks.js';
import { workspace } from '../helpers/deploy.js';

const schema = (name: string) =>
  JSON.parse(readFileSync(join('test/fixtures/schemas', name), 'utf8')) as AnySchema;
const ajv = new Ajv({ allErrors: true, strict: false });
const slackValid = ajv.compile(schema('slack-block-kit-message.schema.json'));
const teamsValid = ajv.compile(schema('teams-message.schema.json'));
const cardValid = ajv.compile(schema('adaptive-card.schema.json'));

const ev = (type: DeploymentEvent['type'], result?: string, message = `${type} ${result ?? ''}`) =>
  newEvent({
    type,
    time: '2026-08-01T10:00:00.000Z',
    deploymentId: 'd-42',
    actor: 'client-1',
    org: 'https://api.mypurecloud.ie',
    flow: { id: 'f-1', name: 'Main IVR', type: 'inboundcall' },
    versionBefore: '3.0',
    versionAfter: '4.0',
    ...(result ? { result } : {}),
    message,
  });

const SAMPLES = [
  ev('step.failed', 'failed', 'Main IVR: import job failed: <ERROR> & more'),
  ev('deployment.completed', 'rolled-back'),
  ev('health.verdict', 'degraded', 'Main IVR: degraded: disconnects 9.1% vs 2.0%'),
  ev('step.published', 'succeeded'),
  ev('step.waiting'),
  ev('step.failed', 'failed', 'x'.repeat(5000)),
];

describe('chat payloads against their schemas', () => {
  it.each(SAMPLES.map((e, i) => [i, e] as const))('Slack Block Kit, sample %i', (_, e) => {
    const body = payload(e, 'slack') as { blocks: Array<{ text?: { text: string } }> };
    expect(slackValid(body), JSON.stringify(slackValid.errors)).toBe(true);
    // mrkdwn escapes &, < and > (Slack: escaping text).
    if (e.message.includes('<')) expect(body.blocks[1]!.text!.text).toContain('&lt;ERROR&gt; &amp; more');
  });

  it.each(SAMPLES.map((e, i) => [i, e] as const))(
    'Teams Adaptive Card in its envelope, sample %i',
    (_, e) => {
      const body = payload(e, 'teams') as { attachments: Array<{ content: unknown }> };
      expect(teamsValid(body), JSON.stringify(teamsValid.errors)).toBe(true);
      expect(cardValid(body.attachments[0]!.content), JSON.stringify(cardValid.errors)).toBe(true);
    },
  );

  it('the schemas refuse what Slack and Teams document as wrong (so a pass means something)', () => {
    const slack = payload(SAMPLES[0]!, 'slack') as { blocks: Array<Record<string, unknown>> };
    const longHeader = structuredClone(slack);
    (longHeader.blocks[0]!.text as { text: string }).text = 'h'.repeat(151);
    expect(slackValid(longHeader)).toBe(false);
    expect(slackValid({ ...slack, blocks: [{ type: 'section' }] })).toBe(false);
    const card = (
      payload(SAMPLES[0]!, 'teams') as { attachments: Array<{ content: Record<string, unknown> }> }
    ).attachments[0]!.content;
    expect(cardValid({ ...card, body: [{ type: 'TextBlock', text: 'a', color: 'red' }] })).toBe(false);
    expect(
      teamsValid({ type: 'message', attachments: [{ contentType: 'application/json', content: card }] }),
    ).toBe(false);
  });

  // The published Adaptive Cards schema is not in the repository (test/fixtures/schemas/README.md):
  // with FLOWGATE_PUBLISHED_SCHEMAS naming a folder that holds it, the cards are checked against it too.
  const published = process.env.FLOWGATE_PUBLISHED_SCHEMAS;
  // Registered only when the published schema is at hand (never a silent skip in the suite's count).
  if (published && existsSync(join(published, 'adaptive-card.json')))
    it('the cards against the published Adaptive Cards schema', async () => {
      const draft6 = (await import('ajv/dist/refs/json-schema-draft-06.json', { with: { type: 'json' } }))
        .default as AnySchemaObject;
      const a = new Ajv({ strict: false, allErrors: true });
      a.addMetaSchema(draft6);
      const schema = JSON.parse(readFileSync(join(published, 'adaptive-card.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      // It names itself with draft-04's `id`, which Ajv 8 reads only as `$id`.
      schema.$id = schema.id;
      delete schema.id;
      const valid = a.compile(schema as AnySchema);
      for (const e of SAMPLES) {
        const card = (payload(e, 'teams') as { attachments: Array<{ content: unknown }> }).attachments[0]!
          .content;
        expect(valid(card), JSON.stringify(valid.errors)).toBe(true);
      }
    });
});

/** A chat receiver: answers as scripted, keeps each body. */
async function chatReceiver(script: number[] = []) {
  const bodies: Array<{ headers: Record<string, unknown>; body: unknown }> = [];
  const sockets = new Set<Socket>();
  let n = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const status = script[n++] ?? 200;
      if (status === 200) bodies.push({ headers: req.headers, body: JSON.parse(raw) as unknown });
      res.writeHead(status, status === 429 ? { 'retry-after': '1' } : {});
      res.end(status === 200 ? 'ok' : '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/secretpart`;
  return {
    url,
    bodies,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

let close: Array<() => void> = [];
afterEach(() => {
  for (const c of close) c();
  close = [];
});

describe('Slack and Teams delivery', () => {
  it('notify: [failed, rolled-back, degraded] lets only those through, unsigned, through a 429', async () => {
    const r = await chatReceiver([429]);
    close.push(r.close);
    const target = resolveWebhook(
      { url: r.url, format: 'slack', notify: ['failed', 'rolled-back', 'degraded'] },
      {},
    );
    const hub = new EventHub({ webhooks: [target] });
    for (const e of [
      ev('step.waiting'),
      ev('step.published', 'succeeded'),
      ev('step.failed', 'failed'),
      ev('deployment.completed', 'rolled-back'),
      ev('health.verdict', 'degraded'),
      ev('health.verdict', 'healthy'),
    ])
      await hub.emit(e);
    const summary = await hub.close();
    expect(summary).toMatchObject({ events: 6, delivered: 3, deadLettered: 0 });
    const titles = r.bodies.map(
      (b) => (b.body as { blocks: Array<{ text: { text: string } }> }).blocks[0]!.text.text,
    );
    expect(titles.sort()).toEqual([
      '❌ deployment.completed rolled-back: Main IVR',
      '❌ health.verdict degraded: Main IVR',
      '❌ step.failed failed: Main IVR',
    ]);
    for (const b of r.bodies) {
      expect(b.headers['content-type']).toBe('application/json');
      expect(b.headers['x-flowgate-signature']).toBeUndefined();
      expect(slackValid(b.body)).toBe(true);
    }
  });

  it('a Teams URL from the environment: delivered; undelivered, the dead letter names the variable, not the URL', async () => {
    const r = await chatReceiver([503, 503, 503]);
    close.push(r.close);
    const dir = workspace({});
    const deadLetter = join(dir, 'dead.jsonl');
    const env = { TEAMS_WEBHOOK_URL: r.url };
    const target = resolveWebhook({ urlEnv: 'TEAMS_WEBHOOK_URL', format: 'teams' }, env);
    const hub = new EventHub({ webhooks: [{ ...target }], deadLetterPath: deadLetter });
    // Three 503s with 6 attempts: the fourth attempt delivers.
    await hub.emit(ev('step.failed', 'failed'));
    expect((await hub.close()).delivered).toBe(1);
    expect(teamsValid(r.bodies[0]!.body)).toBe(true);

    const down = resolveWebhook(
      { urlEnv: 'TEAMS_WEBHOOK_URL', format: 'teams' },
      { TEAMS_WEBHOOK_URL: 'http://127.0.0.1:9/x/secretpart' },
    );
    const hub2 = new EventHub({ webhooks: [down], deadLetterPath: deadLetter, deliveryBudgetMs: 200 });
    await hub2.emit(ev('step.failed', 'failed'));
    await hub2.close();
    const letters = readDeadLetters(deadLetter);
    expect(letters.map((l) => l.url)).toEqual(['env:TEAMS_WEBHOOK_URL']);
    expect(readFileSync(deadLetter, 'utf8')).not.toContain('secretpart');
    expect(() => resolveWebhook({ urlEnv: 'TEAMS_WEBHOOK_URL', format: 'teams' }, {})).toThrow(
      /TEAMS_WEBHOOK_URL, the webhook URL, is not set/,
    );
  });

  it('json and servicenow still need a signing secret; slack may go without', () => {
    expect(() => resolveWebhook({ url: 'https://hooks.example/x', format: 'json' }, {})).toThrow(
      /no signing secret/,
    );
    expect(resolveWebhook({ url: 'https://hooks.example/x', format: 'slack' }, {}).secret).toBe('');
  });
});

describe('the manifest', () => {
  it('accepts slack and teams with notify and urlEnv; refuses an unknown result and url with urlEnv', async () => {
    const ok = workspace({
      'a.yaml': 'inboundCall:\n  name: Main\n',
      'flowgate.yaml': `version: 1
flows:
  - file: a.yaml
events:
  webhooks:
    - urlEnv: SLACK_WEBHOOK_URL
      format: slack
      notify: [failed, rolled-back, degraded]
    - url: https://example.webhook.office.com/x
      format: teams
`,
    });
    const m = await loadManifest(join(ok, 'flowgate.yaml'));
    expect(m.events?.webhooks?.[0]).toMatchObject({
      urlEnv: 'SLACK_WEBHOOK_URL',
      notify: ['failed', 'rolled-back', 'degraded'],
    });
    const bad = workspace({
      'a.yaml': 'inboundCall:\n  name: Main\n',
      'flowgate.yaml': `version: 1
flows:
  - file: a.yaml
events:
  webhooks:
    - urlEnv: SLACK_WEBHOOK_URL
      format: slack
      notify: [failed, broken]
`,
    });
    await expect(loadManifest(join(bad, 'flowgate.yaml'))).rejects.toThrow(/flowgate\.yaml:8:\d+.*notify/s);
    const both = workspace({
      'a.yaml': 'inboundCall:\n  name: Main\n',
      'flowgate.yaml': `version: 1
flows:
  - file: a.yaml
events:
  webhooks:
    - urlEnv: SLACK_WEBHOOK_URL
      url: https://hooks.example/x
`,
    });
    await expect(loadManifest(join(both, 'flowgate.yaml'))).rejects.toThrow(/either url or urlEnv/);
  });
});
