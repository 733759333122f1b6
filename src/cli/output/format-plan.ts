/** A deployment plan for people (pretty), for programs (JSON) and for a pull-request comment (Markdown). */
import type { createColors } from 'picocolors';
import { plural } from '../../shared/plural.js';
import { describeDiff } from '../../deploy/diff.js';
import type { DeploymentPlan, PlannedStep } from '../../deploy/types.js';
import { gatesMet } from '../../deploy/gates.js';
import { failedTestsSummary, testsRefuse } from '../../deploy/test-requirement.js';
import { objectLines, objectsMarkdown } from './format-objects.js';
import { markdownFence, markdownHtmlText, markdownInline, terminalSafe as t } from './encode.js';
import { formatGatesMarkdown, formatGatesPretty } from './format-gates.js';
import { warningsMarkdown, warningsPretty } from './format-plan-warnings.js';

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

/**
 * The plan as a table with the order, activation times and semantic diffs. Names, versions and
 * messages come from files and from the org: each is printed `terminalSafe`.
 */
export function formatPlanPretty(plan: DeploymentPlan, c: Colors): string {
  let out = `${c.bold('Plan')} for ${t(plan.org)}${plan.env ? ` (env ${t(plan.env)})` : ''}\n`;
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
    // A file that gave no text has no flow name or type: its reason names the file, once.
    const label =
      s.flowType === 'unknown' && s.blocked.some((b) => b.kind === 'file')
        ? ''
        : `${t(s.flowName)} ${c.dim(`[${t(s.flowType)}]`)}  `;
    out += `${String(n + 1).padStart(3)}. ${mark} ${label}${t(what(s))}\n`;
    // An activation time matters only to a step that will publish (not an unchanged or blocked one).
    if (s.activateAt && publishes(s)) out += `       activates at ${t(s.activateAt)}\n`;
    if (s.dependsOn.length)
      out += c.dim(`       after ${s.dependsOn.map((d) => t(plan.steps[d]!.flowName)).join(', ')}\n`);
    if (s.lockedBy && s.forceUnlock)
      out += c.yellow(`       locked by ${t(s.lockedBy)}: will be force-unlocked\n`);
    for (const note of s.notes) out += c.yellow(`       note: ${t(note)}\n`);
    if (s.contentCheck?.status === 'not-possible') {
      out += c.yellow(`       content not checked: ${t(s.contentCheck.reason)}\n`);
      out += c.yellow(`       so ${t(s.contentCheck.decision)}\n`);
      if (s.contentCheck.hint) out += c.dim(`       ${t(s.contentCheck.hint)}\n`);
    }
    out += objectLines(s, c);
    if (s.diff === 'new') out += c.dim('       a new flow: nothing to compare with\n');
    else if (s.diff === 'unknown')
      out += c.dim('       the org publishes a version the ledger has no content of: no diff\n');
    else if (s.diff && !s.diff.empty) for (const line of describeDiff(s.diff)) out += `       ${t(line)}\n`;
  }
  const counts = (a: PlannedStep['action']) => plan.steps.filter((s) => s.action === a).length;
  out += formatGatesPretty(plan, c);
  out += testsPretty(plan, c);
  out += warningsPretty(plan, c);
  const unchecked = uncheckedContent(plan);
  const verdict = plan.blocked
    ? c.red('✗ blocked')
    : testsRefuse(plan)
      ? c.red('✗ deploy refuses (TESTS_FAILED)')
      : gatesMet(plan)
        ? unchecked > 0
          ? c.yellow(`✓ can be applied, without the content check of ${flows(unchecked)}`)
          : c.green('✓ can be applied')
        : c.red('✗ gates not met');
  out += `\n${verdict}: ${counts('create')} to create, ${counts('update') + counts('publish')} to publish, ${counts('unchanged')} unchanged, ${counts('blocked')} blocked; validation ${plural(plan.validation.summary.errors, 'error')}, ${plural(plan.validation.summary.warnings, 'warning')}\n`;
  return out;
}

/** The scenario run `deploy.requireTests` asks for: what passed, or each case that did not. */
function testsPretty(plan: DeploymentPlan, c: Colors): string {
  const run = plan.tests;
  if (run === undefined) return '';
  const cases = (n: number) => plural(n, 'scenario case');
  if (run.failed.length === 0) return c.green(`\ntests (deploy.requireTests): ${cases(run.cases)} passed\n`);
  let out = c.red(
    `\ntests (deploy.requireTests): ${run.failed.length} of ${cases(run.cases)} did not pass: deploy refuses (TESTS_FAILED)\n`,
  );
  for (const f of run.failed) out += `  ${t(f)}\n`;
  return out + c.dim('  flowgate test shows each path\n');
}

/** How many steps needed what the org publishes and could not read it (`contentCheck`). */
function uncheckedContent(plan: DeploymentPlan): number {
  return plan.steps.filter((s) => s.contentCheck?.status === 'not-possible').length;
}

