/**
 * `flowgate export` of N generated flows against the rate limit: the emulator's per-token limit is
 * R requests per minute (API.md §6.2 default 300), the client's limiter is set to C per minute (C > R
 * provokes 429s). The emulator counts in fixed one-minute windows, so no schedule of Q requests is
 * faster than ⌈Q / R⌉ − 1 full windows, nor than the jobs themselves (⌈jobs / concurrency⌉ × the
 * job delay): the bound is the larger.
 * Prints one JSON line. Usage: tsx bench/export-rate.ts N R C [BATCH] [CONCURRENCY]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server.js';
import { exportFlows } from '../src/export/export.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';
import { generatedSeed } from '../test/helpers/generated-org.js';

const [n = 300, perMinute = 300, clientPerMinute = 300, batch = 20, concurrency = 4] = process.argv
  .slice(2)
  .map(Number);
const emu = await startEmulator({
  seed: {
    ...generatedSeed(n),
    limits: { 'platform.api': { 'client.credentials.token.rate.per.minute': perMinute } },
  },
  settings: { jobDelayMs: 1000, operationDelayMs: 500, auditQueryDelayMs: 500 },
});
const client = createPlatformClient({
  credentials: emu.credentials,
  endpoints: resolveBaseUrl(emu.url),
  requestsPerMinute: clientPerMinute,
});
let peakRss = 0;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const started = performance.now();
const result = await exportFlows({
  client,
  out: mkdtempSync(join(tmpdir(), 'flowgate-bench-export-')),
  batchSize: batch,
  concurrency,
});
const ms = performance.now() - started;
clearInterval(sample);
const api = emu.control.requests().filter((r) => r.path.startsWith('/api/v2/'));
const jobs = Math.ceil(n / batch);
const rateBound = (Math.ceil(api.length / perMinute) - 1) * 60;
const jobBound = Math.ceil(jobs / concurrency) * 1;
console.log(
  JSON.stringify({
    flows: n,
    exported: result.exported.length,
    failed: result.failed.length,
    limitPerMinute: perMinute,
    clientPerMinute,
    batch,
    concurrency,
    requests: api.length,
    status429: api.filter((r) => r.status === 429).length,
    seconds: +(ms / 1000).toFixed(1),
    jobs,
    boundSeconds: Math.max(rateBound, jobBound),
    peakRssMB: Math.round(peakRss / 2 ** 20),
  }),
);
await emu.stop();
