/**
 * The parts of a Stryker JSON report (mutation-testing-report-schema,
 * <https://github.com/stryker-mutator/mutation-testing-elements/tree/master/packages/report-schema>)
 * the mutation scripts read, and the text a mutant replaces.
 */
import { readFileSync } from 'node:fs';

/** One mutant of a report. */
export interface Mutant {
  id: string;
  status: string;
  mutatorName: string;
  replacement?: string;
  /** 1-based lines and columns (mutation-testing-report-schema). */
  location: { start: Position; end: Position };
}

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** A report: per mutated file, the source Stryker mutated and its mutants. */
export interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

/** Reads a report. */
export function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

/** Mutants of the given statuses. */
export const count = (ms: Mutant[], ...statuses: string[]): number =>
  ms.filter((m) => statuses.includes(m.status)).length;

/** Valid mutants (compile errors and ignored ones left out) and the detected ones: the score's terms. */
export function scoreTerms(ms: Mutant[]): { valid: number; detected: number } {
  return {
    valid: ms.length - count(ms, 'CompileError', 'Ignored', 'RuntimeError'),
    detected: count(ms, 'Killed', 'Timeout'),
  };
}

/** Offset in `source` of a 1-based line and column. */
function offsetOf(source: string, { line, column }: Position): number {
  let at = 0;
  for (let l = 1; l < line; l++) at = source.indexOf('\n', at) + 1;
  return at + column - 1;
}

/**
 * The source a mutant replaces: its range, not its whole line (a line holds several mutants of
 * its parts, and the whole line misreads which part was changed).
 */
export function mutatedText(source: string, { start, end }: Mutant['location']): string {
  return source.slice(offsetOf(source, start), offsetOf(source, end));
}

/** The source with the mutant applied. */
export function applyMutant(source: string, m: Mutant): string {
  const from = offsetOf(source, m.location.start);
  return source.slice(0, from) + (m.replacement ?? '') + source.slice(offsetOf(source, m.location.end));
}
