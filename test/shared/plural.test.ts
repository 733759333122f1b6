/** The one plural helper: the trial printed `1 flows`, `1 warnings` and `2 flow(s)`. */
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/shared/plural.js';

describe('plural', () => {
  it('is singular for 1 only, regular or irregular', () => {
    expect([0, 1, 2].map((n) => plural(n, 'flow'))).toEqual(['0 flows', '1 flow', '2 flows']);
    expect([1, 5].map((n) => plural(n, 'entry', 'entries'))).toEqual(['1 entry', '5 entries']);
  });
});
