/**
 * `flowgate demo`: the main job end to end, with nothing to set up. Starts two emulator orgs
 * in-process from the example seed, dev and prod; plans and deploys `examples/demo/flowgate.yaml`
 * to dev (two new flows in dependency order, one in an activation window a few seconds ahead, one
 * flow already current and skipped), simulates traffic and reports where it went, then deploys a
 * changed Main IVR (`examples/demo/changes/`) so the plan shows its semantic diff against the first
 * deployment; last, promotes what passed in dev to prod (`demo-promotion.ts`: refused by a missing
 * queue, then by the missing approval, then deployed).
 *
 * All its state lives under `.flowgate/demo/` in the working folder: the manifests with their
 * paths and activation time filled in, the ledger, the audit log, the adoption report and the
 * orgs as the run left them (`org.json`, `org-prod.json`). Each run starts from the example org, a fresh ledger and a fresh audit log,
 * so every run tells the whole story and nothing grows; `flowgate history --ledger
 * .flowgate/demo/ledger.db` shows the last one.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator as Emulator } from '../../emulator/server.js';
import type { CliIo } from '../io.js';
import { ExitCode } from '../exit-codes.js';
import { deployed, demoDeploy } from './demo-deploy.js';
import { promoteToProd } from './demo-promotion.js';

/** Seconds between the demo's start and its activation window. */
const ACTIVATE_IN_S = 6;

/** Files of the demo's state, in `.flowgate/demo/`. */
const STATE_FILES = ['ledger.db', 'ledger.db-wal', 'ledger.db-shm', 'audit.jsonl', 'dead-letter.jsonl'];

/** Runs the demo. */
export async function runDemo(opts: { json: boolean }, io: CliIo): Promise<number> {
  const { startEmulator, readSeed, DEFAULT_SEED_PATH } = await import('../../emulator/server.js');
  const examples = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));
  const dir = resolve('.flowgate', 'demo');
  mkdirSync(dir, { recursive: true });
  for (const f of STATE_FILES) rmSync(join(dir, f), { force: true });
  const activateAt = new Date(Date.now() + ACTIVATE_IN_S * 1000).toISOString();
  const manifest = writeManifest(examples, join(dir, 'flowgate.yaml'), activateAt);
  const changed = writeManifest(examples, join(dir, 'flowgate.change.yaml'), activateAt, {
    'main-ivr.yaml': join(examples, 'changes', 'main-ivr.yaml'),
  });

  const json = opts.json;
  const say = (text: string) => {
    if (!json) io.err(text);
  };
  // The call-path scenarios beside the demo's flows run first, offline: a failing case stops the
  // demo before anything is published, as `deploy.requireTests` would.
  const tests = await scenarios(manifest);
  say(tests.text);
  if (!tests.passed) return ExitCode.Invalid;
  const settings = { operationDelayMs: 300, jobDelayMs: 500 };
  const emu = await startEmulator({ port: 0, env: {}, settings });
  // prod: a second org from the same example seed (its flows at their seeded versions, no
  // Support-Prod queue), named apart in messages.
  const seed = readSeed(DEFAULT_SEED_PATH);
  const prod = await startEmulator({ port: 0, env: {}, settings, seed: { ...seed, org: PROD_ORG } });
  const shown = relative(process.cwd(), dir) || '.';
  try {
    say(`dev: emulator of the example org on ${emu.url} (in this process)\n\n`);
    const first = deployed(await demoDeploy(emu, manifest, dir, io, json, { env: 'dev' }));
    if (first.outcome.status !== 'succeeded') return first.code;
    say(await trafficSummary(emu, first.outcome.steps, dir, io));
    // The later deployments print nothing under --json: its output is the first one's report.
    say(
      '\nA change to Main IVR (examples/demo/changes/main-ivr.yaml), planned against the first deployment:\n\n',
    );
    const second = deployed(await demoDeploy(emu, changed, dir, io, json, { env: 'dev', report: !json }));
    if (second.outcome.status !== 'succeeded') return second.code;
    const promoted = await promoteToProd(prod, changed, dir, json ? quietOut(io) : io, json);
    say(
      `\nstate: ${shown} (flowgate history --ledger ${join(shown, 'ledger.db')}; flowgate audit verify --log ${join(shown, 'audit.jsonl')})\n`,
    );
    return promoted;
  } finally {
    for (const [file, org] of [
      ['org.json', emu],
      ['org-prod.json', prod],
    ] as const)
      writeFileSync(join(dir, file), JSON.stringify({ ...org.control.state(), clients: [] }, null, 2));
    await Promise.all([emu.stop(), prod.stop()]);
  }
}

