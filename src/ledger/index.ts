/** The ledger: one interface, SQLite (embedded default) and PostgreSQL (a team's shared ledger). */
export type * from './types.js';
export { openSqliteLedger } from './sqlite.js';
export { openPostgresLedger, type PostgresLedgerOptions } from './postgres.js';
export { openLedger, type LedgerLocation } from './open.js';
export { copyLedger, type CopyResult } from './copy.js';
export { MIGRATIONS, type Migration } from './migrations.js';
