/** The ledger: one interface, the SQLite implementation (PostgreSQL follows). */
export type * from './types.js';
export { openSqliteLedger } from './sqlite.js';
export { MIGRATIONS, type Migration } from './migrations.js';
