/** The outcome column of `history` and `status`: a prune's step says what it does, not `publishing`. */
import { describe, expect, it } from 'vitest';
import { stepOutcome } from '../../src/cli/output/step-version.js';

describe('stepOutcome', () => {
  it("a prune's step in flight reads deleting or deactivating; done, deleted or deactivated", () => {
    expect(stepOutcome({ state: 'publishing', kind: 'delete' }, 'prune')).toBe('deleting');
    expect(stepOutcome({ state: 'publishing', kind: 'deactivate' }, 'prune')).toBe('deactivating');
    expect(stepOutcome({ state: 'published', kind: 'deactivate' }, 'prune')).toBe('deactivated');
    // A deployment's step in flight stays `publishing`.
    expect(stepOutcome({ state: 'publishing', kind: 'import' })).toBe('publishing');
  });
});
