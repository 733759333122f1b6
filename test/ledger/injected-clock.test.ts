/**
 * The SQLite ledger on an injected clock: its stamps (a migration, a state change) are the
 * clock's, and a wait for a flow another run holds ends on that clock, with no real waiting.
 */
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { virtualClock } from '../helpers/virtual-clock.js';

const holder = (deploymentId: string, pid: number) => ({
  pid,
  host: hostname(),
  since: '2030-01-07T09:00:00.000Z',
  actor: 'runner',
  deploymentId,
});

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'flowgate-ledger-clock-')), 'ledger.db');

describe('the SQLite ledger on an injected clock', () => {
  it('stamps the migrations it applies with the clock', async () => {
    const path = freshPath();
    const at = Date.parse('2031-01-02T03:04:05.000Z');
    await openSqliteLedger(path, { now: () => at }).close();
    const db = new Database(path, { readonly: true });
    const stamps = db.prepare('SELECT DISTINCT applied_at FROM schema_migrations').all();
    db.close();
    expect(stamps).toEqual([{ applied_at: '2031-01-02T03:04:05.000Z' }]);
  });

  it('a two-minute wait for a held flow ends with LEDGER_LOCKED after two minutes of its clock', async () => {
    const path = freshPath();
    const org = 'https://api.example';
    const a = openSqliteLedger(path);
    // Held by a live process of this host (the test runner's parent), not by the waiter.
    const held = await a.lockFlows(org, ['inboundcall:A'], holder('d-a', process.ppid), { waitMs: 0 });
    const clock = virtualClock();
    const start = clock.now();
    const b = openSqliteLedger(path, { now: clock.now, sleep: clock.sleep });
    await expect(
      b.lockFlows(org, ['inboundcall:A'], holder('d-b', process.pid), { waitMs: 120_000 }),
    ).rejects.toMatchObject({
      code: 'LEDGER_LOCKED',
      message: expect.stringContaining('after waiting 120 s'),
    });
    expect(clock.now() - start).toBeGreaterThanOrEqual(120_000);
    // Polled every 200 ms of the clock, never longer.
    expect(Math.max(...clock.waits)).toBe(200);
    await held.release();
    await a.close();
    await b.close();
  });
});
