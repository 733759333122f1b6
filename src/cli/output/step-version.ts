/**
 * The version column of a step, one rendering for `history` and `status` (issue 20 §17: an
 * unchanged step read `2.0 → —` for an import, `2.0 → 2.0` for a publish and `2.0` in a report).
 */
import type { StepRecord } from '../../ledger/types.js';

/** A prune's step (`deploy/prune-apply.ts`) done: the word for what it did to the flow. */
const PRUNED: Partial<Record<StepRecord['kind'], string>> = { delete: 'deleted', deactivate: 'deactivated' };

/**
 * A step's outcome column: its state, except a prune's done step, which says what happened to the
 * flow (`deleted`) rather than the state the ledger records it in (`published`).
 */
export function stepOutcome(s: Pick<StepRecord, 'state' | 'kind'>): string {
  return (s.state === 'published' && PRUNED[s.kind]) || s.state;
}

/** What a step did to the flow's published version, in words a table cell holds. */
export function stepVersion(
  s: Pick<StepRecord, 'state' | 'previousVersion' | 'publishedVersion' | 'targetVersion'> &
    Partial<Pick<StepRecord, 'kind'>>,
): string {
  const before = s.previousVersion ?? '—';
  const pruned = s.kind !== undefined ? PRUNED[s.kind] : undefined;
  if (pruned && s.state === 'published') {
    const last = s.publishedVersion ?? s.previousVersion ?? s.targetVersion;
    return last !== undefined ? `${last} → ${pruned}` : pruned;
  }
  switch (s.state) {
    case 'published':
      return `${before} → ${s.publishedVersion ?? '?'}`;
    case 'rolled-back':
      return `back on ${s.previousVersion ?? '(deactivated)'}`;
    case 'unchanged':
      // Nothing was published: the version the org publishes, and stays on.
      return s.publishedVersion ?? s.targetVersion ?? before;
    case 'planned':
    case 'scheduled':
    case 'waiting':
    case 'publishing':
      // Not yet done: where it goes, when a version is named (an import's is known only after).
      return s.targetVersion !== undefined ? `${before} → ${s.targetVersion}` : before;
    default:
      // Failed, cancelled, blocked: the org stays on what it had.
      return before;
  }
}
