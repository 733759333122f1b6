/** Adoption against the emulator's simulated traffic with a known truth, and the statistics against oracles. */
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { adoptionReport } from '../../src/adoption/report.js';
import { adoptionHtml } from '../../src/adoption/html.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SIGNALS } from '../../src/adoption/signals.js';
import { healthVerdict, normalQuantile, wilson } from '../../src/adoption/stats.js';
import { clientFor, flowId, useEmulator } from '../helpers/emulator.js';
import type { RunningEmulator } from '../../src/emulator/server.js';

/** Normal CDF by numerical integration (Simpson), the oracle for the quantile. */
function cdf(x: number): number {
  const n = 4000;
  const a = -10;
  const h = (x - a) / n;
  const f = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let s = f(a) + f(x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

describe('statistics', () => {
  test.prop([fc.double({ min: 0.001, max: 0.999, noNaN: true })])(
    'normalQuantile inverts the normal CDF',
    (p) => {
      expect(cdf(normalQuantile(p))).toBeCloseTo(p, 6);
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
  ])('a Wilson interval lies in [0, 1] and contains the observed rate', ([k, n]) => {
    const r = wilson(k, n);
    expect(r.low!).toBeGreaterThanOrEqual(0);
    expect(r.high!).toBeLessThanOrEqual(1);
    expect(r.low!).toBeLessThanOrEqual(r.rate! + 1e-12);
    expect(r.high!).toBeGreaterThanOrEqual(r.rate! - 1e-12);
  });

  it('Wilson matches a published value (Newcombe 1998: 81 of 263 → 0.2553 to 0.3662)', () => {
    const r = wilson(81, 263);
    expect(r.low!).toBeCloseTo(0.2553, 3);
    expect(r.high!).toBeCloseTo(0.3662, 3);
  });

  it('the gate: insufficient below the minimum, degraded beyond the margin, Bonferroni raises the bar', () => {
    expect(healthVerdict({ failed: 5, total: 50 }, { failed: 1, total: 50 }).verdict).toBe('insufficient');
    expect(healthVerdict({ failed: 100, total: 1000 }, { failed: 20, total: 1000 }).verdict).toBe('degraded');
    expect(healthVerdict({ failed: 21, total: 1000 }, { failed: 20, total: 1000 }).verdict).toBe('healthy');
    const one = healthVerdict(
      { failed: 52, total: 1000 },
      { failed: 20, total: 1000 },
      { confidence: 0.95, minExecutions: 200, margin: 0.01, looks: 1 },
    );
    const ten = healthVerdict(
      { failed: 52, total: 1000 },
      { failed: 20, total: 1000 },
      { confidence: 0.95, minExecutions: 200, margin: 0.01, looks: 10 },
    );
    expect(ten.critical).toBeGreaterThan(one.critical);
    expect(ten.critical).toBeCloseTo(normalQuantile(1 - 0.005), 9);
  });
});

/** How the executions of a version end and fare (emulator traffic settings). */
interface Truth {
  /** Callers hanging up in the flow (exit reason DISCONNECT). */
  hangUps?: number;
  /** Executions ending in FLOW_ERROR_EXIT. */
  errorExits?: number;
  /** Failed outcomes (only versions whose configuration sets outcomes have any). */
  failure?: number;
  timeInFlowScale?: number;
}

/** The emulator's settings of one version from a {@link Truth}. */
function setTruth(emu: RunningEmulator, flowId: string, version: string, t: Truth) {
  emu.control.setTraffic({
    flowId,
    version,
    exitReasons: { DISCONNECT: t.hangUps ?? 0.1, FLOW_ERROR_EXIT: t.errorExits ?? 0 },
    ...(t.failure !== undefined ? { failureProbability: t.failure } : {}),
    ...(t.timeInFlowScale !== undefined ? { timeInFlowScale: t.timeInFlowScale } : {}),
  });
}

/** Publishes version 2.0 of Main IVR (a flow without outcomes) over 3.0 now, and lets `minutes` of traffic run. */
async function scenario(emu: RunningEmulator, older: Truth, newer: Truth, minutes: number) {
  // Traffic is a pure function of (seed, flow, minute): a fixed time gives every run the same
  // executions, so an interval that misses the truth 5 % of the time cannot make the suite flaky.
  emu.control.setClock({ speed: 0, to: Date.parse('2030-01-07T09:00:00Z') });
  const { client } = clientFor(emu, { now: () => emu.control.org.now() });
  const id = flowId(emu, 'Main IVR');
  emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 40 });
  setTruth(emu, id, '3.0', older);
  setTruth(emu, id, '2.0', newer);
  const poll = {
    intervalMs: 50,
    sleep: (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve()),
  };
  await client.flows.followOperation(id, await client.flows.publish(id, '2.0'), poll);
  emu.control.setClock({ advanceMs: minutes * 60_000 });
  return { client, id };
}