const flows = (n: number) => plural(n, 'flow');

/** The plan as JSON (versioned; content left out, its hash kept). */
export function formatPlanJson(plan: DeploymentPlan): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      org: plan.org,
      env: plan.env ?? null,
      blocked: plan.blocked,
      // What `deploy` decides from this plan: nothing blocked, every gate met, the tests passed
      // (`blocked` alone says only the first: a program reading it would deploy what deploy refuses).
      canApply: !plan.blocked && gatesMet(plan) && !testsRefuse(plan),
      planHash: plan.planHash ?? null,
      gates: plan.gates ?? null,
      gatesMet: gatesMet(plan),
      // Steps whose content check was not possible (each says why in its `contentCheck`).
      contentNotChecked: uncheckedContent(plan),
      // deploy.requireTests: the scenario run (null when not required); false: deploy refuses.
      tests: plan.tests ?? null,
      testsPassed: !testsRefuse(plan),
      ...(plan.promotedFrom ? { promotedFrom: plan.promotedFrom } : {}),
      order: plan.order,
      steps: plan.steps.map(({ content: _content, source: _source, ...s }) => s),
      validation: { summary: plan.validation.summary, diagnostics: plan.validation.diagnostics },
    },
    null,
    2,
  )}\n`;
}

/** A pull-request comment holds at most 65,536 characters (GitHub); the plan stays under this. */
const MARKDOWN_BUDGET = 60_000;

/**
 * The plan as Markdown for a pull-request comment: a table, then the diffs folded. GitHub renders
 * the comment (and the HTML in it), so every value is encoded for its place: `markdownInline` in
 * table cells, `markdownHtmlText` inside `<summary>`, `markdownFence` around a diff. Rows and
 * diffs that would pass the size limit are left out whole, with a count, so no block is cut open.
 */
export function formatPlanMarkdown(plan: DeploymentPlan): string {
  const unchecked = uncheckedContent(plan);
  const applicable = `✅ can be applied${unchecked > 0 ? `, without the content check of ${flows(unchecked)}` : ''}`;
  const verdict = plan.blocked
    ? '❌ blocked'
    : testsRefuse(plan)
      ? `❌ deploy refuses: scenario tests fail (${markdownInline(failedTestsSummary(plan.tests!))})`
      : applicable;
  const head = `### flowgate plan ${verdict}\n\n| # | flow | type | action | activates |\n|---:|---|---|---|---|\n`;
  const v = plan.validation.summary;
  const tail = `${formatGatesMarkdown(plan)}${warningsMarkdown(plan)}\nValidation: ${plural(v.errors, 'error')}, ${plural(v.warnings, 'warning')}.\n`;
  const rows = plan.order.map((i, n) => {
    const s = plan.steps[i]!;
    const action =
      s.contentCheck?.status === 'not-possible'
        ? `${what(s)} (content not checked: ${s.contentCheck.reason})`
        : what(s);
    return `| ${n + 1} | ${markdownInline(s.flowName)} | ${markdownInline(s.flowType)} | ${markdownInline(action)} | ${markdownInline(publishes(s) ? (s.activateAt ?? '') : '')} |\n`;
  });
  const diffs = plan.order.flatMap((i) => {
    const s = plan.steps[i]!;
    if (typeof s.diff !== 'object' || s.diff.empty) return [];
    return [
      `\n<details><summary>${markdownHtmlText(s.flowName)}: what changed</summary>\n\n${markdownFence(describeDiff(s.diff), 'diff')}\n</details>\n`,
    ];
  });
  // What the org lacks comes first: it is why a plan is blocked before anything else.
  const objects = within([objectsMarkdown(plan)], { left: MARKDOWN_BUDGET / 3 }).text;
  const budget = { left: MARKDOWN_BUDGET - head.length - tail.length - objects.length - 200 };
  const table = within(rows, budget);
  const folded = within(diffs, budget);
  let out = head + table.text + objects;
  if (table.leftOut) out += `\n… ${table.leftOut} more steps left out (the comment size limit)\n`;
  out += folded.text;
  if (folded.leftOut) out += `\n… ${folded.leftOut} more diffs left out (the comment size limit)\n`;
  return out + tail;
}

/** The parts that fit in what is left of the budget, in order, and how many did not. */
function within(parts: readonly string[], budget: { left: number }): { text: string; leftOut: number } {
  let text = '';
  let n = 0;
  for (; n < parts.length && parts[n]!.length <= budget.left; n++) {
    text += parts[n];
    budget.left -= parts[n]!.length;
  }
  return { text, leftOut: parts.length - n };
}

/** True when the step will publish (create or update): the steps an activation time is for. */
function publishes(s: PlannedStep): boolean {
  return s.action !== 'unchanged' && s.action !== 'blocked';
}
