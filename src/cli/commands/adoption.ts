/**
 * `flowgate adoption [flow...]`: traffic share and failure rates of the new version over one window,
 * with a health verdict; without flows or `--deployment`, the flows of the last deployment.
 */
import { existsSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import type { AdoptionReport } from '../../adoption/report.js';
import type { HealthRule } from '../../deploy/health-gate.js';
import type { StepRecord } from '../../ledger/types.js';
import type { PlatformClient } from '../../platform/client.js';
import { DEFAULT_MANIFEST } from '../defaults.js';
import { ExitCode } from '../exit-codes.js';
import { writeOutputFile } from '../output-file.js';
import type { CliIo } from '../io.js';
import type { LedgerFlags } from '../options.js';
import { terminalSafe as safe } from '../output/encode.js';
import { cliPlatformClient } from '../platform-client.js';
import { sleep } from '../../shared/time.js';

/** `flowgate adoption`'s options. */
export interface AdoptionOptions extends LedgerFlags {
  /** Flow names or ids. */
  flows: string[];
  /** The flows a deployment published. */
  deployment?: string | undefined;
  /** `--watch` alone is `true` (12 looks); with a value, that many. */
  watch?: string | true | undefined;
  since?: string | undefined;
  until?: string | undefined;
  /** Default: the manifest's `health.granularity`, else PT5M. */
  granularity?: string | undefined;
  /** The manifest whose `health:` section sets the rule (default: ./flowgate.yaml when it exists). */
  manifest?: string | undefined;
  html?: string | undefined;
  json: boolean;
}

/** Runs the command: exit 0, or 3 when a flow's new version is degraded. */
export async function runAdoption(opts: AdoptionOptions, io: CliIo): Promise<number> {
  const { flows } = opts;
  const [{ adoptionReport }, { adoptionHtml }] = await Promise.all([
    import('../../adoption/report.js'),
    import('../../adoption/html.js'),
  ]);
  const { client } = cliPlatformClient(io);
  const since = opts.since !== undefined ? Date.parse(opts.since) : undefined;
  if (since !== undefined && Number.isNaN(since))
    throw new ConfigError('USAGE_NO_INPUT', `--since '${String(opts.since)}' is not a time`, {
      hint: 'Use ISO-8601, for example 2026-11-25T10:00:00Z.',
    });
  const until = opts.until !== undefined ? Date.parse(opts.until) : undefined;
  if (until !== undefined && Number.isNaN(until))
    throw new ConfigError('USAGE_NO_INPUT', `--until '${String(opts.until)}' is not a time`, {
      hint: 'Use ISO-8601, for example 2026-11-25T12:00:00Z.',
    });
  // A flow named on the command line: its published version; a deployment's: the version it published.
  const ids: Watched[] = [
    ...(await resolveFlows(client, flows)).map((flowId) => ({ flowId })),
    ...(await deploymentFlows(opts)),
  ];
  // Without flows or --deployment: the flows of the newest deployment to this org that published.
  if (flows.length === 0 && opts.deployment === undefined) {
    const last = await lastDeployment(opts, client.endpoints.apiBaseUrl);
    if (!opts.json) io.err(`deployment ${last.id} (the newest that published, ${last.createdAt})\n`);
    ids.push(...last.flows);
  }
  if (ids.length === 0)
    throw new ConfigError('USAGE_NO_INPUT', 'no flow given', {
      hint: 'Name flows, or give --deployment ID.',
    });
  // A watch looks `looks` times, one interval apart; each look tests at (1 − confidence) / looks.
  const looks = opts.watch === undefined ? 1 : opts.watch === true ? 12 : Number(opts.watch);
  if (!(Number.isInteger(looks) && looks >= 1))
    throw new ConfigError(
      'USAGE_NO_INPUT',
      `--watch expects a number of looks, got '${String(opts.watch)}'`,
      {
        hint: 'Example: --watch 12',
      },
    );
  const [{ DEFAULT_RULE }, { durationMs }] = await Promise.all([
    import('../../adoption/stats.js'),
    import('../../adoption/query.js'),
  ]);
  // The verdict follows the same rule as the deployment's health gate.
  const health = await manifestHealthRule(opts, io);
  const granularity = opts.granularity ?? health.granularity ?? 'PT5M';
  let reports: AdoptionReport[] = [];
  for (let look = 1; look <= looks; look++) {
    reports = [];
    for (const { flowId: id, version } of ids) {
      try {
        reports.push(
          await adoptionReport(client, id, {
            ...(since !== undefined ? { since } : {}),
            ...(until !== undefined ? { until } : {}),
            ...(version !== undefined ? { version } : {}),
            granularity,
            rule: { ...DEFAULT_RULE, ...health.rule, looks },
            signals: health.signals,
          }),
        );
      } catch (e) {
        if (e instanceof RangeError)
          throw new ConfigError('USAGE_NO_INPUT', e.message, {
            hint: 'Check --since, --until and --granularity, and that the flow is published.',
          });
        throw e;
      }
    }
    const degraded = reports.some((r) => r.verdict.verdict === 'degraded');
    if (looks > 1 && !opts.json)
      io.out(`look ${look} of ${looks} at ${reports[0]!.until}\n${await formatAdoption(reports, io)}`);
    if (degraded || look === looks) break;
    await sleep(durationMs(granularity));
  }
  if (opts.html !== undefined) {
    writeOutputFile(opts.html, adoptionHtml(reports), { flag: '--html' });
    io.err(`wrote ${opts.html}\n`);
  }
  if (opts.json) io.out(`${JSON.stringify({ schemaVersion: 1, reports }, null, 2)}\n`);
  else if (looks === 1) io.out(await formatAdoption(reports, io));
  return reports.some((r) => r.verdict.verdict === 'degraded') ? ExitCode.Invalid : ExitCode.Ok;
}

/** The reports as a table with a terminal chart: the window first, every figure over it; the org's names and versions `terminalSafe`. */
export async function formatAdoption(reports: readonly AdoptionReport[], io: CliIo): Promise<string> {
  const { sparkline } = await import('../../adoption/html.js');
  const c = io.colors;
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  const rate = (f: AdoptionReport['versions'][number]) =>
    f.failureRate.rate === null
      ? 'failure —'
      : `failure ${pct(f.failureRate.rate).padStart(6)} [${pct(f.failureRate.low)}, ${pct(f.failureRate.high)}]`;
  const disconnects = (f: AdoptionReport['versions'][number]) =>
    f.disconnectRate.rate === null
      ? 'disconnects —'
      : `disconnects ${pct(f.disconnectRate.rate).padStart(6)} [${pct(f.disconnectRate.low)}, ${pct(f.disconnectRate.high)}]`;
  const time = (f: AdoptionReport['versions'][number]) =>
    f.meanTimeInFlowMs.mean === null ? '—' : `${(f.meanTimeInFlowMs.mean / 1000).toFixed(1)} s`;
  const clock = { platform: "the platform's clock", given: 'the given clock', local: "this machine's clock" };
  let out = '';
  for (const r of reports) {
    const v = r.verdict.verdict;
    const w = r.window;
    out += `${c.bold(safe(r.flowName))}  ${safe(`version ${r.newVersion}${r.previousVersion ? ` (before ${r.previousVersion})` : ''}, published ${r.publishedAt}`)}\n`;
    out += `  window: ${w.from} to ${w.until} (${clock[w.clock]}), ${r.granularity} intervals; every figure below covers it\n`;
    out += `  share on ${safe(r.newVersion)}: ${pct(r.overallShare.rate)} of ${r.overallShare.trials} [${pct(r.overallShare.low)}, ${pct(r.overallShare.high)}]  ${sparkline(r)}\n`;
    out += `  volume: ${r.volumes.after} after the publish, ${r.volumes.before} in the same time before\n`;
    for (const f of r.versions)
      out += `  ${safe(`version ${f.version}`).padEnd(14)} ${String(f.executions).padStart(7)} executions  ${disconnects(f)}  ${rate(f)}  time in flow ${time(f)}\n`;
    if (r.baseline) {
      const b = r.baseline.figures;
      out += `  compared with version ${safe(b.version)} from ${r.baseline.from} to ${r.baseline.until} (as long, before the publish): ${b.executions} executions, ${disconnects(b)}, ${rate(b)}\n`;
    }
    const paint = (x: string) => (x === 'degraded' ? c.red(x) : x === 'healthy' ? c.green(x) : c.yellow(x));
    if (r.verdict.signals.length === 0) out += `  health: ${paint(v)}: ${safe(r.verdict.reason)}\n`;
    else {
      out += `  health: ${paint(v)} (${r.verdict.tests} tests share the confidence)\n`;
      for (const s of r.verdict.signals) out += `    ${s.signal}: ${paint(s.verdict)}: ${safe(s.reason)}\n`;
      for (const s of r.verdict.skipped) out += `    ${safe(s)}\n`;
    }
    for (const n of r.notes) out += `  ${c.yellow(safe(n))}\n`;
    out += '\n';
  }
  return out;
}

/**
 * The rule of the manifest's `health:` section (`--manifest`, else ./flowgate.yaml when it exists),
 * so `flowgate adoption` judges a version as the deployment's gate does; the defaults without one.
 */
async function manifestHealthRule(opts: AdoptionOptions, io: CliIo): Promise<HealthRule> {
  const { healthRule } = await import('../../deploy/health-gate.js');
  const path = opts.manifest ?? (existsSync(DEFAULT_MANIFEST) ? DEFAULT_MANIFEST : undefined);
  if (path === undefined) return healthRule(undefined);
  const { loadManifest } = await import('../../config/manifest.js');
  const { health } = await loadManifest(path);
  if (health && !opts.json) io.err(`health rule: the health: section of ${path}\n`);
  return healthRule(health);
}

/** The flows a deployment published (`--deployment ID`), from the ledger. */
/** A flow to report on, and the version to judge (default: the one the org publishes now). */
interface Watched {
  flowId: string;
  version?: string | undefined;
}

/** A published step as the flow and the version it published. */
const watchedOf = (s: StepRecord): Watched => ({ flowId: s.flowId!, version: s.publishedVersion });

async function deploymentFlows(opts: AdoptionOptions): Promise<Watched[]> {
  const id = opts.deployment;
  if (id === undefined) return [];
  const { readLedger } = await import('../deploy-session.js');
  const ledger = await readLedger(opts);
  try {
    const steps = await ledger.steps(id);
    if (steps.length === 0)
      throw new ConfigError('DEPLOY_NOT_FOUND', `the ledger has no deployment ${id}`, {
        hint: 'flowgate history lists the deployments.',
      });
    return steps.filter((s) => s.state === 'published' && s.flowId).map(watchedOf);
  } finally {
    await ledger.close();
  }
}

/** The newest deployment to this org that published a flow, and the flows it published. */
async function lastDeployment(
  opts: LedgerFlags,
  org: string,
): Promise<{ id: string; createdAt: string; flows: Watched[] }> {
  const { readLedger } = await import('../deploy-session.js');
  const ledger = await readLedger(opts);
  try {
    for (const d of await ledger.listDeployments({ limit: 200 })) {
      if (d.org !== org) continue;
      const published = (await ledger.steps(d.id)).filter((s) => s.state === 'published' && s.flowId);
      if (published.length > 0) return { id: d.id, createdAt: d.createdAt, flows: published.map(watchedOf) };
    }
  } finally {
    await ledger.close();
  }
  throw new ConfigError(
    'USAGE_NO_INPUT',
    `no flow given, and the ledger holds no deployment to ${org} that published a flow`,
    { hint: 'Name flows, give --deployment ID, or point --ledger at the ledger of your deployments.' },
  );
}

async function resolveFlows(client: PlatformClient, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const all = await client.flows.list();
  return names.map((n) => {
    const f = all.find((x) => x.id === n) ?? all.find((x) => x.name === n);
    if (!f)
      throw new ConfigError('USAGE_NO_INPUT', `no flow '${n}' in the org`, {
        hint: 'Give a flow id or its exact name.',
      });
    return f.id;
  });
}
