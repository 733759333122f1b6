/**
 * The one way counts are printed: `1 flow`, `2 flows`, `0 warnings` (not `1 flows` or
 * `2 flow(s)`).
 */

/** `n` and the word, in the plural unless `n` is 1; `many` for a plural that is not `word` + s. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
