/**
 * The health gate's loop (`runHealthGate`) against the emulator over HTTP, on its simulated clock:
 * the gate's `sleep` advances the clock and records each wait, so every look sees the traffic of
 * exactly the time waited. What it promises (README, "The health gate"):
 *
 * - it watches each flow the deployment published over an earlier version: not a flow it created
 *   (nothing to compare with), not a step that failed, not one left unchanged;
 * - it looks `looks` times, spread evenly over the window (a wait of `windowMs / looks` before each);
 * - a *degraded* verdict is final at once (the flow is not queried or noted again); *healthy* and
 *   *insufficient* are final only at the last look; the loop ends as soon as every watched flow has
 *   a final verdict;
 * - every verdict is a note on the step (`health (look i of n): verdict: reason`), and only the
 *   final one records the step's `health`, which an environment's `healthy: true` gate reads;
 * - the window ends at the clock it was given (`now`), when given;
 * - degraded flows, and only those, are rolled back unless `rollback: false`.
 */
import { describe, expect, it } from 'vitest';
import { adoptionReport } from '../../src/adoption/report.js';
import { DEFAULT_SIGNALS, type HealthVerdict } from '../../src/adoption/signals.js';
import { DEFAULT_RULE } from '../../src/adoption/stats.js';
import { runHealthGate, type HealthGateOptions } from '../../src/deploy/health-gate.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { Clock } from '../../src/shared/time.js';
import { inboundFlow, librarySession, publishedVersion, workspace } from '../helpers/deploy.js';
import { flowId, served, useEmulator } from '../helpers/emulator.js';

