/** `flowgate adoption <flow...>`: traffic share and failure rates of the new version, with a health verdict. */
import { writeFileSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import type { AdoptionReport } from '../../adoption/report.js';
import type { PlatformClient } from '../../platform/client.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { terminalSafe as safe } from '../output/encode.js';
import { cliPlatformClient } from '../platform-client.js';

/** Runs the command: exit 0, or 3 when a flow's new version is degraded. */
export async function runAdoption(
  flows: string[],
  opts: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const [{ adoptionReport }, { adoptionHtml }] = await Promise.all([
    import('../../adoption/report.js'),
    import('../../adoption/html.js'),
  ]);
  const { client } = cliPlatformClient(io);
  const since = typeof opts.since === 'string' ? Date.parse(opts.since) : undefined;
  if (since !== undefined && Number.isNaN(since))
    throw new ConfigError('USAGE_NO_INPUT', `--since '${String(opts.since)}' is not a time`, {
      hint: 'Use ISO-8601, for example 2026-11-25T10:00:00Z.',
    });
  const until = typeof opts.until === 'string' ? Date.parse(opts.until) : undefined;
  if (until !== undefined && Number.isNaN(until))
    throw new ConfigError('USAGE_NO_INPUT', `--until '${String(opts.until)}' is not a time`, {
      hint: 'Use ISO-8601, for example 2026-11-25T12:00:00Z.',
    });
  const ids = [...(await resolveFlows(client, flows)), ...(await deploymentFlows(opts))];
  if (ids.length === 0)
    throw new ConfigError('USAGE_NO_INPUT', 'no flow given', {
      hint: 'Name flows, or give --deployment ID.',
    });
  // A watch looks `looks` times, one interval apart; each look tests at (1 − confidence) / looks.
  const looks =
    opts.watch === undefined || opts.watch === false ? 1 : opts.watch === true ? 12 : Number(opts.watch);
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
  const granularity = typeof opts.granularity === 'string' ? opts.granularity : 'PT5M';
  let reports: AdoptionReport[] = [];
  for (let look = 1; look <= looks; look++) {
    reports = [];
    for (const id of ids) {
      try {
        reports.push(
          await adoptionReport(client, id, {
            ...(since !== undefined ? { since } : {}),
            ...(until !== undefined ? { until } : {}),
            granularity,
            rule: { ...DEFAULT_RULE, looks },
          }),
        );
      } catch (e) {
        if (e instanceof RangeError)
          throw new ConfigError('USAGE_NO_INPUT', e.message, {
            hint: 'Check --granularity and that the flow is published.',
          });
        throw e;
      }
    }
    const degraded = reports.some((r) => r.verdict.verdict === 'degraded');
    if (looks > 1 && opts.json !== true)
      io.out(`look ${look} of ${looks} at ${new Date().toISOString()}\n${await formatAdoption(reports, io)}`);
    if (degraded || look === looks) break;
    await new Promise((r) => setTimeout(r, durationMs(granularity)));
  }
  if (typeof opts.html === 'string') {
    writeFileSync(opts.html, adoptionHtml(reports));
    io.err(`wrote ${opts.html}\n`);
  }
  if (opts.json === true) io.out(`${JSON.stringify({ schemaVersion: 1, reports }, null, 2)}\n`);
  else if (looks === 1) io.out(await formatAdoption(reports, io));
  return reports.some((r) => r.verdict.verdict === 'degraded') ? ExitCode.Invalid : ExitCode.Ok;
}

/** The reports as a table with a terminal chart; the org's names and versions `terminalSafe`. */
export async function formatAdoption(reports: readonly AdoptionReport[], io: CliIo): Promise<string> {
  const { sparkline } = await import('../../adoption/html.js');
  const c = io.colors;
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  let out = '';
  for (const r of reports) {
    const v = r.verdict.verdict;
    out += `${c.bold(safe(r.flowName))}  ${safe(`version ${r.newVersion}${r.previousVersion ? ` (before ${r.previousVersion})` : ''}, published ${r.publishedAt}`)}\n`;
    out += `  share on ${safe(r.newVersion)}: ${pct(r.overallShare.rate)} of ${r.overallShare.trials} [${pct(r.overallShare.low)}, ${pct(r.overallShare.high)}]  ${sparkline(r)}\n`;
    out += `  volume: ${r.volumes.after} after, ${r.volumes.before} in the same time before\n`;
    for (const f of r.versions)
      out += `  ${safe(`v${f.version}`).padEnd(8)} ${String(f.executions).padStart(7)} executions  failure ${pct(f.failureRate.rate).padStart(6)} [${pct(f.failureRate.low)}, ${pct(f.failureRate.high)}]  time in flow ${f.meanTimeInFlowMs.mean === null ? '—' : `${(f.meanTimeInFlowMs.mean / 1000).toFixed(1)} s`}\n`;
    out += `  health: ${v === 'degraded' ? c.red(v) : v === 'healthy' ? c.green(v) : c.yellow(v)}: ${safe(r.verdict.reason)}\n\n`;
  }
  return out;
}

/** The flows a deployment published (`--deployment ID`), from the ledger. */
async function deploymentFlows(opts: Record<string, unknown>): Promise<string[]> {
  if (typeof opts.deployment !== 'string') return [];
  const { readLedger } = await import('../deploy-session.js');
  const ledger = await readLedger(opts);
  try {
    const steps = await ledger.steps(opts.deployment);
    if (steps.length === 0)
      throw new ConfigError('DEPLOY_NOT_FOUND', `the ledger has no deployment ${opts.deployment}`, {
        hint: 'flowgate history lists the deployments.',
      });
    return steps.filter((s) => s.state === 'published' && s.flowId).map((s) => s.flowId!);
  } finally {
    await ledger.close();
  }
}

async function resolveFlows(client: PlatformClient, names: string[]): Promise<string[]> {
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
