/** Adoption against the emulator's simulated traffic with a known truth, and the statistics against oracles. */
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { adoptionReport } from '../../src/adoption/report.js';
import { adoptionHtml } from '../../src/adoption/html.js';
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

/** Publishes version 2.0 of Main IVR now, with failure probabilities old/new, and lets `minutes` of traffic run. */
async function scenario(emu: RunningEmulator, pOld: number, pNew: number, minutes: number) {
  // Traffic is a pure function of (seed, flow, minute): a fixed time gives every run the same
  // executions, so an interval that misses the truth 5 % of the time cannot make the suite flaky.
  emu.control.setClock({ speed: 0, to: Date.parse('2030-01-07T09:00:00Z') });
  const { client } = clientFor(emu, { now: () => emu.control.org.now() });
  const id = flowId(emu, 'Main IVR');
  emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 40, failureProbability: pOld });
  emu.control.setTraffic({ flowId: id, version: '3.0', failureProbability: pOld });
  emu.control.setTraffic({ flowId: id, version: '2.0', failureProbability: pNew });
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

  it('shares and failure rates match what the emulator simulated, within the stated intervals', async () => {
    const emu = e.get();
    const { client, id } = await scenario(emu, 0.02, 0.1, 90);
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
    expect(newer!.failureRate.low!).toBeLessThanOrEqual(0.1);
    expect(newer!.failureRate.high!).toBeGreaterThanOrEqual(0.1);
    expect(older!.failureRate.low!).toBeLessThanOrEqual(0.02);
    expect(older!.failureRate.high!).toBeGreaterThanOrEqual(0.02);
    // 40 per minute for 90 minutes on each side (Poisson): within 5 %.
    expect(r.volumes.after / 3600).toBeGreaterThan(0.95);
    expect(r.volumes.after / 3600).toBeLessThan(1.05);
    expect(r.versions[0]!.meanTimeInFlowMs.mean! / 1000).toBeGreaterThan(80); // uniform 5–180 s: mean 92.5 s
    expect(r.versions[0]!.meanTimeInFlowMs.mean! / 1000).toBeLessThan(105);
    expect(r.verdict.verdict).toBe('degraded');
  });

  it('a healthy new version is judged healthy; the HTML report draws one series per version', async () => {
    const emu = e.get();
    const { client, id } = await scenario(emu, 0.03, 0.03, 60);
    const r = await adoptionReport(client, id, { now: () => emu.control.org.now(), granularity: 'PT5M' });
    expect(r.verdict.verdict).toBe('healthy');
    const html = adoptionHtml([r]);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained, no script
    expect(html).toContain('data-series="2"'); // failure rates of 2.0 and 3.0
    expect(html).toContain(`data-points="${r.share.filter((s) => s.share !== null).length}"`);
    const shareSvg = /<svg class="chart share"[\s\S]*?<\/svg>/.exec(html)![0];
    expect((shareSvg.match(/<circle class="point"/g) ?? []).length).toBe(
      r.share.filter((x) => x.share !== null).length,
    );
  });
});

describe('the health gate after a deployment', () => {
  const e = useEmulator();

  const deployAndWatch = async (emu: RunningEmulator, pNew: number) => {
    const { librarySession, workspace, publishedVersion } = await import('../helpers/deploy.js');
    const { runHealthGate } = await import('../../src/deploy/health-gate.js');
    emu.control.setClock({ speed: 0 });
    const id = flowId(emu, 'Main IVR');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 60, failureProbability: 0.02 });
    emu.control.setTraffic({ flowId: id, version: '3.0', failureProbability: 0.02 });
    emu.control.setTraffic({ flowId: id, version: '2.0', failureProbability: pNew });
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '2.0'\n",
    });
    const s = librarySession(emu, dir);
    const now = () => emu.control.org.now();
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const { outcome } = await s.deploy({ now, poll: { intervalMs: 20, sleep: advance, now } });
    expect(outcome.status).toBe('succeeded');
    const verdicts: string[] = [];
    const results = await runHealthGate(
      outcome.deploymentId,
      { windowMs: 60 * 60_000, looks: 3 },
      {
        client: s.client,
        ledger: s.ledger,
        now,
        sleep: advance,
        poll: { intervalMs: 20, sleep: advance, now },
        onVerdict: ({ verdict }) => void verdicts.push(verdict.verdict),
      },
    );
    return { results, verdicts, s, publishedVersion, deploymentId: outcome.deploymentId };
  };

  it('a degraded version is rolled back at the first look that is sure, recorded in the ledger', async () => {
    const emu = e.get();
    const { results, verdicts, s, publishedVersion, deploymentId } = await deployAndWatch(emu, 0.25);
    expect(results).toHaveLength(1);
    expect(results[0]!.verdict.verdict).toBe('degraded');
    expect(verdicts[0]).toBe('degraded'); // 1,200 executions by the first look: clear already
    expect(results[0]!.rolledBack?.status).toBe('succeeded');
    expect(publishedVersion(emu, 'Main IVR')).toBe('3.0');
    const notes = (await s.ledger.events(deploymentId)).map((x) => x.detail ?? '');
    expect(notes.some((n) => n.startsWith('health (look 1 of 3): degraded'))).toBe(true);
  });

  it('a healthy version stays, after every look', async () => {
    const emu = e.get();
    const { results, verdicts, publishedVersion } = await deployAndWatch(emu, 0.02);
    expect(results[0]!.verdict.verdict).toBe('healthy');
    expect(verdicts).toEqual(['healthy', 'healthy', 'healthy']);
    expect(results[0]!.rolledBack).toBeUndefined();
    expect(publishedVersion(emu, 'Main IVR')).toBe('2.0');
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
