/** A deployment plan for people (pretty), for programs (JSON) and for a pull-request comment (Markdown). */
import type { createColors } from 'picocolors';
import { describeDiff } from '../../deploy/diff.js';
import type { DeploymentPlan, PlannedStep } from '../../deploy/types.js';

type Colors = ReturnType<typeof createColors>;

function what(s: PlannedStep): string {
  switch (s.action) {
    case 'create':
      return 'create and publish';
    case 'update':
      return `update (published now: ${s.previousVersion ?? 'none'})`;
    case 'publish':
      return `publish version ${s.targetVersion ?? '?'} (published now: ${s.previousVersion ?? 'none'})`;
    case 'unchanged':
      return 'unchanged: skipped';
    case 'blocked':
      return `blocked: ${s.blocked.map((b) => b.message).join('; ')}`;
  }
}

/** The plan as a table with the order, activation times and semantic diffs. */
export function formatPlanPretty(plan: DeploymentPlan, c: Colors): string {
  let out = `${c.bold('Plan')} for ${plan.org}${plan.env ? ` (env ${plan.env})` : ''}\n`;
  for (const [n, i] of plan.order.entries()) {
    const s = plan.steps[i]!;
    const mark =
      s.action === 'blocked'
        ? c.red('✗')
        : s.action === 'unchanged'
          ? c.dim('=')
          : s.action === 'create'
            ? c.green('+')
            : c.yellow('~');
    out += `${String(n + 1).padStart(3)}. ${mark} ${s.flowName} ${c.dim(`[${s.flowType}]`)}  ${what(s)}\n`;
    if (s.activateAt) out += `       activates at ${s.activateAt}\n`;
    if (s.dependsOn.length)
      out += c.dim(`       after ${s.dependsOn.map((d) => plan.steps[d]!.flowName).join(', ')}\n`);
    if (s.lockedBy && s.forceUnlock)
      out += c.yellow(`       locked by ${s.lockedBy}: will be force-unlocked\n`);
    for (const note of s.notes) out += c.yellow(`       note: ${note}\n`);
    if (s.diff === 'new') out += c.dim('       a new flow: nothing to compare with\n');
    else if (s.diff === 'unknown')
      out += c.dim('       the org publishes a version the ledger has no content of: no diff\n');
    else if (s.diff && !s.diff.empty) for (const line of describeDiff(s.diff)) out += `       ${line}\n`;
  }
  const counts = (a: PlannedStep['action']) => plan.steps.filter((s) => s.action === a).length;
  out += `\n${plan.blocked ? c.red('✗ blocked') : c.green('✓ can be applied')}: ${counts('create')} to create, ${counts('update') + counts('publish')} to publish, ${counts('unchanged')} unchanged, ${counts('blocked')} blocked; validation ${plan.validation.summary.errors} errors, ${plan.validation.summary.warnings} warnings\n`;
  return out;
}

/** The plan as JSON (versioned; content left out, its hash kept). */
export function formatPlanJson(plan: DeploymentPlan): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      org: plan.org,
      env: plan.env ?? null,
      blocked: plan.blocked,
      order: plan.order,
      steps: plan.steps.map(({ content: _content, ...s }) => s),
      validation: { summary: plan.validation.summary, diagnostics: plan.validation.diagnostics },
    },
    null,
    2,
  )}\n`;
}

const md = (s: string) => s.replace(/([|\\`*_[\]<>])/g, '\\$1');

/** The plan as Markdown for a pull-request comment: a table, then the diffs folded. */
export function formatPlanMarkdown(plan: DeploymentPlan): string {
  let out = `### flowgate plan ${plan.blocked ? '❌ blocked' : '✅ can be applied'}\n\n`;
  out += '| # | flow | type | action | activates |\n|---:|---|---|---|---|\n';
  for (const [n, i] of plan.order.entries()) {
    const s = plan.steps[i]!;
    out += `| ${n + 1} | ${md(s.flowName)} | ${s.flowType} | ${md(what(s))} | ${s.activateAt ?? ''} |\n`;
  }
  const diffs = plan.order
    .map((i) => plan.steps[i]!)
    .filter((s) => typeof s.diff === 'object' && !s.diff.empty);
  for (const s of diffs) {
    if (typeof s.diff !== 'object') continue;
    out += `\n<details><summary>${md(s.flowName)}: what changed</summary>\n\n\`\`\`diff\n${describeDiff(s.diff).join('\n')}\n\`\`\`\n</details>\n`;
  }
  const v = plan.validation.summary;
  out += `\nValidation: ${v.errors} errors, ${v.warnings} warnings.\n`;
  // A pull-request comment is limited to 65,536 characters (GitHub).
  return out.length > 60_000 ? `${out.slice(0, 60_000)}\n\n… (truncated)\n` : out;
}
