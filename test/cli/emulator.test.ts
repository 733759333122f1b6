import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { DEFAULT_SEED_PATH, readSeed } from '../../src/emulator/server.js';

function startCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/flowgate.js', 'emulator', '--port', '0'], {
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
