/**
 * What `flowgate audit verify` proves, through the real CLI: a missing or empty log is not "chain
 * intact"; a cut tail passes the chain alone but not an anchor (`--expect-head`, `--expect-count`);
 * and a real deployment hands its webhook receiver the anchor (`auditHead` of
 * `deployment.completed`) that verify accepts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntry } from '../../src/events/audit-log.js';
import { newEvent, type DeploymentEvent } from '../../src/events/model.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { startReceiver } from '../helpers/receiver.js';

const event = (i: number) =>
  newEvent({
    type: 'step.published',
    time: new Date().toISOString(),
    deploymentId: 'd-1',
    actor: 'client-1',
    org: 'https://api.example',
    message: `event ${i}`,
  });

const verify = (...args: string[]) => runCli(['audit', 'verify', ...args]);
const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('audit verify without and with an anchor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-anchor-'));

  it('a missing log is AUDIT_LOG_MISSING (exit 3) unless --allow-missing', async () => {
    const path = join(dir, 'never-written.jsonl');
    const r = await verify('--log', path);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[AUDIT_LOG_MISSING]');
    expect(r.stderr).toContain(path);
    expect(r.stdout + r.stderr).not.toContain('chain intact');
    const allowed = await verify('--log', path, '--allow-missing');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('no entries yet');
    expect(allowed.stdout).not.toContain('chain intact');
  });

  it('an empty log says it is empty and exits 3 (0 with --allow-missing)', async () => {
    const path = join(dir, 'empty.jsonl');
    writeFileSync(path, '');
    const r = await verify('--log', path);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${path}: the log is empty`);
    expect(r.stdout).not.toContain('chain intact');
    expect((await verify('--log', path, '--allow-missing')).code).toBe(0);
  });

  it('a log cut after line 5 of 13 passes the chain alone, but not --expect-head or --expect-count', async () => {
    const path = join(dir, 'cut.jsonl');
    const log = new AuditLog(path);
    for (let i = 1; i <= 13; i++) await log.append(event(i));
    const full = await verify('--log', path, '--json');
    expect(full.code).toBe(0);
    const { head } = JSON.parse(full.stdout) as { head: string };
    expect((await verify('--log', path, '--expect-head', head, '--expect-count', '13')).code).toBe(0);

    writeFileSync(path, `${lines(path).slice(0, 5).join('\n')}\n`);
    const alone = await verify('--log', path);
    expect(alone.code).toBe(0); // the chain cannot see a cut tail, and says so
    expect(alone.stdout).toContain('5 entries, chain intact');
    expect(alone.stdout).toContain('no anchor given');

    const byHead = await verify('--log', path, '--expect-head', head);
    expect(byHead.code).toBe(3);
    expect(byHead.stdout).toContain(`the expected head ${head.slice(0, 12)}… is not on the chain (5 entries`);
    const byCount = await verify('--log', path, '--expect-count', '13');
    expect(byCount.code).toBe(3);
    expect(byCount.stdout).toContain('the log holds 5 entries where at least 13 were expected');

    // An anchor taken when the log had 5 entries still holds.
    const at5 = JSON.parse((await verify('--log', path, '--json')).stdout) as { head: string };
    const ok = await verify('--log', path, '--expect-head', at5.head.toUpperCase());
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('the expected head is entry 5');
  });

  it('an anchor that is not a hash, or a count that is not a number, is a usage error (exit 2)', async () => {
    const path = join(dir, 'usage.jsonl');
    await new AuditLog(path).append(event(1));
    const head = await verify('--log', path, '--expect-head', 'abc');
    expect(head.code).toBe(2);
    expect(head.stderr).toContain('[USAGE_AUDIT_ANCHOR]');
    const count = await verify('--log', path, '--expect-count', 'many');
    expect(count.code).toBe(2);
    expect(count.stderr).toContain('[USAGE_AUDIT_ANCHOR]');
  });
});

describe('the anchor a webhook receiver keeps', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  const env = (emu: RunningEmulator, secret: string) => ({
    GENESYSCLOUD_BASE_URL: emu.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
    FLOWGATE_WEBHOOK_SECRET: secret,
  });

  it('deployment.completed carries the head before it; verify --expect-head accepts it, and fails once the log is cut', async () => {
    const emu = e.get();
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const dir = workspace({
      'flowgate.yaml': `version: 1\nevents:\n  webhooks:\n    - url: ${receiver.url}/hooks\n      types: [deployment.completed]\nflows:\n  - file: a.yaml\n  - file: b.yaml\n`,
      'a.yaml': inboundFlow('Anchored A'),
      'b.yaml': inboundFlow('Anchored B'),
    });
    const secret = `test-${randomBytes(8).toString('hex')}`;
    const deployed = await runCli(['deploy'], { cwd: dir, env: env(emu, secret) });
    expect(deployed.code, deployed.stderr).toBe(0);

    expect(receiver.received).toHaveLength(1);
    const completed = JSON.parse(receiver.received[0]!.body) as DeploymentEvent;
    expect(completed.type).toBe('deployment.completed');
    const log = join(dir, '.flowgate', 'audit.jsonl');
    const entries = lines(log).map((l) => JSON.parse(l) as AuditEntry);
    const last = entries.at(-1)!;
    // The head just before the completed entry: the previous line's hash, which that entry chains to.
    expect(completed.auditHead).toEqual({ seq: last.seq - 1, hash: last.prev });
    // The log records the event exactly as the receiver got it.
    expect(last.event).toEqual(completed);

    const anchor = ['--log', log, '--expect-head', completed.auditHead!.hash];
    const count = String(completed.auditHead!.seq + 1);
    const good = await verify(...anchor, '--expect-count', count);
    expect(good.code, good.stdout).toBe(0);
    expect(good.stdout).toContain(`the expected head is entry ${completed.auditHead!.seq}`);

    // Someone removes the last two entries (the completed one and the one before it).
    writeFileSync(log, `${lines(log).slice(0, -2).join('\n')}\n`);
    expect((await verify('--log', log)).code).toBe(0); // the chain alone cannot tell
    const cut = await verify(...anchor);
    expect(cut.code).toBe(3);
    expect(cut.stdout).toContain('is not on the chain');
    expect((await verify('--log', log, '--expect-count', count)).code).toBe(3);
  }, 60_000);
});
