/**
 * Versioned schema migrations, in portable SQL (types and statements that SQLite and PostgreSQL
 * both accept; {@link forDialect} makes the one change PostgreSQL needs). A migration is applied
 * once, in order, inside a transaction, and recorded in `schema_migrations`; each backend
 * serialises runners that migrate at once (SQLite: an immediate transaction; PostgreSQL: an
 * advisory transaction lock).
 */

/** One migration. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Every migration, oldest first. Never edit one that has shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'deployments, steps, events, calls, locks',
    statements: [
      `CREATE TABLE deployments (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL,
        actor TEXT NOT NULL,
        org TEXT NOT NULL,
        env TEXT,
        manifest TEXT,
        atomic INTEGER NOT NULL
      )`,
      `CREATE TABLE steps (
        deployment_id TEXT NOT NULL REFERENCES deployments(id),
        idx INTEGER NOT NULL,
        flow_key TEXT NOT NULL,
        flow_name TEXT NOT NULL,
        flow_type TEXT NOT NULL,
        flow_id TEXT,
        kind TEXT NOT NULL,
        target_version TEXT,
        previous_version TEXT,
        published_version TEXT,
        created_flow INTEGER NOT NULL,
        content_hash TEXT,
        content TEXT,
        state TEXT NOT NULL,
        activate_at TEXT,
        depends_on TEXT NOT NULL,
        operation_before TEXT,
        operation_id TEXT,
        job_id TEXT,
        error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (deployment_id, idx)
      )`,
      `CREATE INDEX steps_flow ON steps (flow_key, state, updated_at)`,
      `CREATE TABLE step_events (
        deployment_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        detail TEXT,
        PRIMARY KEY (deployment_id, idx, seq)
      )`,
      `CREATE TABLE calls (
        deployment_id TEXT NOT NULL,
        idx INTEGER,
        at TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        correlation_id TEXT,
        error TEXT
      )`,
      `CREATE INDEX calls_deployment ON calls (deployment_id)`,
      `CREATE TABLE run_locks (
        deployment_id TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        actor TEXT NOT NULL,
        since TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'flow locks per org and flow; the database session behind a lock',
    statements: [
      `CREATE TABLE flow_locks (
        org TEXT NOT NULL,
        flow_key TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        actor TEXT NOT NULL,
        since TEXT NOT NULL,
        lock_key TEXT,
        session_pid INTEGER,
        PRIMARY KEY (org, flow_key)
      )`,
      `ALTER TABLE run_locks ADD COLUMN lock_key TEXT`,
      `ALTER TABLE run_locks ADD COLUMN session_pid INTEGER`,
      `CREATE INDEX deployments_status ON deployments (status, created_at)`,
    ],
  },
  {
    version: 3,
    name: 'why a deployment was made (a rollback is reported as one)',
    statements: [`ALTER TABLE deployments ADD COLUMN purpose TEXT`],
  },
  {
    version: 4,
    name: 'artifacts (content before substitutions, values), health verdicts, plan hashes, gates, approvals',
    statements: [
      `ALTER TABLE steps ADD COLUMN artifact_hash TEXT`,
      `ALTER TABLE steps ADD COLUMN values_hash TEXT`,
      `ALTER TABLE steps ADD COLUMN source TEXT`,
      `ALTER TABLE steps ADD COLUMN source_file TEXT`,
      `ALTER TABLE steps ADD COLUMN health TEXT`,
      `ALTER TABLE deployments ADD COLUMN plan_hash TEXT`,
      `ALTER TABLE deployments ADD COLUMN gates TEXT`,
      `CREATE INDEX steps_artifact ON steps (artifact_hash)`,
      `CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        plan_hash TEXT NOT NULL,
        env TEXT,
        deployment_id TEXT,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT
      )`,
      `CREATE INDEX approvals_plan ON approvals (plan_hash)`,
    ],
  },
  {
    version: 5,
    name: 'the order step events were recorded in (two in one millisecond kept their order)',
    statements: [`ALTER TABLE step_events ADD COLUMN ord INTEGER`],
  },
];

/** The SQL dialects of the ledger. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * A statement for a dialect. PostgreSQL's `REAL` is single precision (a latency of 12.3 ms would
 * read back as 12.300000190734863); SQLite's is double: PostgreSQL gets `DOUBLE PRECISION`.
 */
export function forDialect(sql: string, dialect: Dialect): string {
  return dialect === 'postgres' ? sql.replace(/\bREAL\b/g, 'DOUBLE PRECISION') : sql;
}
