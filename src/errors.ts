/**
 * The one error base of flowgate. Every error the library throws is a {@link FlowgateError} with a
 * stable `code` (for scripts and exit-code mapping), a human `message` that says what and where, and
 * an optional `hint` that says what to do next. Codes come from one registry (`error-codes.ts`).
 */
import type { ErrorCode } from './error-codes.js';

/** Options shared by every flowgate error. */
export interface FlowgateErrorOptions {
  /** What the user can do about it. */
  hint?: string | undefined;
  /** The underlying error, already redacted by the thrower. */
  cause?: unknown;
  /** Structured, secret-free facts about the failure. */
  details?: Record<string, unknown> | undefined;
}

/** Marks flowgate's errors, also when two copies of the module are loaded. */
const FLOWGATE_ERROR = Symbol.for('flowgate.error');

/**
 * Base class of all flowgate errors.
 * @example
 * ```ts
 * try { await client.flows.get(id); } catch (e) { if (isFlowgateError(e)) console.error(e.code); }
 * ```
 */
export class FlowgateError extends Error {
  /** Stable machine-readable code from the registry, e.g. `API_NOT_FOUND`. */
  readonly code: ErrorCode;
  /** What the user can do next. */
  readonly hint: string | undefined;
  /** Structured, secret-free facts about the failure. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: FlowgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FlowgateError';
    Object.defineProperty(this, FLOWGATE_ERROR, { value: true });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** A plain, secret-free object for logs and `--json` output. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/**
 * True for any error thrown by flowgate, also one made by another copy of this module (two
 * versions of flowgate in one process), where `instanceof` fails: such an error carries a mark
 * shared across copies (`Symbol.for`). The shape alone is not checked: other errors (a PostgreSQL
 * `DatabaseError`) also have a string `code` and a `hint`.
 */
export function isFlowgateError(value: unknown): value is FlowgateError {
  return (
    value instanceof FlowgateError ||
    (value instanceof Error && (value as unknown as Record<symbol, unknown>)[FLOWGATE_ERROR] === true)
  );
}

/** A configuration or usage problem: bad flag, bad env, bad file (codes whose outcome is `usage`). */
export class ConfigError extends FlowgateError {
  constructor(code: ErrorCode, message: string, options: FlowgateErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ConfigError';
  }
}
