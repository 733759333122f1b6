/**
 * The injected clock of a CLI child process: a module preloaded into it (`NODE_OPTIONS=--import`)
 * makes its wall clock run `ms` ahead of the real one, for tests of what happens "later" (an
 * activation time that has come) without waiting for it. Timers are untouched: they run on the
 * monotonic clock. The module is written to a temporary folder (plain JavaScript: the child runs
 * the built `dist/`, without a TypeScript loader).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRELOAD = `
const shift = Number(process.env.FLOWGATE_TEST_CLOCK_SHIFT_MS ?? 0);
const RealDate = globalThis.Date;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }
  static now() {
    return RealDate.now() + shift;
  }
}
if (shift !== 0) globalThis.Date = ShiftedDate;
`;

let preload: string | undefined;

/** The environment that runs a CLI child process with its wall clock `ms` ahead. */
export function clockAhead(ms: number): Record<string, string> {
  if (preload === undefined) {
    preload = join(mkdtempSync(join(tmpdir(), 'flowgate-clock-')), 'shifted-clock.mjs');
    writeFileSync(preload, PRELOAD);
  }
  return { NODE_OPTIONS: `--import ${preload}`, FLOWGATE_TEST_CLOCK_SHIFT_MS: String(ms) };
}
