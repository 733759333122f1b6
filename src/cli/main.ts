/**
 * The CLI's single error boundary: runs a command, turns typed errors into a message, a hint and
 * an exit code. Stack traces only with --verbose (or FLOWGATE_DEBUG=1).
 */
import { CommanderError } from 'commander';
import { outcomeOf } from '../error-codes.js';
import { isFlowgateError } from '../errors.js';
import { cliAdvice } from './advice.js';
import { EXIT_CODE_OF_OUTCOME, ExitCode } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { terminalSafe } from './output/encode.js';
import { buildProgram } from './program.js';
import { exportVersionFlag } from './commands/export.js';

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo(argv)): Promise<number> {
  const state = { exitCode: ExitCode.Ok as number };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(exportVersionFlag(argv), { from: 'user' });
    return state.exitCode;
  } catch (e) {
    return reportError(e, io);
  }
}

/** Prints an error the way users should see it and returns its exit code. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return ExitCode.Ok;
    // Commander already printed its message to stderr.
    return ExitCode.Usage;
  }
  const c = io.errColors;
  if (isFlowgateError(e)) {
    // Messages quote values from files and the org's answers: `terminalSafe`.
    io.err(`${c.red('error')} ${c.dim(`[${e.code}]`)} ${terminalSafe(e.message)}\n`);
    if (e.hint) io.err(`${c.cyan('hint')}: ${terminalSafe(e.hint)}\n`);
    const advice = cliAdvice(e.code);
    if (advice) io.err(`${c.cyan('hint')}: ${advice}\n`);
    if (io.verbose && e.stack) io.err(`${c.dim(e.stack)}\n`);
    return EXIT_CODE_OF_OUTCOME[outcomeOf(e.code)];
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.err(`${c.red('error')} [INTERNAL] ${terminalSafe(err.message)}\n`);
  io.err(`${c.cyan('hint')}: this is a bug in flowgate; rerun with --verbose and report it.\n`);
  if (io.verbose && err.stack) io.err(`${c.dim(err.stack)}\n`);
  return ExitCode.Failure;
}
