/**
 * Where the team ledger is and how flowgate talks to it: the connection URL (never printed with
 * its password), TLS off loopback, the password from the caller (the environment or a file), and
 * PostgreSQL's errors as the ledger's typed errors.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { ConfigError, FlowgateError, isFlowgateError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';

/** A PostgreSQL ledger to connect to. */
export interface PostgresTarget {
  /** `postgres://user@host:port/database?sslmode=require`. */
  url: string;
  /** Read from the environment or a file by the caller; wins over a password in the URL. */
  password?: string | undefined;
  /** `application_name` on the server (shows in `pg_stat_activity`). @default 'flowgate' */
  applicationName?: string;
}

/** Stands for "no password given" (see {@link connectionConfig}); not a secret. */
const NO_PASSWORD = 'flowgate: no password was given';

const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return '(an unreadable URL)';
  }
}

/** Whether a ledger location is a PostgreSQL URL rather than a SQLite file. */
function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * node-postgres settings from the target.
 * @throws {ConfigError} CONFIG_LEDGER for a malformed URL or plain TCP off loopback.
 */
export function connectionConfig(t: PostgresTarget): pg.ClientConfig {
  let u: URL;
  try {
    u = new URL(t.url);
  } catch {
    throw new ConfigError('CONFIG_LEDGER', `the ledger URL ${describeUrl(t.url)} is not a URL`, {
      hint: 'Write it as postgres://user@host:5432/database?sslmode=verify-full.',
    });
  }
  if (!isPostgresUrl(t.url))
    throw new ConfigError('CONFIG_LEDGER', `the ledger URL ${describeUrl(t.url)} is not a postgres:// URL`, {
      hint: 'Write it as postgres://user@host:5432/database?sslmode=verify-full.',
    });
  const mode = u.searchParams.get('sslmode') ?? (isLoopbackHost(u.hostname) ? 'disable' : 'verify-full');
  if (!SSL_MODES.has(mode))
    throw new ConfigError('CONFIG_LEDGER', `sslmode=${mode} is not one of ${[...SSL_MODES].join(', ')}`, {
      hint: 'Use sslmode=verify-full (or require) for a server off this machine.',
    });
  const tls = mode === 'require' || mode === 'verify-ca' || mode === 'verify-full';
  if (!tls && !isLoopbackHost(u.hostname))
    throw new ConfigError(
      'CONFIG_LEDGER',
      `the ledger ${describeUrl(t.url)} is off this machine and sslmode=${mode} would send the password and the history in clear`,
      { hint: 'Use sslmode=verify-full (or require) for a server off this machine.' },
    );
  const rootCert = u.searchParams.get('sslrootcert');
  const password = t.password ?? (u.password ? decodeURIComponent(u.password) : undefined);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 5432,
    user: u.username ? decodeURIComponent(u.username) : 'postgres',
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : 'postgres',
    // Never empty: node-postgres throws outside any promise, or leaves the socket open, when the
    // server asks for a password it does not have. A placeholder no server accepts is refused like
    // any wrong password (the connection closes), and `ledgerError` then says none was given.
    password: password ?? NO_PASSWORD,
    ...(tls
      ? {
          ssl: {
            rejectUnauthorized: mode !== 'require',
            ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
            ...(rootCert ? { ca: readFileSync(rootCert, 'utf8') } : {}),
          },
        }
      : {}),
    application_name: t.applicationName ?? 'flowgate',
    keepAlive: true,
    connectionTimeoutMillis: 15_000,
  };
}

/** SQLSTATE classes and socket errors that mean the server is gone, not that a statement was wrong. */
function connectionLost(e: { code?: unknown; message?: unknown }): boolean {
  const code = typeof e.code === 'string' ? e.code : '';
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout|not queryable/i.test(
      typeof e.message === 'string' ? e.message : '',
    )
  );
}

/** PostgreSQL's error as the ledger's: unreachable, refused credentials, or a failed write. */
export function ledgerError(
  e: unknown,
  during: 'open' | 'read' | 'write',
  config?: pg.ClientConfig,
): FlowgateError {
  if (isFlowgateError(e)) return e;
  const err = e as { code?: unknown; message?: unknown };
  const where = config ? ` at ${String(config.host)}:${String(config.port)}/${String(config.database)}` : '';
  const message = String(err.message ?? e);
  if ((err.code === '28P01' || err.code === '28000') && config?.password === NO_PASSWORD)
    return new FlowgateError('LEDGER_OPEN', `the ledger${where} asks for a password and none was given`, {
      hint: 'Set FLOWGATE_LEDGER_PASSWORD, or FLOWGATE_LEDGER_PASSWORD_FILE to a file holding it.',
      cause: e,
    });
  if (err.code === '28P01' || err.code === '28000')
    return new FlowgateError('LEDGER_OPEN', `the ledger${where} refused the credentials: ${message}`, {
      hint: 'Check FLOWGATE_LEDGER_PASSWORD (or the file FLOWGATE_LEDGER_PASSWORD_FILE names) and the user in the URL.',
      cause: e,
    });
  if (err.code === '3D000')
    return new FlowgateError('LEDGER_OPEN', `the ledger database does not exist${where}: ${message}`, {
      hint: 'Create it (createdb), or point the URL at an existing database; flowgate creates its tables itself.',
      cause: e,
    });
  if (connectionLost(err))
    return new FlowgateError(
      during === 'open' ? 'LEDGER_OPEN' : 'LEDGER_UNAVAILABLE',
      `the ledger server${where} cannot be reached: ${message}`,
      {
        hint:
          during === 'open'
            ? 'Check that PostgreSQL runs and accepts connections from this machine.'
            : 'No new step was started. When the server is back, run the deployment again: it resumes, and steps in doubt are checked against the org first.',
        cause: e,
      },
    );
  return new FlowgateError(
    during === 'open' ? 'LEDGER_OPEN' : 'LEDGER_WRITE',
    `the ledger could not ${during === 'read' ? 'read' : 'record a change'}: ${message}`,
    { hint: 'Nothing further was started; fix the cause, then resume the deployment.', cause: e },
  );
}
