/**
 * The validation warnings of a plan, listed where the plan's last line counts them: a count a
 * reader cannot look up ("2 warnings") sends them to `flowgate validate` for what the plan already
 * holds. Errors are not listed here: each blocks its step, whose line says why.
 */
import type { createColors } from 'picocolors';
import type { Diagnostic } from '../../flow/index.js';
import type { DeploymentPlan } from '../../deploy/types.js';
import { markdownInline, terminalSafe as t } from './encode.js';

type Colors = ReturnType<typeof createColors>;

/** At most this many warnings are listed; the rest are counted, `flowgate validate` lists all. */
export const WARNINGS_LISTED = 20;

/** `file:line:col`, or the file alone for a finding about the whole file (no position). */
export function place(d: Pick<Diagnostic, 'file' | 'line' | 'column'>): string {
  return d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
}

function warnings(plan: DeploymentPlan): Diagnostic[] {
  return plan.validation.diagnostics.filter((d) => d.severity === 'warning');
}

function leftOutLine(n: number): string {
  return `… ${n} more (flowgate validate lists every one, with its line)`;
}

/** The plan's warnings for a terminal, one line each with its place and code. */
export function warningsPretty(plan: DeploymentPlan, c: Colors): string {
  const all = warnings(plan);
  if (all.length === 0) return '';
  let out = c.yellow(`\nvalidation warnings (they do not block):\n`);
  for (const d of all.slice(0, WARNINGS_LISTED))
    out += `  ${t(place(d))}  ${c.yellow('warning')}  ${t(d.message)}  ${c.dim(t(d.code))}\n`;
  if (all.length > WARNINGS_LISTED) out += c.dim(`  ${leftOutLine(all.length - WARNINGS_LISTED)}\n`);
  return out;
}

/** The plan's warnings for a pull-request comment, folded: they do not block. */
export function warningsMarkdown(plan: DeploymentPlan): string {
  const all = warnings(plan);
  if (all.length === 0) return '';
  const rows = all
    .slice(0, WARNINGS_LISTED)
    .map(
      (d) => `| ${markdownInline(place(d))} | ${markdownInline(d.message)} | ${markdownInline(d.code)} |\n`,
    );
  const more = all.length > WARNINGS_LISTED ? `\n${leftOutLine(all.length - WARNINGS_LISTED)}\n` : '';
  return `\n<details><summary>Validation warnings: ${all.length} (they do not block)</summary>\n\n| where | warning | code |\n|---|---|---|\n${rows.join('')}${more}\n</details>\n`;
}
