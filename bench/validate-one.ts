/** Child process: validates one file and prints JSON timings (ms) and peak RSS (MB). */
import { loadFlowFile } from '../src/flow/load.js';
import { validateLoaded } from '../src/flow/validate.js';

const file = process.argv[2]!;
const t0 = performance.now();
const loaded = await loadFlowFile(file, { maxFileBytes: 2 ** 31 - 1 });
const t1 = performance.now();
const report = validateLoaded([loaded]);
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({
    loadMs: t1 - t0,
    checkMs: t2 - t1,
    totalMs: t2 - t0,
    peakMB: process.resourceUsage().maxRSS / 1024,
    nodes: loaded.graph?.nodeCount ?? 0,
    edges: loaded.graph?.edgeCount ?? 0,
    summary: report.summary,
  }),
);
