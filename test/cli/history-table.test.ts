/**
 * Issue 20 §17: `history` cut names (`Authenticate Caller [commonmodul`) and showed unchanged rows
 * as `2.0 → —` for an import and `2.0 → 2.0` for a publish, while `status` showed `2.0`. Columns
 * are as wide as their content, and an unchanged step reads the same everywhere (real CLI child
 * processes against an emulator in this process).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';

/** The cells of a table printed with a header: each column starts where its header word does. */
function cells(table: string, columns: string[]): Array<Record<string, string>> {
  const [header, ...rows] = table.trimEnd().split('\n');
  const starts = columns.map((c) => {
    const at = header!.search(new RegExp(`(^|\\s)${c}(\\s|$)`));
    expect(at, `column ${c} in ${header}`).toBeGreaterThanOrEqual(0);
    return at === 0 ? 0 : at + 1;
  });
  return rows.map((row) =>
    Object.fromEntries(
      columns.map((c, i) => [
        c,
        row.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim(),
      ]),
    ),
  );
}

describe('flowgate history and status (child processes)', () => {
  const e = useEmulator();

  it('names are shown whole, columns line up, and an unchanged step reads the same in history and status', async () => {
    const emu = e.get();
    const long = 'History Width Check With A Name Longer Than Any Column';
    const dir = workspace({
      // An existing flow already on 2.0 (a publish step, unchanged) and a file (an import step).
      'flowgate.yaml': `version: 1\nflows:\n  - name: Authenticate Caller\n    type: commonmodule\n    version: "2.0"\n  - file: a.yaml\n`,
      'a.yaml': inboundFlow(long),
    });
    expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
    const second = await runCli(['deploy', '--json'], { env: emulatorEnv(emu), cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    const id = (JSON.parse(second.stdout) as { deployment: { id: string } }).deployment.id;

    const history = await runCli(['history'], { cwd: dir });
    expect(history.code, history.stderr).toBe(0);
    const rows = cells(history.stdout, [
      'when',
      'deployment',
      'flow',
      'outcome',
      'artifact',
      'gates',
      'version',
    ]);
    expect(rows.map((r) => r.flow)).toEqual([
      `${long} [inboundcall]`,
      'Authenticate Caller [commonmodule]',
      `${long} [inboundcall]`,
      'Authenticate Caller [commonmodule]',
    ]);
    expect(rows.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'published', 'unchanged']);
    const status = await runCli(['status', id], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    const report = cells(status.stdout.split('\n').slice(1, 4).join('\n'), [
      'flow',
      'outcome',
      'version',
      'calls',
    ]);
    expect(report.map((r) => r.flow)).toEqual([
      'Authenticate Caller [commonmodule]',
      `${long} [inboundcall]`,
    ]);
    // One rendering of "unchanged": the version the org stays on, in both commands.
    const shown = (name: string) =>
      rows.find((r) => r.deployment === id && r.flow!.startsWith(name))!.version;
    expect(shown('Authenticate')).toBe('2.0');
    expect(shown('History')).toBe('1.0');
    expect(report.map((r) => r.version)).toEqual(['2.0', '1.0']);
    expect(rows.find((r) => r.outcome === 'published')!.version).toBe('— → 1.0');
  });
});
