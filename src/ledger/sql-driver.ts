/**
 * What the ledger needs of a database: statements with `?` placeholders, write transactions, and
 * the engine's own locks. SQLite (`sqlite.ts`) and PostgreSQL (`postgres.ts`) each provide one, and
 * `sql-ledger.ts` implements the ledger once over it, so both backends run the same SQL.
 */
import type { FlowLockHolder, FlowLockOptions, FlowLocks, HeldFlowLock, Holder } from './types.js';

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Runs one statement; `?` placeholders in order. */
export type Query = (sql: string, params?: readonly unknown[]) => Promise<Row[]>;

/** The engine's locks: run locks per deployment, flow locks per org and flow. */
export interface LockStrategy {
  acquireRun(deploymentId: string, holder: Holder): Promise<{ release(): Promise<void> }>;
  lockFlows(org: string, keys: string[], holder: FlowLockHolder, o: FlowLockOptions): Promise<FlowLocks>;
  holders(org: string, keys: string[]): Promise<HeldFlowLock[]>;
}

/** One database behind the ledger. */
export interface SqlDriver {
  /** Reads (and single-statement writes) outside a transaction. */
  query: Query;
  /** Runs `fn` in one write transaction; a throw rolls it back. Failures become ledger errors. */
  transaction<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  locks: LockStrategy;
  close(): Promise<void>;
}