describe('adoption against the simulated truth', () => {
  const e = useEmulator();

  it('shares and disconnect rates match what the emulator simulated, within the stated intervals; a flow without outcomes has no failure rate', async () => {
    const emu = e.get();
    const { client, id } = await scenario(emu, { hangUps: 0.05 }, { hangUps: 0.2 }, 90);
    const r = await adoptionReport(client, id, { now: () => emu.control.org.now(), granularity: 'PT5M' });
    expect(r.newVersion).toBe('2.0');
    expect(r.previousVersion).toBe('3.0');
    // A call runs on the version published when it started and counts when it ends: the calls in
    // the flow at the publish end on 3.0 over the next 180 s, then every execution is on 2.0.
    expect(r.overallShare.rate).toBeGreaterThan(0.97);
    expect(r.overallShare.rate).toBeLessThan(1);
    expect(r.share[0]!.share).toBeLessThan(1);
    expect(r.share.slice(1).every((s) => s.share === 1 || s.total === 0)).toBe(true);
    expect(r.share.length).toBeGreaterThanOrEqual(18);
    const [newer, older] = r.versions;
    // Disconnects: the hang-ups plus the flow's own Disconnect (4 %) and errors' (1 %).
    expect(newer!.disconnectRate.low!).toBeLessThanOrEqual(0.25);
    expect(newer!.disconnectRate.high!).toBeGreaterThanOrEqual(0.25);
    expect(r.baseline!.figures.disconnectRate.low!).toBeLessThanOrEqual(0.1);
    expect(r.baseline!.figures.disconnectRate.high!).toBeGreaterThanOrEqual(0.1);
    expect(newer!.exitReasons.DISCONNECT! + newer!.exitReasons.TRANSFER!).toBeLessThan(newer!.executions);
    // Main IVR's configuration sets no outcome: no failure rate at all, and the gate says so.
    expect(newer!.failureRate.trials).toBe(0);
    expect(older!.failureRate.trials).toBe(0);
    expect(r.verdict.skipped).toEqual(['outcomes: the previous version recorded none']);
    // 40 per minute for 90 minutes on each side (Poisson): within 5 %.
    expect(r.volumes.after / 3600).toBeGreaterThan(0.95);
    expect(r.volumes.after / 3600).toBeLessThan(1.05);
    expect(r.versions[0]!.meanTimeInFlowMs.mean! / 1000).toBeGreaterThan(80); // uniform 5–180 s: mean 92.5 s
    expect(r.versions[0]!.meanTimeInFlowMs.mean! / 1000).toBeLessThan(105);
    expect(r.verdict.verdict).toBe('degraded');
    expect(r.verdict.signals.map((x) => [x.signal, x.verdict])).toEqual([
      ['disconnects', 'degraded'],
      ['exits', 'healthy'],
    ]);
    // Two signals, one look: each tests at 1 − 0.05 / 2.
    expect(r.verdict.tests).toBe(2);
    expect(r.verdict.critical).toBeCloseTo(normalQuantile(1 - 0.025), 9);
  });

  it('a healthy new version is judged healthy; the HTML report draws one series per version', async () => {
    const emu = e.get();
    const { client, id } = await scenario(emu, { hangUps: 0.1 }, { hangUps: 0.1 }, 60);
    const r = await adoptionReport(client, id, { now: () => emu.control.org.now(), granularity: 'PT5M' });
    expect(r.verdict.verdict).toBe('healthy');
    const html = adoptionHtml([r]);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained, no script
    expect(html).toContain('data-series="2"'); // failure rates of 2.0 and 3.0 (no data: no outcomes)
    expect(html).toContain('no outcomes in the window');
    expect(html).toContain('<li class="verdict healthy">disconnects: healthy: ');
    expect(html).toContain(`data-points="${r.share.filter((s) => s.share !== null).length}"`);
    const shareSvg = /<svg class="chart share"[\s\S]*?<\/svg>/.exec(html)![0];
    expect((shareSvg.match(/<circle class="point"/g) ?? []).length).toBe(
      r.share.filter((x) => x.share !== null).length,
    );
  });
});

