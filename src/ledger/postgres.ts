/**
 * The team ledger: PostgreSQL through node-postgres (`pg`), so several CI runners and people share
 * one history and one set of flow locks. The same SQL as the SQLite ledger (`sql-ledger.ts`); locks
 * are session-bound advisory locks (`postgres-locks.ts`), released by the server when a runner's
 * connection ends, however it ends.
 */
import type pg from 'pg';
import { isFlowgateError } from '../errors.js';
import { forDialect, MIGRATIONS } from './migrations.js';
import { PostgresLocks } from './postgres-locks.js';
import { connectionConfig, ledgerError, type PostgresTarget } from './postgres-connection.js';
import { SqlLedger } from './sql-ledger.js';
import type { LockStrategy, Query, Row, SqlDriver } from './sql-driver.js';
import type { Ledger } from './types.js';
import { isoNow, systemClock, type Clock } from '../shared/time.js';

/** Options of {@link openPostgresLedger}. */
export interface PostgresLedgerOptions extends PostgresTarget {
  /** The clock of every timestamp and of the wait for a flow lock. @default Date.now */
  now?: Clock;
  /** Connections for statements (locks use one more of their own). @default 4 */
  poolSize?: number;
}

/** The key of the advisory transaction lock that serialises runners migrating at once. */
const MIGRATION_LOCK = '7366021855000115001';

/**
 * Connects to PostgreSQL and migrates the schema (several runners may start at once: the first
 * migrates, the others wait for it and find nothing left to do).
 * @throws LEDGER_OPEN (refused, unknown database, wrong password), CONFIG_LEDGER (a bad URL).
 */
export async function openPostgresLedger(o: PostgresLedgerOptions): Promise<Ledger> {
  const config = connectionConfig(o);
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    ...config,
    max: o.poolSize ?? 4,
    // A server that stops answering (a partition) fails the statement instead of hanging the run.
    query_timeout: 60_000,
  });
  // An idle connection that the server closes is dropped by the pool; the next statement reconnects.
  pool.on('error', () => undefined);
  const now = o.now ?? systemClock;
  const driver = new PostgresDriver(pool, new PostgresLocks(pool, () => new pgModule.Client(config), now));
  try {
    await migrate(pool, now);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw ledgerError(e, 'open', config);
  }
  return new SqlLedger(driver, now);
}

async function migrate(pool: pg.Pool, now: Clock): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const done = new Set(
      (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const s of m.statements) await c.query(forDialect(s, 'postgres'));
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        isoNow(now),
      ]);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** `?` placeholders (the portable form) to PostgreSQL's `$1, $2, …`. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PostgresDriver implements SqlDriver {
  constructor(
    private readonly pool: pg.Pool,
    readonly locks: LockStrategy & { close(): Promise<void> },
  ) {}

  query: Query = async (sql, params = []) => {
    try {
      return (await this.pool.query<Row>(numbered(sql), params as unknown[])).rows;
    } catch (e) {
      throw ledgerError(e, 'read');
    }
  };

  async transaction<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw ledgerError(e, 'write');
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(
        async (sql, params = []) => (await client.query<Row>(numbered(sql), params as unknown[])).rows,
      );
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (isFlowgateError(e)) throw e;
      throw ledgerError(e, 'write');
    } finally {
      // A connection that failed mid-transaction is not given back to the pool.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.locks.close();
    await this.pool.end();
  }
}
