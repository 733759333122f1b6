/**
 * How often the health gate's verdict is right, per signal, over many random seeds of the
 * emulator's simulated traffic, for a flow without outcomes (Main IVR, whose configuration sets
 * none) and for one with outcomes (Claims IVR, whose versions set them). Each seed: both flows'
 * version 2.0 published over the previous one, 20 executions per minute, and the gate's default
 * watch: three looks at 20, 40 and 60 minutes (`looks: 3`, PT5M intervals, Bonferroni over the
 * signals that apply × the looks); a flow is rolled back at the first look that says *degraded*.
 * A healthy version (the same truth on both sides, or worse by exactly a signal's margin: the
 * edge of "healthy" under the rule, where a false rollback is likeliest) should be rolled back at
 * most 5 % of the time; a degraded one should be caught, by the signal that degraded. Every scenario of a seed reads the
 * same executions (traffic is a pure function of seed, flow and minute; only how they end
 * changes). Prints one JSON line. Usage: tsx bench/health-gate.ts RUNS
 */
import { adoptionReport } from '../src/adoption/report.js';
import { DEFAULT_SIGNALS, type SignalSettings } from '../src/adoption/signals.js';
import { DEFAULT_RULE } from '../src/adoption/stats.js';
import { startEmulator, DEFAULT_SEED_PATH, readSeed } from '../src/emulator/server.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';

const runs = Number(process.argv[2] ?? 200);
const MINUTE = 60_000;

/** How the executions of a version end and fare. */
interface Truth {
  hangUps: number;
  errorExits: number;
  failure: number;
  timeInFlowScale: number;
}
const USUAL: Truth = { hangUps: 0.1, errorExits: 0, failure: 0.03, timeInFlowScale: 1 };

/** One row of the table: a flow, the signals watched, the truth of each version. */
interface Scenario {
  name: string;
  flow: 'Main IVR' | 'Claims IVR';
  signals: SignalSettings;
  newer: Truth;
  /** The signal that should catch it (none for a healthy version). */
  expect?: keyof SignalSettings;
}
const WITH_TIME: SignalSettings = { ...DEFAULT_SIGNALS, timeInFlow: { marginMs: 10_000 } };
const scenarios: Scenario[] = [
  { name: 'no outcomes, healthy', flow: 'Main IVR', signals: DEFAULT_SIGNALS, newer: USUAL },
  {
    name: 'no outcomes, hang-ups 10 % → 12 % (at the margin)',
    flow: 'Main IVR',
    signals: DEFAULT_SIGNALS,
    newer: { ...USUAL, hangUps: 0.12 },
  },
  {
    name: 'no outcomes, error exits 1 % → 2 % (at the margin)',
    flow: 'Main IVR',
    signals: DEFAULT_SIGNALS,
    newer: { ...USUAL, errorExits: 0.01 },
  },
  {
    name: 'no outcomes, hang-ups 10 % → 15 %',
    flow: 'Main IVR',
    signals: DEFAULT_SIGNALS,
    newer: { ...USUAL, hangUps: 0.15 },
    expect: 'disconnects',
  },
  {
    name: 'no outcomes, hang-ups 10 % → 20 %',
    flow: 'Main IVR',
    signals: DEFAULT_SIGNALS,
    newer: { ...USUAL, hangUps: 0.2 },
    expect: 'disconnects',
  },
  {
    name: 'no outcomes, error exits 1 % → 3 %',
    flow: 'Main IVR',
    signals: DEFAULT_SIGNALS,
    newer: { ...USUAL, errorExits: 0.02 },
    expect: 'exits',
  },
  { name: 'no outcomes + time in flow, healthy', flow: 'Main IVR', signals: WITH_TIME, newer: USUAL },
  {
    // 5 s + 87.5 s × scale: 10 s more than 92.5 s.
    name: 'no outcomes + time in flow, 92.5 s → 102.5 s (at the margin)',
    flow: 'Main IVR',
    signals: WITH_TIME,
    newer: { ...USUAL, timeInFlowScale: 1 + 10 / 87.5 },
  },
  {
    name: 'no outcomes + time in flow, 92.5 s → 110 s',
    flow: 'Main IVR',
    signals: WITH_TIME,
    newer: { ...USUAL, timeInFlowScale: 1.2 },
    expect: 'timeInFlow',
  },
  { name: 'outcomes, healthy', flow: 'Claims IVR', signals: DEFAULT_SIGNALS, newer: USUAL },
  {
    name: 'outcomes, failures 3 % → 4 % (at the margin)',
    flow: 'Claims IVR',
    signals: DEFAULT_SIGNALS,
    newer: { ...USUAL, failure: 0.04 },
  },
  {
    name: 'outcomes, failures 3 % → 6 %',
    flow: 'Claims IVR',
    signals: DEFAULT_SIGNALS,
    newer: { ...USUAL, failure: 0.06 },
    expect: 'outcomes',
  },
];

