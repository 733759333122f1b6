/**
 * `npm run bench`: measures validation over generated graphs (five shapes, 1e3 to 1e6 nodes) and a
 * large Archy YAML, CLI start-up against `node -e 0`, emulator throughput on loopback, and adversarial
 * input (crafted references, naming patterns, config files that are not files). Every
 * measurement runs in its own child process (clean heap, honest peak RSS). Writes BENCHMARKS.md.
 * Options: BENCH_SIZES=1000,10000 to limit sizes; BENCH_QUICK=1 for a short run.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server.js';

const execFileAsync = promisify(execFile);
const OUT = 'bench/out';
mkdirSync(OUT, { recursive: true });
const quick = process.env.BENCH_QUICK === '1';
const sizes = (process.env.BENCH_SIZES ?? (quick ? '1000,10000,100000' : '1000,10000,100000,1000000'))
  .split(',')
  .map(Number);
const shapes = ['tree', 'dag', 'retry', 'dense', 'parts'];

function child<T>(script: string, args: string[]): T {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=4096', '--import', 'tsx', script, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(out) as T;
}
type Validate = {
  loadMs: number;
  checkMs: number;
  totalMs: number;
  peakMB: number;
  nodes: number;
  edges: number;
  summary: { errors: number; warnings: number; infos: number };
};
type Floor = { totalMs: number; peakMB: number };

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const lines: string[] = [];
const log = (s: string) => {
  lines.push(s);
  process.stderr.write(`${s}\n`);
};

// ---- 1. graph JSON ------------------------------------------------------------------
log('### Graph JSON validation (load + all checks), one child process per run\n');
log(
  '| shape | nodes | edges | file MB | load ms | checks ms | total ms | ms per MB | JSON.parse alone ms | total ÷ JSON.parse | peak RSS MB | findings (e/w/i) |',
);
log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
const totals: Record<string, Record<number, number>> = {};
const results: Array<Record<string, unknown>> = [];
for (const shape of shapes) {
  for (const n of sizes) {
    const file = join(OUT, `${shape}-${n}.json`);
    // Generated in a child too: a parent busy collecting 170 MB of garbage would steal a core.
    const g = child<{ nodes: number; edges: number; mb: number }>('bench/generate-one.ts', [
      shape,
      String(n),
      file,
    ]);
    const mb = g.mb;
    const v = child<Validate>('bench/validate-one.ts', [file]);
    const floor = child<Floor>('bench/json-parse-one.ts', [file]);
    (totals[shape] ??= {})[n] = v.totalMs;
    results.push({ shape, n, mb, ...v, jsonParseMs: floor.totalMs, jsonParsePeakMB: floor.peakMB });
    log(
      `| ${shape} | ${n} | ${g.edges} | ${fmt(mb)} | ${fmt(v.loadMs)} | ${fmt(v.checkMs)} | ${fmt(v.totalMs)} | ${fmt(v.totalMs / mb)} | ${fmt(floor.totalMs)} | ${(v.totalMs / floor.totalMs).toFixed(2)} | ${fmt(v.peakMB)} | ${v.summary.errors}/${v.summary.warnings}/${v.summary.infos} |`,
    );
    rmSync(file);
  }
}
const big = Math.max(...sizes);
const mid = big / 10;
if (sizes.includes(mid)) {
  log(`\nScaling, total time at ${big} ÷ at ${mid} nodes (linear would be 10; target at most 12):\n`);
  log(`| shape | ratio |\n|---|---:|`);
  for (const s of shapes) log(`| ${s} | ${(totals[s]![big]! / totals[s]![mid]!).toFixed(2)} |`);
}
// Dense inter-linked menus against a tree with the same number of edges (3 per node).
{
  const n = big;
  const treeNodes = 3 * n;
  const file = join(OUT, `tree-same-edges.json`);
  child('bench/generate-one.ts', ['tree', String(treeNodes), file]);
  const tree = child<Validate>('bench/validate-one.ts', [file]);
  rmSync(file);
  log(
    `\nDense inter-linked menus (${n} nodes, ${3 * n} edges, an exponential number of distinct cycles) took ${fmt(totals.dense![n]!)} ms; a menu tree of ${n} nodes took ${fmt(totals.tree![n]!)} ms, and a menu tree with the same ${tree.edges} edges (${treeNodes} nodes) took ${fmt(tree.totalMs)} ms.`,
  );
}

// ---- 2. Archy YAML ----------------------------------------------------------------------
log(
  '\n### Archy YAML: positions at any size, old paths against the new\n\nGenerated inbound-call flows (decisions with nested outputs). New: js-yaml events with offsets, big lists parsed in chunks. Old: `yaml` Documents with positions (the path below 1 MiB before) and js-yaml `load` without positions (the path above 1 MiB before). One child process per figure.\n',
);
for (const line of execFileSync(
  process.execPath,
  ['--import', 'tsx', 'bench/yaml-sizes.ts', quick ? '0.5,2' : '0.5,2,10,50'],
  {
    encoding: 'utf8',
  },
)
  .trim()
  .split('\n'))
  log(line);

// ---- 3. CLI start-up ------------------------------------------------------------------------
function median(cmd: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, cmd, { stdio: 'ignore' });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'ignore' });
const runs = quick ? 7 : 21;
const nodeBase = median(['-e', '0'], runs);
const holiday = 'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml';
const cli = median(['bin/flowgate.js', 'validate', holiday, '--no-color'], runs);
log('\n### CLI start-up (median of ' + runs + ' runs)\n');
log(
  `| command | ms |\n|---|---:|\n| \`node -e 0\` | ${fmt(nodeBase)} |\n| \`flowgate validate holiday_flow.yaml\` | ${fmt(cli)} |\n| ratio | ${(cli / nodeBase).toFixed(2)} |`,
);

// ---- 4. Emulator start-up and throughput -------------------------------------------------------
async function emulatorStartup(): Promise<number> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const c = spawn(process.execPath, ['bin/flowgate.js', 'emulator', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    c.stdout.once('data', () => {
      const ms = performance.now() - t;
      c.kill('SIGTERM');
      c.once('exit', () => resolve(ms));
    });
    c.once('error', reject);
  });
}
const startups: number[] = [];
for (let i = 0; i < (quick ? 3 : 7); i++) startups.push(await emulatorStartup());
startups.sort((a, b) => a - b);
log(
  `\n### Emulator start-up\n\n\`flowgate emulator --port 0\` until its URL is printed: median ${fmt(startups[Math.floor(startups.length / 2)]!)} ms over ${startups.length} runs (target: under 1 s).`,
);

const emu = await startEmulator({ settings: { operationDelayMs: 10 } });
emu.control.setLimit('platform.api', 'client.credentials.token.rate.per.minute', 1e9);
const tokenRes = await fetch(`${emu.url}/oauth/token`, {
  method: 'POST',
  headers: {
    authorization: `Basic ${Buffer.from(`${emu.credentials.clientId}:${emu.credentials.clientSecret}`).toString('base64')}`,
  },
  body: 'grant_type=client_credentials',
});
const { access_token } = (await tokenRes.json()) as { access_token: string };
const someFlow = emu.control.state().flows[0]!.id;
log(
  '\n### Emulator throughput on loopback (keep-alive client in a second process, 16 concurrent, ' +
    (quick ? 3 : 8) +
    ' s)\n',
);
log('| request | requests/s | failed |\n|---|---:|---:|');
for (const path of [`/api/v2/flows/${someFlow}`, '/api/v2/flows?pageSize=25', '/api/v2/tokens/me']) {
  // Asynchronous: this process serves the emulator while the load runs.
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', 'bench/emulator-load.ts', emu.url, access_token, path, String(quick ? 3 : 8), '16'],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(stdout) as { rps: number; failed: number };
  log(`| GET ${path.replace(someFlow, '{flowId}')} | ${fmt(r.rps)} | ${r.failed} |`);
}
await emu.stop();

// ---- 5. Deployment makespan against the rate-limit bound ---------------------------------------
log(
  '\n### Deployment makespan against the rate-limit bound\n\n' +
    'Generated inbound-call flows (every fifth transfers to the next) deployed by the library to the emulator, whose ' +
    'per-token limit is R requests per minute; the client paces itself at R. Bound = requests the deployment made / R ' +
    '(plan included; presigned uploads go to storage and do not count). Target: at most 1.15 × the bound, no failed step, ' +
    'under 2 % of requests answered 429.\n',
);
log(
  '| flows | R (per min) | concurrency | requests | 429 | failed steps | makespan s | bound s | makespan ÷ bound |',
);
log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const [flows, perMinute] of quick
  ? [[30, 1200]]
  : [
      [100, 1200],
      [30, 300],
    ]) {
  const r = JSON.parse(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'bench/deploy-rate.ts', String(flows), String(perMinute), '8'],
      {
        encoding: 'utf8',
      },
    ),
  ) as {
    requests: number;
    rateLimited: number;
    failedSteps: number;
    makespanMs: number;
    boundMs: number;
    ratio: number;
  };
  log(
    `| ${flows} | ${perMinute} | 8 | ${r.requests} | ${r.rateLimited} | ${r.failedSteps} | ${fmt(r.makespanMs / 1000)} | ${fmt(r.boundMs / 1000)} | ${r.ratio.toFixed(3)} |`,
  );
}

// ---- 6. The health gate over many seeds; a large org's adoption query ------------------------------
{
  const gateRuns = quick ? 50 : 500;
  const g = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/health-gate.ts', String(gateRuns)], {
      encoding: 'utf8',
    }),
  ) as {
    rows: Array<{
      scenario: string;
      tests: number;
      rolledBack: number;
      byExpected: number | null;
      expected: string | null;
      oneLook: number;
    }>;
  };
  const pc = (x: number) => `${(100 * x).toFixed(1)} %`;
  log(
    `\n### Health gate over ${gateRuns} random seeds\n\nEach seed: 20 executions per minute, the gate's three looks over one hour (PT5M intervals, Bonferroni over signals × looks), margins +2 points (disconnects), +1 point (error exits, failed outcomes), +10 s (time in flow, when chosen); "one look" is \`flowgate adoption\` after the hour (README).\n\n| flow, truth | tests | rolled back | by the signal that degraded | one look at 60 min |\n|---|---:|---:|---:|---:|\n${g.rows
      .map(
        (r) =>
          `| ${r.scenario} | ${r.tests} | ${pc(r.rolledBack)}${r.expected ? '' : ' (false rollbacks; at most 5 %)'} | ${r.expected ? `${pc(r.byExpected!)} (${r.expected})` : '–'} | ${pc(r.oneLook)} |`,
      )
      .join('\n')}`,
  );
  const flows = quick ? 20 : 200;
  const a = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/adoption-scale.ts', String(flows), '6000'], {
      encoding: 'utf8',
    }),
  ) as {
    requests: number;
    rateLimited: number;
    executions: number;
    seconds: number;
    boundSecondsAt300: number;
  };
  log(
    `\n### Adoption of ${flows} flows over 30 days of 5-minute data\n\nEach flow: its versions, then the aggregates of 30 days after the publish and 30 days before, in queries of at most 31 days (8,640 buckets each), at 6,000 requests per minute.\n\n| flows | requests | 429 | executions counted | seconds | the same requests at 300/min would take at least |\n|---:|---:|---:|---:|---:|---:|\n| ${flows} | ${a.requests} | ${a.rateLimited} | ${a.executions} | ${fmt(a.seconds)} | ${fmt(a.boundSecondsAt300)} s |`,
  );
}

// ---- 7. The team ledger on PostgreSQL ------------------------------------------------------------
{
  const t = JSON.parse(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'bench/team-ledger.ts', quick ? '3' : '10', quick ? '1' : '5'],
      { encoding: 'utf8' },
    ),
  ) as {
    perRunner: number;
    rates: Array<{
      runners: number;
      shared: boolean;
      deployments: number;
      succeeded: number;
      seconds: number;
      perMinute: number;
    }>;
    overhead: { sqlite: number[]; postgres: number[]; sqliteMedian: number; postgresMedian: number };
  };
  log(
    `\n### The team ledger on PostgreSQL\n\nA real PostgreSQL 15 started for the run and one emulator (publish operations and import jobs take 50 ms, rate limit lifted). Each runner (in one process, with its own ledger connections and API token) deploys its own three flows ${t.perRunner} times, each time with new content; "one shared flow" adds a flow that every deployment touches, so deployments queue for its lock.\n\n| runners | flows | deployments | succeeded | seconds | deployments per minute |\n|---:|---|---:|---:|---:|---:|`,
  );
  for (const r of t.rates)
    log(
      `| ${r.runners} | ${r.shared ? 'own three + one shared' : 'own three'} | ${r.deployments} | ${r.succeeded} | ${fmt(r.seconds)} | ${fmt(r.perMinute)} |`,
    );
  log(
    `\nOne 100-flow deployment (concurrency 8), SQLite and PostgreSQL alternated, ${t.overhead.sqlite.length} runs each: SQLite median ${fmt(t.overhead.sqliteMedian)} s (${t.overhead.sqlite.map(fmt).join(', ')}), PostgreSQL median ${fmt(t.overhead.postgresMedian)} s (${t.overhead.postgres.map(fmt).join(', ')}): PostgreSQL costs ${((t.overhead.postgresMedian / t.overhead.sqliteMedian - 1) * 100).toFixed(0)} % more.`,
  );
}

// ---- 8. Adversarial input (issue 18 §3) -----------------------------------------------------------
log(
  '\n### Adversarial input: crafted references, naming patterns, config files that are not files\n\n' +
    'Whole-process rows through /usr/bin/time; the others in one process. Work is bounded by construction ' +
    '(a work counter for references; RE2 simulates the automaton, so no input makes it backtrack).\n',
);
for (const line of execFileSync(process.execPath, ['--import', 'tsx', 'bench/adversarial.ts'], {
  encoding: 'utf8',
})
  .trim()
  .split('\n'))
  log(line);

// ---- write BENCHMARKS.md ------------------------------------------------------------------------
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = `# Benchmarks

Command: \`npm run bench\` (${quick ? 'BENCH_QUICK=1, ' : ''}sizes ${sizes.join(', ')}).
Date: ${new Date().toISOString()}.
Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.

Every figure comes from a child process that runs one measurement (clean heap; peak RSS is the
process's \`maxRSS\`). "JSON.parse alone" reads the same file and runs \`JSON.parse\` on it: the floor.

`;
const notes = readFileSync('bench/NOTES.md', 'utf8');
writeFileSync('BENCHMARKS.md', `${header}${lines.join('\n')}\n\n${notes}`);
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2));
process.stderr.write('wrote BENCHMARKS.md\n');
