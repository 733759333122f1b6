/**
 * `flowgate test` throughput (BENCHMARKS.md, "Scenarios"): cases per second on the real flows'
 * scenarios (examples/), and on a generated flow of 5,000 menus (a tree, 8 sub-menus and a
 * queue per menu; each case a random path to a queue), plus the worst case of a 5,000-menu chain
 * walked end to end. Flows are parsed once (reported apart); the case loop is what is timed.
 *
 *   node --import tsx bench/scenarios.ts [cases]
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { loadConfigFile } from '../src/config/config-file.js';
import { loadManifest } from '../src/config/manifest.js';
import { flowSourceFromText, type FlowSource } from '../src/scenario/flow-source.js';
import { runCase } from '../src/scenario/run-case.js';
import { ScenarioSchema, type ScenarioCase } from '../src/scenario/schema.js';
import { findScenarioFiles, runScenarioFiles } from '../src/scenario/suite.js';

const CASES = Number(process.argv[2] ?? 10_000);

function time<T>(f: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const v = f();
  return [v, Number(process.hrtime.bigint() - t) / 1e6];
}

function loop(pairs: Array<[FlowSource, ScenarioCase]>, n: number): { ms: number; failed: number } {
  let failed = 0;
  const [, ms] = time(() => {
    for (let i = 0; i < n; i++) {
      const [s, c] = pairs[i % pairs.length]!;
      if (runCase(s, c).status !== 'pass') failed++;
    }
  });
  return { ms, failed };
}

async function realFlows(): Promise<void> {
  const manifest = await loadManifest('examples/flowgate.yaml');
  const files = findScenarioFiles(manifest);
  const [whole, wholeMs] = await (async () => {
    const t = process.hrtime.bigint();
    const r = await runScenarioFiles(files, manifest);
    return [r, Number(process.hrtime.bigint() - t) / 1e6] as const;
  })();
  const pairs: Array<[FlowSource, ScenarioCase]> = [];
  for (const f of files) {
    const scenario = await loadConfigFile(f, ScenarioSchema, 'scenario');
    const flowFile = f.replace(/\.test\.yaml$/, scenario.flow!.endsWith('.yml') ? '.yml' : '.yaml');
    const entry = manifest.flows.find((m) => m.file?.endsWith(flowFile.split('/').pop()!));
    const source = flowSourceFromText(readFileSync(flowFile, 'utf8'), flowFile, entry?.substitutions ?? {});
    for (const c of scenario.cases) pairs.push([source, c]);
  }
  loop(pairs, 500); // warm-up
  const { ms, failed } = loop(pairs, CASES);
  console.log(`real flows: ${files.length} scenario files, ${pairs.length} distinct cases`);
  console.log(
    `  whole run (read, parse, run ${whole.passed + whole.failed + whole.errors} cases, coverage): ${wholeMs.toFixed(1)} ms`,
  );
  console.log(
    `  ${CASES} cases: ${ms.toFixed(1)} ms = ${Math.round((CASES / ms) * 1000).toLocaleString('en-US')} cases/s (${failed} failed)`,
  );
}

/** A tree of `total` menus, `fan` sub-menus each, breadth first; every menu also has a queue on 9. */
function menuTree(total: number, fan: number): { text: string; paths: number[][] } {
  const menus: unknown[] = [];
  const paths: number[][] = [[]];
  for (let i = 0; i < total; i++) {
    const choices: unknown[] = [
      { menuTransferToAcd: { name: `queue ${i}`, dtmf: 'digit_9', targetQueue: { lit: { name: `Q${i}` } } } },
    ];
    for (let k = 1; k <= fan; k++) {
      const child = i * fan + k;
      if (child >= total) break;
      paths[child] = [...paths[i]!, k];
      choices.push({
        menuJumpToMenu: { name: `to ${child}`, dtmf: `digit_${k}`, targetMenuRef: `./menus/menu[m${child}]` },
      });
    }
    menus.push({ menu: { name: `Menu ${i}`, refId: `m${i}`, audio: { tts: `menu ${i}` }, choices } });
  }
  return {
    text: stringify({
      inboundCall: { name: 'Big', defaultLanguage: 'en-us', startUpRef: './menus/menu[m0]', menus },
    }),
    paths,
  };
}

function chain(total: number): string {
  const menus = Array.from({ length: total }, (_, i) => ({
    menu: {
      name: `Menu ${i}`,
      refId: `m${i}`,
      audio: { tts: `menu ${i}` },
      choices: [
        i + 1 < total
          ? { menuJumpToMenu: { name: 'next', dtmf: 'digit_1', targetMenuRef: `./menus/menu[m${i + 1}]` } }
          : { menuDisconnect: { name: 'bye', dtmf: 'digit_1' } },
      ],
    },
  }));
  return stringify({
    inboundCall: { name: 'Chain', defaultLanguage: 'en-us', startUpRef: './menus/menu[m0]', menus },
  });
}

function bigFlows(): void {
  const { text, paths } = menuTree(5000, 8);
  const [source, parseMs] = time(() => flowSourceFromText(text, 'big.yaml', {}));
  const pairs: Array<[FlowSource, ScenarioCase]> = [];
  let seed = 1;
  for (let i = 0; i < 1000; i++) {
    seed = (seed * 48271) % 2147483647;
    const m = seed % 5000;
    const c = ScenarioSchema.parse({
      cases: [
        {
          name: `to ${m}`,
          input: [...paths[m]!, 9].map((d) => ({ dtmf: d })),
          expect: { ends: { transferToAcd: { queue: `Q${m}` } } },
        },
      ],
    }).cases[0]!;
    pairs.push([source, c]);
  }
  loop(pairs, 500);
  const { ms, failed } = loop(pairs, CASES);
  console.log(
    `5,000-menu tree (${(text.length / 1e6).toFixed(2)} MB, parsed in ${parseMs.toFixed(0)} ms), paths of 1–5 menus:`,
  );
  console.log(
    `  ${CASES} cases: ${ms.toFixed(1)} ms = ${Math.round((CASES / ms) * 1000).toLocaleString('en-US')} cases/s (${failed} failed)`,
  );
  const chainText = chain(5000);
  const [chainSource] = time(() => flowSourceFromText(chainText, 'chain.yaml', {}));
  const walk = ScenarioSchema.parse({
    cases: [
      {
        name: 'end to end',
        input: Array.from({ length: 5000 }, () => ({ dtmf: 1 })),
        expect: { ends: 'disconnect' },
      },
    ],
  }).cases[0]!;
  loop([[chainSource, walk]], 5);
  const c = loop([[chainSource, walk]], 100);
  console.log(`5,000-menu chain walked end to end (10,000 menus and choices per case):`);
  console.log(
    `  100 cases: ${c.ms.toFixed(1)} ms = ${(c.ms / 100).toFixed(2)} ms per case (${c.failed} failed)`,
  );
}

await realFlows();
bigFlows();
