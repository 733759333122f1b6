/**
 * The audit log and the event hub on an injected clock: a lock wait that gives up after ten seconds
 * takes no real ten seconds, and dead letters and webhook signatures carry the clock's time.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/events/audit-log.js';
import { readDeadLetters } from '../../src/events/dead-letter.js';
import { EventHub } from '../../src/events/hub.js';
import { newEvent } from '../../src/events/model.js';
import { tryLock } from '../../src/shared/lock-file.js';
import { startReceiver } from '../helpers/receiver.js';
import { virtualClock } from '../helpers/virtual-clock.js';

const event = () =>
  newEvent({
    type: 'step.published',
    time: '2026-12-01T00:00:00.000Z',
    deploymentId: 'd-clock',
    actor: 'client-1',
    org: 'https://api.example',
    message: 'one',
  });

const dir = () => mkdtempSync(join(tmpdir(), 'flowgate-clock-'));

describe('the audit log on an injected clock', () => {
  it('an append gives up on a lock held past its timeout on that clock (no real wait), backing off to 50 ms', async () => {
    const path = join(dir(), 'audit.jsonl');
    const held = tryLock(`${path}.lock`); // this process: a live holder
    expect(held.acquired).toBe(true);
    const clock = virtualClock();
    const start = clock.now();
    const log = new AuditLog(path, { lockTimeoutMs: 10_000, now: clock.now, sleep: clock.sleep });
    await expect(log.append(event())).rejects.toMatchObject({
      code: 'AUDIT_LOG_WRITE',
      message: expect.stringContaining('stayed locked by another process'),
    });
    expect(clock.now() - start).toBeGreaterThan(10_000);
    expect(clock.waits.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 32, 50]);
    if (held.acquired) held.release();
    await log.append(event());
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('the event hub on an injected clock', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it("stamps dead letters and webhook signatures with the hub's clock", async () => {
    const receiver = await startReceiver((_r, res) => res.writeHead(400).end());
    closers.push(receiver.close);
    const at = Date.parse('2031-03-04T05:06:07.000Z');
    const deadLetterPath = join(dir(), 'dead-letter.jsonl');
    const hub = new EventHub({
      webhooks: [{ url: `${receiver.url}/hooks`, format: 'json', secret: 'test-clock-secret' }],
      deadLetterPath,
      now: () => at,
    });
    await hub.emit(event());
    expect((await hub.close()).deadLettered).toBe(1);
    expect(readDeadLetters(deadLetterPath).map((l) => l.at)).toEqual(['2031-03-04T05:06:07.000Z']);
    expect(receiver.received[0]?.headers['x-flowgate-timestamp']).toBe(String(at / 1000));
  });
});
