/**
 * Diagnostics: what a check found, where, and what to do about it.
 * Severity follows the platform: what Architect would refuse to publish, or what traps a caller,
 * is an `error`; what it publishes but is most likely a mistake is a `warning`; facts worth
 * knowing (a loop with a way out) are `info`.
 */

/** How bad a finding is. */
export type Severity = 'error' | 'warning' | 'info';

/** One finding of a check, with its source position (1-based line and column; 0 when unknown). */
export interface Diagnostic {
  /** Stable code, e.g. `unreachable` or `infinite-loop`. */
  code: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  /** What to do about it. */
  hint?: string;
  /** Extra locations that belong to the finding (the other duplicate, the cycle's nodes). */
  related?: Array<{ message: string; line: number; column: number; file?: string }>;
}

/** Every diagnostic code flowgate emits, with its default severity and a one-line summary. */
export const DIAGNOSTIC_CODES = {
  'empty-file': ['error', 'The file is empty.'],
  'binary-file': ['error', 'The file is not UTF-8 text.'],
  'too-large': ['error', 'The file exceeds the size limit.'],
  'too-deep': ['error', 'The document nests deeper than the limit.'],
  'alias-limit': ['error', 'Too many YAML alias expansions (a "billion laughs" document).'],
  'read-error': ['error', 'The file could not be read.'],
  'parse-error': ['error', 'The YAML or JSON does not parse.'],
  'duplicate-key': ['error', 'A mapping repeats a key.'],
  'non-scalar-key': ['error', 'A mapping key is not a scalar.'],
  'unresolved-substitution': ['error', 'A {{ token }} has no value.'],
  'unknown-root': ['error', 'The document root is not a known Archy flow type or graph JSON.'],
  schema: ['error', 'A value has the wrong shape.'],
  'duplicate-id': ['error', 'Two nodes, menus, tasks or states share an id or refId.'],
  'unresolved-reference': ['error', 'A reference names nothing in the flow.'],
  'dangling-edge': ['error', 'An edge names a node that does not exist.'],
  'no-start': ['error', 'The flow has no start.'],
  'multiple-starts': ['error', 'The flow has several starts.'],
  unreachable: ['warning', 'Part of the flow can never run.'],
  disconnected: ['warning', 'Part of the graph is not connected to the rest.'],
  'dead-code': ['warning', 'Actions follow an action that never continues.'],
  'missing-terminal': ['warning', 'A path ends without a terminating action.'],
  'infinite-loop': ['error', 'A loop has no way out.'],
  loop: ['info', 'A loop with a way out.'],
  'self-transfer': ['warning', 'The flow transfers to itself.'],
  'dependency-cycle': [
    'error',
    'Flows of one deployment call each other in a cycle (an error), or transfer to each other in a cycle (a warning: publish needs two passes).',
  ],
  'missing-dependency': [
    'error',
    'A referenced flow is neither in the deployment nor in the org (checked with --online).',
  ],
  'policy-max-flows': ['error', 'The organisation would exceed its maximum number of flows.'],
  'policy-naming': ['error', 'The flow name does not follow the naming pattern.'],
  'policy-division': ['error', 'The flow is in a division the policy does not allow.'],
  truncated: ['info', 'More findings of one code were left out.'],
} as const satisfies Record<string, readonly [Severity, string]>;

/** A known diagnostic code. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Builds a diagnostic with the code's default severity. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  where: { file: string; line?: number; column?: number },
  extra: { hint?: string; related?: Diagnostic['related']; severity?: Severity } = {},
): Diagnostic {
  const d: Diagnostic = {
    code,
    severity: extra.severity ?? DIAGNOSTIC_CODES[code][0],
    message,
    file: where.file,
    line: where.line ?? 0,
    column: where.column ?? 0,
  };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.related !== undefined && extra.related.length > 0) d.related = extra.related;
  return d;
}

/** Counts by severity. */
export function summarize(diagnostics: readonly Diagnostic[]): {
  errors: number;
  warnings: number;
  infos: number;
} {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** Sorts diagnostics by file, line, column, then code, for stable output. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
