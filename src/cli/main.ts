/**
 * The CLI's single error boundary: runs a command, turns typed errors into a message, a hint and
 * an exit code. Stack traces only with --verbose (or FLOWGATE_DEBUG=1).
 */
import { CommanderError } from 'commander';
import { outcomeOf } from '../error-codes.js';
import { ConfigError, isFlowgateError } from '../errors.js';
import { cliAdvice } from './advice.js';
import { EXIT_CODE_OF_OUTCOME, ExitCode } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { terminalSafe } from './output/encode.js';
import { buildProgram } from './program.js';
import {
  isHelpForMissingCommand,
  isHelpOrVersion,
  misplacedVersion,
  unknownHelpTopic,
  usageError,
} from './usage-errors.js';
import { exportVersionFlag } from './commands/export.js';

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo(argv)): Promise<number> {
  const state = { exitCode: ExitCode.Ok as number };
  const program = buildProgram(io, state);
  const args = exportVersionFlag(argv);
  try {
    const early = misplacedVersion(args, program) ?? unknownHelpTopic(args, program);
    if (early) return reportError(early, io);
    await program.parseAsync(args, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    // No command to run: commander printed the help on stderr; that is a usage error (README).
    if (e instanceof CommanderError && isHelpForMissingCommand(e)) return ExitCode.Usage;
    // Commander's usage errors go through the same boundary, as typed errors with a code.
    if (e instanceof CommanderError && !isHelpOrVersion(e))
      return reportError(usageError(e, args, program), io);
    return reportError(e, io);
  }
}

/** Prints an error the way users should see it and returns its exit code. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    if (isHelpOrVersion(e)) return ExitCode.Ok;
    // Only `main` knows the command line that names the command: without it, the code alone.
    return reportError(new ConfigError('USAGE_COMMAND_LINE', e.message.replace(/^error: /, '')), io);
  }
  const c = io.errColors;
  if (isFlowgateError(e)) {
    // Messages quote values from files and the org's answers: `terminalSafe`.
    io.err(`${c.red('error')} ${c.dim(`[${e.code}]`)} ${terminalSafe(e.message)}\n`);
    if (e.hint) io.err(`${c.cyan('hint')}: ${terminalSafe(e.hint)}\n`);
    const advice = cliAdvice(e.code, e.details);
    // Advice may repeat names from the command line or the org: printed as safely as the hint.
    if (advice) io.err(`${c.cyan('hint')}: ${terminalSafe(advice)}\n`);
    if (io.verbose && e.stack) io.err(`${c.dim(e.stack)}\n`);
    return EXIT_CODE_OF_OUTCOME[outcomeOf(e.code)];
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.err(`${c.red('error')} [INTERNAL] ${terminalSafe(err.message)}\n`);
  io.err(`${c.cyan('hint')}: this is a bug in flowgate; rerun with --verbose and report it.\n`);
  if (io.verbose && err.stack) io.err(`${c.dim(err.stack)}\n`);
  return ExitCode.Failure;
}
