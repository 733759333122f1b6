/**
 * Issue 18 §2: a manifest (which may come from a pull request) cannot steer the credentials in
 * the environment: not to an endpoint of its choosing, not by replacing the secret with a file of
 * its choosing, not to a ledger server of its choosing. Real child processes against the emulator.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import type { RunningEmulator } from '../../src/emulator/server.js';

const creds = (emu: RunningEmulator) => ({
  GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
  GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
});
const flows = 'flows:\n  - file: a.yaml\n';

describe('what a manifest may decide about credentials', () => {
  const e = useEmulator();

  it('an org.baseUrl off loopback is refused at its line before any request; the environment opts in', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': `version: 1\norg:\n  baseUrl: https://collector.attacker.test/x\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    const r = await runCli(['plan'], { cwd: dir, env: creds(emu) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CONFIG_UNTRUSTED_ENDPOINT]');
    expect(r.stderr).toContain('flowgate.yaml:3:12');
    expect(r.stderr).toContain('https://collector.attacker.test');
    expect(r.stderr).not.toContain(emu.credentials.clientSecret);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // Opted in, flowgate does try it (and fails to reach it): the rule was the only thing in the way.
    const optIn = await runCli(['plan'], {
      cwd: dir,
      env: { ...creds(emu), FLOWGATE_ALLOW_MANIFEST_ENDPOINTS: '1' },
      timeoutMs: 60_000,
    });
    expect(optIn.stderr).not.toContain('CONFIG_UNTRUSTED_ENDPOINT');
    expect(optIn.code).not.toBe(0);
  });

  it('the environment names the org: the manifest baseUrl is ignored; a loopback baseUrl is honoured', async () => {
    const emu = e.get();
    const evil = workspace({
      'flowgate.yaml': `version: 1\norg:\n  baseUrl: https://collector.attacker.test\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    const viaEnv = await runCli(['plan'], {
      cwd: evil,
      env: { ...creds(emu), GENESYSCLOUD_BASE_URL: emu.url },
    });
    expect(viaEnv.code).toBe(0);
    const local = workspace({
      'flowgate.yaml': `version: 1\norg:\n  baseUrl: ${emu.url}\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    expect((await runCli(['plan'], { cwd: local, env: creds(emu) })).code).toBe(0);
  });

  it("a manifest's secretFile never replaces the environment's secret", async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': `version: 1\norg:\n  baseUrl: ${emu.url}\n  secretFile: wrong-secret.txt\n${flows}`,
      'wrong-secret.txt': 'not-the-secret\n',
      'a.yaml': inboundFlow('A'),
    });
    const r = await runCli(['plan'], { cwd: dir, env: creds(emu) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Without a secret in the environment, the file beside the manifest is used.
    const alone = await runCli(['plan'], {
      cwd: dir,
      env: { GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId },
    });
    expect(alone.code).toBe(4); // the wrong secret, refused by the token endpoint
  });

  it('a secretFile outside the manifest folder, or not a regular file, is refused without reading it', async () => {
    const emu = e.get();
    const outside = join(mkdtempSync(join(tmpdir(), 'flowgate-outside-')), 'secret');
    writeFileSync(outside, emu.credentials.clientSecret);
    const dir = workspace({
      'flowgate.yaml': `version: 1\norg:\n  baseUrl: ${emu.url}\n  secretFile: ${outside}\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    const env = { GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId };
    const r = await runCli(['plan'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CONFIG_SECRET_FILE]');
    expect(r.stderr).toContain("outside the manifest's folder");
    const traversal = workspace({
      'flowgate.yaml': `version: 1\norg:\n  baseUrl: ${emu.url}\n  secretFile: ../../../../../../../etc/hostname\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    expect((await runCli(['plan'], { cwd: traversal, env })).stderr).toContain(
      "outside the manifest's folder",
    );
    const fifo = workspace({
      'flowgate.yaml': `version: 1\norg:\n  baseUrl: ${emu.url}\n  secretFile: pipe\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    execFileSync('mkfifo', [join(fifo, 'pipe')]);
    const f = await runCli(['plan'], { cwd: fifo, env });
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('is not a regular file');
    // The environment may name any file it likes.
    const named = await runCli(['plan'], {
      cwd: dir,
      env: { ...env, GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE: outside },
    });
    expect(named.code).toBe(0);
  });

  it("a manifest's ledger.url off loopback is refused at its line; passwordFile stays in the folder", async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nledger:\n  url: postgres://flowgate@db.attacker.test/ledger\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    const env = { ...creds(emu), GENESYSCLOUD_BASE_URL: emu.url, FLOWGATE_LEDGER_PASSWORD: 'hunter2-ledger' };
    const r = await runCli(['plan'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CONFIG_UNTRUSTED_ENDPOINT]');
    expect(r.stderr).toContain('flowgate.yaml:3:8');
    expect(r.stderr).not.toContain('hunter2-ledger');
    const pw = workspace({
      'flowgate.yaml': `version: 1\nledger:\n  url: postgres://flowgate@127.0.0.1:1/ledger\n  passwordFile: /etc/hostname\n${flows}`,
      'a.yaml': inboundFlow('A'),
    });
    const p = await runCli(['plan'], { cwd: pw, env: { ...creds(emu), GENESYSCLOUD_BASE_URL: emu.url } });
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("outside the manifest's folder");
  });
});

describe('webhook secrets', () => {
  it("the environment's secret wins; a manifest's secretFile must lie beside it", async () => {
    const { resolveWebhook } = await import('../../src/events/webhooks.js');
    const dir = workspace({ 'flowgate.yaml': 'version: 1\n', 'hook.secret': 'from-file\n' });
    const outside = join(mkdtempSync(join(tmpdir(), 'flowgate-outside-')), 'hook.secret');
    writeFileSync(outside, 'outside\n');
    const manifest = join(dir, 'flowgate.yaml');
    const hook = (secretFile: string) => ({ url: 'http://127.0.0.1:9/hook', secretFile, manifest });
    expect(resolveWebhook(hook(join(dir, 'hook.secret')), {}).secret).toBe('from-file');
    expect(resolveWebhook(hook(join(dir, 'hook.secret')), { FLOWGATE_WEBHOOK_SECRET: 'env' }).secret).toBe(
      'env',
    );
    expect(() => resolveWebhook(hook(outside), {})).toThrow(/outside the manifest's folder/);
  });
});
