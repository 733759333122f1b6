/**
 * New-user trial: bare `flowgate`, `flowgate audit`, `flowgate ledger` and `flowgate events`
 * printed usage and exited 0; `flowgate help nonsense` printed the root help and exited 0;
 * `schedule cancel` without an id said `[DEPLOY_NOT_FOUND] no scheduled deployment (none given)`;
 * `schedule lsit` had no "did you mean". As the README says: no command to run is a usage error
 * (exit 2, the help on stderr) and each mistake has its USAGE_ code (real CLI child processes).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('a command line without its command (child processes)', () => {
  it('bare flowgate and a group without its command: the help on stderr, exit 2', async () => {
    for (const args of [[], ['audit'], ['ledger'], ['events']]) {
      const r = await runCli(args);
      const name = ['flowgate', ...args].join(' ');
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe('');
      expect(r.stderr, name).toContain(`Usage: ${name} [options] [command]`);
    }
  });

  it('--help and help <command> still exit 0 on stdout', async () => {
    for (const args of [['--help'], ['audit', '--help'], ['help', 'deploy']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('Usage: flowgate');
    }
  });

  it('help <unknown topic>: USAGE_UNKNOWN_COMMAND, exit 2, the closest command', async () => {
    const r = await runCli(['help', 'audt']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("[USAGE_UNKNOWN_COMMAND] unknown command 'audt'");
    expect(r.stderr).toContain('Did you mean audit?');
    expect(r.stderr).not.toContain('Usage:');
  });

  it('schedule cancel without an id: USAGE_MISSING_ARGUMENT; schedule lsit: did you mean list?', async () => {
    const cancel = await runCli(['schedule', 'cancel']);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain("[USAGE_MISSING_ARGUMENT] missing required argument 'deployment'");
    expect(cancel.stderr).not.toContain('DEPLOY_NOT_FOUND');
    const typo = await runCli(['schedule', 'lsit']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('[USAGE_INVALID_ARGUMENT]');
    expect(typo.stderr).toContain('Did you mean list?');
  });
});
