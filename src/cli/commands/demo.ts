/**
 * `flowgate demo`: the main job end to end, with nothing to set up. Starts the emulator in-process
 * with the example org, plans and deploys `examples/demo/flowgate.yaml` (two new flows in
 * dependency order, one in an activation window a few seconds ahead, one flow already current and
 * skipped), simulates traffic and reports where it went, then deploys a changed Main IVR
 * (`examples/demo/changes/`) so the plan shows its semantic diff against the first deployment.
 *
 * All its state lives under `.flowgate/demo/` in the working folder: the manifests with their
 * paths and activation time filled in, the ledger, the audit log, the adoption report and the org
 * as the run left it. Each run starts from the example org, a fresh ledger and a fresh audit log,
 * so every run tells the whole story and nothing grows; `flowgate history --ledger
 * .flowgate/demo/ledger.db` shows the last one.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../io.js';
import { openDeploySession } from '../deploy-session.js';
import { formatPlanPretty } from '../output/format-plan.js';
import { cliEvents } from '../event-hub.js';
import { ExitCode } from '../exit-codes.js';
import { finish } from './finish.js';

/** Seconds between the demo's start and its activation window. */
const ACTIVATE_IN_S = 6;

type Emulator = Awaited<ReturnType<typeof import('../../emulator/server.js').startEmulator>>;

/** Files of the demo's state, in `.flowgate/demo/`. */
const STATE_FILES = ['ledger.db', 'ledger.db-wal', 'ledger.db-shm', 'audit.jsonl', 'dead-letter.jsonl'];

/** Runs the demo. */
export async function runDemo(opts: { json: boolean }, io: CliIo): Promise<number> {
  const { startEmulator } = await import('../../emulator/server.js');
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
  const emu = await startEmulator({ port: 0, env: {}, settings: { operationDelayMs: 300, jobDelayMs: 500 } });
  const shown = relative(process.cwd(), dir) || '.';
  try {
    say(`emulator of the example org on ${emu.url} (in this process)\n\n`);
    const first = await deploy(emu, manifest, dir, io, json);
    if (first.outcome.status !== 'succeeded') return first.code;
    say(await trafficSummary(emu, first.steps, dir, io));
    // The second deployment prints nothing under --json: its output is the first one's report.
    say(
      '\nA change to Main IVR (examples/demo/changes/main-ivr.yaml), planned against the first deployment:\n\n',
    );
    const second = await deploy(emu, changed, dir, io, json, { report: !json });
    say(
      `\nstate: ${shown} (flowgate history --ledger ${join(shown, 'ledger.db')}; flowgate audit verify --log ${join(shown, 'audit.jsonl')})\n`,
    );
    return second.code;
  } finally {
    writeFileSync(join(dir, 'org.json'), JSON.stringify({ ...emu.control.state(), clients: [] }, null, 2));
    await emu.stop();
  }
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

/** Plans (printing the plan and its diffs) and runs one deployment of a manifest. */
async function deploy(
  emu: Emulator,
  manifest: string,
  dir: string,
  io: CliIo,
  json: boolean,
  o: { report?: boolean } = {},
) {
  const [{ createDeployment, runDeployment }, { planDeployment }] = await Promise.all([
    import('../../deploy/executor.js'),
    import('../../deploy/plan.js'),
  ]);
  const demoIo: CliIo = {
    ...io,
    env: {
      ...io.env,
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
      GENESYSCLOUD_REGION: undefined,
      GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE: undefined,
    },
  };
  const session = await openDeploySession(demoIo, {
    manifest,
    ledger: join(dir, 'ledger.db'),
    set: [],
    forceUnlock: false,
    overwriteDrift: false,
  });
  try {
    const plan = await planDeployment(session.deployment, {
      client: session.client,
      ledger: session.ledger,
      loaded: session.loaded,
    });
    if (!json) io.err(`${formatPlanPretty(plan, io.errColors)}\n`);
    const id = await createDeployment(plan, session.ledger, { atomic: true });
    const events = cliEvents(io, session.ledger, session.deployment.manifest?.events, !json);
    let outcome;
    try {
      outcome = await runDeployment(id, {
        client: session.client,
        ledger: session.ledger,
        onEvent: events.onEvent,
      });
    } finally {
      await events.close();
    }
    if (!json) io.err('\n');
    const quiet: CliIo = { ...io, out: () => undefined };
    const code = await finish(outcome, session.ledger, o.report === false ? quiet : io, json);
    return { outcome, code, steps: outcome.steps };
  } finally {
    await session.close();
  }
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
