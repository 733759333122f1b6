/**
 * The run's pure decisions (`src/deploy/scheduler.ts`) against brute-force oracles: which steps
 * start, which a failed dependency cancels, and how the deployment ends. No emulator, no ledger.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import type { StepRecord, StepState } from '../../src/ledger/types.js';
import {
  cancelledByDependency,
  cancelsRest,
  dependencyFailed,
  finalStatus,
  readySteps,
} from '../../src/deploy/scheduler.js';
import { STEP_STATES } from '../../src/deploy/step-states.js';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');

const step = (index: number, state: StepState, dependsOn: number[], activateAt?: string): StepRecord => ({
  deploymentId: 'd',
  index,
  flowKey: `inboundcall:f${index}`,
  flowName: `f${index}`,
  flowType: 'inboundcall',
  kind: 'publish',
  createdFlow: false,
  state,
  dependsOn,
  updatedAt: '2026-12-01T09:00:00.000Z',
  ...(activateAt ? { activateAt } : {}),
});

/** Steps in publish order: each depends on some earlier ones, in any state, due or not. */
const stepsArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc
    .tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          state: fc.constantFrom(...STEP_STATES),
          deps: fc.subarray(Array.from({ length: i }, (_, j) => j)),
          offset: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
        }),
      ),
    )
    .map((specs) =>
      specs.map((p, i) =>
        step(
          i,
          p.state,
          p.deps,
          p.offset === undefined ? undefined : new Date(NOW + p.offset * 60_000).toISOString(),
        ),
      ),
    ),
);

// The oracle spells every state out: it does not share the groups the code uses.
const ORACLE_FINAL: StepState[] = ['published', 'unchanged', 'failed', 'cancelled', 'rolled-back', 'blocked'];
const ORACLE_DONE: StepState[] = ['published', 'unchanged'];
const ORACLE_DOOMING: StepState[] = ['failed', 'cancelled'];

describe('scheduler: one decision against the oracle', () => {
  test.prop([stepsArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.array(fc.nat(7), { maxLength: 4 })], {
    numRuns: 500,
  })('readySteps and cancelledByDependency', (steps, concurrency, onlyDue, runningPicks) => {
    const running = new Set(
      runningPicks.filter((i) => i < steps.length && !ORACLE_FINAL.includes(steps[i]!.state)),
    );
    const view = { running, concurrency, dueBy: onlyDue ? NOW : undefined };
    const considered = (s: StepRecord) =>
      !running.has(s.index) &&
      !ORACLE_FINAL.includes(s.state) &&
      (!onlyDue || s.activateAt === undefined || Date.parse(s.activateAt) <= NOW);
    const notStarted = (s: StepRecord) => ['planned', 'scheduled', 'waiting'].includes(s.state);
    const doomed = (s: StepRecord) => s.dependsOn.some((d) => ORACLE_DOOMING.includes(steps[d]!.state));
    const expectedCancel: number[] = [];
    const ready: number[] = [];
    for (const s of steps) {
      if (!considered(s)) continue;
      // A step in doubt (publishing) with a failed dependency is neither cancelled nor started.
      if (doomed(s)) {
        if (notStarted(s)) expectedCancel.push(s.index);
      } else if (s.dependsOn.every((d) => ORACLE_DONE.includes(steps[d]!.state))) ready.push(s.index);
    }
    const free = Math.max(0, concurrency - running.size);
    expect(readySteps(steps, view).map((s) => s.index)).toEqual(ready.slice(0, free));
    expect(cancelledByDependency(steps, view).map((s) => s.index)).toEqual(expectedCancel);
    const byIndex = new Map(steps.map((s) => [s.index, s]));
    for (const s of steps) expect(dependencyFailed(s, byIndex)).toBe(doomed(s));
  });
});

/** A DAG of steps, each with the outcome its publish will have. */
const runArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j))),
    ),
    fails: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    concurrency: fc.integer({ min: 1, max: 4 }),
    atomic: fc.boolean(),
    // Which running step ends next, at each turn: any order the platform may answer in.
    picks: fc.array(fc.nat(), { minLength: n, maxLength: n }),
  }),
);

