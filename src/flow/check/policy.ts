/**
 * Organisation policy: a check like any other. Comes from the manifest or `--policy FILE`
 * (its schema is in `policy-schema.ts`, kept apart so that validation does not load zod).
 */
import { diagnostic, type DiagnosticSink } from '../diagnostics.js';
import { flowKey } from '../graph/dependencies.js';
import type { FlowGraph } from '../graph/flow-graph.js';
import { ARCHY_ROOT_KEYS } from '../graph/archy/archy-vocabulary.js';
import type { Policy } from './policy-schema.js';
import { ConfigError } from '../../errors.js';
import { compileLinearPattern, LINEAR_PATTERN_HINT, type LinearPattern } from './linear-pattern.js';

export type { Policy } from './policy-schema.js';

/** A flow that already exists in the org (for the live max-flows count). */
export interface OrgFlow {
  name: string;
  /** Lowercase or uppercase API type. */
  type: string;
  /** Whether it has a published version (callers use `ver_latestPublished`). Unknown when absent. */
  published?: boolean;
}

/**
 * Checks naming, divisions and the flow count.
 * @throws {ConfigError} `CONFIG_INVALID` when a naming pattern cannot run in linear time.
 */
export function checkPolicy(
  graphs: readonly FlowGraph[],
  policy: Policy,
  orgFlows: readonly OrgFlow[] | undefined,
  out: DiagnosticSink,
): void {
  const patterns = compileNaming(policy.naming ?? {});
  for (const g of graphs) {
    if (g.name === undefined) continue;
    const pattern = patterns.get(g.flowType ?? '') ?? patterns.get('*');
    if (pattern && !pattern.test(g.name)) {
      out.push(
        diagnostic(
          'policy-naming',
          `flow name '${g.name}' does not match the naming pattern /${pattern.source}/ for ${g.flowType ?? 'flows'}`,
          { file: g.file, line: 0, column: 0 },
          {
            hint: 'Rename the flow, or change the policy.',
          },
        ),
      );
    }
    if (policy.allowedDivisions && g.format === 'archy') {
      const division = g.division ?? 'Home';
      if (!policy.allowedDivisions.includes(division)) {
        out.push(
          diagnostic(
            'policy-division',
            `flow '${g.name}' is in division '${division}', which the policy does not allow (allowed: ${policy.allowedDivisions.join(', ')})`,
            { file: g.file },
            {
              hint: "Set 'division:' to an allowed division.",
            },
          ),
        );
      }
    }
  }
  if (policy.maxFlows !== undefined) {
    const existing = new Set((orgFlows ?? []).map((f) => flowKey(f.type, f.name)));
    const added = new Set(
      graphs
        .filter((g) => g.name !== undefined)
        .map((g) => flowKey(g.flowType, g.name))
        .filter((k) => !existing.has(k)),
    );
    const total = existing.size + added.size;
    if (total > policy.maxFlows) {
      out.push(
        diagnostic(
          'policy-max-flows',
          orgFlows
            ? `the org would hold ${total} flows (${existing.size} now + ${added.size} new), more than the policy's maxFlows ${policy.maxFlows}`
            : `this deployment has ${added.size} flows, more than the policy's maxFlows ${policy.maxFlows}`,
          { file: graphs[0]?.file ?? '' },
          { hint: 'Delete unused flows, or raise maxFlows.' },
        ),
      );
    }
  }
}

// A policy read from a file was checked by its schema; one built in code may still hold a pattern
// the linear-time engine refuses, and never reaches a backtracking one.
function compileNaming(naming: Record<string, string>): Map<string, LinearPattern> {
  const out = new Map<string, LinearPattern>();
  for (const [type, source] of Object.entries(naming)) {
    const key = type === '*' ? '*' : (ARCHY_ROOT_KEYS[type] ?? type.toLowerCase());
    const compiled = compileLinearPattern(source);
    if ('problem' in compiled)
      throw new ConfigError('CONFIG_INVALID', `policy naming.${type}: ${compiled.problem}`, {
        hint: LINEAR_PATTERN_HINT,
      });
    out.set(key, compiled.pattern);
  }
  return out;
}
