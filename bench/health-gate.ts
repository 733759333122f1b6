/**
 * How often the health gate's verdict is right, over many random seeds of the emulator's simulated
 * traffic: a degraded new version (failure 3 % → 6 %) should be caught; a healthy one (3 % → 3 %)
 * should be called degraded no more often than 1 − confidence (5 %). One hour of traffic at 20
 * executions per minute on each side. Prints one JSON line. Usage: tsx bench/health-gate.ts RUNS
 */
import { adoptionReport } from '../src/adoption/report.js';
import { startEmulator } from '../src/emulator/server.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';

const runs = Number(process.argv[2] ?? 200);

async function verdict(seed: number, pOld: number, pNew: number): Promise<string> {
  const emu = await startEmulator({ env: {}, settings: { randomSeed: seed, operationDelayMs: 10 } });
  try {
    emu.control.setClock({ speed: 0 });
    const client = createPlatformClient({
      credentials: { clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret },
      endpoints: resolveBaseUrl(emu.url),
      requestsPerMinute: 1e6,
      burst: 1000,
      now: () => emu.control.org.now(),
    });
    const id = emu.control.state().flows.find((f) => f.name === 'Main IVR')!.id;
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 20, failureProbability: pOld });
    emu.control.setTraffic({ flowId: id, version: '3.0', failureProbability: pOld });
    emu.control.setTraffic({ flowId: id, version: '2.0', failureProbability: pNew });
    const op = await client.flows.publish(id, '2.0');
    await client.flows.followOperation(id, op, {
      intervalMs: 5,
      sleep: (ms) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve()),
    });
    emu.control.setClock({ advanceMs: 60 * 60_000 });
    const r = await adoptionReport(client, id, { now: () => emu.control.org.now(), granularity: 'PT15M' });
    return r.verdict.verdict;
  } finally {
    await emu.stop();
  }
}

const count = (list: string[], v: string) => list.filter((x) => x === v).length;
const healthy: string[] = [];
const degraded: string[] = [];
const started = performance.now();
for (let i = 0; i < runs; i++) {
  healthy.push(await verdict(1000 + i, 0.03, 0.03));
  degraded.push(await verdict(5000 + i, 0.03, 0.06));
}
process.stdout.write(
  `${JSON.stringify({
    runs,
    falseRollbackRate: count(healthy, 'degraded') / runs,
    detectionRate: count(degraded, 'degraded') / runs,
    insufficient: count(healthy, 'insufficient') + count(degraded, 'insufficient'),
    ms: performance.now() - started,
  })}\n`,
);
