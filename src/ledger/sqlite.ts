/**
 * The embedded ledger: SQLite through better-sqlite3 (12.x: 13 needs Node 22), WAL journal with
 * `synchronous=FULL`, so a committed state change survives SIGKILL and power loss alike; a busy
 * timeout lets several flowgate processes share one file. Run and flow locks are rows naming a
 * process of this machine; a holder whose process is gone holds nothing.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { FlowgateError, isFlowgateError } from '../errors.js';
import { busyError, lockedError, waitAbortably } from './lock-errors.js';
import { forDialect, MIGRATIONS } from './migrations.js';
import { holderFromRow } from './rows.js';
import { isProcessAlive } from '../shared/process.js';
import { OPEN_BUSY_MS, retryWhileBusy } from './sqlite-busy.js';
import { isoNow, sleep as realSleep, systemClock, type Clock, type Sleep } from '../shared/time.js';
import { SqlLedger } from './sql-ledger.js';
import type { LockStrategy, Query, Row, SqlDriver } from './sql-driver.js';
import type { FlowLockHolder, FlowLockOptions, FlowLocks, HeldFlowLock, Holder, Ledger } from './types.js';

type Db = BetterSqlite3.Database;

/** How often a run waiting for a flow another process holds looks again. */
const LOCK_POLL_MS = 200;

/** Opens (and migrates) the SQLite ledger at `path`; `:memory:` for a throwaway one. */
export function openSqliteLedger(
  path: string,
  options: {
    /** The clock of every timestamp and of the wait for a flow lock. @default Date.now */
    now?: Clock;
    /** How a run waiting for a flow lock waits. @default the real clock's sleep */
    sleep?: Sleep;
    /**
     * Caps the file at this many pages: SQLite then fails writes with "database or disk is full",
     * exactly as on a full disk (the reliability suite's way to fill a disk without filling one).
     */
    maxPageCount?: number;
  } = {},
): Ledger {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const created = path !== ':memory:' && !existsSync(path);
    // better-sqlite3 is CommonJS and native: loaded on first use, not at start-up.
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    // Runners opening one new ledger at once may be told SQLITE_BUSY at once (sqlite-busy.ts).
    const opened = new Database(path, { timeout: OPEN_BUSY_MS });
    retryWhileBusy(() => {
      opened.pragma('journal_mode = WAL');
      opened.pragma('synchronous = FULL');
      opened.pragma('foreign_keys = ON');
    });
    db = opened;
    // The history of every deployment (flow contents, who, when): readable by its owner only. The
    // journal files SQLite creates beside it take the same mode.
    if (created) chmodSync(path, 0o600);
  } catch (e) {
    throw new FlowgateError('LEDGER_OPEN', `cannot open the ledger ${path}: ${(e as Error).message}`, {
      hint: 'Check that the folder is writable and the disk has space; set ledger.path in the manifest to move it.',
      cause: e,
    });
  }
  const now = options.now ?? systemClock;
  retryWhileBusy(() => migrate(db, now));
  if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
  return new SqlLedger(new SqliteDriver(db, now, options.sleep ?? realSleep), now);
}

function migrate(db: Db, now: Clock): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  // IMMEDIATE: two processes opening a new ledger at once apply each migration once.
  db.transaction(() => {
    const done = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const s of m.statements) db.exec(forDialect(s, 'sqlite'));
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        isoNow(now),
      );
    }
  }).immediate();
}

/**
 * better-sqlite3 is synchronous and one connection has one transaction: calls are queued, so an
 * asynchronous transaction never sees another caller's statements in the middle.
 */
class SqliteDriver implements SqlDriver {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  readonly locks: LockStrategy;

  constructor(
    private readonly db: Db,
    now: Clock,
    sleep: Sleep,
  ) {
    this.locks = new SqliteLocks(this, now, sleep);
  }

  query: Query = (sql, params = []) => this.serial(() => Promise.resolve(this.run(sql, params)));

