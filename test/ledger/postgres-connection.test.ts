/**
 * `ledger/postgres-connection.ts` in-process (issue 22: its paths were reached only by the CLI's
 * child processes, which Stryker cannot see): the node-postgres settings a ledger URL gives (TLS
 * off loopback, each sslmode, the password's sources, the defaults), the URL as messages print it
 * (never its password), and PostgreSQL's errors as the ledger's typed errors: both built by hand
 * with the SQLSTATE codes PostgreSQL documents (https://www.postgresql.org/docs/15/errcodes-appendix.html)
 * and got from the run's real server (a wrong password, none, a database that is not there, a
 * port nothing listens on).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowgateError } from '../../src/errors.js';
import { connectionConfig, describeUrl, ledgerError } from '../../src/ledger/postgres-connection.js';
import { openPostgresLedger } from '../../src/ledger/postgres.js';
import { postgresDatabase, postgresServer } from '../helpers/postgres.js';

const NO_PASSWORD = 'flowgate: no password was given';
const OFF_HOST_HINT = 'Use sslmode=verify-full (or require) for a server off this machine.';
const URL_HINT = 'Write it as postgres://user@host:5432/database?sslmode=verify-full.';

/** The thrown error of `f` (the test fails when it returns). */
function thrown(f: () => unknown): FlowgateError {
  try {
    f();
  } catch (e) {
    return e as FlowgateError;
  }
  throw new Error('expected a throw');
}

describe('connectionConfig: what node-postgres is given', () => {
  it('a loopback URL with nothing else: plain TCP and every default', () => {
    expect(connectionConfig({ url: 'postgres://127.0.0.1/' })).toEqual({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      password: NO_PASSWORD,
      application_name: 'flowgate',
      keepAlive: true,
      connectionTimeoutMillis: 15_000,
    });
  });

  it('user, password and database are decoded; the given password wins over the URL one', () => {
    const url = 'postgresql://ci%40team:p%40ss%2Fw@[::1]:6543/flow%20gate';
    expect(connectionConfig({ url })).toMatchObject({
      host: '::1',
      port: 6543,
      user: 'ci@team',
      password: 'p@ss/w',
      database: 'flow gate',
    });
    expect(connectionConfig({ url, password: 'from-env', applicationName: 'runner 7' })).toMatchObject({
      password: 'from-env',
      application_name: 'runner 7',
    });
  });

  it('off this machine TLS is verified by default; require encrypts without verifying', () => {
    const verified = connectionConfig({ url: 'postgres://u@db.example.com/ledger' });
    expect(verified.ssl).toEqual({ rejectUnauthorized: true });
    expect(connectionConfig({ url: 'postgres://u@db.example.com/l?sslmode=verify-full' }).ssl).toEqual({
      rejectUnauthorized: true,
    });
    expect(connectionConfig({ url: 'postgres://u@db.example.com/l?sslmode=require' }).ssl).toEqual({
      rejectUnauthorized: false,
    });
  });

  it('verify-ca checks the chain, not the host name; sslrootcert is read as the CA', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-ca-'));
    const ca = join(dir, 'root.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const c = connectionConfig({
      url: `postgres://u@db.example.com/l?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}`,
    });
    const ssl = c.ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity: () => unknown };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(ssl.checkServerIdentity()).toBeUndefined();
  });

  it('TLS on loopback when asked; plain TCP on loopback whatever the non-TLS mode', () => {
    expect(connectionConfig({ url: 'postgres://localhost/l?sslmode=require' }).ssl).toEqual({
      rejectUnauthorized: false,
    });
    for (const mode of ['disable', 'allow', 'prefer'])
      expect(connectionConfig({ url: `postgres://127.0.0.1/l?sslmode=${mode}` }).ssl).toBeUndefined();
  });

  it.each(['disable', 'allow', 'prefer'])(
    'sslmode=%s off this machine is CONFIG_LEDGER: the password would go in clear',
    (mode) => {
      const e = thrown(() =>
        connectionConfig({ url: `postgres://u:secret@db.example.com/l?sslmode=${mode}` }),
      );
      expect(e).toBeInstanceOf(FlowgateError);
      expect(e).toMatchObject({
        code: 'CONFIG_LEDGER',
        message: `the ledger postgres://u@db.example.com/l is off this machine and sslmode=${mode} would send the password and the history in clear`,
        hint: OFF_HOST_HINT,
      });
    },
  );

  it('an sslmode PostgreSQL does not have is CONFIG_LEDGER listing the six', () => {
    expect(thrown(() => connectionConfig({ url: 'postgres://127.0.0.1/l?sslmode=verify' }))).toMatchObject({
      code: 'CONFIG_LEDGER',
      message: 'sslmode=verify is not one of disable, allow, prefer, require, verify-ca, verify-full',
      hint: OFF_HOST_HINT,
    });
  });

  it('a text that is not a URL, or not a postgres:// one, is CONFIG_LEDGER without its password', () => {
    expect(thrown(() => connectionConfig({ url: '//db.example.com:5432/ledger' }))).toMatchObject({
      code: 'CONFIG_LEDGER',
      message: 'the ledger URL (an unreadable URL) is not a URL',
      hint: URL_HINT,
    });
    const e = thrown(() => connectionConfig({ url: 'mysql://u:secret@db.example.com/ledger' }));
    expect(e).toMatchObject({
      code: 'CONFIG_LEDGER',
      message: 'the ledger URL mysql://u@db.example.com/ledger is not a postgres:// URL',
      hint: URL_HINT,
    });
    expect(JSON.stringify(e)).not.toContain('secret');
  });
});

