/** Child process: the floor. Reads one file and runs JSON.parse on it, nothing else. */
import { readFileSync } from 'node:fs';

const file = process.argv[2]!;
const t0 = performance.now();
const text = readFileSync(file, 'utf8');
JSON.parse(text);
const t1 = performance.now();
process.stdout.write(JSON.stringify({ totalMs: t1 - t0, peakMB: process.resourceUsage().maxRSS / 1024 }));
