/**
 * Vitest global setup: one real PostgreSQL server for the whole run (each test then makes its own
 * database, see test/helpers/postgres.ts). A machine that cannot start one does not fail the
 * other tests: the PostgreSQL tests fail, each saying why.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres:
      | { ok: true; url: string; password: string; dataDir: string; host: string; port: number }
      | { ok: false; why: string };
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  let server: PostgresServer | undefined;
  try {
    server = await startPostgres();
    project.provide('postgres', {
      ok: true,
      url: server.url,
      password: server.password,
      dataDir: server.dataDir,
      host: server.host,
      port: server.port,
    });
  } catch (e) {
    project.provide('postgres', { ok: false, why: (e as Error).message });
  }
  return () => server?.stop();
}
