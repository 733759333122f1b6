/**
 * The version column of a step, one rendering for `history` and `status` (issue 20 §17: an
 * unchanged step read `2.0 → —` for an import, `2.0 → 2.0` for a publish and `2.0` in a report).
 */
import type { DeploymentRecord, StepRecord } from '../../ledger/types.js';

/** A prune's step (`deploy/prune-apply.ts`) done: the word for what it did to the flow. */
const PRUNED: Partial<Record<StepRecord['kind'], string>> = { delete: 'deleted', deactivate: 'deactivated' };

/** A prune's step sent, its outcome not yet recorded (`publishing` in the ledger): what it is doing. */
const PRUNING: Partial<Record<StepRecord['kind'], string>> = {
  delete: 'deleting',
  deactivate: 'deactivating',
};

/** The purpose of a step's deployment (`DeploymentRecord.purpose`): a rollback's steps read as one. */
export type StepPurpose = DeploymentRecord['purpose'];

/**
 * A step's outcome column: its state, except a done step that says what happened to the flow
 * rather than the state the ledger records it in (`published`): a prune's `deleted`, a rollback's
 * `rolled back` (README: the report); a prune's step in flight reads `deleting`/`deactivating`,
 * not `publishing`.
 */
export function stepOutcome(s: Pick<StepRecord, 'state' | 'kind'>, purpose?: StepPurpose): string {
  if (s.state === 'published' && purpose === 'rollback') return 'rolled back';
  if (s.state === 'publishing' && PRUNING[s.kind]) return PRUNING[s.kind]!;
  return (s.state === 'published' && PRUNED[s.kind]) || s.state;
}

/**
 * What a step did to the flow's published version, in words a table cell holds. A rollback's done
 * step says the version it went back on, `back on 1.0`, as a step an atomic rollback undid does;
 * where the platform made a new version of that content, which: `back on 1.0 (as version 3.0)`.
 */
export function stepVersion(
  s: Pick<StepRecord, 'state' | 'previousVersion' | 'publishedVersion' | 'targetVersion'> &
    Partial<Pick<StepRecord, 'kind'>>,
  purpose?: StepPurpose,
): string {
  const before = s.previousVersion ?? '—';
  if (purpose === 'rollback' && s.state === 'published' && s.targetVersion !== undefined)
    return s.publishedVersion === undefined || s.publishedVersion === s.targetVersion
      ? `back on ${s.targetVersion}`
      : `back on ${s.targetVersion} (as version ${s.publishedVersion})`;
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
