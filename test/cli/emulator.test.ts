import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SEED_PATH, readSeed } from '../../src/emulator/server.js';

function startCli(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['bin/flowgate.js', 'emulator', '--port', '0', ...args], {
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  /** Resolves when stderr matches (an event, not a polling sleep). */
  const stderrMatches = (re: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!re.test(stderr)) return;
        child.stderr.off('data', check);
        resolve();
      };
      child.stderr.on('data', check);
      check();
    });
  return { child, ready, out: () => stdout, err: () => stderr, stderrMatches };
}

describe('flowgate emulator (child process)', () => {
  it('prints its URL, serves login and API on one origin, never prints a given secret, stops cleanly on SIGTERM', async () => {
    const p = startCli({
      FLOWGATE_EMULATOR_CLIENT_ID: 'ci-client',
      FLOWGATE_EMULATOR_CLIENT_SECRET: 'ci-secret-from-env',
    });
    const url = await p.ready;
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('ci-client:ci-secret-from-env').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const flows = await fetch(`${url}/api/v2/flows`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    // The bundled example org, as its seed file describes it.
    expect(((await flows.json()) as { total: number }).total).toBe(readSeed(DEFAULT_SEED_PATH).flows!.length);
    await p.stderrMatches(/SECRET=.*\n/);
    expect(p.err()).toContain('GENESYSCLOUD_OAUTHCLIENT_ID=ci-client');
    expect(p.err() + p.out()).not.toContain('ci-secret-from-env');
    p.child.kill('SIGTERM');
    const [code] = await once(p.child, 'exit');
    expect(code).toBe(0);
    expect(p.err()).toContain('stopped');
  });

  it('prints a generated secret (otherwise nobody could log in) and stops on SIGINT', async () => {
    const p = startCli({});
    await p.ready;
    await p.stderrMatches(/SECRET=.*\n/);
    const m = /GENESYSCLOUD_OAUTHCLIENT_SECRET=(\S+)/.exec(p.err());
    expect(m?.[1]).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    p.child.kill('SIGINT');
    const [code] = await once(p.child, 'exit');
    expect(code).toBe(0);
  });

  it('rejects a bad port with exit 2', async () => {
    const child = spawn(process.execPath, ['bin/flowgate.js', 'emulator', '--port', 'abc'], {
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('[USAGE_PORT]');
  });
});

describe('flowgate emulator on a taken port', () => {
  it('says the port is taken, with exit 1 and no stack trace', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, ['bin/flowgate.js', 'emulator', '--port', String(port)], {
        env: { PATH: process.env.PATH, NO_COLOR: '1' },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stderr).toContain('[EMULATOR_LISTEN]');
      expect(stderr).toContain('EADDRINUSE');
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});

/** Runs a script in a real POSIX shell with nothing but PATH (and `env`) in its environment. */
async function shell(script: string, env: Record<string, string> = {}) {
  const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

const FLOWGATE = resolve('bin/flowgate.js');
const whoami = `"${process.execPath}" "${FLOWGATE}" whoami --json`;

describe('flowgate emulator: its connection variables in a shell', () => {
  it('prints `export` lines that, pasted into a shell, let the next command log in', async () => {
    const p = startCli({});
    await p.ready;
    await p.stderrMatches(/SECRET=.*\n/);
    const lines = p
      .err()
      .split('\n')
      .filter((l) => l.startsWith('export '));
    expect(lines.map((l) => /^export (\w+)=/.exec(l)?.[1])).toEqual([
      'GENESYSCLOUD_BASE_URL',
      'GENESYSCLOUD_OAUTHCLIENT_ID',
      'GENESYSCLOUD_OAUTHCLIENT_SECRET',
    ]);
    const r = await shell(`${lines.join('\n')}\n${whoami}`);
    p.child.kill('SIGTERM');
    await once(p.child, 'exit');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ client: { id: 'flowgate-demo-client' } });
  });

  it('--write-env writes them 0600 (an existing file too), quoted for the shell; a given secret stays a reference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-envfile-'));
    const file = join(dir, 'emulator.env');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    const clientId = "o'brien $HOME client";
    const secret = 'given secret; with `backticks`';
    const p = startCli({ FLOWGATE_EMULATOR_CLIENT_ID: clientId, FLOWGATE_EMULATOR_CLIENT_SECRET: secret }, [
      '--write-env',
      file,
    ]);
    await p.ready;
    await p.stderrMatches(/connection variables in .*\n/);
    const text = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(text).toContain('export GENESYSCLOUD_OAUTHCLIENT_SECRET="$FLOWGATE_EMULATOR_CLIENT_SECRET"\n');
    expect(text + p.err() + p.out()).not.toContain(secret);
    // Sourced in a shell whose environment holds the secret it was given: the next command logs in.
    const r = await shell(`. '${file}' && ${whoami}`, { FLOWGATE_EMULATOR_CLIENT_SECRET: secret });
    p.child.kill('SIGTERM');
    await once(p.child, 'exit');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ client: { id: clientId } });
  });

  it('a --write-env file it cannot write: exit 1 naming the file, and the emulator does not stay up', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flowgate-envfile-')), 'no-such-folder', 'emulator.env');
    const child = spawn(process.execPath, [FLOWGATE, 'emulator', '--write-env', file], {
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('[EMULATOR_ENV_FILE]');
    expect(stderr).toContain(file);
    expect(stderr).toContain('ENOENT');
  });
});

describe('flowgate emulator: the control lock', () => {
  it('POST /__emulator/lock with a userName: the flow is locked by that user, and plan names them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-lock-'));
    const file = join(dir, 'emulator.env');
    const p = startCli({}, ['--write-env', file]);
    const url = await p.ready;
    await p.stderrMatches(/connection variables in .*\n/);
    const env = Object.fromEntries(
      [...readFileSync(file, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${env.GENESYSCLOUD_OAUTHCLIENT_ID}:${env.GENESYSCLOUD_OAUTHCLIENT_SECRET}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}` };
    const flows = (await (await fetch(`${url}/api/v2/flows?name=Main%20IVR`, { headers: auth })).json()) as {
      entities: Array<{ id: string; name: string }>;
    };
    const id = flows.entities.find((f) => f.name === 'Main IVR')!.id;
    const lock = await fetch(`${url}/__emulator/lock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flowId: id, userName: 'Jordan Ops' }),
    });
    expect(lock.status).toBe(200);
    const flow = (await (await fetch(`${url}/api/v2/flows/${id}`, { headers: auth })).json()) as {
      lockedUser?: { name?: string };
    };
    expect(flow.lockedUser?.name).toBe('Jordan Ops');
    writeFileSync(
      join(dir, 'flowgate.yaml'),
      "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '2.0'\n",
    );
    const plan = await shell(
      `cd '${dir}' && . ./emulator.env && "${process.execPath}" "${FLOWGATE}" plan --format markdown`,
    );
    p.child.kill('SIGTERM');
    await once(p.child, 'exit');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('blocked: locked in Architect by user Jordan Ops');
  });
});
