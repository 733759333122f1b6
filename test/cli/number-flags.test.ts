/**
 * Whole-number flags refuse what is not one before the command runs (a NaN concurrency once
 * cancelled every step and failed the deployment with no reason), and a read of a ledger named
 * on the command line that is not there says so instead of reading as an empty history.
 * Real child processes in an empty folder, as a new user types them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const empty = () => mkdtempSync(join(tmpdir(), 'flowgate-numbers-'));

describe('whole-number flags and a named ledger', () => {
  it.each([
    [['deploy', '--concurrency', 'abc'], '--concurrency'],
    [['deploy', '--concurrency', '0'], '--concurrency'],
    [['export', '--concurrency', '-3'], '--concurrency'],
    [['history', '--limit', '2.5'], '--limit'],
  ])('%j is a usage error naming the flag', async (args, name) => {
    const r = await runCli(args, { cwd: empty() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`option '${name} <n>' argument '${args[2]}' is invalid`);
    expect(r.stderr).toContain('a whole number of at least');
  });

  it('history --ledger of a path that is not there: LEDGER_OPEN, not an empty ledger', async () => {
    const dir = empty();
    const r = await runCli(['history', '--ledger', join(dir, 'typo', 'ledgr.db')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[LEDGER_OPEN] no ledger at');
    expect(r.stdout).toBe('');
    const fresh = await runCli(['history'], { cwd: dir });
    expect(fresh.stdout).toContain('the ledger is empty');
  });
});
