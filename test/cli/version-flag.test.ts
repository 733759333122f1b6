/**
 * New-user trial: `flowgate diff "Main IVR" --version 3.0 4.0` (a typo for `--versions`) printed
 * `0.1.0` and exited 0, as did `deploy --version` and `plan --version x y`: commander takes the
 * program's `--version` anywhere. Only `flowgate --version` prints the version; after a command
 * it is an unknown option with the closest option as advice (real CLI child processes).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('--version (child processes)', () => {
  it('prints the version only before any command', async () => {
    const r = await runCli(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('after diff it is an unknown option, with did you mean --versions?', async () => {
    const r = await runCli(['diff', 'Main IVR', '--version', '3.0', '4.0']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("[USAGE_UNKNOWN_OPTION] unknown option '--version'");
    expect(r.stderr).toContain('Did you mean --versions?');
  });

  it('after deploy, plan and audit verify it is an unknown option too', async () => {
    for (const args of [
      ['deploy', '--version'],
      ['plan', '--version', 'x', 'y'],
      ['audit', 'verify', '--version=1'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toContain('[USAGE_UNKNOWN_OPTION]');
      expect(r.stderr, args.join(' ')).toContain(
        `flowgate ${args.slice(0, args[0] === 'audit' ? 2 : 1).join(' ')} --help`,
      );
    }
  });

  it('export keeps its own --version <v>: a flow version, not the program’s', async () => {
    // Without a connection export fails on credentials, after parsing --version as its option.
    const r = await runCli(['export', '--version', '3.0', '--saved']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[USAGE_EXPORT_FLAGS] --version and --saved choose different versions');
  });
});