/** The prod org's name, in messages such as a missing object's. */
const PROD_ORG = { name: 'Flowgate Demo Org (prod)' };

/** The streams without stdout: under --json, stdout holds the first deployment's report only. */
function quietOut(io: CliIo): CliIo {
  return { ...io, out: () => undefined };
}

/** The scenarios next to the manifest's flows (`flowgate test`), as a short summary. */
async function scenarios(manifest: string): Promise<{ passed: boolean; text: string }> {
  const [{ loadManifest }, { runWithManifest }, { formatText }] = await Promise.all([
    import('../../config/manifest.js'),
    import('./test-run.js'),
    import('../../scenario/report.js'),
  ]);
  const report = await runWithManifest([], await loadManifest(manifest));
  const failed = report.failed + report.errors;
  const summary = formatText(report).trimEnd().split('\n').slice(-1)[0] ?? '';
  const text = failed > 0 ? formatText(report) : `call-path scenarios (flowgate test): ${summary}\n\n`;
  return { passed: failed === 0, text };
}

/**
 * The demo's copy of an example manifest: flow paths made absolute (some replaced), the activation
 * time filled in, and the audit log and dead letters beside it in the demo's folder.
 */
function writeManifest(
  examples: string,
  path: string,
  activateAt: string,
  replace: Record<string, string> = {},
): string {
  const text = readFileSync(join(examples, 'flowgate.yaml'), 'utf8')
    .replace('ACTIVATE_AT', activateAt)
    .replace(
      /file: flows\/(\S+)/g,
      (_m, name: string) => `file: ${JSON.stringify(replace[name] ?? join(examples, 'flows', name))}`,
    );
  // Relative to the manifest: .flowgate/demo/audit.jsonl, not the working folder's default.
  writeFileSync(path, `${text}events:\n  auditLog: audit.jsonl\n  deadLetter: dead-letter.jsonl\n`);
  return path;
}

/** Simulates half an hour of calls, then reports adoption (table and HTML) of the flows it published. */
async function trafficSummary(
  emu: Emulator,
  steps: Array<{
    flowId?: string | undefined;
    flowName: string;
    publishedVersion?: string | undefined;
    state: string;
  }>,
  dir: string,
  io: CliIo,
): Promise<string> {
  const [
    { adoptionReport },
    { adoptionHtml },
    { formatAdoption },
    { createPlatformClient },
    { resolveBaseUrl },
  ] = await Promise.all([
    import('../../adoption/report.js'),
    import('../../adoption/html.js'),
    import('./adoption.js'),
    import('../../platform/client.js'),
    import('../../platform/regions.js'),
  ]);
  const published = steps.filter((s) => s.state === 'published' && s.flowId);
  for (const s of published)
    emu.control.setTraffic({ flowId: s.flowId!, arrivalsPerMinute: 30, failureProbability: 0.02 });
  emu.control.setClock({ advanceMs: 30 * 60_000 });
  // "Now" is the org's: the emulator's clock, 30 minutes ahead of this machine's, from its answers.
  const client = createPlatformClient({
    credentials: { clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret },
    endpoints: resolveBaseUrl(emu.url),
  });
  const reports = [];
  for (const s of published) reports.push(await adoptionReport(client, s.flowId!, { granularity: 'PT1M' }));
  const html = join(dir, 'adoption.html');
  writeFileSync(html, adoptionHtml(reports, 'flowgate demo: adoption of the new versions'));
  return `\nAdoption after 30 simulated minutes of calls (the emulator's clock; report: ${html}):\n${await formatAdoption(reports, io)}`;
}
