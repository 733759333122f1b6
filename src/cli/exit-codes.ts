import type { Outcome } from '../error-codes.js';

/** Process exit codes of the `flowgate` CLI (documented in README.md and `flowgate help exit-codes`). */
export const ExitCode = {
  /** Success, including "nothing to do". */
  Ok: 0,
  /** A runtime failure: an API error after retries, I/O. */
  Failure: 1,
  /** A usage error: unknown flag, bad argument, bad config file. */
  Usage: 2,
  /** Validation found errors. */
  Invalid: 3,
  /** Authentication or authorization failed. */
  Auth: 4,
  /** Some flows of a bulk operation failed. */
  Partial: 5,
  /** Interrupted (SIGINT). */
  Interrupted: 130,
} as const;

/** Text for `flowgate help exit-codes`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success (including "nothing to do")
  1    runtime failure: API error after retries, I/O
  2    usage error: unknown flag, bad argument, bad config or policy file
  3    validation found errors
  4    authentication or authorization failed
  5    partial failure: some flows of a bulk operation failed
  130  interrupted (SIGINT)
`;

/** The one table from an error's outcome class (`error-codes.ts`) to the exit code. */
export const EXIT_CODE_OF_OUTCOME: Readonly<Record<Outcome, number>> = {
  failure: ExitCode.Failure,
  usage: ExitCode.Usage,
  invalid: ExitCode.Invalid,
  auth: ExitCode.Auth,
  partial: ExitCode.Partial,
  interrupted: ExitCode.Interrupted,
};

/**
 * The exit code of an outcome: a deployment's (`deploy/schedules.ts`, from its status) or an
 * error's class, through the one table above.
 */
export function exitCodeOf(outcome: 'success' | Outcome): number {
  return outcome === 'success' ? ExitCode.Ok : EXIT_CODE_OF_OUTCOME[outcome];
}
