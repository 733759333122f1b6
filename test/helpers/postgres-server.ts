/**
 * A real, throwaway PostgreSQL server for the tests: `initdb` into a temporary folder, `pg_ctl`
 * start on 127.0.0.1 with a free port, password authentication over TCP (so the tests prove that
 * flowgate sends the password it read from the environment or a file). `initdb` refuses to run as
 * root, so as root the server runs as the `postgres` user (Debian's package creates it).
 *
 * No mock: when no server can be started, {@link startPostgres} throws a message that says why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running server. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (no password: it goes in {@link password}). */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  dataDir: string;
  stop(): void;
  /** Stops at once (connections are cut), as a crash or a network loss would. */
  stopImmediately(): void;
  /** Starts again on the same port and data. */
  start(): void;
}

/** The folder of PostgreSQL's programs: the PATH, else Debian's versioned folder. */
export function postgresBin(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a new server; throws a clear message when this machine cannot. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  if (!bin)
    throw new Error(
      'PostgreSQL is not installed (no initdb/pg_ctl on the PATH or in /usr/lib/postgresql): install Debian’s postgresql package (.ci/run does)',
    );
  const root = process.getuid?.() === 0;
  const asOwner = (cmd: string, args: string[]) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  const base = mkdtempSync(join(tmpdir(), 'flowgate-pg-'));
  const dataDir = join(base, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const pwFile = join(base, 'pw');
  writeFileSync(pwFile, password);
  if (root) {
    chmodSync(base, 0o755);
    chownSync(base, uid('postgres'), gid('postgres'));
    chownSync(pwFile, uid('postgres'), gid('postgres'));
  }
  try {
    asOwner(join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${pwFile}`,
      '-E',
      'UTF8',
      '--no-sync',
    ]);
  } catch (e) {
    throw new Error(`initdb failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`, { cause: e });
  }
  rmSync(pwFile, { force: true });
  let port = await freePort();
  const start = () =>
    asOwner(join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      join(dataDir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      // Socket in the data folder (no /run/postgresql needed); fsync off: a test server.
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir} -c fsync=off -c max_connections=200`,
      'start',
    ]);
  for (let attempt = 0; ; attempt++) {
    try {
      start();
      break;
    } catch (e) {
      // The free port may have been taken in between: another one.
      if (attempt >= 3)
        throw new Error(`pg_ctl start failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`, {
          cause: e,
        });
      port = await freePort();
    }
  }
  const stopWith = (mode: string) => () => {
    try {
      asOwner(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    dataDir,
    stop: () => {
      stopWith('fast')();
      rmSync(base, { recursive: true, force: true });
    },
    stopImmediately: stopWith('immediate'),
    start: () => {
      start();
    },
  };
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
