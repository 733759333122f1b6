/**
 * `flowgate test` as a user runs it (child processes): the examples pass (exit 0), a broken flow
 * fails a case (exit 3, the difference, JUnit for CI), a missing file or a misspelt key is a usage
 * error at its file:line:column (exit 2), and `deploy.requireTests` refuses a failing deployment.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

function brokenExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-test-cli-'));
  cpSync('examples', dir, { recursive: true });
  const flow = join(
    dir,
    'flows/public/simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0.yaml',
  );
  writeFileSync(flow, readFileSync(flow, 'utf8').replace('name: Simple Financial IRA queue', 'name: Loans'));
  return dir;
}

describe('flowgate test (child process)', () => {
  it('runs the scenarios next to the manifest’s flows: exit 0, coverage', async () => {
    const r = await runCli(['test', '--manifest', 'examples/flowgate.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /PASS {2}pressing 1 reaches the 401K queue → transferToAcd \{queue: Simple Financial 401K queue\}/,
    );
    expect(r.stdout).toContain("not exercised: menu 'Main Menu'");
    expect(r.stdout).toMatch(/21 cases: 21 passed, 0 failed, 0 could not run/);
  });

  it('a broken flow fails its case: exit 3, the first difference and the path; JUnit for CI', async () => {
    const dir = brokenExamples();
    const r = await runCli(['test'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('FAIL  pressing 2 reaches the IRA queue → transferToAcd {queue: Loans}');
    expect(r.stdout).toMatch(
      /ends: expected transferToAcd \{queue: Simple Financial IRA queue\}, got transferToAcd \{queue: Loans\} at flows\/public\/simple-ivr.*:\d+:\d+/,
    );
    expect(r.stdout).toMatch(
      /choice dtmf 2 SimpleFinancialIRA \(flows\/public\/simple-ivr.*\.yaml:\d+:\d+\)/,
    );
    const junit = await runCli(['test', '--format', 'junit'], { cwd: dir });
    expect(junit.code).toBe(3);
    expect(junit.stdout).toMatch(/<testsuites name="flowgate test" tests="21" failures="2" errors="0">/);
    expect(junit.stdout).toContain(
      '<failure message="ends: expected transferToAcd {queue: Simple Financial IRA queue}',
    );
  });

  it('deploy.requireTests: true refuses to deploy while a case fails (exit 3, nothing contacted)', async () => {
    const dir = brokenExamples();
    const manifest = join(dir, 'flowgate.yaml');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace('flows:\n', 'deploy:\n  requireTests: true\nflows:\n'),
    );
    const r = await runCli(['deploy'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      '[TESTS_FAILED] deploy.requireTests: 2 scenario cases did not pass; nothing was deployed',
    );
  });

  it('-o into a folder that does not exist: OUTPUT_WRITE naming the path (exit 1), no internal error', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'flowgate-test-out-')), 'nodir', 'j.xml');
    const r = await runCli(['test', '--manifest', 'examples/flowgate.yaml', '-f', 'junit', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `[OUTPUT_WRITE] cannot write ${out} (--output): its folder does not exist (ENOENT)`,
    );
    expect(r.stderr).not.toContain('INTERNAL');
  });

  it('a missing scenario file and a misspelt key are usage errors at file:line:column (exit 2)', async () => {
    const missing = await runCli(['test', 'nowhere.test.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[CONFIG_READ] scenario file nowhere.test.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-test-cli-'));
    const file = join(dir, 'typo.test.yaml');
    writeFileSync(
      file,
      `flow: ${join(process.cwd(), 'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml')}\ncases:\n  - name: x\n    expcet:\n      ends: disconnect\n`,
    );
    const typo = await runCli(['test', file]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`${file}:4:5: cases.0: unknown key 'expcet'; did you mean \`expect\`?`);
  });
});
