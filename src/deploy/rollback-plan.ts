/**
 * `flowgate rollback <deployment | flow>` as a plan: publish again, for each flow, the version the
 * ledger recorded as published before. It then runs like any deployment (recorded, resumable,
 * exactly once).
 */
import { FlowgateError } from '../errors.js';
import type { Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import type { DeploymentPlan, PlannedStep } from './types.js';

/** The plan that puts a deployment's flows (or one flow) back on their previous versions. */
export async function rollbackPlan(
  target: string,
  ledger: Ledger,
  client: PlatformClient,
): Promise<DeploymentPlan> {
  let sources: StepRecord[];
  const deployment = await ledger.getDeployment(target);
  if (deployment) {
    sources = (await ledger.steps(target)).filter((s) => s.state === 'published');
  } else {
    const history = (await ledger.history(undefined, 1000)).filter(
      (s) =>
        s.state === 'published' && (s.flowKey === target || s.flowName === target || s.flowId === target),
    );
    sources = history.slice(0, 1);
  }
  if (sources.length === 0)
    throw new FlowgateError(
      'DEPLOY_NOT_FOUND',
      `the ledger has no published deployment or flow '${target}'`,
      {
        hint: 'flowgate history lists deployments and flows.',
      },
    );
  const withoutPrevious = sources.filter((s) => !s.previousVersion);
  if (withoutPrevious.length === sources.length)
    throw new FlowgateError(
      'ROLLBACK_NOTHING',
      `no earlier published version is recorded for ${withoutPrevious.map((s) => s.flowName).join(', ')}`,
      {
        hint: 'A flow created by a deployment has nothing to go back to; deactivate it in Architect if needed.',
      },
    );
  const me = (await client.org.tokenInfo()).OAuthClient?.id ?? '';
  const steps: PlannedStep[] = sources
    .filter((s) => s.previousVersion)
    .reverse()
    .map((s, i) => ({
      index: i,
      manifestIndex: i,
      kind: 'publish',
      action: 'publish',
      flowName: s.flowName,
      flowType: s.flowType,
      flowKey: s.flowKey,
      flowId: s.flowId,
      targetVersion: s.previousVersion,
      previousVersion: s.publishedVersion,
      blocked: [],
      notes: [`rollback of ${s.deploymentId}`],
      dependsOn: [],
    }));
  return {
    org: client.endpoints.apiBaseUrl,
    actor: me,
    steps,
    order: steps.map((s) => s.index),
    validation: {
      files: [],
      diagnostics: [],
      summary: { files: 0, errors: 0, warnings: 0, infos: 0 },
      publishOrder: [],
    },
    blocked: false,
    purpose: 'rollback',
  };
}
