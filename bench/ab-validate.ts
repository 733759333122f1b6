/**
 * Before/after: this checkout's validation against another checkout's (for example the commit before
 * a change, unpacked with `git archive <rev> | tar -x -C DIR`, node_modules linked) on the same
 * inputs, in one process whose rounds alternate between the two, so both see the same machine load
 * (on a shared VM whose load swings, two runs minutes apart measure the load, not the code).
 *
 * In one process the side that runs first is favoured (the shared dependencies, js-yaml among them,
 * are optimised for it first): an A/A run of one commit against a copy of itself measured about
 * 20 %. So it runs twice, in two child processes, once with each side first, and reports the fastest
 * round of each side in each order and the geometric mean of the two after ÷ before ratios, in
 * which the order's advantage cancels.
 *
 * Rows: the six real flows (load + checks), generated Archy YAML of 2 and 10 MB (load + checks), and
 * graph JSON of 1e6 nodes read from its file (the byte scanner) with every check.
 * Usage: node --import tsx bench/ab-validate.ts OTHER_CHECKOUT [rounds scale, default 1]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { generate, generateArchy } from './shapes.js';

type Times = Record<string, [first: number, second: number]>;
const ROWS = [
  'six real flows, load + checks (one round of six)',
  'Archy YAML 2 MB, load + checks',
  'Archy YAML 10 MB, load + checks',
  'graph JSON dag, 1e6 nodes / 3e6 edges, load from the file + checks',
];

if (process.argv[2] === '--child')
  process.stdout.write(
    JSON.stringify(await child(process.argv[3]!, process.argv[4]!, Number(process.argv[5]))),
  );
else parent(resolve(process.argv[2] ?? ''), Number(process.argv[3] ?? 1));

function parent(other: string, scale: number): void {
  const here = resolve('.');
  const run = (first: string, second: string) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--max-old-space-size=4096',
          '--import',
          'tsx',
          'bench/ab-validate.ts',
          '--child',
          first,
          second,
          String(scale),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      ),
    ) as Times;
  const beforeFirst = run(other, here);
  const afterFirst = run(here, other);
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  const lines = [
    '| input | before, fastest ms (run first / second) | after, fastest ms (run first / second) | after ÷ before (geometric mean of both orders) |',
    '|---|---:|---:|---:|',
  ];
  for (const row of ROWS) {
    const [b1, a2] = beforeFirst[row]!;
    const [a1, b2] = afterFirst[row]!;
    const ratio = Math.sqrt((a2 / b1) * (a1 / b2));
    lines.push(`| ${row} | ${f(b1)} / ${f(b2)} | ${f(a1)} / ${f(a2)} | ${ratio.toFixed(3)} |`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

/** The fastest round of each side, `first` starting every pair of rounds. */
async function child(first: string, second: string, scale: number): Promise<Times> {
  const dir = 'examples/flows/public';
  const substitutions = parse(readFileSync('examples/substitutions.yaml', 'utf8')) as Record<string, string>;
  const real = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ f, text: readFileSync(join(dir, f), 'utf8') }));
  const archy = (mb: number) => {
    const actions = Math.round(Math.sqrt((mb * 1e6) / 328));
    return generateArchy(Math.round((mb * 1e6) / 328 / actions), actions);
  };
  const inputs: Array<[string, Array<{ f: string; text: string }>, number]> = [
    [ROWS[0]!, real, 400 * scale],
    [ROWS[1]!, [{ f: 'f.yaml', text: archy(2) }], 12 * scale],
    [ROWS[2]!, [{ f: 'f.yaml', text: archy(10) }], 6 * scale],
  ];
  // One function per side, compiled apart: a shared call site would favour one side further.
  const body =
    'const t = performance.now(); for (const x of files) v.validateLoaded([l.loadFlowText(x.text, x.f, { substitutions: s })]); return performance.now() - t;';
  const side = async (root: string) => {
    const l = (await import(join(root, 'src/flow/load.ts'))) as unknown;
    const v = (await import(join(root, 'src/flow/validate.ts'))) as unknown;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a function of its own per side, on purpose
    const fn = new Function('l', 'v', 's', 'files', body) as (...a: unknown[]) => number;
    return (files: unknown) => fn(l, v, substitutions, files);
  };
  const [one, two] = [await side(first), await side(second)];
  const out: Times = {};
  for (const [row, files, rounds] of inputs) {
    for (let i = 0; i < Math.min(50, Math.ceil(rounds / 2)); i++) {
      one(files);
      two(files);
    }
    let a = Infinity;
    let b = Infinity;
    for (let i = 0; i < rounds; i++) {
      a = Math.min(a, one(files));
      b = Math.min(b, two(files));
    }
    out[row] = [a, b];
  }
  // Graph JSON from its file, as `flowgate validate` reads it (the byte scanner needs the file).
  const tmp = mkdtempSync(join(tmpdir(), 'flowgate-ab-'));
  const file = join(tmp, 'dag.json');
  writeFileSync(file, generate('dag', 1_000_000).text);
  const fileSide = async (root: string) => {
    const l = (await import(join(root, 'src/flow/load.ts'))) as typeof import('../src/flow/load.js');
    const v = (await import(join(root, 'src/flow/validate.ts'))) as typeof import('../src/flow/validate.js');
    return async () => {
      const t = performance.now();
      v.validateLoaded([await l.loadFlowFile(file, { maxFileBytes: 2 ** 31 - 1 })]);
      return performance.now() - t;
    };
  };
  const [g1, g2] = [await fileSide(first), await fileSide(second)];
  let a = Infinity;
  let b = Infinity;
  for (let i = 0; i < Math.max(2, 3 * scale); i++) {
    a = Math.min(a, await g1());
    b = Math.min(b, await g2());
  }
  out[ROWS[3]!] = [a, b];
  rmSync(tmp, { recursive: true, force: true });
  return out;
}