/** Archy YAML of a flow that sets outcomes (Initialize / Set Flow Outcome); `say` changes its content. */
function claimsFlow(say: string): string {
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
${outcome('initializeFlowOutcome')}          - playAudio:
              name: Hello
              audio:
                tts: ${say}
${outcome('setFlowOutcome')}          - disconnect:
              name: Bye
`;
}

describe('the health gate after a deployment', () => {
  const e = useEmulator();

  type Gate = Parameters<typeof import('../../src/deploy/health-gate.js').runHealthGate>[1];

  /** Runs the gate over an hour in three looks after the deployment `deploy` made. */
  const watch = async (
    emu: RunningEmulator,
    s: ReturnType<typeof import('../helpers/deploy.js').librarySession>,
    deploymentId: string,
    gate: Partial<Gate> = {},
  ) => {
    const { runHealthGate } = await import('../../src/deploy/health-gate.js');
    const now = () => emu.control.org.now();
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const verdicts: string[] = [];
    const results = await runHealthGate(
      deploymentId,
      { windowMs: 60 * 60_000, looks: 3, ...gate },
      {
        client: s.client,
        ledger: s.ledger,
        now,
        sleep: advance,
        poll: { intervalMs: 20, sleep: advance, now },
        onVerdict: ({ verdict }) => void verdicts.push(verdict.verdict),
      },
    );
    return { results, verdicts };
  };

  /** Main IVR (no outcomes) 3.0 → 2.0 at 60 calls a minute, then the gate. */
  const deployAndWatch = async (emu: RunningEmulator, newer: Truth, gate: Partial<Gate> = {}) => {
    const { librarySession, workspace, publishedVersion } = await import('../helpers/deploy.js');
    emu.control.setClock({ speed: 0 });
    const id = flowId(emu, 'Main IVR');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 60 });
    setTruth(emu, id, '3.0', {});
    setTruth(emu, id, '2.0', newer);
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '2.0'\n",
    });
    const s = librarySession(emu, dir);
    const now = () => emu.control.org.now();
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const { outcome } = await s.deploy({ now, poll: { intervalMs: 20, sleep: advance, now } });
    expect(outcome.status).toBe('succeeded');
    const { results, verdicts } = await watch(emu, s, outcome.deploymentId, gate);
    return { results, verdicts, s, publishedVersion, deploymentId: outcome.deploymentId };
  };

  it('a flow without outcomes whose callers hang up more is rolled back at the first look that is sure, recorded in the ledger', async () => {
    const emu = e.get();
    const { results, verdicts, s, publishedVersion, deploymentId } = await deployAndWatch(emu, {
      hangUps: 0.3,
    });
    expect(results).toHaveLength(1);
    expect(results[0]!.verdict.verdict).toBe('degraded');
    expect(results[0]!.verdict.signals.find((x) => x.signal === 'disconnects')!.verdict).toBe('degraded');
    expect(verdicts[0]).toBe('degraded'); // 1,200 executions by the first look: clear already
    expect(results[0]!.rolledBack?.status).toBe('succeeded');
    expect(publishedVersion(emu, 'Main IVR')).toBe('3.0');
    const notes = (await s.ledger.events(deploymentId)).map((x) => x.detail ?? '');
    expect(notes.some((n) => n.startsWith('health (look 1 of 3): degraded: disconnects: '))).toBe(true);
  });

  it('a version whose calls end in errors more often is rolled back on the exits signal alone', async () => {
    const emu = e.get();
    const { results, publishedVersion } = await deployAndWatch(emu, { errorExits: 0.06 });
    const signals = Object.fromEntries(results[0]!.verdict.signals.map((x) => [x.signal, x.verdict]));
    expect(signals).toEqual({ disconnects: 'healthy', exits: 'degraded' });
    expect(publishedVersion(emu, 'Main IVR')).toBe('3.0');
  });

  it('a healthy version stays, after every look', async () => {
    const emu = e.get();
    const { results, verdicts, publishedVersion } = await deployAndWatch(emu, {});
    expect(results[0]!.verdict.verdict).toBe('healthy');
    expect(verdicts).toEqual(['healthy', 'healthy', 'healthy']);
    expect(results[0]!.rolledBack).toBeUndefined();
    expect(publishedVersion(emu, 'Main IVR')).toBe('2.0');
  });

  it('time in flow, when chosen, rolls back a version that keeps callers half as long again; by default it only reports', async () => {
    const emu = e.get();
    const slower = { timeInFlowScale: 1.5 };
    const chosen = await deployAndWatch(emu, slower, {
      signals: { ...DEFAULT_SIGNALS, timeInFlow: { marginMs: 10_000 } },
      rollback: false,
    });
    const verdict = chosen.results[0]!.verdict;
    expect(Object.fromEntries(verdict.signals.map((x) => [x.signal, x.verdict]))).toEqual({
      disconnects: 'healthy',
      exits: 'healthy',
      timeInFlow: 'degraded',
    });
    expect(verdict.tests).toBe(9); // three signals × three looks
    // The same data under the default signals: healthy (the mean is only reported).
    const { client } = clientFor(emu, { now: () => emu.control.org.now() });
    const r = await adoptionReport(client, flowId(emu, 'Main IVR'), { now: () => emu.control.org.now() });
    expect(r.verdict.verdict).toBe('healthy');
    expect(r.versions[0]!.meanTimeInFlowMs.mean!).toBeGreaterThan(
      r.baseline!.figures.meanTimeInFlowMs.mean! + 30_000,
    );
  });

  it('a flow that sets outcomes: a version whose outcomes fail more is rolled back though its callers hang up no more', async () => {
    const emu = e.get();
    const { librarySession, workspace, publishedVersion } = await import('../helpers/deploy.js');
    emu.control.setClock({ speed: 0 });
    const now = () => emu.control.org.now();
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: claims.yaml\n',
      'claims.yaml': claimsFlow('Welcome to claims'),
    });
    const s = librarySession(emu, dir);
    const first = await s.deploy({ now, poll: { intervalMs: 20, sleep: advance, now } });
    expect(first.outcome.status).toBe('succeeded');
    const id = flowId(emu, 'Claims IVR');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 60 });
    emu.control.setClock({ advanceMs: 60 * 60_000 }); // an hour of 1.0: the baseline
    writeFileSync(join(dir, 'claims.yaml'), claimsFlow('Welcome to the claims line'));
    const second = await s.deploy({ now, poll: { intervalMs: 20, sleep: advance, now } });
    expect(second.outcome.status).toBe('succeeded');
    expect(publishedVersion(emu, 'Claims IVR')).toBe('2.0');
    setTruth(emu, id, '1.0', { failure: 0.02 });
    setTruth(emu, id, '2.0', { failure: 0.12 });
    const { results } = await watch(emu, s, second.outcome.deploymentId);
    const verdict = results[0]!.verdict;
    expect(Object.fromEntries(verdict.signals.map((x) => [x.signal, x.verdict]))).toEqual({
      disconnects: 'healthy',
      exits: 'healthy',
      outcomes: 'degraded',
    });
    expect(verdict.skipped).toEqual([]);
    expect(results[0]!.rolledBack?.status).toBe('succeeded');
    expect(publishedVersion(emu, 'Claims IVR')).not.toBe('2.0');
  });
});

describe('large ranges', () => {
  const e = useEmulator();

  it('a range over a week goes through asynchronous aggregate jobs, with the same figures', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { client } = clientFor(emu, { now: () => emu.control.org.now() });
    const id = flowId(emu, 'Main IVR');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 2 });
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    await client.flows.followOperation(id, await client.flows.publish(id, '2.0'), {
      intervalMs: 20,
      sleep: advance,
    });
    emu.control.setClock({ advanceMs: 8 * 86_400_000 });
    emu.control.clearRequests();
    const r = await adoptionReport(client, id, {
      granularity: 'PT1H',
      now: () => emu.control.org.now(),
      poll: { intervalMs: 20, sleep: advance },
    });
    const paths = emu.control.requests().map((x) => `${x.method} ${x.path}`);
    expect(paths.filter((p) => p === 'POST /api/v2/analytics/flows/aggregates/jobs')).toHaveLength(1);
    expect(paths.some((p) => p.endsWith('/results'))).toBe(true);
    expect(paths.filter((p) => p.endsWith('/aggregates/query'))).toHaveLength(0);
    // 2 per minute for 8 days on each side: within 3 %.
    expect(r.volumes.after / (8 * 1440 * 2)).toBeGreaterThan(0.97);
    expect(r.volumes.after / (8 * 1440 * 2)).toBeLessThan(1.03);
    // Every interval of the window, the last (a few seconds long) included.
    const hours = (Date.parse(r.window.until) - Date.parse(r.window.from)) / 3_600_000;
    expect(r.share.length).toBe(Math.ceil(hours));
    expect(r.share.length).toBeGreaterThanOrEqual(8 * 24);
  });
});
