/**
 * Which flows an export takes and which version of each: the published one unless `--version` or
 * `--saved` says otherwise. A flow without that version (never published, nothing saved) is
 * listed as skipped with the reason, never exported as something else.
 */
import type { Flow } from '../platform/schemas.js';

/** The filters of `flowgate export`. */
export interface ExportFilter {
  /** Lowercase API flow types (`inboundcall`, …); all when empty. */
  types?: readonly string[];
  /** A glob over flow names (`*`, `?`), case-insensitive. */
  name?: string;
  /** A division name or id. */
  division?: string;
}

/** Which version of each flow. */
export type VersionChoice = { kind: 'published' } | { kind: 'version'; version: string } | { kind: 'saved' };

/** A flow chosen for export, with the version to export. */
export interface SelectedFlow {
  flow: Flow;
  version: string;
}

/** A flow left out, and why. */
export interface SkippedFlow {
  flow: Flow;
  reason: string;
}

/** A glob (`*`, `?`) as a whole-name, case-insensitive regular expression. */
export function globPattern(glob: string): RegExp {
  const source = [...glob].map((c) =>
    c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'),
  );
  return new RegExp(`^${source.join('')}$`, 'is');
}

/** Filters the org's flows and picks each one's version. */
export function selectFlows(
  flows: readonly Flow[],
  filter: ExportFilter,
  choice: VersionChoice,
): { selected: SelectedFlow[]; skipped: SkippedFlow[] } {
  const types = new Set((filter.types ?? []).map((t) => t.toLowerCase()));
  const name = filter.name === undefined ? undefined : globPattern(filter.name);
  const division = filter.division?.toLowerCase();
  const selected: SelectedFlow[] = [];
  const skipped: SkippedFlow[] = [];
  for (const flow of flows) {
    if (flow.deleted) continue;
    if (types.size > 0 && !types.has((flow.type ?? '').toLowerCase())) continue;
    if (name && !name.test(flow.name)) continue;
    if (
      division !== undefined &&
      flow.division?.name?.toLowerCase() !== division &&
      flow.division?.id?.toLowerCase() !== division
    )
      continue;
    const version = versionOf(flow, choice);
    if (typeof version === 'string') selected.push({ flow, version });
    else skipped.push({ flow, reason: version.reason });
  }
  const order = (a: { flow: Flow }, b: { flow: Flow }) =>
    (a.flow.type ?? '').localeCompare(b.flow.type ?? '') || a.flow.name.localeCompare(b.flow.name);
  return { selected: selected.sort(order), skipped: skipped.sort(order) };
}

function versionOf(flow: Flow, choice: VersionChoice): string | { reason: string } {
  const checkedIn = flow.checkedInVersion?.id;
  if (choice.kind === 'version') return choice.version;
  if (choice.kind === 'saved') {
    const saved = flow.savedVersion?.id ?? checkedIn;
    return saved ?? { reason: 'nothing saved or checked in' };
  }
  const published = flow.publishedVersion?.id;
  if (published !== undefined) return published;
  return {
    reason:
      checkedIn === undefined
        ? 'never published, and nothing checked in'
        : `never published (checked in as version ${checkedIn}: --saved or --version ${checkedIn} exports it)`,
  };
}
