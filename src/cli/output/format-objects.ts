/** The org objects a plan's flows depend on: lines under each step (pretty) and a Markdown section. */
import type { createColors } from 'picocolors';
import { plural } from '../../shared/plural.js';
import type { ObjectUse } from '../../deploy/org-references.js';
import type { DeploymentPlan, PlannedStep } from '../../deploy/types.js';
import { markdownInline, terminalSafe as t } from './encode.js';

type Colors = ReturnType<typeof createColors>;

/** Each object once per flow (a queue named twice is one dependency), the worst state kept. */
function distinct(uses: readonly ObjectUse[]): ObjectUse[] {
  const rank = { missing: 0, unusable: 1, unchecked: 2, found: 3 } as const;
  const by = new Map<string, ObjectUse>();
  for (const u of uses) {
    const key = `${u.kind}\u0000${u.name}`;
    const had = by.get(key);
    if (!had || rank[u.state] < rank[had.state]) by.set(key, u);
  }
  return [...by.values()];
}

function detail(u: ObjectUse): string {
  const parts: string[] = [];
  if (u.state === 'missing')
    parts.push(
      u.suggestions?.length
        ? `missing; did you mean ${u.suggestions.map((s) => `'${s}'`).join(' or ')}?`
        : 'missing',
    );
  else if (u.reasons?.length)
    parts.push(`${u.state === 'found' ? 'found, but ' : ''}${u.reasons.join('; ')}`);
  else parts.push(u.state);
  if (u.from?.length) parts.push(`from ${u.from.map((f) => `{{ ${f.token} }}`).join(', ')}`);
  return parts.join(', ');
}

/** The lines under a step of the pretty plan: what it depends on in the org, missing first. */
export function objectLines(s: PlannedStep, c: Colors): string {
  if (!s.objects?.length) return '';
  const uses = distinct(s.objects).sort((a, b) => Number(a.state === 'found') - Number(b.state === 'found'));
  let out = c.dim(`       uses ${plural(uses.length, 'org object')}:\n`);
  for (const u of uses) {
    const mark =
      u.state === 'missing' || u.state === 'unusable'
        ? c.red('✗')
        : u.state === 'unchecked' || u.reasons?.length
          ? c.yellow('!')
          : c.green('✓');
    out += `         ${mark} ${t(u.kind)} ${t(u.name)}${u.state === 'found' && !u.reasons?.length ? '' : `: ${t(detail(u))}`}\n`;
  }
  return out;
}

/**
 * The Markdown section of the objects the plan's flows name: what is missing or cannot serve
 * first (one row each, with where it is used), then a count per flow of what was found.
 */
export function objectsMarkdown(plan: DeploymentPlan): string {
  const steps = plan.order.map((i) => plan.steps[i]!).filter((s) => s.objects?.length);
  if (steps.length === 0) return '';
  const bad = steps.flatMap((s) =>
    distinct(s.objects!)
      .filter((u) => u.state !== 'found' || u.reasons?.length)
      .map((u) => ({ s, u })),
  );
  bad.sort((a, b) => Number(a.u.state !== 'missing') - Number(b.u.state !== 'missing'));
  let out = '\n#### Org objects\n\n';
  if (bad.length > 0) {
    out += '| state | kind | name | flow | where | detail |\n|---|---|---|---|---|---|\n';
    for (const { s, u } of bad)
      out += `| ${u.state === 'missing' ? '❌ missing' : u.state === 'unusable' ? '❌ unusable' : '⚠️ ' + u.state} | ${markdownInline(u.kind)} | ${markdownInline(u.name)} | ${markdownInline(s.flowName)} | ${markdownInline(`${s.file ?? ''}:${u.line}:${u.column}`)} | ${markdownInline(detail(u))} |\n`;
    out += '\n';
  }
  const found = steps.map((s) => {
    const d = distinct(s.objects!);
    return `${markdownInline(s.flowName)}: ${d.filter((u) => u.state === 'found').length} of ${d.length} found`;
  });
  return `${out}${found.join(' · ')}\n`;
}
