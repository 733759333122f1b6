/**
 * Issue 20 §12: what `plan` and `deploy` say about a manifest's mistakes. A flow file that does not
 * exist was "the file has no flow name or type; … flows/x.yaml:0:0 cannot read …: ENOENT", and the
 * events line named a log that was not written; hints suggested passing files that `plan` refuses;
 * an unknown key pointed at its mapping, not at itself (real CLI child processes against an
 * emulator in this process).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';

/** How often `part` occurs in `text`. */
const count = (text: string, part: string) => text.split(part).length - 1;

// The missing file is listed on line 7.
const MANIFEST = `version: 1
# Flows of the support line.
substitutions:
  queue: Support
flows:
  - file: flows/here.yaml
  - file: flows/x.yaml
`;

describe('a manifest flow file that does not exist (child processes)', () => {
  const e = useEmulator();

  it('plan and deploy say once "flows/x.yaml (manifest line 7): no such file", without :0:0 or ENOENT', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': MANIFEST, 'flows/here.yaml': inboundFlow('Here') });
    for (const command of ['plan', 'deploy']) {
      const r = await runCli([command], { env: emulatorEnv(emu), cwd: dir });
      const all = `${r.stdout}${r.stderr}`;
      expect(r.code, `${command}: ${all}`).toBe(3);
      expect(count(all, 'flows/x.yaml (manifest line 7): no such file'), `${command}: ${all}`).toBe(1);
      expect(all, command).not.toMatch(/:0:0|ENOENT|no flow name or type|could not be read/);
      // The readable flow is planned as usual.
      expect(r.stdout, command).toMatch(/Here \[inboundcall\]\s+create and publish/);
    }
  });

  it('deploy names no audit log it did not write, and its hint is about what blocked it', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': MANIFEST, 'flows/here.yaml': inboundFlow('Here') });
    const r = await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir });
    expect(r.code).toBe(3);
    expect(existsSync(join(dir, '.flowgate', 'audit.jsonl'))).toBe(false);
    expect(r.stderr).not.toContain('audit.jsonl');
    expect(r.stderr).toContain('error [DEPLOY_BLOCKED]');
    const hints = r.stderr.split('\n').filter((l) => l.startsWith('hint:'));
    expect(hints.join('\n')).toMatch(/manifest/);
    expect(hints.join('\n')).not.toMatch(/force-unlock|validation errors/);
  });

  it('validate shows the same finding, with the manifest line as its related location', async () => {
    const dir = workspace({ 'flowgate.yaml': MANIFEST, 'flows/here.yaml': inboundFlow('Here') });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/flows\/x\.yaml +error +no such file +read-error/);
    expect(r.stdout).toMatch(/flowgate\.yaml:7:\d+/);
    expect(r.stdout).not.toMatch(/ENOENT|:0:0/);
  });
});

describe('plan and deploy hints, and unknown keys (child processes)', () => {
  it('without a manifest, plan and deploy ask for one and do not suggest passing files', async () => {
    const dir = workspace({ 'a.yaml': inboundFlow('A') });
    for (const command of ['plan', 'deploy']) {
      const r = await runCli([command], { cwd: dir });
      expect(r.code, command).toBe(2);
      expect(r.stderr, command).toContain('error [USAGE_NO_MANIFEST] no flowgate.yaml here');
      expect(r.stderr, command).not.toMatch(/files or globs|Pass files/i);
      expect(r.stderr, command).toMatch(/hint: .*--manifest/);
    }
  });

  it('an unknown key points at its own line and suggests the closest known key', async () => {
    const cases: Array<[string, string]> = [
      [
        'version: 1\nflows:\n  - file: a.yaml\n    activateAt: 2030-01-01T00:00:00Z\n    substitutons:\n      queue: Support\n',
        "flowgate.yaml:5:5: flows.0: unknown key 'substitutons'; did you mean `substitutions`?",
      ],
      [
        'version: 1\nflow:\n  - file: a.yaml\n',
        "flowgate.yaml:2:1: unknown key 'flow'; did you mean `flows`?",
      ],
      [
        'version: 1\nflows:\n  - fil: a.yaml\n',
        "flowgate.yaml:3:5: flows.0: unknown key 'fil'; did you mean `file`?",
      ],
      [
        'version: 1\ndeploy:\n  concurrency: 2\n  atomc: false\nflows:\n  - file: a.yaml\n',
        "flowgate.yaml:4:3: deploy: unknown key 'atomc'; did you mean `atomic`?",
      ],
    ];
    for (const [manifest, message] of cases) {
      const dir = workspace({ 'flowgate.yaml': manifest, 'a.yaml': inboundFlow('A') });
      const r = await runCli(['plan'], { cwd: dir });
      expect(r.code, manifest).toBe(2);
      expect(r.stderr, manifest).toContain(`error [CONFIG_INVALID] ${message}`);
    }
  });
});

describe('a boolean key given yes (child process)', () => {
  it('requireTests: yes says at file:line:column that it takes true or false (exit 2)', async () => {
    const dir = workspace({
      'flowgate.yaml': 'version: 1\ndeploy:\n  requireTests: yes\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Yes Flow'),
    });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '[CONFIG_INVALID] flowgate.yaml:3:17: deploy.requireTests takes true or false, not "yes"',
    );
    expect(r.stderr).not.toContain('expected boolean');
  });
});
