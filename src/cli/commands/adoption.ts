/** `flowgate adoption <flow...>`: traffic share and failure rates of the new version, with a health verdict. */
import { writeFileSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import type { AdoptionReport } from '../../adoption/report.js';
import type { PlatformClient } from '../../platform/client.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
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
  const reports: AdoptionReport[] = [];
  for (const id of await resolveFlows(client, flows)) {
    try {
      reports.push(
        await adoptionReport(client, id, {
          ...(since !== undefined ? { since } : {}),
          ...(typeof opts.granularity === 'string' ? { granularity: opts.granularity } : {}),
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
  if (typeof opts.html === 'string') {
    writeFileSync(opts.html, adoptionHtml(reports));
    io.err(`wrote ${opts.html}\n`);
  }
  io.out(
    opts.json === true
      ? `${JSON.stringify({ schemaVersion: 1, reports }, null, 2)}\n`
      : await formatAdoption(reports, io),
  );
  return reports.some((r) => r.verdict.verdict === 'degraded') ? ExitCode.Invalid : ExitCode.Ok;
}

/** The reports as a table with a terminal chart. */
export async function formatAdoption(reports: readonly AdoptionReport[], io: CliIo): Promise<string> {
  const { sparkline } = await import('../../adoption/html.js');
  const c = io.colors;
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  let out = '';
  for (const r of reports) {
    const v = r.verdict.verdict;
    out += `${c.bold(r.flowName)}  version ${r.newVersion}${r.previousVersion ? ` (before ${r.previousVersion})` : ''}, published ${r.publishedAt}\n`;
    out += `  share on ${r.newVersion}: ${pct(r.overallShare.rate)} of ${r.overallShare.trials} [${pct(r.overallShare.low)}, ${pct(r.overallShare.high)}]  ${sparkline(r)}\n`;
    out += `  volume: ${r.volumes.after} after, ${r.volumes.before} in the same time before\n`;
    for (const f of r.versions)
      out += `  ${`v${f.version}`.padEnd(8)} ${String(f.executions).padStart(7)} executions  failure ${pct(f.failureRate.rate).padStart(6)} [${pct(f.failureRate.low)}, ${pct(f.failureRate.high)}]  time in flow ${f.meanTimeInFlowMs.mean === null ? '—' : `${(f.meanTimeInFlowMs.mean / 1000).toFixed(1)} s`}\n`;
    out += `  health: ${v === 'degraded' ? c.red(v) : v === 'healthy' ? c.green(v) : c.yellow(v)}: ${r.verdict.reason}\n\n`;
  }
  return out;
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
