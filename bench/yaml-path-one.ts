/**
 * Child process: parses one Archy YAML file through one path and prints JSON: milliseconds, peak
 * RSS (MB), whether positions were kept. Paths: `events` (today's, positions at any size: the
 * whole load and every check), `yaml` (the `yaml` Document path with positions, used below 1 MiB
 * before), `js-yaml` (`load`, no positions, used above 1 MiB before).
 * Usage: tsx bench/yaml-path-one.ts FILE PATH
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadFlowFile } from '../src/flow/load.js';
import { parseYaml } from '../src/flow/parse/parse.js';
import { validateLoaded } from '../src/flow/validate.js';

const [file = '', path = 'events'] = process.argv.slice(2);
const t0 = performance.now();
let positions = false;
let findings = 0;
if (path === 'events') {
  const loaded = await loadFlowFile(file, { maxFileBytes: 2 ** 31 - 1 });
  const report = validateLoaded([loaded]);
  findings = report.diagnostics.length;
  positions = report.diagnostics.every((d) => d.line > 0);
} else if (path === 'yaml') {
  const doc = parseYaml(readFileSync(file, 'utf8'));
  positions = doc.hasPositions;
} else {
  const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');
  jsYaml.load(readFileSync(file, 'utf8'));
}
process.stdout.write(
  JSON.stringify({
    ms: performance.now() - t0,
    peakMB: process.resourceUsage().maxRSS / 1024,
    positions,
    findings,
  }),
);
