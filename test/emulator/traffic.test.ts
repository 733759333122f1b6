/**
 * The emulator's simulated traffic around a publish: a call already in the flow finishes on the
 * version it started on and is counted when it ends, so the new version's share climbs over the
 * calls' duration (5–180 s) instead of jumping to 100 %; and traffic stays a pure function of
 * (seed, flow, minute): the same answer on every query, whatever range it asks.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { DEFAULT_SEED_PATH, readSeed } from '../../src/emulator/server.js';
import { stateFromSeed } from '../../src/emulator/seed.js';
import { flowAggregates } from '../../src/emulator/traffic.js';
import type { EmulatorState } from '../../src/emulator/types.js';

const MINUTE = 60_000;
const T0 = Date.parse('2030-01-07T09:00:00Z');
const seedFile = readSeed(DEFAULT_SEED_PATH);

/** The example org with Main IVR on 3.0 for a day, then 2.0 from `publishAt`. */
function org(randomSeed: number, arrivalsPerMinute: number, publishAt: number) {
  const state = stateFromSeed(seedFile, { id: 'c', secret: 's' }, T0 - 86_400_000);
  state.settings.randomSeed = randomSeed;
  const flow = state.flows.find((f) => f.name === 'Main IVR')!;
  flow.arrivalsPerMinute = arrivalsPerMinute;
  flow.publications = [
    { versionId: '3.0', start: T0 - 86_400_000, end: publishAt },
    { versionId: '2.0', start: publishAt },
  ];
  return { state, id: flow.id };
}

/** Executions per bucket start and version, from the aggregates query. */
function counts(state: EmulatorState, id: string, from: number, to: number, now: number, step = 'PT1M') {
  const res = flowAggregates(
    state,
    {
      interval: `${new Date(from).toISOString()}/${new Date(to).toISOString()}`,
      granularity: step,
      groupBy: ['flowVersion'],
      filter: { type: 'and', predicates: [{ dimension: 'flowId', value: id }] },
      metrics: ['nFlow'],
    },
    now,
  ) as {
    results?: Array<{
      group: { flowVersion: string };
      data: Array<{ interval: string; metrics: Array<{ stats: { count: number } }> }>;
    }>;
  };
  const out = new Map<number, Record<string, number>>();
  for (const g of res.results ?? [])
    for (const d of g.data) {
      const start = Date.parse(d.interval.split('/')[0]!);
      const cell = out.get(start) ?? {};
      cell[g.group.flowVersion] = (cell[g.group.flowVersion] ?? 0) + d.metrics[0]!.stats.count;
      out.set(start, cell);
    }
  return out;
}

const total = (m: Map<number, Record<string, number>>, v: string) =>
  [...m.values()].reduce((n, c) => n + (c[v] ?? 0), 0);

describe('traffic around a publish', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.integer({ min: 20, max: 60 }),
      fc.integer({ min: 0, max: 59_999 }),
    ],
    {
      numRuns: 40,
    },
  )(
    'the share of the new version climbs from the publish and is whole once the longest call is over',
    (seed, rate, offset) => {
      const publishAt = T0 + offset;
      const { state, id } = org(seed, rate, publishAt);
      const minute0 = Math.floor(publishAt / MINUTE) * MINUTE;
      const byMinute = counts(state, id, minute0, minute0 + 10 * MINUTE, T0 + 86_400_000);
      const share = (t: number) => {
        const c = byMinute.get(t) ?? {};
        return (c['2.0'] ?? 0) / ((c['2.0'] ?? 0) + (c['3.0'] ?? 0));
      };
      // The first minute after the publish still ends calls that started on 3.0.
      expect(byMinute.get(minute0)?.['3.0'] ?? 0).toBeGreaterThan(0);
      expect(share(minute0 + MINUTE)).toBeLessThan(1);
      // No call of 3.0 ends more than 180 s after the publish: from then on every execution is on 2.0.
      for (let t = minute0 + 4 * MINUTE; t < minute0 + 10 * MINUTE; t += MINUTE) expect(share(t)).toBe(1);
      // And 3.0 keeps ending calls for a while: a climb over the calls' duration, not a jump.
      const lastOld = Math.max(...[...byMinute].filter(([, c]) => (c['3.0'] ?? 0) > 0).map(([t]) => t));
      expect(lastOld).toBeGreaterThanOrEqual(minute0 + MINUTE);
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    fc.integer({ min: -30, max: 30 }),
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 1, max: 20 }),
  ])(
    'a range split in two counts what the whole range counts (calls ending at the edge are counted once)',
    (seed, a, b, c) => {
      const publishAt = T0 + 17_000;
      const { state, id } = org(seed, 30, publishAt);
      const from = T0 + a * MINUTE;
      const mid = from + b * MINUTE;
      const to = mid + c * MINUTE;
      const now = T0 + 86_400_000;
      const whole = counts(state, id, from, to, now);
      const left = counts(state, id, from, mid, now);
      const right = counts(state, id, mid, to, now);
      for (const v of ['2.0', '3.0']) expect(total(left, v) + total(right, v)).toBe(total(whole, v));
      // Deterministic: asked again, the same answer.
      expect(counts(state, id, from, to, now)).toEqual(whole);
      // A call that has not ended yet is not counted: "now" in the middle is the left half.
      const sofar = counts(state, id, from, to, mid);
      for (const v of ['2.0', '3.0']) expect(total(sofar, v)).toBe(total(left, v));
    },
  );
});
