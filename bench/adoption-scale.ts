/**
 * A large org's adoption query: N flows, 30 days of 5-minute data each (plus the same length
 * before, for the comparison), split into asynchronous aggregate jobs of at most 31 days, through one client and its
 * limiter. Prints one JSON line. Usage: tsx bench/adoption-scale.ts FLOWS REQUESTS_PER_MINUTE
 */
import { adoptionReport } from '../src/adoption/report.js';
import { startEmulator } from '../src/emulator/server.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';

const [n = 200, perMinute = 6000] = process.argv.slice(2).map(Number);
const day = 24;
const emu = await startEmulator({
  env: {},
  // Aggregate jobs are fulfilled at once: the figure is flowgate's and the emulator's work, not a wait.
  settings: { auditQueryDelayMs: 0 },
  seed: {
    org: { name: 'Large org' },
    randomSeed: 7,
    flows: Array.from({ length: n }, (_, i) => ({
      name: `Large Flow ${i}`,
      type: 'INBOUNDCALL',
      arrivalsPerMinute: 1,
      versions: [{ publishedHoursAgo: 70 * day }, { publishedHoursAgo: 30 * day }],
    })),
  },
});
let requests = 0;
const client = createPlatformClient({
  credentials: { clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret },
  endpoints: resolveBaseUrl(emu.url),
  requestsPerMinute: perMinute,
  onCall: () => requests++,
});
emu.control.setLimit('platform.api', 'client.credentials.token.rate.per.minute', perMinute);
const flows = await client.flows.list();
const started = performance.now();
let executions = 0;
for (const f of flows) {
  const r = await adoptionReport(client, f.id, { granularity: 'PT5M' });
  executions += r.volumes.after + r.volumes.before;
}
const ms = performance.now() - started;
const rateLimited = emu.control.requests().filter((x) => x.status === 429).length;
process.stdout.write(
  `${JSON.stringify({ flows: flows.length, perMinute, requests, rateLimited, executions, seconds: ms / 1000, boundSecondsAt300: (requests / 300) * 60 })}\n`,
);
await emu.stop();
