/**
 * Gates: an environment's `requires:` evaluated from the ledger, for a plan.
 *
 * - `passed: [test]`: every flow the plan deploys from a file was deployed to `test` with the same
 *   artifact (`artifact.ts`: same file, same content before substitutions), that step published,
 *   and no rollback deployment touched the flow in that org afterwards.
 * - `healthy: true`: the health gate's final verdict on that step was `healthy` (`insufficient`,
 *   too few executions to tell, is not healthy).
 * - `approvals: N`: N different actors approved this plan's hash (`flowgate approve`).
 *
 * A flow the plan leaves unchanged deploys nothing and is not judged; a flow published by version
 * has no artifact (versions are per org) and is not judged either.
 */
import { FlowgateError } from '../errors.js';
import { plural } from '../shared/plural.js';
import type { ManifestRequires } from '../config/gates-schema.js';
import type { GateSummary, Ledger, StepWithDeployment } from '../ledger/types.js';
import type { DeploymentPlan, GateMiss, GateResult, PlannedStep } from './types.js';

/** What a plan's gates are evaluated against. */
type Subject = PlannedStep & { artifactHash: string; sourceFile: string };

/** The gates of `requires` for this plan, each with what is missing. */
export async function evaluateGates(
  plan: DeploymentPlan,
  requires: ManifestRequires,
  ledger: Ledger,
): Promise<GateResult[]> {
  const subjects = plan.steps.filter(
    (s): s is Subject =>
      s.kind === 'import' &&
      s.action !== 'unchanged' &&
      s.artifactHash !== undefined &&
      s.sourceFile !== undefined,
  );
  const results: GateResult[] = [];
  for (const env of requires.passed ?? []) {
    const passed: GateMiss[] = [];
    const healthy: GateMiss[] = [];
    for (const s of subjects) {
      const found = await passedIn(s, env, ledger);
      if ('reason' in found) passed.push(miss(s, found.reason));
      else if (requires.healthy === true && found.step.health !== 'healthy')
        healthy.push(miss(s, healthReason(found.step, env)));
    }
    results.push(result('passed', env, subjects.length, passed));
    if (requires.healthy === true)
      results.push(result('healthy', env, subjects.length - passed.length, healthy));
  }
  if (requires.approvals !== undefined && requires.approvals > 0)
    results.push(await approvalGate(plan, requires.approvals, ledger));
  return results;
}

/** Whether every gate of the plan is met (a plan without gates has none to meet). */
export function gatesMet(plan: Pick<DeploymentPlan, 'gates'>): boolean {
  return (plan.gates ?? []).every((g) => g.met);
}

/**
 * Refuses a plan with an unmet gate: the library's last check before a deployment is recorded.
 * @throws {FlowgateError} `GATE_UNMET` naming each flow, the environment and the reason.
 */
export function assertGatesMet(plan: DeploymentPlan): void {
  const unmet = (plan.gates ?? []).filter((g) => !g.met);
  if (unmet.length === 0) return;
  const lines = unmet.flatMap((g) =>
    g.missing.length > 0
      ? g.missing.map((m) => `${gateName(g)}: ${m.flowName}${m.file ? ` (${m.file})` : ''}: ${m.reason}`)
      : [`${gateName(g)}: ${g.detail}`],
  );
  const approvals = unmet.some((g) => g.gate === 'approvals');
  throw new FlowgateError(
    'GATE_UNMET',
    `the deployment to ${plan.env ?? 'this environment'} is refused by its gates: ${lines.join('; ')}`,
    {
      hint: approvals
        ? `Record the approvals of this plan (flowgate approve ${plan.planHash ?? '<plan hash>'}), then run again.`
        : 'Deploy these flows to the required environments first (promote deploys what passed there), then run again.',
      details: { env: plan.env, planHash: plan.planHash, unmet },
    },
  );
}

/** The gates as a deployment records them (for `status` and `history`). */
export function gateSummaries(gates: readonly GateResult[] | undefined): GateSummary[] | undefined {
  if (gates === undefined || gates.length === 0) return undefined;
  return gates.map((g) => ({ gate: gateName(g), met: g.met, detail: g.detail }));
}

/** `passed test`, `healthy in test`, `approvals`. */
export function gateName(g: Pick<GateResult, 'gate' | 'env'>): string {
  return g.gate === 'passed' ? `passed ${g.env}` : g.gate === 'healthy' ? `healthy in ${g.env}` : 'approvals';
}

/** The step that deployed this artifact to `env` and still stands, or why there is none. */
async function passedIn(
  s: Subject,
  env: string,
  ledger: Ledger,
): Promise<{ step: StepWithDeployment } | { reason: string }> {
  const there = (await ledger.artifactSteps(s.artifactHash, s.sourceFile)).filter(
    (x) => x.deployment.env === env && x.deployment.purpose !== 'rollback',
  );
  const published = there.find((x) => x.state === 'published');
  if (!published) {
    if (there[0])
      return { reason: `its deployment to ${env} (${there[0].deploymentId}) ended ${there[0].state}` };
    const [latest] = await ledger.fileSteps(s.sourceFile, env, 1);
    return {
      reason: latest?.artifactHash
        ? `the content changed since its deployment to ${env} (${env} has artifact ${short(latest.artifactHash)}, this is ${short(s.artifactHash)})`
        : `never deployed to ${env}`,
    };
  }
  const back = (
    await ledger.rollbacksSince(published.deployment.org, published.flowKey, published.deployment.createdAt)
  ).find((x) => x.state === 'published');
  if (back)
    return {
      reason: `rolled back in ${env} after its deployment ${published.deploymentId} (by ${back.deploymentId} at ${back.deployment.createdAt})`,
    };
  return { step: published };
}

function healthReason(step: StepWithDeployment, env: string): string {
  if (step.health === undefined)
    return `no health verdict in ${env} (${step.deploymentId}): the health gate did not watch it (a new flow has no earlier version to compare with)`;
  return `the health gate in ${env} (${step.deploymentId}) ended ${step.health}, not healthy`;
}

async function approvalGate(plan: DeploymentPlan, needed: number, ledger: Ledger): Promise<GateResult> {
  const hash = plan.planHash ?? '';
  // One approver counts once, however often they approve.
  const actors = new Set((await ledger.approvals(hash)).map((a) => a.actor));
  const met = actors.size >= needed;
  return {
    gate: 'approvals',
    met,
    detail: `${actors.size} of ${plural(needed, 'approval')} of plan ${short(hash)}${actors.size > 0 ? ` (${[...actors].join(', ')})` : ''}`,
    missing: met
      ? []
      : [
          {
            flowName: `plan ${hash}`,
            reason: `${plural(needed - actors.size, 'more approval', 'more approvals')} needed (an approval of an earlier plan does not count)`,
          },
        ],
  };
}

function result(gate: 'passed' | 'healthy', env: string, of: number, missing: GateMiss[]): GateResult {
  return {
    gate,
    env,
    met: missing.length === 0,
    detail: `${of - missing.length} of ${plural(of, 'flow')}`,
    missing,
  };
}

function miss(s: Subject, reason: string): GateMiss {
  return { flowName: s.flowName, file: s.sourceFile, reason };
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;
