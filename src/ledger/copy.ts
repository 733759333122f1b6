/**
 * `flowgate ledger migrate`: copies every deployment of one ledger (a machine's SQLite file) into
 * another (the team's PostgreSQL) with its steps, every state change and every API call, and every
 * approval of a plan. Copying
 * again copies only what is new, so it can be run until the switch-over.
 */
import type { Ledger } from './types.js';

/** What a copy did. */
export interface CopyResult {
  copied: number;
  /** Deployments the target already had. */
  skipped: number;
  steps: number;
  events: number;
  calls: number;
  /** Approvals of plans (`flowgate approve`) the target did not have. */
  approvals: number;
}

/** Copies every deployment of `from` that `to` does not have, oldest first. */
export async function copyLedger(
  from: Ledger,
  to: Ledger,
  onProgress?: (done: number, total: number) => void,
): Promise<CopyResult> {
  const all = (await from.listDeployments({ limit: Number.MAX_SAFE_INTEGER })).reverse();
  const result: CopyResult = { copied: 0, skipped: 0, steps: 0, events: 0, calls: 0, approvals: 0 };
  for (const [i, deployment] of all.entries()) {
    const [steps, events, calls] = await Promise.all([
      from.steps(deployment.id),
      from.events(deployment.id),
      from.calls(deployment.id),
    ]);
    if (await to.importDeployment({ deployment, steps, events, calls })) {
      result.copied++;
      result.steps += steps.length;
      result.events += events.length;
      result.calls += calls.length;
    } else result.skipped++;
    onProgress?.(i + 1, all.length);
  }
  // Approvals belong to plans, not deployments: without them a gate met before the switch-over
  // would be unmet after it.
  const have = new Set((await to.approvals()).map((a) => a.id));
  for (const a of await from.approvals())
    if (!have.has(a.id)) {
      await to.recordApproval(a);
      result.approvals++;
    }
  return result;
}
