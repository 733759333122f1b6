/**
 * How a command is made: a spec (in `cli/specs/`, loaded at start-up, so light) declares the
 * command's arguments and flags, parses them once into the command's typed options, and imports
 * its handler (in `cli/commands/`) only when it runs. `program.ts` registers each spec in one line.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from './io.js';

/** Mutable state the commands report into. */
export interface RunState {
  exitCode: number;
}

/** One command. */
export interface CommandSpec<O> {
  /** Its words under the program: `history`, `audit verify`. */
  path: string;
  /** Description, arguments, options (shared ones from `options.ts`), help text. */
  declare(cmd: Command): Command;
  /** Commander's positional arguments and option values, parsed once into the typed options. */
  parse(args: unknown[], raw: Record<string, unknown>): O;
  /** Imports the handler and runs it; resolves with the exit code. */
  run(options: O, io: CliIo): Promise<number> | number;
  /** It changes something (the org, a ledger, a file, a server): a closed stdout does not cut it short. */
  changes?: boolean;
  /**
   * Its exit code is its answer (`diff` 3 when the versions differ, `validate` 3 on errors): a
   * closed stdout (`| head`) does not cut it short with 0, which would read as "equal" or "valid".
   */
  verdict?: boolean;
}

/** Declares a spec with its options' type inferred from `parse`. */
export function defineCommand<O>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Descriptions of the parents of two-word commands. */
const PARENTS: Record<string, string> = {
  ledger: 'the team ledger',
  audit: 'the hash-chained audit log of deployment events',
  events: 'deployment events',
};

/** Adds a spec's command to the program. */
export function register<O>(program: Command, io: CliIo, state: RunState, spec: CommandSpec<O>): void {
  const words = spec.path.split(' ');
  let parent = program;
  for (const word of words.slice(0, -1))
    parent =
      parent.commands.find((c) => c.name() === word) ??
      parent.command(word).description(PARENTS[word] ?? word);
  spec.declare(parent.command(words.at(-1)!)).action(async (...params: unknown[]) => {
    // Commander passes the positional arguments, then the options, then the command.
    const cmd = params.at(-1) as Command;
    if (spec.changes || spec.verdict) io.onStdoutClosed = 'finish';
    state.exitCode = await spec.run(spec.parse(params.slice(0, -2), cmd.opts()), io);
  });
}

/** A string flag's value, or undefined. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A boolean flag (commander gives `true` when present). */
export const flag = (v: unknown): boolean => v === true;

/**
 * The parser of a whole-number flag (`--concurrency 4`): commander reports any other text as a
 * usage error (exit 2) naming the flag, instead of a NaN reaching the command.
 */
export function wholeNumber(min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected a whole number of at least ${min}.`);
    return n;
  };
}

/** A number flag (parsed by its option's own parser), or undefined. */
export const count = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** A repeatable flag's values. */
export const texts = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
