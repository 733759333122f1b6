/**
 * Environment variables as lines a POSIX shell runs: `export NAME='value'`, so pasting them (or
 * sourcing the file `--write-env` writes) sets them for the commands that follow. A bare
 * `NAME=value` line sets a shell variable that child processes never see. The file itself is
 * written by `output-file.ts` (owner-only).
 */
/** One variable: a literal value, or a reference to another variable of the user's shell. */
export type EnvValue = { value: string } | { fromVariable: string };

/**
 * Quotes a value for a POSIX shell: single quotes keep every character literal, and a `'` inside
 * is written as `'\''` (POSIX.1-2017, Shell Command Language §2.2.2).
 */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME=value` lines, one per variable, each ending in a newline. */
export function exportLines(vars: ReadonlyArray<readonly [string, EnvValue]>): string {
  return vars
    .map(([name, v]) => `export ${name}=${'value' in v ? shellQuote(v.value) : `"$${v.fromVariable}"`}\n`)
    .join('');
}