describe('scheduler: a whole run against the oracle', () => {
  test.prop([runArb], { numRuns: 500 })(
    'every step ends as its dependencies decide, within the concurrency, whatever order steps end in',
    ({ deps, fails, concurrency, atomic, picks }) => {
      let steps = deps.map((d, i) => step(i, 'planned', d));
      const set = (i: number, state: StepState) => {
        steps = steps.map((s) => (s.index === i ? { ...s, state } : s));
      };
      const running = new Set<number>();
      let failed = false;
      let turn = 0;
      for (;;) {
        if (!(failed && atomic)) {
          const view = { running, concurrency };
          const cancel = cancelledByDependency(steps, view);
          for (const s of cancel) set(s.index, 'cancelled');
          if (cancel.length > 0) continue;
          for (const s of readySteps(steps, view)) {
            // Started only when every dependency published.
            expect(s.dependsOn.every((d) => steps[d]!.state === 'published')).toBe(true);
            running.add(s.index);
            set(s.index, 'publishing');
          }
          expect(running.size).toBeLessThanOrEqual(concurrency);
        }
        if (running.size === 0) break;
        const list = [...running];
        const done = list[picks[turn++ % picks.length]! % list.length]!;
        running.delete(done);
        set(done, fails[done] ? 'failed' : 'published');
        if (fails[done]) failed = true;
      }
      if (atomic && failed) {
        // Nothing starts after the failure; what had not started stays so, for the end to cancel.
        expect(
          finalStatus({ interrupted: false, eventFailed: false, failed, atomic, onlyDue: false, steps }),
        ).toBe('roll-back');
        return;
      }
      // The oracle, in publish order: a step with a failed or cancelled dependency is cancelled,
      // any other ends as its publish does.
      const expected: StepState[] = [];
      for (let i = 0; i < deps.length; i++)
        expected.push(
          deps[i]!.some((d) => expected[d] === 'failed' || expected[d] === 'cancelled')
            ? 'cancelled'
            : fails[i]
              ? 'failed'
              : 'published',
        );
      expect(steps.map((s) => s.state)).toEqual(expected);
      const status = finalStatus({
        interrupted: false,
        eventFailed: false,
        failed,
        atomic,
        onlyDue: false,
        steps,
      });
      expect(status).toBe(!failed ? 'succeeded' : expected.includes('published') ? 'partial' : 'failed');
    },
  );
});

describe('final status against the oracle', () => {
  test.prop([stepsArb, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()], {
    numRuns: 1000,
  })(
    'each status exactly when its rule says',
    (steps, interrupted, eventFailed, failedNow, atomic, onlyDue) => {
      const status = finalStatus({ interrupted, eventFailed, failed: failedNow, atomic, onlyDue, steps });
      // A step failed in this run, or one the ledger holds as failed from an earlier run.
      const failed = failedNow || steps.some((s) => s.state === 'failed');
      const anyPublished = steps.some((s) => s.state === 'published');
      const anyOpen = steps.some((s) => !ORACLE_FINAL.includes(s.state));
      const calm = !interrupted && !eventFailed;
      // Each status, and the condition under which (and only under which) it is the answer.
      const rules: Array<[string, boolean]> = [
        ['interrupted', interrupted],
        ['roll-back', calm && failed && atomic],
        ['partial', calm && failed && !atomic && anyPublished],
        ['scheduled', calm && !failed && anyOpen && onlyDue],
        ['succeeded', calm && !failed && !anyOpen],
        [
          'failed',
          (!interrupted && eventFailed) ||
            (calm && failed && !atomic && !anyPublished) ||
            (calm && !failed && anyOpen && !onlyDue),
        ],
      ];
      expect(rules.filter(([, holds]) => holds).map(([s]) => s)).toEqual([status]);
      // The steps not started are cancelled exactly when the deployment will not go on.
      if (status !== 'roll-back')
        expect(cancelsRest(status)).toBe(status === 'failed' || status === 'partial');
    },
  );
});
