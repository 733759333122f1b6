/**
 * Which ledger a command uses, and its password: `--ledger` (a file, or a postgres:// URL without
 * a password), else `FLOWGATE_LEDGER_URL`, else the manifest's `ledger.url` or `ledger.path`, else
 * the default file. The password of a PostgreSQL ledger comes only from the environment or a file
 * (`FLOWGATE_LEDGER_PASSWORD`, `FLOWGATE_LEDGER_PASSWORD_FILE`, the manifest's `ledger.passwordFile`,
 * or inside `FLOWGATE_LEDGER_URL`), never from a flag or the manifest's text.
 */
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';
import { readSecretFile } from '../secret-file.js';

/** A resolved ledger: a SQLite file, or a PostgreSQL URL with the password read for it. */
export type ResolvedLedger =
  | { kind: 'sqlite'; path: string; origin: string }
  | { kind: 'postgres'; url: string; password?: string | undefined; origin: string };

/** What the resolution reads. */
export interface LedgerInputs {
  /** `--ledger`. */
  flag?: string | undefined;
  manifest?:
    | {
        /** The manifest file itself: its folder holds any password file it names. */
        file?: string | undefined;
        path?: string | undefined;
        url?: string | undefined;
        /** Where `ledger.url` is written (`file:line:column`). */
        urlAt?: string | undefined;
        passwordFile?: string | undefined;
      }
    | undefined;
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
  if (origin === 'the manifest') assertTrustedManifestLedger(url, i);
  return { kind: 'postgres', url, password: password(i), origin };
}

/**
 * A ledger URL from the manifest receives the password (and any other PostgreSQL credential) of
 * the environment: like the org's endpoint (`platform/endpoint-trust.ts`), it is honoured only on
 * loopback or when the environment opts in (issue 18 §2).
 */
function assertTrustedManifestLedger(url: string, i: LedgerInputs): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return; // connecting reports the malformed URL
  }
  const optIn = ['1', 'true'].includes(i.env.FLOWGATE_ALLOW_MANIFEST_ENDPOINTS ?? '');
  if (isLoopbackHost(host) || optIn) return;
  throw new ConfigError(
    'CONFIG_UNTRUSTED_ENDPOINT',
    `${i.manifest?.urlAt ?? 'the manifest'}: ledger.url names ${host}; the ledger password in the environment is not sent to a server a manifest chooses`,
    {
      hint: 'Set FLOWGATE_LEDGER_URL in the environment instead, or FLOWGATE_ALLOW_MANIFEST_ENDPOINTS=1 where this manifest is trusted.',
    },
  );
}

function password(i: LedgerInputs): string | undefined {
  if (i.env.FLOWGATE_LEDGER_PASSWORD) return i.env.FLOWGATE_LEDGER_PASSWORD;
  const envFile = i.env.FLOWGATE_LEDGER_PASSWORD_FILE;
  if (envFile)
    return readSecretFile(envFile, { kind: 'environment', variable: 'FLOWGATE_LEDGER_PASSWORD_FILE' });
  const m = i.manifest;
  if (m?.passwordFile)
    return readSecretFile(m.passwordFile, {
      kind: 'manifest',
      manifest: m.file ?? 'the manifest',
      folder: m.file ? dirname(resolve(m.file)) : dirname(m.passwordFile),
      key: 'ledger.passwordFile',
    });
  // A password inside FLOWGATE_LEDGER_URL, or PGPASSWORD: node-postgres reads them itself.
  return i.env.PGPASSWORD || undefined;
}
