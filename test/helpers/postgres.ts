/**
 * Per-test PostgreSQL databases in the run's real server (test/setup/postgres.ts). A machine that
 * could not start the server fails these tests, saying why; CI installs PostgreSQL, so there they
 * always run.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh, empty database for one test. */
export interface TestDatabase {
  /** `postgres://postgres@127.0.0.1:PORT/db` (no password). */
  url: string;
  password: string;
  name: string;
  /** A query as the server's superuser in this database (to look at pg_locks, cut sessions). */
  admin(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Ends every other session of this database, as a network loss or a server restart would. */
  cutConnections(): Promise<number>;
}

/** The server, or a clear failure. */
export function postgresServer(): {
  url: string;
  password: string;
  host: string;
  port: number;
  dataDir: string;
} {
  const pgInfo = inject('postgres');
  if (!pgInfo.ok)
    throw new Error(`PostgreSQL tests need a server and none could be started here: ${pgInfo.why}`);
  return pgInfo;
}

/** Creates a database for this test; drop happens with the server at the end of the run. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const server = postgresServer();
  const name = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const root = new pg.Client({
    host: server.host,
    port: server.port,
    user: 'postgres',
    password: server.password,
    database: 'postgres',
  });
  await root.connect();
  await root.query(`CREATE DATABASE ${name}`);
  await root.end();
  const url = `postgres://postgres@${server.host}:${server.port}/${name}`;
  const admin = async (sql: string, params: unknown[] = []) => {
    const c = new pg.Client({
      host: server.host,
      port: server.port,
      user: 'postgres',
      password: server.password,
      database: name,
      application_name: 'flowgate-test-admin',
    });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as Array<Record<string, unknown>>;
    } finally {
      await c.end();
    }
  };
  return {
    url,
    password: server.password,
    name,
    admin,
    cutConnections: async () => {
      const rows = await admin(
        `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> 'flowgate-test-admin'`,
        [name],
      );
      return rows.length;
    },
  };
}
