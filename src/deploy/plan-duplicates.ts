/**
 * One flow, one manifest entry. Two entries that deploy the same flow (the same type and name,
 * from two files, or a file and a published version) would publish it twice in one run, the
 * later content winning by the dependency order's chance; the plan blocks both and names them.
 * Archy imports by type and name (docs/archy-format.md), so the name a file gives after its
 * substitutions is the flow it deploys.
 */
import type { ManifestFlow } from '../config/manifest.js';
import { sourceFileOf } from './artifact.js';
import type { PlannedStep } from './types.js';

/** Where an entry stands, for the message: its file (from the manifest's folder) and line, or the version it publishes. */
function entryLabel(
  entry: ManifestFlow | undefined,
  step: PlannedStep,
  manifestPath: string | undefined,
): string {
  const line = entry?.listedAt ? ` (manifest line ${entry.listedAt.line})` : '';
  if (entry?.file !== undefined) return `${sourceFileOf(entry.file, manifestPath)}${line}`;
  const version = entry?.existing?.version;
  return `the entry publishing '${step.flowName}'${version !== undefined ? ` version ${version}` : ''}${line}`;
}

/** Blocks every step whose flow another step of the plan deploys too. */
export function judgeDuplicates(
  steps: readonly PlannedStep[],
  entries: readonly ManifestFlow[],
  manifestPath: string | undefined,
): void {
  const byFlow = new Map<string, PlannedStep[]>();
  for (const s of steps) byFlow.set(s.flowKey, [...(byFlow.get(s.flowKey) ?? []), s]);
  for (const same of byFlow.values()) {
    if (same.length < 2) continue;
    const labels = same.map((s) => entryLabel(entries[s.manifestIndex], s, manifestPath));
    for (const s of same)
      s.blocked.push({
        kind: 'validation',
        message: `${same.length} manifest entries deploy ${s.flowType} '${s.flowName}': ${labels.join(', ')}; keep one (a flow is deployed from one entry)`,
      });
  }
}
