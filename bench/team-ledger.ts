/**
 * The team ledger under load, on a real PostgreSQL server started for the run:
 * 1. deployments per minute with 1, 4 and 8 runners at once against one PostgreSQL and one
 *    emulator, each runner deploying its own three flows again and again (a team's pipelines),
 *    and the same with one flow shared by every deployment (they then queue for it);
 * 2. the ledger's overhead: one 100-flow deployment on SQLite against the same on PostgreSQL,
 *    alternated, median of the runs.
 * Runners are in this process, each with its own ledger connections and its own API client
 * (token). The emulator's rate limit is lifted: the figures are the ledger's and the locks'.
 * Prints one JSON line. Usage: tsx bench/team-ledger.ts [deploymentsPerRunner] [overheadRuns]
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadDeployment, loadDeploymentFlows } from '../src/config/deployment.js';
import { recordCallsIn } from '../src/deploy/call-context.js';
import { createDeployment, runDeployment } from '../src/deploy/executor.js';
import { planDeployment } from '../src/deploy/plan.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { openPostgresLedger } from '../src/ledger/postgres.js';
import { openSqliteLedger } from '../src/ledger/sqlite.js';
import type { Ledger } from '../src/ledger/types.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';
import { startPostgres } from '../test/helpers/postgres-server.js';

const [perRunner = 5, overheadRuns = 3] = process.argv.slice(2).map(Number);
const server = await startPostgres();
const FAST_POLL = { intervalMs: 25, maxIntervalMs: 50 };

async function freshDatabase(): Promise<string> {
  const name = `bench_${Math.random().toString(36).slice(2, 10)}`;
  const c = new pg.Client({
    host: server.host,
    port: server.port,
    user: 'postgres',
    password: server.password,
  });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return `postgres://postgres@${server.host}:${server.port}/${name}`;
}

function flowYaml(name: string, say: string): string {
  return `inboundCall:\n  name: ${name}\n  defaultLanguage: en-us\n  startUpRef: ./tasks/task[t]\n  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - playAudio:\n              name: Hi\n              audio:\n                tts: ${say}\n          - disconnect:\n              name: Bye\n`;
}

/** A workspace with these flows; `say` makes every deployment's content new (nothing unchanged). */
function workspaceOf(names: string[], say: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-bench-team-'));
  mkdirSync(join(dir, 'flows'));
  names.forEach((n, i) => writeFileSync(join(dir, 'flows', `f${i}.yaml`), flowYaml(n, say)));
  writeFileSync(
    join(dir, 'flowgate.yaml'),
    `version: 1\npolicy:\n  maxFlows: 100000\nflows:\n${names.map((_, i) => `  - file: flows/f${i}.yaml`).join('\n')}\n`,
  );
  return dir;
}

function clientOf(emu: RunningEmulator, holder: { ledger?: Ledger }) {
  return createPlatformClient({
    credentials: { clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret },
    endpoints: resolveBaseUrl(emu.url),
    requestsPerMinute: 1_000_000,
    onCall: recordCallsIn(() => holder.ledger),
  });
}

/** Plans, records and runs one deployment of a workspace; returns its status. */
async function deployOnce(
  dir: string,
  ledger: Ledger,
  client: ReturnType<typeof createPlatformClient>,
  concurrency: number,
): Promise<string> {
  const deployment = await loadDeployment(join(dir, 'flowgate.yaml'));
  const loaded = await loadDeploymentFlows(deployment);
  const plan = await planDeployment(deployment, { client, ledger, loaded });
  const id = await createDeployment(plan, ledger, { atomic: true });
  const outcome = await runDeployment(id, {
    client,
    ledger,
    concurrency,
    poll: FAST_POLL,
    lockWaitMs: 600_000,
  });
  return outcome.status;
}

async function emulator(): Promise<RunningEmulator> {
  const emu = await startEmulator({ env: {}, settings: { operationDelayMs: 50, jobDelayMs: 50 } });
  emu.control.setLimit('platform.api', 'client.credentials.token.rate.per.minute', 1_000_000);
  return emu;
}

/** R runners, each deploying `perRunner` times; `shared` adds one flow every deployment touches. */
async function throughput(runners: number, shared: boolean) {
  const emu = await emulator();
  const url = await freshDatabase();
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: runners }, async (_, r) => {
      const holder: { ledger?: Ledger } = {};
      const client = clientOf(emu, holder);
      const ledger = await openPostgresLedger({ url, password: server.password });
      holder.ledger = ledger;
      const out: string[] = [];
      const names = [0, 1, 2].map((k) => `Runner ${r} Flow ${k}`);
      if (shared) names.push('Shared Flow');
      for (let i = 0; i < perRunner; i++) {
        out.push(await deployOnce(workspaceOf(names, `runner ${r} deployment ${i}`), ledger, client, 4));
      }
      await ledger.close();
      return out;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await emu.stop();
  const all = statuses.flat();
  return {
    runners,
    shared,
    deployments: all.length,
    succeeded: all.filter((s) => s === 'succeeded').length,
    seconds,
    perMinute: (all.length / seconds) * 60,
  };
}

/** One 100-flow deployment on a ledger; seconds from plan to done. */
async function hundred(kind: 'sqlite' | 'postgres'): Promise<number> {
  const emu = await emulator();
  const holder: { ledger?: Ledger } = {};
  const client = clientOf(emu, holder);
  const ledger =
    kind === 'sqlite'
      ? openSqliteLedger(join(mkdtempSync(join(tmpdir(), 'flowgate-bench-sqlite-')), 'ledger.db'))
      : await openPostgresLedger({ url: await freshDatabase(), password: server.password });
  holder.ledger = ledger;
  const dir = workspaceOf(
    Array.from({ length: 100 }, (_, i) => `Hundred ${String(i).padStart(3, '0')}`),
    kind,
  );
  const started = performance.now();
  const status = await deployOnce(dir, ledger, client, 8);
  const seconds = (performance.now() - started) / 1000;
  if (status !== 'succeeded') throw new Error(`100-flow deployment on ${kind}: ${status}`);
  await ledger.close();
  await emu.stop();
  return seconds;
}

try {
  // Warm-up (JIT, first connections), not reported: the first configuration would otherwise pay it.
  await throughput(2, false);
  await hundred('sqlite');
  await hundred('postgres');
  const rates = [];
  for (const shared of [false, true])
    for (const runners of [1, 4, 8]) rates.push(await throughput(runners, shared));
  const sqlite: number[] = [];
  const postgres: number[] = [];
  for (let i = 0; i < overheadRuns; i++) {
    sqlite.push(await hundred('sqlite'));
    postgres.push(await hundred('postgres'));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  process.stdout.write(
    `${JSON.stringify({ perRunner, rates, overhead: { sqlite, postgres, sqliteMedian: median(sqlite), postgresMedian: median(postgres) } })}\n`,
  );
} finally {
  server.stop();
}
