/**
 * The version column of a step, one rendering for `history` and `status` (issue 20 §17: an
 * unchanged step read `2.0 → —` for an import, `2.0 → 2.0` for a publish and `2.0` in a report).
 */
import type { StepRecord } from '../../ledger/types.js';

/** What a step did to the flow's published version, in words a table cell holds. */
export function stepVersion(
  s: Pick<StepRecord, 'state' | 'previousVersion' | 'publishedVersion' | 'targetVersion'>,
): string {
  const before = s.previousVersion ?? '—';
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
