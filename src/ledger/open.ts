/** One way to open either ledger: a SQLite file (the default) or a team's PostgreSQL. */
import { openPostgresLedger } from './postgres.js';
import { openSqliteLedger } from './sqlite.js';
import type { Clock } from '../shared/time.js';
import type { Ledger } from './types.js';

/** Where a ledger is. */
export type LedgerLocation =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      url: string;
      /** From the environment or a file, never from a flag. */
      password?: string | undefined;
    };

/** Opens (and migrates) the ledger at a location. */
export async function openLedger(where: LedgerLocation, options: { now?: Clock } = {}): Promise<Ledger> {
  if (where.kind === 'sqlite') return openSqliteLedger(where.path, options);
  return openPostgresLedger({ url: where.url, password: where.password, ...options });
}
