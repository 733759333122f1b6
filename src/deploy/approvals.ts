/**
 * Approvals (`flowgate approve`): who approved which plan, when, and why. An approval is bound to
 * the plan's hash (`artifact.ts`), so a plan that changed (another file, another value) has
 * another hash and needs approvals of its own; `gates.ts` counts them for `requires.approvals`.
 */
import { randomUUID } from 'node:crypto';
import { FlowgateError } from '../errors.js';
import type { ApprovalRecord, Ledger } from '../ledger/types.js';

/** What an approval says besides its target. */
export interface ApprovalInput {
  /** The OAuth client id of the credentials, or the CI's identity (`--as`). */
  actor: string;
  note?: string | undefined;
  /** The environment the plan is for, when the caller knows it. */
  env?: string | undefined;
  now?: () => number;
}

const PLAN_HASH = /^[0-9a-f]{64}$/;

/**
 * Refuses at once a target that can be neither a plan hash nor a deployment: hex digits short of
 * 64 are a shortened hash (as a plan's summary line shows it), which would bind no plan.
 * @throws {FlowgateError} `APPROVE_TARGET`.
 */
export function checkApprovalTarget(target: string): void {
  if (/^[0-9a-f]{1,63}…?$/i.test(target))
    throw new FlowgateError(
      'APPROVE_TARGET',
      `'${target}' is a shortened plan hash: an approval binds the whole hash (64 hex digits)`,
      { hint: "The plan prints the whole hash on its gates line and in its JSON ('planHash')." },
    );
}

/**
 * Records an approval of a plan, named by its hash (as `plan` prints it) or by a deployment of the
 * ledger (the plan that deployment was made from).
 * @throws {FlowgateError} `APPROVE_TARGET` when `target` is neither.
 */
export async function approvePlan(
  ledger: Ledger,
  target: string,
  input: ApprovalInput,
): Promise<ApprovalRecord> {
  checkApprovalTarget(target);
  const deployment = await ledger.getDeployment(target);
  let planHash: string;
  if (deployment) {
    if (deployment.planHash === undefined)
      throw new FlowgateError('APPROVE_TARGET', `deployment ${target} recorded no plan hash`, {
        hint: 'It was made before flowgate recorded plan hashes: approve the plan hash that flowgate plan prints.',
      });
    planHash = deployment.planHash;
  } else if (PLAN_HASH.test(target)) planHash = target;
  else
    throw new FlowgateError(
      'APPROVE_TARGET',
      `'${target}' is neither a deployment of the ledger nor a plan hash (64 hex digits)`,
      {
        hint: "Approve the plan hash the environment's plan prints, or a deployment id the ledger's history lists.",
      },
    );
  const approval: ApprovalRecord = {
    id: `a-${randomUUID()}`,
    planHash,
    env: input.env ?? deployment?.env,
    deploymentId: deployment?.id,
    actor: input.actor,
    at: new Date((input.now ?? Date.now)()).toISOString(),
    note: input.note,
  };
  await ledger.recordApproval(approval);
  return approval;
}
