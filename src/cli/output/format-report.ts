/** A deployment's report: each step's outcome, attempts and API latency. */
import type { createColors } from 'picocolors';
import { plural } from '../../shared/plural.js';
import type { DeploymentReport } from '../../deploy/report.js';
import { terminalSafe as safe } from './encode.js';
import { formatGateSummaries } from './format-gates.js';
import { stepOutcome, stepVersion } from './step-version.js';
import { tableLines } from './table.js';

type Colors = ReturnType<typeof createColors>;

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

/** The report as a table; names, versions and errors (from files and the org) `terminalSafe`. */
export function formatReportPretty(r: DeploymentReport, c: Colors): string {
  const d = r.deployment;
  const status =
    d.status === 'succeeded'
      ? c.green(d.status)
      : d.status === 'scheduled' || d.status === 'running'
        ? c.yellow(d.status)
        : c.red(d.status);
  // A rollback that succeeded rolled back; "not atomic" says nothing about a rollback.
  const shown = d.purpose === 'rollback' && d.status === 'succeeded' ? c.green('rolled back') : status;
  const atomic = d.atomic || d.purpose === 'rollback' ? '' : ' (not atomic)';
  let out = `${c.bold('Deployment')} ${safe(d.id)}${d.purpose === 'rollback' ? ' (rollback)' : ''}: ${shown}${atomic}\n`;
  const table = tableLines(
    ['flow', 'outcome', 'version', 'calls', 'attempts', 'p50', 'p95', 'artifact'],
    r.steps.map((s) => [
      safe(`${s.flowName} [${s.flowType}]`),
      stepOutcome(s, d.purpose),
      safe(stepVersion(s, d.purpose)),
      String(s.calls),
      String(s.attempts),
      ms(s.latencyP50Ms),
      ms(s.latencyP95Ms),
      s.artifactHash ? `${s.artifactHash.slice(0, 12)}${s.health ? ` (${s.health})` : ''}` : '—',
    ]),
    { align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'] },
  );
  out += `  ${table[0]}\n`;
  r.steps.forEach((s, i) => {
    out += `  ${table[i + 1]}\n`;
    if (s.error) out += c.red(`      ${safe(s.error)}\n`);
  });
  const t = r.totals;
  out += `  ${plural(t.calls, 'API call')}, ${plural(t.attempts, 'attempt')}, ${t.rateLimited} answered 429; latency p50 ${ms(t.latencyP50Ms)}, p95 ${ms(t.latencyP95Ms)}\n`;
  const gates = formatGateSummaries(d.gates);
  if (gates) out += `  gates of ${safe(d.env ?? '?')}: ${gates}\n`;
  if (d.planHash && d.gates) out += c.dim(`  plan ${d.planHash}\n`);
  return out;
}

/** The report as JSON. */
export function formatReportJson(r: DeploymentReport): string {
  return `${JSON.stringify({ schemaVersion: 1, ...r }, null, 2)}\n`;
}