/** Flows published by version: 1.0 two days ago, 2.0 a day ago (published now), 3.0 checked in. */
const SEED = {
  randomSeed: 11,
  flows: ['Bad IVR', 'Good IVR', 'Quiet IVR', 'Failing IVR', 'Same IVR'].map((name) => ({
    name,
    type: 'INBOUNDCALL',
    arrivalsPerMinute: name === 'Quiet IVR' ? 0 : 60,
    versions: [{ publishedHoursAgo: 48 }, { publishedHoursAgo: 24 }, {}],
  })),
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A manifest entry publishing a seeded flow's version. */
const byVersion = (name: string, version: string) =>
  `  - name: ${name}\n    type: inboundcall\n    version: '${version}'\n`;

/** The emulator's clock frozen; the deploy's polls advance it; the gate's waits advance it and are recorded. */
function clock(emu: RunningEmulator) {
  emu.control.setClock({ speed: 0 });
  const now: Clock = () => emu.control.org.now();
  const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
  const waits: number[] = [];
  const gateSleep = (ms: number) => (waits.push(ms), advance(ms));
  return { now, advance, waits, gateSleep, poll: { intervalMs: 20, sleep: advance, now } };
}

/** Sets up the seeded flows' traffic: Bad IVR's 3.0 loses callers in the IVR 4.5 times as often. */
function traffic(emu: RunningEmulator) {
  for (const name of ['Bad IVR', 'Good IVR'])
    emu.control.setTraffic({ flowId: flowId(emu, name), version: '2.0', exitReasons: { DISCONNECT: 0.1 } });
  emu.control.setTraffic({
    flowId: flowId(emu, 'Bad IVR'),
    version: '3.0',
    exitReasons: { DISCONNECT: 0.45 },
  });
  emu.control.setTraffic({
    flowId: flowId(emu, 'Good IVR'),
    version: '3.0',
    exitReasons: { DISCONNECT: 0.1 },
  });
}

/** Deploys a manifest of the given flow entries (not atomic: a failed step stays failed). */
async function deploy(emu: RunningEmulator, entries: string, files: Record<string, string> = {}) {
  const c = clock(emu);
  const dir = workspace({ 'flowgate.yaml': `version: 1\nflows:\n${entries}`, ...files });
  const s = librarySession(emu, dir);
  const { outcome } = await s.deploy({ now: c.now, poll: c.poll, atomic: false });
  return { ...c, s, deploymentId: outcome.deploymentId, outcome };
}

/** Runs the gate, recording each verdict with the step's `health` in the ledger right after its note. */
async function watch(d: Awaited<ReturnType<typeof deploy>>, gate: HealthGateOptions, now?: Clock) {
  const seen: { flow: string; look: number; verdict: HealthVerdict; health: unknown }[] = [];
  const results = await runHealthGate(d.deploymentId, gate, {
    client: d.s.client,
    ledger: d.s.ledger,
    poll: d.poll,
    sleep: d.gateSleep,
    ...(now ? { now } : {}),
    onVerdict: async ({ step, verdict, look }) => {
      const after = (await d.s.ledger.steps(d.deploymentId)).find((x) => x.index === step.index)!;
      seen.push({ flow: step.flowName, look, verdict, health: after.health });
    },
  });
  return { results, seen };
}

/** The gate's notes in the ledger, in the order recorded. */
async function healthNotes(d: Awaited<ReturnType<typeof deploy>>) {
  const steps = await d.s.ledger.steps(d.deploymentId);
  const name = (i: number) => steps.find((x) => x.index === i)!.flowName;
  return (await d.s.ledger.events(d.deploymentId))
    .filter((e) => e.detail?.startsWith('health'))
    .map((e) => ({ flow: name(e.index), from: e.from, to: e.to, detail: e.detail }));
}

/** Adoption reports the gate asked for, per flow: each reads the flow once (GET /api/v2/flows/{id}). */
const reportsOf = (emu: RunningEmulator, name: string) =>
  served(emu, new RegExp(`^/api/v2/flows/${flowId(emu, name)}$`), 'GET').length;

describe('the health gate loop', () => {
  const e = useEmulator({ seed: SEED });

  it('watches only the published updates; degraded is final at once, healthy and insufficient at the last look; notes and health as promised', async () => {
    const emu = e.get();
    traffic(emu);
    emu.control.failPublishes(flowId(emu, 'Failing IVR'), 1);
    const d = await deploy(
      emu,
      `  - file: new.yaml\n${byVersion('Bad IVR', '3.0')}${byVersion('Good IVR', '3.0')}${byVersion('Quiet IVR', '3.0')}${byVersion('Failing IVR', '3.0')}${byVersion('Same IVR', '2.0')}`,
      { 'new.yaml': inboundFlow('New IVR') },
    );
    // The deployment as the gate finds it: a created flow, three updates, a failure, an unchanged flow.
    expect(
      (await d.s.ledger.steps(d.deploymentId)).map((x) => [x.flowName, x.state, x.previousVersion ?? null]),
    ).toEqual([
      ['New IVR', 'published', null],
      ['Bad IVR', 'published', '2.0'],
      ['Good IVR', 'published', '2.0'],
      ['Quiet IVR', 'published', '2.0'],
      ['Failing IVR', 'failed', '2.0'],
      ['Same IVR', 'unchanged', '2.0'],
    ]);
    emu.control.clearRequests();

    const { results, seen } = await watch(d, { windowMs: HOUR, looks: 3, rollback: false });

    // Three looks, one every 20 minutes.
    expect(d.waits).toEqual([20 * MINUTE, 20 * MINUTE, 20 * MINUTE]);
    // Bad IVR is degraded at the first look (1,200 calls, 45 % against 10 % hanging up) and not
    // looked at again; the others are looked at every time, and the step records `health` only
    // at the final look.
    expect(
      seen.map(({ flow, look, verdict, health }) => [flow, look, verdict.verdict, health ?? null]),
    ).toEqual([
      ['Bad IVR', 1, 'degraded', 'degraded'],
      ['Good IVR', 1, 'healthy', null],
      ['Quiet IVR', 1, 'insufficient', null],
      ['Good IVR', 2, 'healthy', null],
      ['Quiet IVR', 2, 'insufficient', null],
      ['Good IVR', 3, 'healthy', 'healthy'],
      ['Quiet IVR', 3, 'insufficient', 'insufficient'],
    ]);
    // One adoption report per look for each flow still watched; none for the flows not watched.
    expect(
      Object.fromEntries(
        ['New IVR', 'Bad IVR', 'Good IVR', 'Quiet IVR', 'Failing IVR', 'Same IVR'].map((n) => [
          n,
          reportsOf(emu, n),
        ]),
      ),
    ).toEqual({ 'New IVR': 0, 'Bad IVR': 1, 'Good IVR': 3, 'Quiet IVR': 3, 'Failing IVR': 0, 'Same IVR': 0 });
    // Each verdict is a note on its step (its state unchanged), worded with the look and the reason.
    expect(await healthNotes(d)).toEqual(
      seen.map(({ flow, look, verdict }) => ({
        flow,
        from: 'published',
        to: 'published',
        detail: `health (look ${look} of 3): ${verdict.verdict}: ${verdict.reason}`,
      })),
    );
    expect(seen[0]!.verdict.reason).toMatch(/^disconnects: /);
    // The final verdicts, in the order they became final; nothing rolled back (rollback: false).
    expect(results.map((r) => [r.step.flowName, r.verdict, r.rolledBack])).toEqual([
      ['Bad IVR', seen[0]!.verdict, undefined],
      ['Good IVR', seen[5]!.verdict, undefined],
      ['Quiet IVR', seen[6]!.verdict, undefined],
    ]);
    expect((await d.s.ledger.steps(d.deploymentId)).map((x) => [x.flowName, x.health ?? null])).toEqual([
      ['New IVR', null],
      ['Bad IVR', 'degraded'],
      ['Good IVR', 'healthy'],
      ['Quiet IVR', 'insufficient'],
      ['Failing IVR', null],
      ['Same IVR', null],
    ]);
    expect(publishedVersion(emu, 'Bad IVR')).toBe('3.0');
    expect((await d.s.ledger.listDeployments()).map((x) => x.id)).toEqual([d.deploymentId]);
  });

  it('ends as soon as every watched flow is degraded: one wait of windowMs / looks, then the rollback', async () => {
    const emu = e.get();
    traffic(emu);
    const d = await deploy(emu, byVersion('Bad IVR', '3.0'));
    const { results, seen } = await watch(d, { windowMs: HOUR, looks: 4, rollback: true });
    expect(d.waits).toEqual([15 * MINUTE]);
    expect(seen.map((x) => [x.flow, x.look, x.verdict.verdict])).toEqual([['Bad IVR', 1, 'degraded']]);
    expect((await healthNotes(d)).map((x) => x.detail)).toEqual([
      `health (look 1 of 4): degraded: ${seen[0]!.verdict.reason}`,
    ]);
    expect(results).toHaveLength(1);
    expect(results[0]!.rolledBack).toMatchObject({ status: 'succeeded' });
    expect(publishedVersion(emu, 'Bad IVR')).toBe('2.0');
  });

  it('rolls back the degraded flow and only that one (rollback by default)', async () => {
    const emu = e.get();
    traffic(emu);
    const d = await deploy(emu, `${byVersion('Bad IVR', '3.0')}${byVersion('Good IVR', '3.0')}`);
    const { results } = await watch(d, { windowMs: HOUR, looks: 3 });
    expect(d.waits).toEqual([20 * MINUTE, 20 * MINUTE, 20 * MINUTE]);
    expect(results.map((r) => [r.step.flowName, r.verdict.verdict])).toEqual([
      ['Bad IVR', 'degraded'],
      ['Good IVR', 'healthy'],
    ]);
    const back = results[0]!.rolledBack!;
    expect(back.status).toBe('succeeded');
    expect(back.steps.map((x) => [x.flowName, x.state, x.previousVersion, x.publishedVersion])).toEqual([
      ['Bad IVR', 'published', '3.0', '2.0'],
    ]);
    expect(results[1]!.rolledBack).toBeUndefined();
    expect(publishedVersion(emu, 'Bad IVR')).toBe('2.0');
    expect(publishedVersion(emu, 'Good IVR')).toBe('3.0');
    // One rollback deployment besides the deployment watched.
    const others = (await d.s.ledger.listDeployments()).filter((x) => x.id !== d.deploymentId);
    expect(others.map((x) => [x.id, x.purpose])).toEqual([[back.deploymentId, 'rollback']]);
  });

  it('a deployment with nothing published over an earlier version: no wait, no query, no note', async () => {
    const emu = e.get();
    const d = await deploy(emu, `  - file: new.yaml\n${byVersion('Same IVR', '2.0')}`, {
      'new.yaml': inboundFlow('New IVR'),
    });
    expect(d.outcome.steps.map((x) => [x.flowName, x.state])).toEqual([
      ['New IVR', 'published'],
      ['Same IVR', 'unchanged'],
    ]);
    emu.control.clearRequests();
    const { results, seen } = await watch(d, { windowMs: HOUR, looks: 3 });
    expect(results).toEqual([]);
    expect(seen).toEqual([]);
    expect(d.waits).toEqual([]);
    expect(emu.control.requests()).toEqual([]);
    expect(await healthNotes(d)).toEqual([]);
  });

  it('the window ends at the clock the gate was given, not the platform one', async () => {
    const emu = e.get();
    traffic(emu);
    const d = await deploy(emu, byVersion('Good IVR', '3.0'));
    await d.advance(10 * MINUTE);
    // The given clock stays 10 minutes after the publish while the platform's runs on.
    const frozen = d.now();
    const { seen } = await watch(d, { windowMs: HOUR, looks: 3, rollback: false }, () => frozen);
    expect(d.now()).toBe(frozen + HOUR);
    // What a report over those 10 minutes says, asked on its own with the gate's rule and signals.
    const expected = await adoptionReport(d.s.client, flowId(emu, 'Good IVR'), {
      version: '3.0',
      granularity: 'PT5M',
      rule: { ...DEFAULT_RULE, looks: 3 },
      signals: DEFAULT_SIGNALS,
      now: () => frozen,
    });
    expect(expected.until).toBe(new Date(frozen).toISOString());
    expect(seen.map((x) => x.verdict)).toEqual([expected.verdict, expected.verdict, expected.verdict]);
    // On the platform's clock the last look would have covered 70 minutes of the new version.
    const platform = await adoptionReport(d.s.client, flowId(emu, 'Good IVR'), {
      version: '3.0',
      rule: { ...DEFAULT_RULE, looks: 3 },
    });
    expect(platform.verdict.signals[0]!.newer.of).toBeGreaterThan(expected.verdict.signals[0]!.newer.of);
  });
});
