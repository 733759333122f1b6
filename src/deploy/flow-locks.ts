/**
 * What a run does around its flow locks: which flows it takes, what it learns again after waiting
 * for another deployment, and how it reports a ledger that went away mid-run.
 */
import { FlowgateError, isFlowgateError } from '../errors.js';
import type { Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { DONE, IN_DOUBT, NEEDS_LOCK, NOT_STARTED, isDue } from './step-states.js';

/**
 * The flow keys a run locks: every step it may still publish or roll back (with `dueBy`, only the
 * steps due by then, as `run-scheduled` runs them).
 */
export function lockScope(steps: StepRecord[], dueBy?: number): string[] {
  return steps
    .filter((s) => NEEDS_LOCK.has(s.state))
    .filter((s) => dueBy === undefined || s.state === 'published' || isDue(s, dueBy))
    .map((s) => s.flowKey);
}

/**
 * Plans each step not yet started again against what happened since this deployment was
 * planned: after waiting for another deployment (or when the ledger shows another deployment
 * published the flow since), each step learns the flow's id and published version, so a rollback
 * returns to what the org had just before this run; and an import whose content another
 * deployment has just published, still published in this org, is *unchanged* (issue 20 §3: four
 * runners deploying one commit published each flow four times).
 */
export async function replanAfterOthers(
  deploymentId: string,
  since: string,
  waited: boolean,
  ledger: Ledger,
  client: PlatformClient,
): Promise<void> {
  for (const s of await ledger.steps(deploymentId)) {
    if (!NOT_STARTED.has(s.state)) continue;
    // Another deployment's publish of this flow since this one was made, or of this very content
    // at any time (it may have finished between this plan and this deployment's creation).
    const others = (await ledger.history(s.flowKey, 50)).filter(
      (h) =>
        h.deploymentId !== deploymentId &&
        h.state === 'published' &&
        (h.updatedAt >= since || (h.contentHash !== undefined && h.contentHash === s.contentHash)),
    );
    if (!waited && others.length === 0) continue;
    const flow = s.flowId
      ? await client.flows.get(s.flowId).catch(() => undefined)
      : await client.flows.findByName(s.flowName, s.flowType);
    if (!flow) continue;
    const version = flow.publishedVersion?.id;
    const same = others.find(
      (h) =>
        s.kind === 'import' &&
        h.flowId === flow.id &&
        h.publishedVersion === version &&
        h.contentHash !== undefined &&
        h.contentHash === s.contentHash,
    );
    if (same) {
      await ledger.transition(
        deploymentId,
        s.index,
        'unchanged',
        { flowId: flow.id, previousVersion: version },
        `deployment ${same.deploymentId} published this content (version ${version ?? '?'}) after this one was planned`,
      );
      continue;
    }
    if (flow.id === s.flowId && version === s.previousVersion) continue;
    await ledger.note(
      deploymentId,
      s.index,
      { flowId: flow.id, previousVersion: version },
      `another deployment changed the flow since this one was planned: the org now publishes version ${version ?? 'none'}`,
    );
  }
}

/** Whether an error means the ledger can no longer be written. */
export function isLedgerLoss(e: unknown): boolean {
  return isFlowgateError(e) && (e.code === 'LEDGER_UNAVAILABLE' || e.code === 'LEDGER_WRITE');
}

/** The error a run ends with when its ledger went away: what is known of every step. */
export function ledgerLostError(deploymentId: string, cause: Error, steps: StepRecord[]): FlowgateError {
  const published = steps.filter((s) => DONE.has(s.state));
  const inDoubt = steps.filter((s) => IN_DOUBT.has(s.state));
  const notStarted = steps.filter((s) => NOT_STARTED.has(s.state));
  const names = (list: StepRecord[]) => (list.length ? `: ${list.map((s) => s.flowName).join(', ')}` : '');
  const code = isFlowgateError(cause) ? cause.code : 'LEDGER_UNAVAILABLE';
  return new FlowgateError(
    code,
    `deployment ${deploymentId} stopped starting steps, the ledger cannot be written (${cause.message}). ` +
      `Recorded as published: ${published.length}${names(published)}; in doubt (publishing when the ledger went away): ${inDoubt.length}${names(inDoubt)}; not started: ${notStarted.length}`,
    {
      hint: 'When the ledger is back, run the deployment again: it resumes, asks the org about the steps in doubt, and publishes nothing twice.',
      cause,
      details: {
        deploymentId,
        steps: steps.map((s) => ({ flow: s.flowName, state: s.state, publishedVersion: s.publishedVersion })),
      },
    },
  );
}
