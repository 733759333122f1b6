/**
 * Child process: validates the six real public flows (examples/flows/public, with
 * examples/substitutions.yaml) `rounds` times in one process and prints JSON: the median and the
 * fastest milliseconds of one round (all six, load + every check) after a warm-up, and peak RSS.
 * Usage: tsx bench/real-flows-one.ts [rounds]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadFlowText } from '../src/flow/load.js';
import { validateLoaded } from '../src/flow/validate.js';

const rounds = Number(process.argv[2] ?? 300);
const dir = 'examples/flows/public';
const substitutions = parse(readFileSync('examples/substitutions.yaml', 'utf8')) as Record<string, string>;
const flows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(`${dir}/${f}`, 'utf8') }));
const round = () => {
  let findings = 0;
  for (const { file, text } of flows)
    findings += validateLoaded([loadFlowText(text, file, { substitutions })], { substitutions }).diagnostics
      .length;
  return findings;
};
for (let i = 0; i < 50; i++) round(); // warm-up: the JIT, not the code, dominates the first rounds
const times: number[] = [];
let findings = 0;
for (let i = 0; i < rounds; i++) {
  const t = performance.now();
  findings = round();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    flows: flows.length,
    rounds,
    medianMs: times[Math.floor(rounds / 2)],
    minMs: times[0],
    findings,
    peakMB: process.resourceUsage().maxRSS / 1024,
  }),
);
