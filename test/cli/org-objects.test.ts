/**
 * Issue 25 on the user's path: `flowgate plan --env` against the example org (the demo manifest,
 * whose `prod` environment names a queue the org lacks), and `validate --online`.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';

/** A copy of the demo manifest (activating at once) and its flows. */
function demo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-objects-'));
  cpSync('examples/demo', dir, { recursive: true });
  // The demo fills in the activation time itself; here the flow publishes at once.
  const manifest = join(dir, 'flowgate.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/\n\s*activateAt: ACTIVATE_AT/, ''));
  return dir;
}

describe('org objects on the command line', () => {
  const e = useEmulator();

  it('plan --env prod is blocked by the missing queue; Markdown lists it first; plan --env dev is not', async () => {
    const emu = e.get();
    const dir = demo();
    const prod = await runCli(['plan', '--env', 'prod', '--ledger', join(dir, 'l.db')], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(prod.code).toBe(3);
    expect(prod.stdout).toContain(
      "✗ queue Support-Prod: missing; did you mean 'Support'?, from {{ support_queue }}",
    );
    expect(prod.stdout).toContain('✓ queue Sales');
    const md = await runCli(
      ['plan', '--env', 'prod', '--format', 'markdown', '--ledger', join(dir, 'l.db')],
      {
        env: emulatorEnv(emu),
        cwd: dir,
      },
    );
    const section = md.stdout.slice(md.stdout.indexOf('#### Org objects'));
    expect(section.split('\n')[4]).toContain('| ❌ missing | queue | Support-Prod | Demo Support Line |');
    const json = await runCli(['plan', '--env', 'prod', '--json', '--ledger', join(dir, 'l.db')], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    const diag = (
      JSON.parse(json.stdout) as { validation: { diagnostics: Array<Record<string, unknown>> } }
    ).validation.diagnostics.find((d) => d.code === 'missing-object')!;
    expect(diag).toMatchObject({ severity: 'error', line: 19, column: 17 });
    expect(diag.message).toContain('(environments.prod)');
    const test = await runCli(['plan', '--env', 'dev', '--ledger', join(dir, 'l.db')], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('✓ queue Support');
  });

  it('validate --online reports a missing object with exit 3 and the closest names', async () => {
    const emu = e.get();
    const dir = demo();
    const r = await runCli(
      ['validate', '--online', '--format', 'json', '-m', 'flowgate.yaml', '--set', 'support_queue=Suport'],
      { env: emulatorEnv(emu), cwd: dir },
    );
    expect(r.code).toBe(3);
    const found = (
      JSON.parse(r.stdout) as { diagnostics: Array<{ code: string; message: string }> }
    ).diagnostics.filter((d) => d.code === 'missing-object');
    expect(found.map((d) => d.message)).toEqual([
      "transferToAcd uses queue 'Suport', which does not exist in org 'Flowgate Demo Org'; did you mean 'Support'? (the name comes from {{ support_queue }} = 'Suport' from --set)",
    ]);
    expect(r.stderr).toContain('checked 2 references to org objects (1 listings)');
  });
});
