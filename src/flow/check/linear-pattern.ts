/**
 * User-written regular expressions (policy naming patterns, the emulator's fault paths) matched in
 * time linear in the text, whatever the pattern.
 *
 * JavaScript's `RegExp` backtracks: `(a+)+$` against forty `a`s and a `!` never ends, and
 * `^(\w+\s?)+$` takes seconds on 29 characters (issue 18 §3). These patterns are written in
 * JavaScript syntax and keep its meaning (`js-to-re2.ts`), but run in re2js, a port of RE2 that
 * simulates the automaton instead of backtracking (https://github.com/le0pard/re2js, MIT; RE2's
 * guarantee: https://github.com/google/re2/wiki/WhyRE2). What RE2 cannot run is refused when the
 * pattern is read, with the reason.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { translateToRe2 } from './js-to-re2.js';

/** Longest pattern accepted: compiling costs time and memory in its length. */
export const MAX_PATTERN_LENGTH = 1000;

/** What to tell someone whose pattern was refused. */
export const LINEAR_PATTERN_HINT =
  'Patterns run in a linear-time engine (RE2): lookahead and lookbehind ((?=, (?!, (?<=, (?<!), ' +
  'backreferences (\\1, \\k<name>), octal escapes, inline modifiers ((?i:)), characters outside ' +
  'the Basic Multilingual Plane and repeat counts over 1000 are not supported; rewrite the pattern without them.';

/** A compiled pattern. */
export interface LinearPattern {
  /** The pattern as written. */
  readonly source: string;
  /** Whether it matches anywhere in `text`, as `new RegExp(source).test(text)` does. */
  test(text: string): boolean;
}

/** A compiled pattern, or why the pattern cannot be one. */
export type LinearPatternResult = { pattern: LinearPattern } | { problem: string };

// Loaded on first use (about 14 ms): most validations have no naming patterns.
let engine: typeof RE2JS | undefined;
function re2js(): typeof RE2JS {
  engine ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
  return engine;
}

/** Compiles a JavaScript pattern (no flags) for linear-time matching, or says why it cannot. */
export function compileLinearPattern(source: string): LinearPatternResult {
  if (source.length > MAX_PATTERN_LENGTH)
    return { problem: `the pattern is ${source.length} characters long; the limit is ${MAX_PATTERN_LENGTH}` };
  try {
    // Only compiled (V8 compiles lazily, without running anything): the syntax is JavaScript's.
    new RegExp(source);
  } catch (e) {
    return { problem: `not a valid regular expression: ${(e as Error).message}` };
  }
  const translated = translateToRe2(source);
  if ('problem' in translated) return { problem: `the pattern uses ${translated.problem}` };
  let compiled: RE2JS;
  try {
    compiled = re2js().compile(translated.re2);
  } catch (e) {
    const message = (e as Error).message.replace(/^error parsing regexp: /, '');
    return {
      problem: /repeat count/.test(message)
        ? 'the pattern repeats more than 1000 times (a count over 1000, or nested counts multiplying past it)'
        : `the linear-time engine cannot run it (${message})`,
    };
  }
  return { pattern: { source, test: (text) => compiled.test(text) } };
}