  transaction<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        const result = await fn((sql, params = []) => Promise.resolve(this.run(sql, params)));
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        if (isFlowgateError(e)) throw e;
        throw new FlowgateError(
          'LEDGER_WRITE',
          `the ledger could not record a change: ${(e as Error).message}`,
          {
            hint: 'Nothing further was started. Free disk space or fix permissions, then resume the deployment.',
            cause: e,
          },
        );
      }
    });
  }

  close(): Promise<void> {
    return this.serial(() => {
      this.db.close();
      return Promise.resolve();
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private run(sql: string, params: readonly unknown[]): Row[] {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    if (st.reader) return st.all(...params) as Row[];
    st.run(...params);
    return [];
  }
}

/** A holder row still holds when its process lives (or lives on another machine: it cannot be checked). */
const live = (r: Row, host: string) => r.host !== host || isProcessAlive(Number(r.pid));

class SqliteLocks implements LockStrategy {
  constructor(
    private readonly db: SqliteDriver,
    private readonly now: Clock,
    private readonly sleep: Sleep,
  ) {}

  async acquireRun(deploymentId: string, holder: Holder): Promise<{ release(): Promise<void> }> {
    await this.db.transaction(async (q) => {
      const [r] = await q('SELECT * FROM run_locks WHERE deployment_id = ?', [deploymentId]);
      if (r) {
        if (live(r, holder.host)) throw busyError(deploymentId, holderFromRow(r));
        await q('DELETE FROM run_locks WHERE deployment_id = ?', [deploymentId]);
      }
      await q('INSERT INTO run_locks (deployment_id, pid, host, actor, since) VALUES (?, ?, ?, ?, ?)', [
        deploymentId,
        holder.pid,
        holder.host,
        holder.actor,
        holder.since,
      ]);
    });
    return {
      release: () =>
        this.db
          .transaction((q) =>
            q('DELETE FROM run_locks WHERE deployment_id = ? AND pid = ?', [deploymentId, holder.pid]),
          )
          .then(() => undefined),
    };
  }

  async lockFlows(
    org: string,
    keys: string[],
    holder: FlowLockHolder,
    o: FlowLockOptions,
  ): Promise<FlowLocks> {
    const deadline = this.now() + o.waitMs;
    let waited = false;
    for (;;) {
      const held = await this.db.transaction(async (q) => {
        const rows = await this.rows(q, org, keys);
        const others = rows.filter(
          (r) =>
            live(r, holder.host) &&
            !(r.deployment_id === holder.deploymentId && Number(r.pid) === holder.pid),
        );
        if (others.length > 0) return others;
        // Free, or held by a process that died: ours now.
        for (const k of keys) {
          await q('DELETE FROM flow_locks WHERE org = ? AND flow_key = ?', [org, k]);
          await q(
            'INSERT INTO flow_locks (org, flow_key, deployment_id, pid, host, actor, since) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [org, k, holder.deploymentId, holder.pid, holder.host, holder.actor, holder.since],
          );
        }
        return [];
      });
      if (held.length === 0) break;
      const locks = held.map((r) => ({ org, flowKey: String(r.flow_key), holder: holderFromRow(r) }));
      if (this.now() >= deadline) throw lockedError(locks, o.waitMs);
      if (!waited) await o.onWait?.(locks);
      waited = true;
      await waitAbortably(Math.min(LOCK_POLL_MS, Math.max(1, deadline - this.now())), o.signal, this.sleep);
    }
    return {
      waited,
      check: () => Promise.resolve(),
      release: async () => {
        await this.db.transaction(async (q) => {
          for (const k of keys)
            await q(
              'DELETE FROM flow_locks WHERE org = ? AND flow_key = ? AND deployment_id = ? AND pid = ?',
              [org, k, holder.deploymentId, holder.pid],
            );
        });
      },
    };
  }

  async holders(org: string, keys: string[]): Promise<HeldFlowLock[]> {
    const rows = await this.rows(this.db.query, org, keys);
    const host = hostname();
    return rows
      .filter((r) => live(r, host))
      .map((r) => ({ org, flowKey: String(r.flow_key), holder: holderFromRow(r) }));
  }

  private rows(q: Query, org: string, keys: string[]): Promise<Row[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return q(
      `SELECT * FROM flow_locks WHERE org = ? AND flow_key IN (${keys.map(() => '?').join(', ')}) ORDER BY flow_key`,
      [org, ...keys],
    );
  }
}
