/**
 * Why a case could not be interpreted (a data action without a mock, an expression the evaluator
 * does not support, an action whose output only the org decides): the case errs, naming the
 * action or expression at file:line:column and saying how the case can settle it.
 */

/** A case that cannot go on; `where` is file:line:column in the flow. */
export class CaseError extends Error {
  constructor(
    message: string,
    readonly where: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CaseError';
  }
}

/**
 * An expression failed while the flow ran (NOT_SET where a value is needed, an index out of
 * range): Architect then runs the flow's error handling (help.mypurecloud.com, "Use NOT_SET in
 * expressions": "it invokes an error handler").
 */
export class FlowRuntimeError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'FlowRuntimeError';
  }
}

/** The case ran more actions than Architect allows; `loop` names the steps that repeat. */
export class ActionLimitError extends Error {
  constructor(
    message: string,
    readonly loop: string[],
  ) {
    super(message);
    this.name = 'ActionLimitError';
  }
}
