/**
 * `flowgate rollback <deployment | flow>` as a plan: put each flow back on the version the ledger
 * recorded as published before (`restore.ts`). A flow deployed from Archy YAML is restored by
 * importing the content the ledger recorded for that version (an import step whose `targetVersion`
 * names the version restored); a flow published by version is published again, with the
 * recorded content to fall back on when the ledger has it. It then runs like any deployment
 * (recorded, resumable, exactly once).
 */
import { FlowgateError } from '../errors.js';
import type { Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { contentHash } from './content.js';
import { recordedContent } from './restore.js';
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
    // A prune's steps deleted or deactivated flows: nothing there to publish back.
    sources = (await ledger.steps(target)).filter(
      (s) => s.state === 'published' && (s.kind === 'import' || s.kind === 'publish'),
    );
  } else {
    const history = (await ledger.history(undefined, 1000)).filter(
      (s) =>
        s.state === 'published' &&
        (s.kind === 'import' || s.kind === 'publish') &&
        (s.flowKey === target || s.flowName === target || s.flowId === target),
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
  const steps: PlannedStep[] = [];
  for (const s of sources.filter((x) => x.previousVersion).reverse())
    steps.push(await restoreStep(s, s.previousVersion!, steps.length, ledger));
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

/** The planned step that puts `s`'s flow back on `version`. */
async function restoreStep(
  s: StepRecord,
  version: string,
  index: number,
  ledger: Ledger,
): Promise<PlannedStep> {
  const recorded = (await recordedContent(ledger, s, version))?.content;
  const byContent = s.kind === 'import' && recorded !== undefined;
  return {
    index,
    manifestIndex: index,
    kind: byContent ? 'import' : 'publish',
    action: byContent ? 'update' : 'publish',
    flowName: s.flowName,
    flowType: s.flowType,
    flowKey: s.flowKey,
    flowId: s.flowId,
    targetVersion: version,
    previousVersion: s.publishedVersion,
    ...(recorded !== undefined ? { content: recorded, contentHash: contentHash(recorded) } : {}),
    blocked: [],
    notes: [
      byContent
        ? `rollback of ${s.deploymentId}: import again the content the ledger recorded for version ${version}`
        : `rollback of ${s.deploymentId}: publish version ${version} again`,
    ],
    dependsOn: [],
  };
}

/**
 * Whether the rollback `rollback` (its steps) already does what `rollback <target>` asks: the
 * target is that rollback, a flow it restores, or a deployment whose published flows it restores
 * every one of. A rollback asked again after an interrupted one is finished, not planned twice
 * (planned again, it would put back what the first one restored).
 */
export async function rollbackCovers(
  rollback: { id: string; steps: StepRecord[] },
  target: string,
  ledger: Ledger,
): Promise<boolean> {
  if (target === rollback.id) return true;
  const flows = new Set(rollback.steps.map((s) => s.flowId).filter((f) => f !== undefined));
  if (rollback.steps.some((s) => s.flowKey === target || s.flowName === target || s.flowId === target))
    return true;
  if (!(await ledger.getDeployment(target))) return false;
  const published = (await ledger.steps(target)).filter(
    (s) => s.state === 'published' && (s.kind === 'import' || s.kind === 'publish') && s.previousVersion,
  );
  return published.length > 0 && published.every((s) => s.flowId !== undefined && flows.has(s.flowId));
}
