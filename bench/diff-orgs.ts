/**
 * `flowgate diff --env A --against-env B` over two generated orgs of N flows, K of them changed in
 * the second: both orgs' published content read by export jobs, then compared. Prints one JSON line.
 * Usage: tsx bench/diff-orgs.ts N K
 */
import { compareSides, publishedSides } from '../src/deploy/compare.js';
import { startEmulator } from '../src/emulator/server.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';
import { generatedFlows, generatedSeed, ivrYaml } from '../test/helpers/generated-org.js';

const [n = 300, k = 10] = process.argv.slice(2).map(Number);
const changed = generatedSeed(n, 2);
let left = k;
for (const f of changed.flows!)
  if (f.type === 'INBOUNDCALL' && left-- > 0)
    f.versions = [
      { publishedHoursAgo: 1, configuration: ivrYaml(f.name, 'Module 000', 'Queue 1', undefined, 'Changed') },
    ];
const settings = { jobDelayMs: 1000, operationDelayMs: 500, auditQueryDelayMs: 500 };
const [a, b] = await Promise.all([
  startEmulator({ seed: generatedSeed(n, 1), settings }),
  startEmulator({ seed: changed, settings }),
]);
const client = (e: typeof a) =>
  createPlatformClient({ credentials: e.credentials, endpoints: resolveBaseUrl(e.url) });
const wanted = generatedFlows(n).map((f) => ({ type: f.type.toLowerCase(), name: f.name }));
const t0 = performance.now();
const [sa, sb] = await Promise.all([
  publishedSides(client(a), wanted, 'A'),
  publishedSides(client(b), wanted, 'B'),
]);
const t1 = performance.now();
const results = compareSides(
  wanted.map((w, i) => ({ flowName: w.name, flowType: w.type, from: sa[i]!, to: sb[i]! })),
);
const t2 = performance.now();
console.log(
  JSON.stringify({
    flows: n,
    changed: k,
    different: results.filter((r) => r.status !== 'equal').length,
    exportSeconds: +((t1 - t0) / 1000).toFixed(1),
    compareMs: Math.round(t2 - t1),
    requestsPerOrg: a.control.requests().filter((r) => r.path.startsWith('/api/v2/')).length,
    heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  }),
);
await Promise.all([a.stop(), b.stop()]);
