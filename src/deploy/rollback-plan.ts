/**
 * `flowgate rollback <deployment | flow>` as a plan: put each flow back on the version the ledger
 * recorded as published before (`restore.ts`). A flow deployed from Archy YAML is restored by
 * importing the content the ledger recorded for that version (an import step whose `targetVersion`
 * names the version restored); a flow published by version is published again, with the
 * recorded content to fall back on when the ledger has it. It then runs like any deployment
 * (recorded, resumable, exactly once).
 */
import { FlowgateError } from '../errors.js';
import type { DeploymentRecord, Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { contentHash } from './content.js';
import { recordedContent } from './restore.js';
import type { DeploymentPlan, PlannedStep } from './types.js';

/** A flow `rollback` leaves alone: its change was rolled back already, and nothing changed it since. */
export interface AlreadyRolledBack {
  flowName: string;
  /** The rollback deployment that put it back. */
  by: string;
  /** The version it went back to, and the version that holds it now (a new one after an import). */
  version: string;
  publishedVersion: string | undefined;
}

/**
 * A rollback's plan, with the flows it leaves alone: back already, or created by the deployment
 * rolled back (no earlier version to go back to; `flowgate rollback` does not deactivate them).
 */
export type RollbackPlan = DeploymentPlan & { alreadyRolledBack: AlreadyRolledBack[]; createdLeft: string[] };

/** How many of a flow's steps the ledger is asked for: its newest published one is what counts. */
const FLOW_STEPS = 1000;

/**
 * The plan that puts a deployment's flows (or one flow) back on their previous versions, in this
 * client's org. Asked again, it does nothing more: a flow whose newest change in the org is a
 * rollback back to that version is left alone (`alreadyRolledBack`), so a second `rollback` never
 * undoes the first, and a rollback re-run by a pipeline never publishes twice. A plan can be
 * empty when every flow is back already; nothing is to be recorded then.
 */
export async function rollbackPlan(
  target: string,
  ledger: Ledger,
  client: PlatformClient,
): Promise<RollbackPlan> {
  const org = client.endpoints.apiBaseUrl;
  const deployment = await ledger.getDeployment(target);
  const sources = await rollbackSources(target, deployment, ledger, org);
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
  const alreadyRolledBack: AlreadyRolledBack[] = [];
  for (const s of sources.filter((x) => x.previousVersion).reverse()) {
    const back = await rolledBackSince(s, { byFlow: deployment === undefined }, ledger, org);
    if (back) alreadyRolledBack.push(back);
    else steps.push(await restoreStep(s, s.previousVersion!, steps.length, ledger));
  }
  return {
    org,
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
    alreadyRolledBack,
    createdLeft: withoutPrevious.map((x) => x.flowName),
  };
}

const publishedStep = (s: StepRecord) =>
  s.state === 'published' && (s.kind === 'import' || s.kind === 'publish');

/**
 * The steps to undo: a deployment's published steps (it must be of this org), or a flow's newest
 * published step in this org. A prune's steps deleted or deactivated flows: nothing to publish back.
 */
async function rollbackSources(
  target: string,
  deployment: DeploymentRecord | undefined,
  ledger: Ledger,
  org: string,
): Promise<StepRecord[]> {
  if (deployment && deployment.org !== org)
    throw new FlowgateError(
      'DEPLOY_NOT_FOUND',
      `deployment ${target} was made in the org ${deployment.org}, not in ${org}`,
      { hint: 'Roll it back with the environment (credentials and base URL) of the org it deployed to.' },
    );
  const sources = deployment
    ? (await ledger.steps(target)).filter(publishedStep)
    : await newestOfFlow(target, ledger, org);
  if (sources.length === 0)
    throw new FlowgateError(
      'DEPLOY_NOT_FOUND',
      `the ledger has no published deployment or flow '${target}'`,
      {
        hint: 'flowgate history lists deployments and flows.',
      },
    );
  return sources;
}

/**
 * A flow's newest published step in `org`, named by `type:name`, id or name. A name several flows
 * have (one per type: an inbound call flow and an in-queue flow both `Main IVR`) is refused,
 * naming each: rolling back whichever the ledger happened to list first would be a guess.
 */
async function newestOfFlow(target: string, ledger: Ledger, org: string): Promise<StepRecord[]> {
  const steps = await publishedInOrg(ledger, target, org);
  // A `type:name` or an id matches one flow's steps only; a bare name may match several flows'.
  const keys = [...new Set(steps.map((s) => s.flowKey))].sort();
  if (keys.length > 1)
    throw new FlowgateError('FLOW_AMBIGUOUS', `'${target}' names ${keys.length} flows: ${keys.join(', ')}`, {
      hint: `Name the flow with its type, as the ledger does: flowgate rollback "${keys[0]!}".`,
      details: { matches: keys },
    });
  return steps.slice(0, 1);
}

/**
 * The published steps of a flow (`type:name`, id or name) made in `org`, newest first: a shared
 * ledger holds other orgs' too.
 */
async function publishedInOrg(ledger: Ledger, flow: string, org: string): Promise<StepRecord[]> {
  const orgOf = new Map<string, string | undefined>();
  const kept: StepRecord[] = [];
  for (const s of (await ledger.flowHistory(flow, FLOW_STEPS)).filter(publishedStep)) {
    if (!orgOf.has(s.deploymentId))
      orgOf.set(s.deploymentId, (await ledger.getDeployment(s.deploymentId))?.org);
    if (orgOf.get(s.deploymentId) === org) kept.push(s);
  }
  return kept;
}

/**
 * The rollback that already undid `s`, when the flow's newest published step in the org is a later
 * rollback's back to `s.previousVersion`; or, asked by flow, when `s` (its newest) is a rollback's
 * step: the flow's last change was a rollback. Anything published since, by any deployment, makes
 * it undoable again. A rollback deployment named by its id is undone (its own steps never count).
 */
async function rolledBackSince(
  s: StepRecord,
  asked: { byFlow: boolean },
  ledger: Ledger,
  org: string,
): Promise<AlreadyRolledBack | undefined> {
  const newest = (await publishedInOrg(ledger, s.flowId ?? s.flowKey, org)).find(
    (x) => x.flowId === s.flowId,
  );
  if (!newest || (await ledger.getDeployment(newest.deploymentId))?.purpose !== 'rollback') return undefined;
  const undid =
    newest.deploymentId === s.deploymentId ? asked.byFlow : newest.targetVersion === s.previousVersion;
  if (!undid) return undefined;
  return {
    flowName: s.flowName,
    by: newest.deploymentId,
    version: newest.targetVersion ?? '',
    publishedVersion: newest.publishedVersion,
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
