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
  /** On a `truncated` note: the code whose findings were left out, and how many. */
  leftOut?: { code: string; count: number };
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
  'unsafe-substitution': [
    'error',
    'A substitution value would change the structure of the document where its token stands.',
  ],
  'unknown-root': ['error', 'The document root is not a known Archy flow type or graph JSON.'],
  schema: ['error', 'A value has the wrong shape.'],
  'duplicate-id': ['error', 'Two nodes, menus, tasks or states share an id or refId.'],
  'unresolved-reference': ['error', 'A reference names nothing in the flow.'],
  'unknown-action': [
    'info',
    'An action or menu choice the Architect Scripting SDK does not document: its outputs are followed and it continues with the next action.',
  ],
  'dangling-edge': ['error', 'An edge names a node that does not exist.'],
  'no-start': ['error', 'The flow has no start.'],
  'multiple-starts': ['error', 'The flow has several starts.'],
  'implicit-start': [
    'info',
    'Graph JSON without `start` and without exactly one node free of incoming edges: the first node listed is the start.',
  ],
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
  'missing-object': [
    'error',
    'An org object the flow names (queue, data action, prompt, schedule, skill, user…) is not in the target org (validate --online, plan, deploy).',
  ],
  'unusable-object': [
    'error',
    'An org object the flow names exists but cannot serve it: a data action that is not secure, a missing column (errors); a prompt without a supported language, a queue of another division (warnings).',
  ],
  'objects-unchecked': [
    'warning',
    'The org objects of one kind could not be listed (a missing permission), so references to them were not checked.',
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

/** Where checks put their findings: an array, or a {@link DiagnosticCollector}. */
export interface DiagnosticSink {
  push(d: Diagnostic): unknown;
}

/**
 * Collects findings while capping them per file and code, so that any number of findings costs
 * linear time and bounded memory: beyond `maxPerCode`, a finding is only counted, and one
 * `truncated` note per file and code says how many were left out. Severity overrides apply as
 * findings arrive (`off` drops them). Notes from another collector (`leftOut`) merge into the counts.
 */
export class DiagnosticCollector implements DiagnosticSink {
  private readonly kept: Diagnostic[] = [];
  private readonly counts = new Map<string, number>();
  private readonly dropped = new Map<string, { file: string; code: string; count: number }>();

  constructor(
    private readonly maxPerCode = 200,
    private readonly severity?: Readonly<Record<string, Severity | 'off'>>,
  ) {}

  push(d: Diagnostic): void {
    if (d.leftOut) return this.leaveOut(d.file, d.leftOut.code, d.leftOut.count);
    const o = this.severity?.[d.code];
    if (o === 'off') return;
    const key = `${d.file}\u0000${d.code}`;
    const c = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, c);
    if (c <= this.maxPerCode) this.kept.push(o === undefined ? d : { ...d, severity: o });
    else this.leaveOut(d.file, d.code, 1);
  }

  private leaveOut(file: string, code: string, count: number): void {
    if (this.severity?.[code] === 'off') return;
    const key = `${file}\u0000${code}`;
    const e = this.dropped.get(key);
    if (e) e.count += count;
    else this.dropped.set(key, { file, code, count });
  }

  /** The kept findings and one `truncated` note per file and code that overflowed. */
  result(): Diagnostic[] {
    const out = this.kept.slice();
    for (const { file, code, count } of this.dropped.values()) {
      const note = diagnostic(
        'truncated',
        `${count} more '${code}' finding${count === 1 ? '' : 's'} left out`,
        { file },
        { hint: 'Fix the ones shown first.' },
      );
      note.leftOut = { code, count };
      out.push(note);
    }
    return out;
  }
}