describe('describeUrl: the URL as messages print it', () => {
  it('keeps the user, host, port and database, never the password', () => {
    expect(describeUrl('postgres://ci%40team:s3cret@db:6543/ledger?sslmode=require')).toBe(
      'postgres://ci@team@db:6543/ledger',
    );
    expect(describeUrl('postgres://db/ledger')).toBe('postgres://db/ledger');
    expect(describeUrl('not a url')).toBe('(an unreadable URL)');
  });
});

describe("ledgerError: PostgreSQL's errors as the ledger's", () => {
  const config = connectionConfig({ url: 'postgres://u@127.0.0.1:6543/ledger', password: 'pw' });
  const none = connectionConfig({ url: 'postgres://u@127.0.0.1:6543/ledger' });
  const where = ' at 127.0.0.1:6543/ledger';
  const pgError = (code: string, message = 'the server said so') =>
    Object.assign(new Error(message), { code });

  it('a flowgate error is passed on as it is', () => {
    const e = new FlowgateError('LEDGER_BUSY', 'busy');
    expect(ledgerError(e, 'write', config)).toBe(e);
  });

  it.each(['28P01', '28000'])('%s with no password given says none was given', (code) => {
    const cause = pgError(code, 'password authentication failed for user "u"');
    expect(ledgerError(cause, 'open', none)).toMatchObject({
      code: 'LEDGER_OPEN',
      message: `the ledger${where} asks for a password and none was given`,
      hint: 'Set FLOWGATE_LEDGER_PASSWORD, or FLOWGATE_LEDGER_PASSWORD_FILE to a file holding it.',
      cause,
    });
    expect(ledgerError(cause, 'open', config)).toMatchObject({
      code: 'LEDGER_OPEN',
      message: `the ledger${where} refused the credentials: password authentication failed for user "u"`,
      hint: 'Check FLOWGATE_LEDGER_PASSWORD (or the file FLOWGATE_LEDGER_PASSWORD_FILE names) and the user in the URL.',
    });
  });

  it('3D000 is a database that does not exist', () => {
    expect(ledgerError(pgError('3D000', 'database "ledger" does not exist'), 'open', config)).toMatchObject({
      code: 'LEDGER_OPEN',
      message: `the ledger database does not exist${where}: database "ledger" does not exist`,
      hint: 'Create it (createdb), or point the URL at an existing database; flowgate creates its tables itself.',
    });
  });

  const lost = [
    ['08006', 'connection failure'],
    ['08001', 'could not connect'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'the database system is starting up'],
    ...['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].map(
      (c): [string, string] => [c, `${c} x`],
    ),
    ['', 'Connection terminated unexpectedly'],
    ['', 'timeout exceeded when trying to connect: connection timeout'],
    ['', 'Client has encountered a connection error and is not queryable'],
    ['', 'Query read timeout'],
    ['', 'Client was closed and is not queryable'],
  ] as const;

  it.each(lost)('%s "%s": unreachable, LEDGER_OPEN on open and LEDGER_UNAVAILABLE after', (code, message) => {
    const cause = code ? pgError(code, message) : new Error(message);
    expect(ledgerError(cause, 'open', config)).toMatchObject({
      code: 'LEDGER_OPEN',
      message: `the ledger server${where} cannot be reached: ${message}`,
      hint: 'Check that PostgreSQL runs and accepts connections from this machine.',
      cause,
    });
    for (const during of ['read', 'write'] as const)
      expect(ledgerError(cause, during, config)).toMatchObject({
        code: 'LEDGER_UNAVAILABLE',
        message: `the ledger server${where} cannot be reached: ${message}`,
        hint: 'No new step was started. When the server is back, run the deployment again: it resumes, and steps in doubt are checked against the org first.',
      });
  });

  it('any other failure: LEDGER_OPEN on open, LEDGER_WRITE after, saying read or write', () => {
    const cause = pgError('23505', 'duplicate key value violates unique constraint');
    const hint = 'Nothing further was started; fix the cause, then resume the deployment.';
    expect(ledgerError(cause, 'open', config)).toMatchObject({
      code: 'LEDGER_OPEN',
      message: 'the ledger could not record a change: duplicate key value violates unique constraint',
      hint,
    });
    expect(ledgerError(cause, 'read')).toMatchObject({
      code: 'LEDGER_WRITE',
      message: 'the ledger could not read: duplicate key value violates unique constraint',
      hint,
    });
    expect(ledgerError(cause, 'write').message).toBe(
      'the ledger could not record a change: duplicate key value violates unique constraint',
    );
    // A code that only starts like a lost connection's, and a thrown string.
    expect(ledgerError(pgError('42P01', 'relation "x" does not exist'), 'write').code).toBe('LEDGER_WRITE');
    expect(ledgerError('plain text', 'write').message).toBe(
      'the ledger could not record a change: plain text',
    );
  });
});

