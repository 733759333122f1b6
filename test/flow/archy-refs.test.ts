import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseContainerRef } from '../../src/flow/graph/archy/archy-refs.js';

// The pattern the parser replaces: the oracle for what a reference names.
const OLD = /(menu|task|state|bot|reusableTask)\[([^\]]*)\]\s*$/;

function oracle(ref: string) {
  const m = OLD.exec(ref);
  if (!m) return undefined;
  return { kind: m[1] === 'reusableTask' ? 'task' : m[1], id: m[2] };
}

const piece = fc.constantFrom(
  'menu',
  'task',
  'state',
  'bot',
  'reusableTask',
  '[',
  ']',
  'x',
  ' ',
  '/',
  'Task',
  '\n',
);

describe('container references', () => {
  test.prop([fc.array(piece, { maxLength: 24 }).map((a) => a.join(''))], { numRuns: 2000 })(
    'names the same container as the old pattern on any mix of its pieces',
    (ref) => {
      expect(parseContainerRef(ref)).toEqual(oracle(ref));
    },
  );

  test.prop([fc.string({ maxLength: 40 })])('agrees with the old pattern on arbitrary text', (ref) => {
    expect(parseContainerRef(ref)).toEqual(oracle(ref));
  });

  test('reads the usual forms', () => {
    expect(parseContainerRef('/inboundCall/tasks/task[Main_12]')).toEqual({ kind: 'task', id: 'Main_12' });
    expect(parseContainerRef('./menus/menu[m1] ')).toEqual({ kind: 'menu', id: 'm1' });
    expect(parseContainerRef('./reusableTasks/reusableTask[r]')).toEqual({ kind: 'task', id: 'r' });
    expect(parseContainerRef('./tasks/task[x')).toBeUndefined();
  });

  test('a 1.6 MB crafted reference costs work linear in its length (issue 18 §3)', () => {
    for (const size of [100_000, 1_600_000]) {
      const ref = 'task['.repeat(size / 5) + 'x';
      const work = { steps: 0 };
      expect(parseContainerRef(ref, work)).toBeUndefined();
      expect(work.steps).toBeLessThanOrEqual(2 * ref.length);
      const closed = 'task['.repeat(size / 5) + 'x]';
      const work2 = { steps: 0 };
      expect(parseContainerRef(closed, work2)).toEqual({
        kind: 'task',
        id: 'task['.repeat(size / 5 - 1) + 'x',
      });
      // Worst case: every position tried against every kind (at most 13 characters each).
      expect(work2.steps).toBeLessThanOrEqual(14 * closed.length);
    }
  });
});
