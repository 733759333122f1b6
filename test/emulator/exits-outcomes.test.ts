/**
 * What the emulator's executions record besides their count, over HTTP: outcomes only for the
 * versions whose configuration sets them (most IVR flows set none, so the health gate cannot
 * count on them), an exit reason for every execution (`exitReason` grouping; a disconnect in
 * `tFlowDisconnect`, any other exit in `tFlowExit`), and a time in flow per version, all set per
 * version through the documented control.
 */
import { describe, expect, it } from 'vitest';
import { clientFor, flowId, useEmulator } from '../helpers/emulator.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { Seed } from '../../src/emulator/seed.js';

const iso = (t: number) => new Date(t).toISOString();
const HOUR = 3_600_000;

/** Archy YAML of a small inbound flow, with outcome-setting actions when `outcomes`. */
function claimsYaml(outcomes: boolean): string {
  const outcome = (action: string) => `          - ${action}:
              name: ${action}
              flowOutcome:
                lit:
                  name: Claim filed
`;
  return `inboundCall:
  name: Claims IVR
  defaultLanguage: en-us
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
${outcomes ? outcome('initializeFlowOutcome') : ''}          - playAudio:
              name: Hello
              audio:
                tts: Welcome to claims
${outcomes ? outcome('setFlowOutcome') : ''}          - disconnect:
              name: Bye
`;
}

/** An org with Claims IVR: 1.0 (no outcomes) published 48 h ago, 2.0 (sets outcomes) 24 h ago. */
const seed: Seed = {
  randomSeed: 7,
  flows: [
    {
      name: 'Claims IVR',
      type: 'INBOUNDCALL',
      arrivalsPerMinute: 30,
      failureProbability: 0.2,
      versions: [
        { publishedHoursAgo: 48, configuration: claimsYaml(false) },
        { publishedHoursAgo: 24, configuration: claimsYaml(true) },
      ],
    },
  ],
};

type Group = {
  group?: Record<string, string> | undefined;
  data?:
    | Array<{
        interval: string;
        metrics: Array<{ metric: string; stats?: Record<string, number> | undefined }>;
      }>
    | undefined;
};

/** Sums of each metric's count (and tFlow's sum) per group key, over every interval. */
function sums(results: Group[] | undefined, key: (g: Record<string, string>) => string) {
  const out: Record<string, Record<string, number>> = {};
  for (const r of results ?? []) {
    const k = key(r.group ?? {});
    const cell = (out[k] ??= {});
    for (const d of r.data ?? [])
      for (const m of d.metrics) {
        cell[m.metric] = (cell[m.metric] ?? 0) + (m.stats?.count ?? 0);
        if (m.metric === 'tFlow') cell.tFlowSum = (cell.tFlowSum ?? 0) + (m.stats?.sum ?? 0);
      }
  }
  return out;
}