describe('openPostgresLedger against the real server', () => {
  it('a wrong password is refused credentials, never printed', async () => {
    const db = await postgresDatabase();
    const e = await openPostgresLedger({ url: db.url, password: 'wrong-password-417' }).catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: 'LEDGER_OPEN' });
    expect((e as Error).message).toMatch(/^the ledger at 127\.0\.0\.1:\d+\/t_\w+ refused the credentials: /);
    expect(JSON.stringify(e) + (e as Error).message).not.toContain('wrong-password-417');
  });

  it('no password at all says none was given', async () => {
    const db = await postgresDatabase();
    await expect(openPostgresLedger({ url: db.url })).rejects.toMatchObject({
      code: 'LEDGER_OPEN',
      message: expect.stringMatching(/asks for a password and none was given$/),
    });
  });

  it('a database that is not there is named', async () => {
    const s = postgresServer();
    await expect(
      openPostgresLedger({ url: `postgres://postgres@${s.host}:${s.port}/no_such_db`, password: s.password }),
    ).rejects.toMatchObject({
      code: 'LEDGER_OPEN',
      message: expect.stringMatching(/^the ledger database does not exist at .+\/no_such_db: /),
    });
  });

  it('a port nothing listens on cannot be reached', async () => {
    // A port the system gave and took back: nothing listens on it now.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    await expect(
      openPostgresLedger({ url: `postgres://u@127.0.0.1:${port}/l`, password: 'x' }),
    ).rejects.toMatchObject({
      code: 'LEDGER_OPEN',
      message: expect.stringMatching(
        new RegExp(`^the ledger server at 127\\.0\\.0\\.1:${port}/l cannot be reached: `),
      ),
    });
  });
});
