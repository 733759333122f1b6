/**
 * One schedule per flow: a step of the plan whose flow another deployment of the org already
 * schedules (`schedules.ts` `pendingSchedules`: a scheduled deployment, or one interrupted while
 * it waited for an activation time). The same change at the same time is *unchanged* here (said,
 * with that deployment's id), so running `deploy --schedule-only` again records nothing twice;
 * a deployment whose runner is alive and holds the flow is left to the flow locks;
 * another change of the flow is blocked until that schedule is cancelled or has published, since
 * `run-scheduled` would publish both, the later over the earlier.
 */
import type { HeldFlowLock, Ledger, StepRecord } from '../ledger/types.js';
import { pendingSchedules, type PendingSchedule } from './schedules.js';
import type { PlannedStep } from './types.js';

/** Decides each step of the plan against the org's schedules of its flow. */
export async function judgeScheduled(
  steps: PlannedStep[],
  ledger: Ledger,
  org: string,
  runners: readonly HeldFlowLock[],
): Promise<void> {
  // A deployment a live runner holds the flow for (`runners`: the live flow-lock holders) is being
  // deployed, not a schedule left for later: the flow locks decide (deploy waits, or fails naming it).
  const live = new Set(runners.map((h) => h.holder.deploymentId));
  const pending = (await pendingSchedules(ledger, org)).filter((p) => !live.has(p.deploymentId));
  if (pending.length === 0) return;
  for (const step of steps) {
    const ofFlow = pending.filter((p) => p.step.flowKey === step.flowKey);
    if (ofFlow.length === 0) continue;
    const same = ofFlow.find((p) => sameChange(step, p.step));
    if (same) scheduledAlready(step, same);
    // Nothing of this flow is recorded by this plan; the schedule still publishes its change later.
    else if (step.action === 'unchanged')
      step.notes.push(`${ofFlow.map(describe).join('; ')}: it publishes over what the org has now`);
    else
      step.blocked.push({
        kind: 'scheduled',
        message: `${step.flowName}: ${ofFlow.map(describe).join('; ')}; one schedule per flow: cancel that schedule, or let it publish, before another change of the flow`,
      });
  }
}

/**
 * The same change at the same time: the same content (or version) and activation time. An import
 * and a publish are never the same: a publish's step has no content hash, an import's no version.
 */
function sameChange(step: PlannedStep, s: StepRecord): boolean {
  const sameWhat =
    step.kind === 'import'
      ? step.contentHash !== undefined && step.contentHash === s.contentHash
      : step.targetVersion === s.targetVersion;
  // Both times come from manifests, which write each as an ISO-8601 instant in UTC.
  return sameWhat && step.activateAt === s.activateAt;
}

/** The step is that schedule's: nothing to record here, said with the deployment that has it. */
function scheduledAlready(step: PlannedStep, p: PendingSchedule): void {
  if (step.action === 'unchanged') return;
  step.action = 'unchanged';
  step.diff = undefined;
  // A lock in Architect blocks a publish only: this plan publishes nothing of the flow.
  step.blocked = step.blocked.filter((b) => b.kind !== 'locked');
  step.alreadyScheduled = { deploymentId: p.deploymentId, status: p.status, activateAt: p.step.activateAt };
  step.notes.push(`already scheduled by deployment ${p.deploymentId} (${whenOf(p)}): not scheduled again`);
}

/** A schedule of the flow, in words. */
function describe(p: PendingSchedule): string {
  const what =
    p.step.kind === 'import' ? 'other content of the flow' : `version ${p.step.targetVersion ?? '?'}`;
  return `deployment ${p.deploymentId} already schedules ${what} (${whenOf(p)})`;
}

function whenOf(p: PendingSchedule): string {
  const at = p.step.activateAt ? `activation at ${p.step.activateAt}` : 'after the flows it depends on';
  return `${p.status}, ${at}`;
}
