/**
 * `flowgate diff`: the semantic diff of `plan` (`diff.ts`) between any two contents, computed on
 * what the org really publishes (its export jobs, `org-content.ts`): the repository (after
 * substitutions) against an org, the same flows in two orgs, or two versions of one flow.
 */
import type { LoadedFlow } from '../flow/load.js';
import type { PlatformClient } from '../platform/client.js';
import type { ExportYamlOptions } from '../platform/calls/export.js';
import type { Flow } from '../platform/schemas.js';
import { normalizedHash } from './content.js';
import { exportedContents, textDiff } from './org-content.js';
import type { SemanticDiff } from './diff.js';

/** One side of a comparison: a text, or where it is missing. */
export type Side = { text: string; label: string } | { missing: string };

/** The comparison of one flow. */
export interface FlowComparison {
  flowName: string;
  flowType: string;
  /** `equal` by content (normalized: layout, quoting, key order do not count). */
  status: 'equal' | 'different' | 'missing';
  /** Where one side is missing, which and why. */
  missing?: string;
  diff?: SemanticDiff;
  from: string;
  to: string;
}

/** Compares pairs of sides. */
export function compareSides(
  pairs: ReadonlyArray<{ flowName: string; flowType: string; from: Side; to: Side }>,
): FlowComparison[] {
  return pairs.map(({ flowName, flowType, from, to }) => {
    const base = { flowName, flowType, from: label(from), to: label(to) };
    if ('missing' in from || 'missing' in to)
      return {
        ...base,
        status: 'missing',
        missing: 'missing' in from ? from.missing : (to as { missing: string }).missing,
      };
    if (normalizedHash(from.text) === normalizedHash(to.text)) return { ...base, status: 'equal' };
    const diff = textDiff(from.text, to.text);
    return { ...base, status: 'different', ...(diff ? { diff } : {}) };
  });
}

const label = (s: Side) => ('missing' in s ? '(none)' : s.label);

/** A flow of an org by type and name. */
function find(flows: readonly Flow[], type: string, name: string): Flow | undefined {
  return flows.find((f) => f.name === name && (f.type ?? '').toLowerCase() === type.toLowerCase());
}

/**
 * What the org publishes for each named flow (`missing` when it has no such flow, or publishes
 * none), read by export jobs.
 */
export async function publishedSides(
  client: PlatformClient,
  wanted: ReadonlyArray<{ type: string; name: string }>,
  orgLabel: string,
  job: ExportYamlOptions = {},
): Promise<Side[]> {
  const flows = await client.flows.list();
  const found = wanted.map((w) => find(flows, w.type, w.name));
  const refs = found.flatMap((f) =>
    f?.publishedVersion ? [{ flowId: f.id, version: f.publishedVersion.id }] : [],
  );
  const texts = await exportedContents(client, refs, job);
  let next = 0;
  return found.map((f) => {
    if (!f) return { missing: `${orgLabel} has no such flow` };
    if (!f.publishedVersion) return { missing: `${orgLabel} never published it` };
    return { text: texts[next++]!, label: `${orgLabel} version ${f.publishedVersion.id}` };
  });
}

/** The repository's flows (loaded, after substitutions) as sides, with their names and types. */
export function repositorySides(
  loaded: readonly LoadedFlow[],
): Array<{ type: string; name: string; side: Side }> {
  return loaded.map((l) => ({
    type: l.graph?.flowType ?? 'unknown',
    name: l.graph?.name ?? l.file,
    side:
      l.substituted !== undefined
        ? { text: l.substituted, label: l.file }
        : { missing: `${l.file} cannot be read` },
  }));
}

/** Two versions of one flow (`type:name`, a name, or an id), by export. */
export async function versionSides(
  client: PlatformClient,
  flow: string,
  versions: readonly [string, string],
  job: ExportYamlOptions = {},
): Promise<{ flow: Flow | undefined; sides: [Side, Side] }> {
  const flows = await client.flows.list();
  const [type, name] = flow.includes(':') ? (flow.split(/:(.*)/s) as [string, string]) : [undefined, flow];
  const target = flows.find(
    (f) =>
      f.id === flow ||
      (f.name === name && (type === undefined || (f.type ?? '').toLowerCase() === type.toLowerCase())),
  );
  if (!target)
    return { flow: undefined, sides: [{ missing: `no flow '${flow}'` }, { missing: `no flow '${flow}'` }] };
  const texts = await exportedContents(
    client,
    versions.map((v) => ({ flowId: target.id, version: v })),
    job,
  );
  return {
    flow: target,
    sides: [
      { text: texts[0]!, label: `version ${versions[0]}` },
      { text: texts[1]!, label: `version ${versions[1]}` },
    ],
  };
}
