/**
 * `deploy.requireTests: true`: `plan` runs the same scenario requirement as `deploy`, so the two
 * agree: a failing case makes the plan say deploy refuses (exit 3, pretty and JSON), and a
 * passing run is said too. Child processes of the built CLI against an emulator in this process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

/** A scenario of `f.yaml` expecting to hear `heard`. */
const scenario = (heard: string) =>
  `flow: f.yaml\ncases:\n  - name: greets the caller\n    expect:\n      hears: ['${heard}']\n      ends: disconnect\n`;

describe('plan with deploy.requireTests (child processes)', () => {
  const e = useEmulator();

  it('a failing case: plan says deploy refuses and why (exit 3), as deploy does; passing, it says so and can be applied', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\ndeploy:\n  requireTests: true\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Tested Flow', { say: 'Hello' }),
      'f.test.yaml': scenario('Goodbye'),
    });
    const deploy = await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir });
    expect(deploy.code).toBe(3);
    expect(deploy.stderr).toContain('[TESTS_FAILED] deploy.requireTests: 1 scenario case did not pass');

    const pretty = await runCli(['plan'], { env: emulatorEnv(emu), cwd: dir });
    expect(pretty.code, pretty.stderr).toBe(3);
    expect(pretty.stdout).toContain(
      'tests (deploy.requireTests): 1 of 1 scenario case did not pass: deploy refuses (TESTS_FAILED)',
    );
    expect(pretty.stdout).toContain('greets the caller');
    expect(pretty.stdout).toMatch(/✗ deploy refuses \(TESTS_FAILED\): 1 to create/);
    expect(pretty.stdout).not.toContain('can be applied');

    const json = await runCli(['plan', '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(json.code).toBe(3);
    const plan = JSON.parse(json.stdout);
    expect(plan.tests).toMatchObject({ cases: 1, failed: [expect.stringContaining('greets the caller')] });
    expect(plan.testsPassed).toBe(false);
    // `blocked` is about the steps; `canApply` is what deploy decides, and it refuses.
    expect(plan).toMatchObject({ blocked: false, canApply: false });

    const markdown = await runCli(['plan', '--format', 'markdown'], { env: emulatorEnv(emu), cwd: dir });
    expect(markdown.stdout).toContain('### flowgate plan ❌ deploy refuses: scenario tests fail');

    writeFileSync(join(dir, 'f.test.yaml'), scenario('Hello'));
    const passing = await runCli(['plan', '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(passing.code, passing.stderr).toBe(0);
    expect(JSON.parse(passing.stdout)).toMatchObject({
      tests: { cases: 1, failed: [] },
      testsPassed: true,
      canApply: true,
    });
    const said = await runCli(['plan'], { env: emulatorEnv(emu), cwd: dir });
    expect(said.stdout).toContain('tests (deploy.requireTests): 1 scenario case passed');
    expect(said.stdout).toContain('✓ can be applied');
  });

  it('without requireTests the plan runs no scenarios and says nothing of them', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Untested Flow'),
      'f.test.yaml': scenario('Goodbye'),
    });
    const json = await runCli(['plan', '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ tests: null, testsPassed: true });
  });
});
