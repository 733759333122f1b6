/**
 * What only the SQLite ledger does: creating its file (owner-only) and folder, what it says when
 * it cannot, its connection settings, its transactions' failures, and how its flow locks wait (on
 * an injected clock) and whom they count as the holder.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { SqlDriver } from '../../src/ledger/sql-driver.js';
import type { FlowLockHolder, HeldFlowLock, Ledger } from '../../src/ledger/types.js';
import { virtualClock } from '../helpers/virtual-clock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'flowgate-sqlite-'));
const org = 'https://api.example';
const holder = (deploymentId: string, pid: number, host = hostname()): FlowLockHolder => ({
  pid,
  host,
  since: '2030-01-07T09:00:00.000Z',
  actor: 'runner',
  deploymentId,
});
const DEAD_PID = 2 ** 22 + 12345;
/** The ledger's driver: its connection settings are not part of the Ledger interface. */
const driverOf = (l: Ledger) => (l as unknown as { db: SqlDriver }).db;

describe('opening the SQLite ledger', () => {
  it('creates the missing folders and a file only its owner can read', async () => {
    const path = join(dir(), 'a', 'b', 'ledger.db');
    const l = openSqliteLedger(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await l.close();
  });

  it('leaves the mode of a ledger file that already exists', async () => {
    const path = join(dir(), 'ledger.db');
    writeFileSync(path, '', { mode: 0o644 });
    await openSqliteLedger(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('opens an in-memory ledger (no file, no folder)', async () => {
    const l = openSqliteLedger(':memory:');
    expect(await l.listDeployments()).toEqual([]);
    await l.close();
  });

  it('says LEDGER_OPEN, with the path and the cause, when the folder cannot be made', () => {
    const file = join(dir(), 'not-a-folder');
    writeFileSync(file, '');
    const path = join(file, 'ledger.db');
    let caught: unknown;
    try {
      openSqliteLedger(path);
    } catch (e) {
      caught = e;
    }
    const e = caught as { code: string; message: string; hint: string; cause: Error };
    expect(e.cause.message).toBe(`EEXIST: file already exists, mkdir '${file}'`);
    expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
      code: 'LEDGER_OPEN',
      message: `cannot open the ledger ${path}: ${e.cause.message}`,
      hint: 'Check that the folder is writable and the disk has space; set ledger.path in the manifest to move it.',
    });
  });

  it('waits up to 10 s for a busy database and caps the file at maxPageCount pages', async () => {
    const l = openSqliteLedger(join(dir(), 'ledger.db'), { maxPageCount: 123.7 });
    const db = driverOf(l);
    expect(await db.query('PRAGMA busy_timeout')).toEqual([{ timeout: 10_000 }]);
    expect(await db.query('PRAGMA max_page_count')).toEqual([{ max_page_count: 123 }]);
    expect(await db.transaction((q) => q('SELECT 7 AS n'))).toEqual([{ n: 7 }]);
    await l.close();
  });
});

describe("the SQLite ledger's transactions", () => {
  const WRITE = {
    code: 'LEDGER_WRITE',
    message: 'the ledger could not record a change: no such table: nowhere',
    hint: 'Nothing further was started. Free disk space or fix permissions, then resume the deployment.',
  };

  it('turn a database failure into LEDGER_WRITE and roll back what the transaction wrote', async () => {
    const l = openSqliteLedger(join(dir(), 'ledger.db'));
    const db = driverOf(l);
    await expect(
      db.transaction(async (q) => {
        await q(
          "INSERT INTO run_locks (deployment_id, pid, host, actor, since) VALUES ('d', 1, 'h', 'a', 's')",
        );
        await q('SELECT * FROM nowhere');
      }),
    ).rejects.toMatchObject(WRITE);
    expect(await db.query('SELECT * FROM run_locks')).toEqual([]);
    await l.close();
  });

  it('say LEDGER_WRITE also when the transaction had already ended', async () => {
    const l = openSqliteLedger(join(dir(), 'ledger.db'));
    const db = driverOf(l);
    await expect(
      db.transaction(async (q) => {
        await q('COMMIT');
        await q('SELECT * FROM nowhere');
      }),
    ).rejects.toMatchObject(WRITE);
    await l.close();
  });
});

describe("the SQLite ledger's flow locks", () => {
  it('a holder of this deployment and process takes its own flows again', async () => {
    const l = openSqliteLedger(join(dir(), 'ledger.db'));
    const me = holder('d-1', process.pid);
    await l.lockFlows(org, ['inboundcall:A'], me, { waitMs: 0 });
    const again = await l.lockFlows(org, ['inboundcall:A'], me, { waitMs: 0 });
    expect(again.waited).toBe(false);
    expect(await l.flowLockHolders(org, ['inboundcall:A'])).toEqual([
      { org, flowKey: 'inboundcall:A', holder: me },
    ]);
    await l.close();
  });

  it("another live process of the same deployment holds the flow, and so does another machine's", async () => {
    const path = join(dir(), 'ledger.db');
    const l = openSqliteLedger(path);
    const parent = holder('d-1', process.ppid);
    const remote = holder('d-2', DEAD_PID, 'elsewhere.example');
    await l.lockFlows(org, ['inboundcall:A'], parent, { waitMs: 0 });
    await l.lockFlows(org, ['inboundcall:B'], remote, { waitMs: 0 });
    const expected: HeldFlowLock[] = [
      { org, flowKey: 'inboundcall:A', holder: parent },
      { org, flowKey: 'inboundcall:B', holder: remote },
    ];
    await expect(
      l.lockFlows(org, ['inboundcall:B', 'inboundcall:A'], holder('d-1', process.pid), { waitMs: 0 }),
    ).rejects.toMatchObject({
      code: 'LEDGER_LOCKED',
      details: { held: expected.map((h) => ({ org, flowKey: h.flowKey, ...h.holder })) },
    });
    expect(await l.flowLockHolders(org, ['inboundcall:B', 'inboundcall:A'])).toEqual(expected);
    await l.close();
  });

  const waitFor = async (waitMs: number) => {
    const path = join(dir(), 'ledger.db');
    const a = openSqliteLedger(path);
    await a.lockFlows(org, ['inboundcall:A'], holder('d-a', process.ppid), { waitMs: 0 });
    const clock = virtualClock();
    const b = openSqliteLedger(path, { now: clock.now, sleep: clock.sleep });
    const told: HeldFlowLock[][] = [];
    const error = await b
      .lockFlows(org, ['inboundcall:A'], holder('d-b', process.pid), {
        waitMs,
        onWait: (locks) => {
          told.push(locks);
        },
      })
      .catch((e: unknown) => e);
    await a.close();
    await b.close();
    return { error: error as { code: string; message: string }, told, waits: clock.waits };
  };

  it('with no wait fails at once, without sleeping or telling that it waits', async () => {
    const r = await waitFor(0);
    expect([r.error.code, r.waits, r.told]).toEqual(['LEDGER_LOCKED', [], []]);
  });

  it('polls every 200 ms, the last poll only for what is left, and tells once that it waits', async () => {
    const r = await waitFor(500);
    expect(r.error.code).toBe('LEDGER_LOCKED');
    expect(r.waits).toEqual([200, 200, 100]);
    expect(r.told).toEqual([[{ org, flowKey: 'inboundcall:A', holder: holder('d-a', process.ppid) }]]);
  });
});
