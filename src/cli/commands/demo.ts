/**
 * `flowgate demo`: the main job end to end, with nothing to set up. Starts the emulator in-process
 * with the example org, plans and deploys `examples/demo/flowgate.yaml` (two new flows in
 * dependency order, one in an activation window a few seconds ahead, one flow already current and
 * skipped), simulates traffic and prints the deployment report and where traffic went.
 *
 * State lives under `.flowgate/demo/` in the working folder: the manifest with its activation time
 * filled in, the ledger, and the org as the run left it. Each run starts from the example org and
 * a fresh ledger, so every run tells the whole story; `flowgate history --ledger
 * .flowgate/demo/ledger.db` shows the last one.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../io.js';
import { openDeploySession } from '../deploy-session.js';
import { formatPlanPretty } from '../output/format-plan.js';
import { cliEvents } from '../event-hub.js';
import { finish } from './deploy.js';

/** Seconds between the demo's start and its activation window. */
const ACTIVATE_IN_S = 6;

/** Runs the demo. */
export async function runDemo(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const [{ startEmulator }, { createDeployment, runDeployment }, { planDeployment }] = await Promise.all([
    import('../../emulator/server.js'),
    import('../../deploy/executor.js'),
    import('../../deploy/plan.js'),
  ]);
  const examples = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));
  const dir = resolve('.flowgate', 'demo');
  mkdirSync(dir, { recursive: true });
  for (const f of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm']) rmSync(join(dir, f), { force: true });
  const activateAt = new Date(Date.now() + ACTIVATE_IN_S * 1000).toISOString();
  const manifest = join(dir, 'flowgate.yaml');
  writeFileSync(
    manifest,
    readFileSync(join(examples, 'flowgate.yaml'), 'utf8')
      .replace('ACTIVATE_AT', activateAt)
      .replace(
        /file: flows\/(\S+)/g,
        (_m, name: string) => `file: ${JSON.stringify(join(examples, 'flows', name))}`,
      ),
  );

  const emu = await startEmulator({ port: 0, env: {}, settings: { operationDelayMs: 300, jobDelayMs: 500 } });
  const json = opts.json === true;
  const say = (text: string) => {
    if (!json) io.err(text);
  };
  try {
    say(`emulator of the example org on ${emu.url} (in this process)\n\n`);
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
    const session = await openDeploySession(demoIo, { manifest, ledger: join(dir, 'ledger.db') });
    try {
      const plan = await planDeployment(session.deployment, {
        client: session.client,
        ledger: session.ledger,
        loaded: session.loaded,
      });
      say(formatPlanPretty(plan, io.errColors));
      say('\n');
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
      say('\n');
      const code = await finish(outcome, session.ledger, io, json);
      if (outcome.status === 'succeeded') say(await trafficSummary(emu, session, outcome.steps, dir, io));
      say(`\nstate: ${dir} (ledger: flowgate history --ledger ${join('.flowgate', 'demo', 'ledger.db')})\n`);
      return code;
    } finally {
      await session.close();
    }
  } finally {
    writeFileSync(join(dir, 'org.json'), JSON.stringify({ ...emu.control.state(), clients: [] }, null, 2));
    await emu.stop();
  }
}

/** Simulates half an hour of calls, then reports adoption (table and HTML) of the flows it published. */
async function trafficSummary(
  emu: Awaited<ReturnType<typeof import('../../emulator/server.js').startEmulator>>,
  session: Awaited<ReturnType<typeof openDeploySession>>,
  steps: Array<{
    flowId?: string | undefined;
    flowName: string;
    publishedVersion?: string | undefined;
    state: string;
  }>,
  dir: string,
  io: CliIo,
): Promise<string> {
  const [{ adoptionReport }, { adoptionHtml }, { formatAdoption }] = await Promise.all([
    import('../../adoption/report.js'),
    import('../../adoption/html.js'),
    import('./adoption.js'),
  ]);
  const published = steps.filter((s) => s.state === 'published' && s.flowId);
  for (const s of published)
    emu.control.setTraffic({ flowId: s.flowId!, arrivalsPerMinute: 30, failureProbability: 0.02 });
  emu.control.setClock({ advanceMs: 30 * 60_000 });
  const reports = [];
  for (const s of published)
    reports.push(
      await adoptionReport(session.client, s.flowId!, {
        granularity: 'PT1M',
        now: () => emu.control.org.now(),
      }),
    );
  const html = join(dir, 'adoption.html');
  writeFileSync(html, adoptionHtml(reports, 'flowgate demo: adoption of the new versions'));
  return `\nAdoption after 30 simulated minutes of calls (emulator clock; report: ${html}):\n${await formatAdoption(reports, io)}`;
}
