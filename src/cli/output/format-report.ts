/** A deployment's report: each step's outcome, attempts and API latency. */
import type { createColors } from 'picocolors';
import type { DeploymentReport } from '../../deploy/report.js';
import { terminalSafe as safe } from './encode.js';

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
  out += `  ${'flow'.padEnd(34)} ${'outcome'.padEnd(12)} ${'version'.padEnd(14)} calls  attempts  p50      p95\n`;
  for (const s of r.steps) {
    const version =
      s.state === 'published'
        ? `${s.previousVersion ?? '—'} → ${s.publishedVersion ?? '?'}`
        : s.state === 'rolled-back'
          ? `back on ${s.previousVersion ?? '(deactivated)'}`
          : (s.publishedVersion ?? s.previousVersion ?? '—');
    out += `  ${safe(`${s.flowName} [${s.flowType}]`).slice(0, 34).padEnd(34)} ${s.state.padEnd(12)} ${safe(version).padEnd(14)} ${String(s.calls).padStart(5)}  ${String(s.attempts).padStart(8)}  ${ms(s.latencyP50Ms).padEnd(8)} ${ms(s.latencyP95Ms)}\n`;
    if (s.error) out += c.red(`      ${safe(s.error)}\n`);
  }
  const t = r.totals;
  out += `  ${t.calls} API calls, ${t.attempts} attempts, ${t.rateLimited} answered 429; latency p50 ${ms(t.latencyP50Ms)}, p95 ${ms(t.latencyP95Ms)}\n`;
  return out;
}

/** The report as JSON. */
export function formatReportJson(r: DeploymentReport): string {
  return `${JSON.stringify({ schemaVersion: 1, ...r }, null, 2)}\n`;
}