/** Sets traffic through the HTTP control, as the README documents it; returns the status. */
async function traffic(emu: RunningEmulator, body: Record<string, unknown>): Promise<number> {
  const r = await fetch(`${emu.url}/__emulator/traffic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.status;
}

const query = (id: string, from: number, to: number, groupBy: string[]) => ({
  interval: `${iso(from)}/${iso(to)}`,
  granularity: 'PT1H',
  groupBy,
  filter: { type: 'and' as const, predicates: [{ dimension: 'flowId', value: id }] },
  metrics: ['nFlow', 'nFlowOutcome', 'nFlowOutcomeFailed', 'tFlow', 'tFlowDisconnect', 'tFlowExit'],
});

describe('outcomes only where the configuration sets them', () => {
  const e = useEmulator({ seed });

  it('a version without outcome actions records no outcome; the next one, with them, records one per execution', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Claims IVR');
    const now = emu.control.org.now();
    // 1.0 ran from 48 h to 24 h ago, 2.0 since: twelve hours of each.
    const r = await client.analytics.flowAggregates(
      query(id, now - 36 * HOUR, now - 12 * HOUR, ['flowVersion']),
    );
    const by = sums(r.results, (g) => g.flowVersion!);
    expect(by['1.0']!.nFlow).toBeGreaterThan(20_000);
    expect(by['1.0']!.nFlowOutcome).toBeUndefined();
    expect(by['1.0']!.nFlowOutcomeFailed).toBeUndefined();
    expect(by['2.0']!.nFlowOutcome).toBe(by['2.0']!.nFlow);
    // 20 % of the outcomes fail: 21,600 outcomes give a 95 % half-width under 0.6 points.
    expect(by['2.0']!.nFlowOutcomeFailed! / by['2.0']!.nFlowOutcome!).toBeGreaterThan(0.19);
    expect(by['2.0']!.nFlowOutcomeFailed! / by['2.0']!.nFlowOutcome!).toBeLessThan(0.21);
  });
});

describe('exits and time in flow per version', () => {
  const e = useEmulator();

  it('every execution has an exit reason; disconnects count in tFlowDisconnect, the rest in tFlowExit; a version set to lose callers loses them', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Main IVR');
    // Main IVR: 2.0 from 72 h to 20 h ago, then 3.0. A quarter of 2.0's callers hang up in the flow.
    expect(await traffic(emu, { flowId: id, version: '2.0', exitReasons: { DISCONNECT: 0.25 } })).toBe(200);
    const now = Date.now();
    const q = query(id, now - 44 * HOUR, now - 4 * HOUR, ['flowVersion', 'exitReason']);
    const r = await client.analytics.flowAggregates(q);
    const byReason = sums(r.results, (g) => `${g.flowVersion} ${g.exitReason}`);
    const byVersion = sums(r.results, (g) => g.flowVersion!);
    for (const v of ['2.0', '3.0']) {
      const t = byVersion[v]!;
      expect(t.tFlowDisconnect! + t.tFlowExit!).toBe(t.nFlow);
      const disconnects = ['DISCONNECT', 'FLOW_DISCONNECT', 'FLOW_ERROR_DISCONNECT'].reduce(
        (n, x) => n + (byReason[`${v} ${x}`]?.nFlow ?? 0),
        0,
      );
      expect(disconnects).toBe(t.tFlowDisconnect);
      // An inbound call flow's other executions leave by transfer.
      expect(byReason[`${v} TRANSFER`]!.nFlow).toBe(t.tFlowExit);
    }
    // 24,000 executions each: shares within 1 point of the mix (default: 10 % hang up, 4 % the flow's Disconnect, 1 % errors).
    const share = (v: string, reason: string) => byReason[`${v} ${reason}`]!.nFlow! / byVersion[v]!.nFlow!;
    expect(Math.abs(share('2.0', 'DISCONNECT') - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(share('3.0', 'DISCONNECT') - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(share('3.0', 'FLOW_DISCONNECT') - 0.04)).toBeLessThan(0.01);
    expect(Math.abs(share('3.0', 'FLOW_ERROR_DISCONNECT') - 0.01)).toBeLessThan(0.005);
    // A filter on the dimension keeps exactly that group.
    const only = await client.analytics.flowAggregates({
      ...q,
      groupBy: ['flowVersion'],
      filter: {
        type: 'and',
        predicates: [
          { dimension: 'flowId', value: id },
          { dimension: 'exitReason', value: 'DISCONNECT' },
        ],
      },
    });
    expect(sums(only.results, (g) => g.flowVersion!)['2.0']!.nFlow).toBe(byReason['2.0 DISCONNECT']!.nFlow);
  });

  it('exits change nothing else (the same executions, as long); a slower version stays longer', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Main IVR');
    const now = Date.now();
    const q = query(id, now - 44 * HOUR, now - 24 * HOUR, ['flowVersion']);
    const before = sums((await client.analytics.flowAggregates(q)).results, (g) => g.flowVersion!);
    expect(await traffic(emu, { flowId: id, exitReasons: { DISCONNECT: 0.5, FLOW_ERROR_EXIT: 0.1 } })).toBe(
      200,
    );
    const mid = sums((await client.analytics.flowAggregates(q)).results, (g) => g.flowVersion!);
    // Exits draw from a stream of their own: the same executions, each as long as before.
    for (const v of Object.keys(before)) {
      expect(mid[v]!.nFlow).toBe(before[v]!.nFlow);
      expect(mid[v]!.tFlowSum).toBe(before[v]!.tFlowSum);
    }
    expect(mid['2.0']!.tFlowDisconnect! / mid['2.0']!.nFlow!).toBeGreaterThan(0.5);
    expect(await traffic(emu, { flowId: id, version: '2.0', timeInFlowScale: 2 })).toBe(200);
    const after = sums((await client.analytics.flowAggregates(q)).results, (g) => g.flowVersion!);
    // Uniform 5–180 s has mean 92.5 s; twice the spread above 5 s: 180 s.
    expect(before['2.0']!.tFlowSum! / before['2.0']!.nFlow! / 1000).toBeCloseTo(92.5, -0.5);
    expect(after['2.0']!.tFlowSum! / after['2.0']!.nFlow! / 1000).toBeCloseTo(180, -0.5);
  });

  it('the control refuses exit probabilities that add up to more than 1, and a time scale without a version', async () => {
    const emu = e.get();
    const id = flowId(emu, 'Main IVR');
    expect(await traffic(emu, { flowId: id, exitReasons: { DISCONNECT: 0.9, TRANSFER: 0.2 } })).toBe(400);
    expect(await traffic(emu, { flowId: id, exitReasons: { HUNG_UP: 0.1 } })).toBe(400);
    expect(await traffic(emu, { flowId: id, timeInFlowScale: 2 })).toBe(400);
    expect(await traffic(emu, { flowId: id, version: '9.0', exitReasons: { DISCONNECT: 0.1 } })).toBe(404);
  });
});
