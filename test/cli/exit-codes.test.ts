/**
 * One test per exit code of the README's table, each through the real CLI in a child process.
 * Exit codes 5 (partial) and 130 (interrupted) come from deployments: see test/cli/deploy*.test.ts.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { EXIT_CODE_OF_OUTCOME, ExitCode } from '../../src/cli/exit-codes.js';
import { ERROR_CODES } from '../../src/error-codes.js';
import { runCli } from '../helpers/cli.js';

const GOOD = 'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml';

describe('exit codes (child processes)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clientSecret: 'exit-code-secret' });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('0: a flow with warnings only', async () => {
    const r = await runCli(['validate', GOOD]);
    expect(r.code).toBe(ExitCode.Ok);
  });

  it('1: a runtime failure (the port is taken), with its code and a hint', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    try {
      const r = await runCli(['emulator', '--port', String((blocker.address() as AddressInfo).port)]);
      expect(r.code).toBe(ExitCode.Failure);
      expect(r.stderr).toContain('[EMULATOR_LISTEN]');
      expect(r.stderr).toContain('hint');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
    } finally {
      blocker.close();
    }
  });

  it('2: a usage error (an unknown flag; a bad --set)', async () => {
    expect((await runCli(['validate', '--no-such-flag'])).code).toBe(ExitCode.Usage);
    const r = await runCli(['validate', GOOD, '--set', 'novalue']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain('[USAGE_SET]');
  });

  it("2: commander's own usage errors carry a stable code and a hint, as every other error does", async () => {
    const cases: Array<[string[], string, string]> = [
      [
        ['prune', '--aply'],
        "error [USAGE_UNKNOWN_OPTION] unknown option '--aply'",
        'hint: Did you mean --apply?',
      ],
      [['plam'], "error [USAGE_UNKNOWN_COMMAND] unknown command 'plam'", 'hint: Did you mean plan?'],
      [['status'], "error [USAGE_MISSING_ARGUMENT] missing required argument 'deployment'", ''],
      [['export', '--out'], "error [USAGE_MISSING_ARGUMENT] option '-o, --out <dir>' argument missing", ''],
      [
        ['diff', 'a', 'b'],
        "error [USAGE_TOO_MANY_ARGUMENTS] too many arguments for 'diff'. Expected 1 argument but got 2.",
        '',
      ],
      [
        ['export', '--concurrency', 'x'],
        "error [USAGE_INVALID_ARGUMENT] option '--concurrency <n>' argument 'x' is invalid. expected a whole number of at least 1.",
        '',
      ],
    ];
    for (const [args, error, suggestion] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(ExitCode.Usage);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0], args.join(' ')).toBe(error);
      if (suggestion) expect(lines).toContain(suggestion);
      // Where the usage is: the command's own help.
      expect(lines.at(-1), args.join(' ')).toMatch(/^hint: flowgate (\S+ )?--help shows the usage\.$/);
    }
    expect((await runCli(['diff', 'a', 'b'])).stderr).toContain(
      'hint: flowgate diff --help shows the usage.',
    );
    expect((await runCli(['plam'])).stderr).toContain('hint: flowgate --help shows the usage.');
    // Help and the version are no errors: stdout, exit 0, nothing on stderr.
    for (const args of [['--help'], ['diff', '--help'], ['--version'], ['help', 'diff']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(ExitCode.Ok);
      expect(r.stdout).not.toBe('');
      expect(r.stderr).toBe('');
    }
  });

  it('3: validation found errors', async () => {
    const r = await runCli(['validate', '-'], {
      input: 'inboundCall:\n  name: X\n  startUpRef: ./menus/menu[nowhere]\n  defaultLanguage: en-us\n',
    });
    expect(r.code).toBe(ExitCode.Invalid);
  });

  it('4: authentication failed, with CLI advice added to the library hint', async () => {
    const r = await runCli(['whoami', '--base-url', emu.url], {
      env: {
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'wrong',
      },
    });
    expect(r.code).toBe(ExitCode.Auth);
    expect(r.stderr).toContain('[AUTH_FAILED]');
    expect(r.stderr).toContain('flowgate whoami checks the credentials');
  });

  it("the README's table lists every registered code in the row of its exit code", () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      const row = readme
        .split('\n')
        .find((l) => l.startsWith(`| ${EXIT_CODE_OF_OUTCOME[info.outcome]} | \``));
      expect(row, `README row for exit ${EXIT_CODE_OF_OUTCOME[info.outcome]}`).toBeDefined();
      expect(row, code).toContain(`\`${code}\``);
    }
  });

  it('every registered error code maps to an exit code of the table', () => {
    const table = new Set<number>(Object.values(ExitCode));
    for (const [code, info] of Object.entries(ERROR_CODES))
      expect(table.has(EXIT_CODE_OF_OUTCOME[info.outcome]), code).toBe(true);
  });
});
