/**
 * Dependency tracking for the flows the emulator knows (docs/platform-api.md "Dependency
 * tracking"): a flow consumes another when its published or saved configuration calls it (a
 * common module, a bot) or transfers to it. The references are read by flowgate's own loader, as
 * the import jobs read flows (`org.ts`), so the emulator and `validate` agree on what a flow names.
 */
import { flowKey, loadFlowText, type FlowReference } from '../flow/index.js';
import { archyTextOf } from './export-yaml.js';
import type { EmFlow, EmVersion } from './types.js';

/** The flows each version names, read once per configuration (a save replaces a draft's `configuration`). */
const cache = new WeakMap<EmVersion, { configuration: unknown; keys: Set<string> }>();

function flowKeysOf(version: EmVersion): Set<string> {
  const hit = cache.get(version);
  if (hit && hit.configuration === version.configuration) return hit.keys;
  const text = archyTextOf(version.configuration);
  const keys = new Set<string>();
  if (text !== undefined) {
    const refs: FlowReference[] = loadFlowText(text, 'dependency.yaml').graph?.references ?? [];
    for (const r of refs) if (r.kind === 'flow') keys.add(flowKey(r.flowType, r.name));
  }
  cache.set(version, { configuration: version.configuration, keys });
  return keys;
}

/** The version a flow runs (its open publication), and its saved draft: what dependency tracking reads. */
function trackedVersions(flow: EmFlow): EmVersion[] {
  const open = flow.publications.find((p) => p.end === undefined);
  const ids = [open?.versionId, flow.savedVersionId].filter((x): x is string => x !== undefined);
  return flow.versions.filter((v) => ids.includes(v.id));
}

/**
 * The flows whose published or saved configuration calls or transfers to `target`, as dependency
 * tracking sees them at `lag.now`: the live ones, and a deleted one for `lag.ms` after its delete
 * (the platform's data is built asynchronously, so a consumer deleted a moment ago still counts).
 */
export function consumersOf(
  flows: readonly EmFlow[],
  target: EmFlow,
  lag: { now: number; ms: number } = { now: 0, ms: 0 },
): EmFlow[] {
  const key = flowKey(target.type, target.name);
  const tracked = (f: EmFlow) => !f.deleted || (f.deletedAt !== undefined && lag.now - f.deletedAt < lag.ms);
  return flows.filter(
    (f) => f !== target && tracked(f) && trackedVersions(f).some((v) => flowKeysOf(v).has(key)),
  );
}

/**
 * A flow's dependency-tracking object type: its type with `FLOW` appended, except `WORKFLOW`
 * (the Terraform provider's `dependent_consumers.go`, `SetFlowTypeObjectMaps`).
 */
export function flowObjectType(type: string): string {
  const t = type.toUpperCase();
  return t === 'WORKFLOW' ? t : `${t}FLOW`;
}
