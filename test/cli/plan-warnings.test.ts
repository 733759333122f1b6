/**
 * A plan's last line counts the validation warnings; the plan lists them too, with their place, so
 * the count can be read where it is given (pretty and Markdown). `plan --json` says in one field
 * whether deploy would apply it (`canApply`), which `blocked` alone does not when tests fail.
 * Child processes of the built CLI against an emulator in this process.
 */
import { describe, expect, it } from 'vitest';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

/** A flow with a task nothing jumps to: one `unreachable` warning at 12:7. */
const warned = `inboundCall:
  name: Warned Flow
  defaultLanguage: en-us
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
          - disconnect:
              name: Bye
    - task:
        name: Orphan
        refId: orphan
        actions:
          - disconnect:
              name: Never
`;

describe('plan lists the warnings it counts (child processes)', () => {
  const e = useEmulator();

  it('pretty and Markdown name each warning at file:line:col; JSON says canApply', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: flows/warned.yaml\n  - file: flows/clean.yaml\n',
      'flows/warned.yaml': warned,
      'flows/clean.yaml': inboundFlow('Clean Flow'),
    });
    const pretty = await runCli(['plan'], { env: emulatorEnv(emu), cwd: dir });
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toContain(
      "validation warnings (they do not block):\n  flows/warned.yaml:12:7  warning  task 'Orphan' (orphan) (with 1 more node) is never reached from the start  unreachable\n\n✓ can be applied: 2 to create, 0 to publish, 0 unchanged, 0 blocked; validation 0 errors, 1 warning\n",
    );

    const markdown = await runCli(['plan', '--format', 'markdown'], { env: emulatorEnv(emu), cwd: dir });
    expect(markdown.stdout).toContain(
      '<details><summary>Validation warnings: 1 (they do not block)</summary>\n\n| where | warning | code |\n|---|---|---|\n' +
        "| flows/warned.yaml:12:7 | task 'Orphan' \\(orphan\\) \\(with 1 more node\\) is never reached from the start | unreachable |\n",
    );

    const json = JSON.parse((await runCli(['plan', '--json'], { env: emulatorEnv(emu), cwd: dir })).stdout);
    expect(json).toMatchObject({ blocked: false, canApply: true });
  });

  it('a plan without warnings lists none', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: flows/clean.yaml\n',
      'flows/clean.yaml': inboundFlow('Clean Flow'),
    });
    const pretty = await runCli(['plan'], { env: emulatorEnv(emu), cwd: dir });
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toContain('validation 0 errors, 0 warnings');
    expect(pretty.stdout).not.toContain('validation warnings');
    const markdown = await runCli(['plan', '--format', 'markdown'], { env: emulatorEnv(emu), cwd: dir });
    expect(markdown.stdout).not.toContain('Validation warnings');
  });
});
