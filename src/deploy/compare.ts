/**
 * `flowgate diff`: the semantic diff of `plan` (`diff.ts`) between any two contents, computed on
 * what the org really publishes (its export jobs, `org-content.ts`): the repository (after
 * substitutions) against an org, the same flows in two orgs, or two versions of one flow.
 */
import { ConfigError } from '../errors.js';
import type { LoadedFlow } from '../flow/load.js';
import type { PlatformClient } from '../platform/client.js';
import type { ExportYamlOptions } from '../platform/calls/export.js';
import type { Flow } from '../platform/schemas.js';
import { findFlow, type FlowRef } from './find-flow.js';
import { normalizedHash } from './content.js';
import { exportedContents, textDiff } from './org-content.js';
import type { SemanticDiff } from './diff.js';

export type { FlowRef } from './find-flow.js';

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

/**
 * Two versions of one flow (`type:name`, a name, or an id; or a name and its type: `FlowRef`), by
 * export; `orgLabel` (an environment's name) prefixes the sides' labels.
 * @throws {ConfigError} `FLOW_NOT_FOUND` when the org has no such flow (the closest names in the
 * hint); `FLOW_AMBIGUOUS` when the name is several flows' (of different types) and no type says
 * which; `FLOW_VERSION_NOT_FOUND` when the flow has no such version (its versions in the hint).
 */
export async function versionSides(
  client: PlatformClient,
  flow: string | FlowRef,
  versions: readonly [string, string],
  job: ExportYamlOptions = {},
  orgLabel?: string,
): Promise<{ flow: Flow; sides: [Side, Side] }> {
  const ref = typeof flow === 'string' ? { flow } : flow;
  const target = findFlow(await client.flows.list(), ref, { orgLabel, details: { versions } });
  const known = (await client.flows.versions(target.id)).map((v) => v.id);
  const unknown = [...new Set(versions.filter((v) => !known.includes(v)))];
  if (unknown.length > 0) throw versionNotFound(target, unknown, known);
  const texts = await exportedContents(
    client,
    versions.map((v) => ({ flowId: target.id, version: v })),
    job,
  );
  const at = orgLabel !== undefined ? `${orgLabel} ` : '';
  return {
    flow: target,
    sides: [
      { text: texts[0]!, label: `${at}version ${versions[0]}` },
      { text: texts[1]!, label: `${at}version ${versions[1]}` },
    ],
  };
}

/** At most this many versions are listed in a hint (the latest ones). */
const LISTED_VERSIONS = 8;

function versionNotFound(target: Flow, unknown: readonly string[], known: readonly string[]): ConfigError {
  const sorted = [...known].sort(compareVersionIds);
  const shown = sorted.slice(-LISTED_VERSIONS);
  const published = target.publishedVersion?.id;
  const which = `${(target.type ?? '?').toLowerCase()} '${target.name}'`;
  const plural = unknown.length === 1 ? 'version' : 'versions';
  return new ConfigError('FLOW_VERSION_NOT_FOUND', `${which} has no ${plural} ${unknown.join(' and ')}`, {
    hint:
      sorted.length === 0
        ? `${which} has no published version yet.`
        : `Its versions: ${sorted.length > shown.length ? `… (${sorted.length} in all), ` : ''}${shown.join(', ')}; the latest: ${latestLabel(sorted.at(-1)!, published)}.`,
    details: { flowId: target.id, unknown, versions: sorted },
  });
}

const latestLabel = (latest: string, published: string | undefined) =>
  published === undefined
    ? latest
    : published === latest
      ? `${latest} (published)`
      : `${latest}, published: ${published}`;

/**
 * Orders version ids as people count them: numeric ids (the platform's `1.0`, `2.0`…) by value, so
 * `2.0` comes before `10.0`; any other id after them, by its text.
 */
export function compareVersionIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  if (Number.isFinite(x) !== Number.isFinite(y)) return Number.isFinite(x) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
