/**
 * Secret hygiene: every command, run as a real child process with a recognisable client secret,
 * webhook secret and (issued) access tokens, including failures and `--verbose`; then stdout,
 * stderr, the ledger file, the audit log, the dead letters and every webhook request received are
 * scanned: zero occurrences. Also: plain http off loopback is refused, ids that are not ids never
 * reach a URL path, files that hold anything sensitive are 0600.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator, served } from '../helpers/emulator.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';

// Made fresh for every run (never committed), and recognisable in any output.
const CLIENT_SECRET = `canary-client-${randomBytes(12).toString('hex')}`;
const HOOK_SECRET = `canary-hook-${randomBytes(12).toString('hex')}`;

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secret hygiene (child processes)', () => {
  const e = useEmulator({ clientSecret: CLIENT_SECRET, settings: { operationDelayMs: 5, jobDelayMs: 5 } });

  it('no command prints, records or sends the client secret, the webhook secret or a token', async () => {
    const emu = e.get();
    const received: string[] = [];
    const hook = createServer((req, res) => {
      let body = JSON.stringify(req.headers);
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/events`;
    const dir = workspace({
      'flowgate.yaml': `version: 1\nevents:\n  deliveryBudgetMs: 1500\n  webhooks:\n    - url: ${hookUrl}\n    - url: http://127.0.0.1:1/down\nflows:\n  - file: a.yaml\n  - file: b.yaml\n`,
      'a.yaml': inboundFlow('Hygiene A'),
      'b.yaml': inboundFlow('Hygiene B', { transferTo: 'Hygiene A' }),
    });
    const env = {
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT_SECRET,
      FLOWGATE_WEBHOOK_SECRET: HOOK_SECRET,
    };
    const outputs: string[] = [];
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await runCli(args, { cwd: dir, env: { ...env, ...extra }, timeoutMs: 60_000 });
      outputs.push(`$ flowgate ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    expect((await run(['validate', '--online'])).code).toBe(0);
    await run(['plan']);
    await run(['plan', '--format', 'json']);
    const deployed = await run(['deploy', '--json']);
    expect(deployed.code, deployed.stderr).toBe(0);
    const id = (JSON.parse(deployed.stdout) as { deploymentId: string }).deploymentId;
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Hygiene A', { say: 'Hello again' }));
    expect((await run(['deploy', '--verbose'])).code).toBe(0);
    await run(['history']);
    await run(['history', '--json']);
    await run(['status', id, '--json']);
    await run(['rollback', 'Hygiene A', '--json']);
    await run(['audit', 'verify']);
    await run(['audit', 'show', '--json']);
    await run(['audit', 'reconcile', '--json']);
    await run(['events', 'retry']);
    await run(['whoami', '--json']);
    await run(['adoption', 'Hygiene A', '--json']);
    await run(['schedule', 'list', '--json']);
    // Failures, with and without --verbose: a wrong secret (which starts with the right one).
    const denied = await run(['deploy', '--verbose'], {
      GENESYSCLOUD_OAUTHCLIENT_SECRET: `${CLIENT_SECRET}-wrong`,
    });
    expect(denied.code).toBe(4);
    await run(['whoami'], { GENESYSCLOUD_OAUTHCLIENT_SECRET: `${CLIENT_SECRET}-wrong` });
    await run(['deploy'], { GENESYSCLOUD_BASE_URL: 'http://127.0.0.1:1' });
    await new Promise<void>((r) => hook.close(() => r()));

    const tokens = [...emu.control.org.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    expect(received.length).toBeGreaterThan(0);
    const files = filesUnder(dir).filter((f) => !f.endsWith('.yaml'));
    expect(files.some((f) => f.endsWith('ledger.db'))).toBe(true);
    const haystacks: Array<[string, string]> = [
      ...outputs.map((o, i): [string, string] => [`command ${i}: ${o.split('\n')[0]}`, o]),
      ...files.map((f): [string, string] => [f, readFileSync(f).toString('latin1')]),
      ...received.map((b, i): [string, string] => [`webhook request ${i}`, b]),
    ];
    const needles = [CLIENT_SECRET, HOOK_SECRET, ...tokens];
    const leaks = haystacks.flatMap(([where, text]) =>
      needles.filter((n) => text.includes(n)).map((n) => `${where} contains ${n.slice(0, 6)}…`),
    );
    expect(leaks).toEqual([]);

    // Files with deployment facts are the owner's only.
    for (const f of files.filter((x) => /ledger\.db$|audit\.jsonl$|dead-letter\.jsonl$/.test(x)))
      expect(statSync(f).mode & 0o077, f).toBe(0);
  }, 240_000);

  it('plain http off loopback is refused; an id that is not an id never reaches a URL path', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml':
        "version: 1\nflows:\n  - id: '../../oauth/token'\n    version: '1.0'\n  - id: '..'\n    version: '1.0'\n",
    });
    const clear = await runCli(['whoami'], {
      env: {
        GENESYSCLOUD_BASE_URL: 'http://api.example.com',
        GENESYSCLOUD_OAUTHCLIENT_ID: 'x',
        GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT_SECRET,
      },
    });
    expect(clear.code).toBe(2);
    expect(clear.stderr).toMatch(/CONFIG_BASE_URL/);
    expect(clear.stderr).not.toContain(CLIENT_SECRET);

    emu.control.clearRequests();
    const plan = await runCli(['plan'], {
      cwd: dir,
      env: {
        GENESYSCLOUD_BASE_URL: emu.url,
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT_SECRET,
      },
    });
    // Refused where it is written: the manifest, with its line and column.
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/flowgate\.yaml:3:\d+: .*a flow id/);
    expect(served(emu, /./)).toEqual([]);
    // And in the library, for an id that comes from elsewhere (the ledger, a caller).
    const { clientFor } = await import('../helpers/emulator.js');
    const { client } = clientFor(emu);
    await client.org.tokenInfo(); // a real id-free call goes through
    await expect(client.flows.get('..')).rejects.toMatchObject({ code: 'USAGE_ID' });
    await expect(client.flows.publish('../../oauth/token', '1.0')).rejects.toMatchObject({
      code: 'USAGE_ID',
    });
    expect(served(emu, /\.\.|\/flows\//)).toEqual([]);
  });
});