/** The example org plus Claims IVR, whose versions set outcomes (Set Flow Outcome in their configuration). */
function seed(randomSeed: number) {
  const s = readSeed(DEFAULT_SEED_PATH);
  const sets = { name: 'Claims IVR', setFlowOutcome: { flowOutcome: { lit: { name: 'Claim filed' } } } };
  s.randomSeed = randomSeed;
  s.flows = [
    ...(s.flows ?? []),
    {
      name: 'Claims IVR',
      type: 'INBOUNDCALL',
      arrivalsPerMinute: 20,
      versions: [{ publishedHoursAgo: 20, configuration: sets }, { configuration: sets }],
    },
  ];
  return s;
}

/**
 * A scenario's result on one seed: the gate's decision, and `flowgate adoption`'s verdict after
 * the hour with one look (no correction for looks).
 */
type Outcome = { rolledBack: boolean; by: string[]; insufficient: boolean; oneLook: boolean; tests: number };

/** One seed: every scenario's gate decision. */
async function oneSeed(randomSeed: number): Promise<Outcome[]> {
  const emu = await startEmulator({ env: {}, seed: seed(randomSeed), settings: { operationDelayMs: 10 } });
  try {
    emu.control.setClock({ speed: 0 });
    const now = () => emu.control.org.now();
    const client = createPlatformClient({
      credentials: { clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret },
      endpoints: resolveBaseUrl(emu.url),
      requestsPerMinute: 1e6,
      burst: 1000,
      now,
    });
    const ids: Record<string, { id: string; old: string; new: string }> = {};
    for (const [flow, old, next] of [
      ['Main IVR', '3.0', '2.0'],
      ['Claims IVR', '1.0', '2.0'],
    ] as const) {
      const id = emu.control.state().flows.find((f) => f.name === flow)!.id;
      emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 20 });
      ids[flow] = { id, old, new: next };
      const op = await client.flows.publish(id, next);
      await client.flows.followOperation(id, op, {
        intervalMs: 5,
        sleep: (ms) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve()),
      });
    }
    const outcomes: Outcome[] = scenarios.map(() => ({
      rolledBack: false,
      by: [],
      insufficient: false,
      oneLook: false,
      tests: 0,
    }));
    const start = now();
    for (let look = 1; look <= 3; look++) {
      emu.control.setClock({ to: start + look * 20 * MINUTE });
      for (const [i, s] of scenarios.entries()) {
        const o = outcomes[i]!;
        const f = ids[s.flow]!;
        set(emu, f.id, f.old, USUAL);
        set(emu, f.id, f.new, s.newer);
        const report = (looks: number) =>
          adoptionReport(client, f.id, {
            now,
            granularity: 'PT5M',
            rule: { ...DEFAULT_RULE, looks },
            signals: s.signals,
          });
        if (look === 3) o.oneLook = (await report(1)).verdict.verdict === 'degraded';
        if (o.rolledBack) continue;
        const r = await report(3);
        o.tests = r.verdict.tests;
        if (r.verdict.verdict === 'degraded') {
          o.rolledBack = true;
          o.by = r.verdict.signals.filter((x) => x.verdict === 'degraded').map((x) => x.signal);
        } else o.insufficient = look === 3 && r.verdict.verdict === 'insufficient';
      }
    }
    return outcomes;
  } finally {
    await emu.stop();
  }
}

function set(emu: Awaited<ReturnType<typeof startEmulator>>, flowId: string, version: string, t: Truth) {
  emu.control.setTraffic({
    flowId,
    version,
    exitReasons: { DISCONNECT: t.hangUps, FLOW_ERROR_EXIT: t.errorExits },
    failureProbability: t.failure,
    timeInFlowScale: t.timeInFlowScale,
  });
}

const started = performance.now();
const all: Outcome[][] = [];
for (let i = 0; i < runs; i++) all.push(await oneSeed(1000 + i));
const rows = scenarios.map((s, i) => {
  const mine = all.map((o) => o[i]!);
  const rate = (f: (o: Outcome) => boolean) => mine.filter(f).length / runs;
  return {
    scenario: s.name,
    rolledBack: rate((o) => o.rolledBack),
    byExpected: s.expect ? rate((o) => o.by.includes(s.expect!)) : null,
    expected: s.expect ?? null,
    insufficient: rate((o) => o.insufficient),
    oneLook: rate((o) => o.oneLook),
    tests: mine[0]!.tests,
  };
});
process.stdout.write(`${JSON.stringify({ runs, rows, ms: performance.now() - started })}\n`);
