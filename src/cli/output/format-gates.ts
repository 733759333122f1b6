/**
 * An environment's gates for people: each gate met or not, and for an unmet one what is missing
 * (per flow, with the environment and the reason), so `plan --env prod` says what to do before
 * `deploy --env prod` may run. Names and reasons come from files and the ledger: `terminalSafe`.
 */
import type { createColors } from 'picocolors';
import { gateName } from '../../deploy/gates.js';
import type { DeploymentPlan } from '../../deploy/types.js';
import type { GateSummary } from '../../ledger/types.js';
import { markdownInline, terminalSafe as t } from './encode.js';

type Colors = ReturnType<typeof createColors>;

/** The gates block of a pretty plan (empty when the environment has no gates). */
export function formatGatesPretty(plan: DeploymentPlan, c: Colors): string {
  if (plan.gates === undefined) return '';
  let out = `\n${c.bold('Gates')} of ${t(plan.env ?? '?')}${plan.promotedFrom ? ` (promoting what passed in ${t(plan.promotedFrom)})` : ''}; plan ${plan.planHash ?? '?'}\n`;
  for (const g of plan.gates) {
    out += `  ${g.met ? c.green('✓') : c.red('✗')} ${t(gateName(g))}: ${t(g.detail)}\n`;
    for (const m of g.missing)
      out += c.red(`      ${t(m.flowName)}${m.file ? ` (${t(m.file)})` : ''}: ${t(m.reason)}\n`);
    if (!g.met && g.gate === 'approvals') out += c.dim(`      flowgate approve ${plan.planHash ?? ''}\n`);
  }
  return out;
}

/** The gates as Markdown lines for a pull-request comment (empty without gates). */
export function formatGatesMarkdown(plan: DeploymentPlan): string {
  if (plan.gates === undefined) return '';
  const lines = plan.gates.flatMap((g) => [
    `- ${g.met ? '✅' : '❌'} ${markdownInline(gateName(g))}: ${markdownInline(g.detail)}`,
    ...g.missing.map(
      (m) =>
        `  - ${markdownInline(m.flowName)}${m.file ? ` (${markdownInline(m.file)})` : ''}: ${markdownInline(m.reason)}`,
    ),
  ]);
  return `\nGates of ${markdownInline(plan.env ?? '?')} (plan \`${plan.planHash ?? '?'}\`):\n\n${lines.join('\n')}\n`;
}

/** A deployment's recorded gates in one line (`status`). */
export function formatGateSummaries(gates: readonly GateSummary[] | undefined): string | undefined {
  if (gates === undefined || gates.length === 0) return undefined;
  return gates.map((g) => `${g.met ? '✓' : '✗'} ${t(g.gate)} (${t(g.detail)})`).join('; ');
}
