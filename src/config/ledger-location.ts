/**
 * Which ledger a command uses, and its password: `--ledger` (a file, or a postgres:// URL without
 * a password), else `FLOWGATE_LEDGER_URL`, else the manifest's `ledger.url` or `ledger.path`, else
 * the default file. The password of a PostgreSQL ledger comes only from the environment or a file
 * (`FLOWGATE_LEDGER_PASSWORD`, `FLOWGATE_LEDGER_PASSWORD_FILE`, the manifest's `ledger.passwordFile`,
 * or inside `FLOWGATE_LEDGER_URL`), never from a flag or the manifest's text.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/** A resolved ledger: a SQLite file, or a PostgreSQL URL with the password read for it. */
export type ResolvedLedger =
  | { kind: 'sqlite'; path: string; origin: string }
  | { kind: 'postgres'; url: string; password?: string | undefined; origin: string };

/** What the resolution reads. */
export interface LedgerInputs {
  /** `--ledger`. */
  flag?: string | undefined;
  manifest?:
    { path?: string | undefined; url?: string | undefined; passwordFile?: string | undefined } | undefined;
  env: Record<string, string | undefined>;
  defaultPath: string;
}

const isUrl = (s: string) => /^postgres(ql)?:\/\//i.test(s);

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/** The ledger to open. @throws {ConfigError} CONFIG_LEDGER, CONFIG_SECRET_FILE. */
export function resolveLedger(i: LedgerInputs): ResolvedLedger {
  const fromEnv = i.env.FLOWGATE_LEDGER_URL || undefined;
  if (i.flag !== undefined && !isUrl(i.flag)) return { kind: 'sqlite', path: i.flag, origin: '--ledger' };
  if (i.flag !== undefined && hasPassword(i.flag))
    throw new ConfigError(
      'CONFIG_LEDGER',
      '--ledger carries a password: it would show in process lists and shell history',
      {
        hint: 'Give the URL without the password and set FLOWGATE_LEDGER_PASSWORD (or FLOWGATE_LEDGER_PASSWORD_FILE).',
      },
    );
  if (i.manifest?.url !== undefined && hasPassword(i.manifest.url))
    throw new ConfigError(
      'CONFIG_LEDGER',
      "the manifest's ledger.url carries a password: the manifest is committed",
      {
        hint: 'Remove it from the URL and set FLOWGATE_LEDGER_PASSWORD, or ledger.passwordFile.',
      },
    );
  const url = i.flag ?? fromEnv ?? i.manifest?.url;
  const origin =
    i.flag !== undefined ? '--ledger' : fromEnv !== undefined ? 'FLOWGATE_LEDGER_URL' : 'the manifest';
  if (url === undefined) {
    if (i.manifest?.path !== undefined)
      return { kind: 'sqlite', path: i.manifest.path, origin: 'the manifest' };
    return { kind: 'sqlite', path: i.defaultPath, origin: 'the default' };
  }
  if (!isUrl(url))
    throw new ConfigError('CONFIG_LEDGER', `${origin}: the ledger URL must start with postgres://`, {
      hint: 'postgres://user@host:5432/database?sslmode=verify-full; a SQLite file goes in ledger.path.',
    });
  return { kind: 'postgres', url, password: password(i), origin };
}

function password(i: LedgerInputs): string | undefined {
  if (i.env.FLOWGATE_LEDGER_PASSWORD) return i.env.FLOWGATE_LEDGER_PASSWORD;
  const file = i.env.FLOWGATE_LEDGER_PASSWORD_FILE || i.manifest?.passwordFile;
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new ConfigError(
        'CONFIG_SECRET_FILE',
        `cannot read the ledger password file ${file}: ${(e as Error).message}`,
        {
          hint: 'Check the path and its permissions.',
        },
      );
    }
  }
  // A password inside FLOWGATE_LEDGER_URL, or PGPASSWORD: node-postgres reads them itself.
  return i.env.PGPASSWORD || undefined;
}
