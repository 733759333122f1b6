/**
 * Running one step against the org, resumable at any point: every state change is committed to
 * the ledger before the API call it leads to, and a step found in `publishing` (a run that died)
 * is checked against the org before anything is sent again. A version counts as published when
 * the org publishes it, or a new version with its content (`restore.ts`).
 */
import { FlowgateError, isFlowgateError } from '../errors.js';
import type { StepRecord } from '../ledger/types.js';
import { JobFailedError } from '../platform/errors.js';
import type { Flow, JobState } from '../platform/schemas.js';
import { assertFinalContent } from './content.js';
import { importWithRetries } from './import-job.js';
import { compareVersionContent } from './published-content.js';
import {
  notRepublished,
  recordedContent,
  reimport,
  republished,
  restoreVersion,
  type Restored,
} from './restore.js';
import { takeLock, type StepContext } from './step-context.js';

export { takeLock, type StepContext } from './step-context.js';

/** Publishes an existing flow's version; resolves with the step as published. */
export async function publishExistingVersion(s: StepRecord, c: StepContext): Promise<StepRecord> {
  const version = s.targetVersion!;
  const flow = await resumed(s, c);
  const already =
    flow.publishedVersion?.id === version
      ? { publishedVersion: version, detail: 'the org publishes the version' }
      : s.state === 'publishing'
        ? await republished(s, c, flow, version, s.previousVersion)
        : undefined;
  if (already && 'publishedVersion' in already) return markPublished(s, c, already);
  await takeLock(flow, s, c);
  c.poll.signal?.throwIfAborted();
  await c.ledger.transition(
    s.deploymentId,
    s.index,
    'publishing',
    { operationBefore: flow.currentOperation?.id },
    `publishing version ${version}`,
  );
  let outcome: Awaited<ReturnType<typeof republished>>;
  try {
    const op = await c.client.flows.publish(flow.id, version);
    await c.ledger.note(s.deploymentId, s.index, { operationId: op.id }, 'publish operation started');
    await c.client.flows.followOperation(flow.id, op, c.poll);
    outcome = await republished(s, c, await c.client.flows.get(flow.id), version, flow.publishedVersion?.id);
  } catch (e) {
    // A restore says what the platform did and goes on; any other publish fails with its words.
    if (c.poll.signal?.aborted || !isFlowgateError(e) || e.code === 'ABORTED' || e.code === 'API_LOCKED')
      throw e;
    if (!(await isRestore(s, c))) throw e;
    outcome = { problem: `the platform did not publish version ${version} again (${e.code}: ${e.message})` };
  }
  if ('publishedVersion' in outcome) return markPublished(s, c, outcome);
  if (!(await isRestore(s, c)))
    throw new FlowgateError('OPERATION_FAILED', `${s.flowName}: ${outcome.problem}`, {
      hint: 'Someone may have published another version at the same time; check the flow in Architect.',
    });
  return restoreInstead(s, c, version, outcome.problem);
}

/** The flow, after following the publish an earlier run of a `publishing` step started, if any. */
async function resumed(s: StepRecord, c: StepContext): Promise<Flow> {
  const flow = await c.client.flows.get(s.flowId!);
  if (s.state !== 'publishing') return flow;
  const op = flow.currentOperation;
  if (!op || op.id === s.operationBefore || op.actionName !== 'PUBLISH') return flow;
  await c.ledger.note(
    s.deploymentId,
    s.index,
    { operationId: op.id },
    'resume: found the publish the earlier run started',
  );
  if (!op.complete) await c.client.flows.followOperation(flow.id, op, c.poll);
  return c.client.flows.get(flow.id);
}

/** Records the step as published on `r.publishedVersion` (the target, or a new version holding it). */
function markPublished(s: StepRecord, c: StepContext, r: Restored): Promise<StepRecord> {
  return c.ledger.transition(
    s.deploymentId,
    s.index,
    'published',
    { publishedVersion: r.publishedVersion },
    r.publishedVersion === s.targetVersion && r.detail.startsWith('back on') ? 'published' : r.detail,
  );
}

/**
 * Whether a publish step puts a flow back (a rollback's): it carries the recorded content to fall
 * back on, or it publishes again the version a recorded deployment replaced.
 */
async function isRestore(s: StepRecord, c: StepContext): Promise<boolean> {
  if (s.content !== undefined) return true;
  return (await c.ledger.history(s.flowKey, 1000)).some(
    (x) =>
      x.deploymentId !== s.deploymentId &&
      x.flowId === s.flowId &&
      x.state === 'published' &&
      x.publishedVersion === s.previousVersion &&
      x.previousVersion === s.targetVersion,
  );
}

/** A restore the platform would not make by version: the recorded content instead, or the version named. */
async function restoreInstead(
  s: StepRecord,
  c: StepContext,
  version: string,
  problem: string,
): Promise<StepRecord> {
  if (s.content === undefined) {
    await c.ledger.note(s.deploymentId, s.index, {}, problem);
    throw notRepublished(s, version, problem);
  }
  await c.ledger.note(
    s.deploymentId,
    s.index,
    {},
    `${problem}; importing the content the ledger recorded for version ${version} instead`,
  );
  return markPublished(
    s,
    c,
    await reimport(s, c, version, assertFinalContent(s.flowName, s.content, s.contentHash)),
  );
}
/** Imports and publishes an Archy file through an import job; resolves with the step as published. */
export async function importArchy(s: StepRecord, c: StepContext): Promise<StepRecord> {
  const { client, ledger } = c;
  let failed: JobFailedError | undefined;
  if (s.state === 'publishing' && s.jobId) {
    // Resuming: the job of the earlier run tells whether the import happened.
    const job = await client.jobs.get(s.jobId);
    if (job.status === 'Started' || job.status === 'Success') {
      const done = await client.jobs.follow(s.jobId, c.poll);
      return verifyImport(s, c, done, 'resume: the earlier run’s import job finished');
    }
    if (job.status === 'Failure')
      // Throws with the job's messages, unless they are transient: then a new job is due.
      failed = await client.jobs.follow(s.jobId, c.poll).then(
        () => undefined,
        (e: unknown) => {
          if (e instanceof JobFailedError && e.transient) return e;
          throw e;
        },
      );
    // Registered: the upload never happened; a new job is registered below.
  }
  // Nothing but the text validation parsed (and the ledger recorded) may reach the org.
  const content = assertFinalContent(s.flowName, s.content, s.contentHash);
  const existing = s.flowId
    ? await client.flows.get(s.flowId)
    : await client.flows.findByName(s.flowName, s.flowType);
  if (existing) await takeLock(existing, s, c);
  // Ctrl-C while the flow was read: nothing is sent after it, the step stays as it was.
  c.poll.signal?.throwIfAborted();
  await ledger.transition(s.deploymentId, s.index, 'publishing', {}, 'registering an import job');
  const done = await importWithRetries(s, c, content, existing?.publishedVersion?.id, { failed });
  return verifyImport(s, c, done, 'imported and published');
}

/**
 * Checks the flow the job reports (its `flow` reference, whatever its name) publishes a new
 * version under the planned name. The flow is recorded on the step first, so that a failed check
 * still leaves rollback something to clean up.
 */
async function verifyImport(
  s: StepRecord,
  c: StepContext,
  job: JobState,
  detail: string,
): Promise<StepRecord> {
  const flow = job.flow?.id
    ? await c.client.flows.get(job.flow.id)
    : await c.client.flows.findByName(s.flowName, s.flowType);
  if (!flow)
    throw new FlowgateError(
      'OPERATION_FAILED',
      `the import job of ${s.flowName} succeeded, but names no flow`,
      {
        hint: 'Check the flow in Architect.',
      },
    );
  const created = s.flowId === undefined || flow.id !== s.flowId;
  const version = flow.publishedVersion?.id;
  const changed = created || version !== s.previousVersion;
  await c.ledger.note(
    s.deploymentId,
    s.index,
    { flowId: flow.id, createdFlow: created, ...(changed && version ? { publishedVersion: version } : {}) },
    `the import job touched flow ${flow.id} (${flow.name})`,
  );
  if (flow.name !== s.flowName)
    throw new FlowgateError(
      'OPERATION_FAILED',
      `the import job of ${s.flowName} published a flow named '${flow.name}' instead`,
      { hint: 'The text sent was not the text validated; the flow is cleaned up on rollback.' },
    );
  if (version === undefined || !changed)
    throw new FlowgateError(
      'OPERATION_FAILED',
      `the import job of ${s.flowName} succeeded, but the org publishes ${version === undefined ? 'no version' : `version ${version}, the one before`}`,
      { hint: 'Check the flow in Architect; the job may have checked it in without publishing.' },
    );
  return c.ledger.transition(
    s.deploymentId,
    s.index,
    'published',
    { flowId: flow.id, publishedVersion: version, createdFlow: created },
    s.targetVersion === undefined ? detail : await restoredContent(s, c, flow.id, version),
  );
}

/**
 * For a rollback's import (it restores `targetVersion`'s recorded content): the published
 * configuration must hold that content, whatever its version id.
 */
async function restoredContent(
  s: StepRecord,
  c: StepContext,
  flowId: string,
  version: string,
): Promise<string> {
  const cmp = await compareVersionContent(c.client, flowId, version, {
    content: s.content,
    versionId: s.targetVersion,
  });
  if (!cmp?.equal)
    throw new FlowgateError(
      'ROLLBACK_UNVERIFIED',
      `${s.flowName}: version ${s.targetVersion ?? ''}'s content was imported as version ${version}, but ${cmp ? `its content differs (${cmp.basis})` : 'nothing recorded can show its content'}`,
      { hint: `Compare version ${version} with version ${s.targetVersion ?? ''} in Architect.` },
    );
  return `back on version ${s.targetVersion ?? ''}'s content: imported as version ${version} (${cmp.basis}: equal)`;
}

/** A step put back: the step as recorded, the version the org publishes now, what happened. */
export interface RolledBack {
  step: StepRecord;
  versionAfter?: string | undefined;
  message: string;
}

/**
 * Puts a flow back as it was before the step: a flow the step created, or published for the first
 * time, is deactivated (and checked to be inactive); otherwise the previous version's content is restored (`restore.ts`): from the
 * content the ledger recorded for it when the step imported Archy YAML, by publishing it again
 * when the step published a version.
 */
export async function rollBackStep(s: StepRecord, c: StepContext): Promise<RolledBack> {
  const flowId = s.flowId!;
  if (s.createdFlow || !s.previousVersion) {
    // Created by this deployment, or never published before it: there is no earlier version. It
    // is deactivated, never deleted (deleting would lose its history and break flows that
    // reference it).
    const flow = await c.client.flows.get(flowId);
    if (flow.active !== false) {
      await takeLock(flow, s, c);
      await c.client.flows.deactivate(flowId);
    }
    const after = await c.client.flows.get(flowId);
    if (after.active !== false)
      throw new FlowgateError(
        'OPERATION_FAILED',
        `${after.name} (${flowId}) is still active after deactivation`,
        {
          hint: 'Deactivate it in Architect.',
        },
      );
    // A flow the org had, unpublished, is not said to be this deployment's.
    const why = s.createdFlow ? 'created by this deployment' : 'not published before this deployment';
    const message = `${why}: ${after.name} deactivated, not deleted`;
    return {
      step: await c.ledger.transition(s.deploymentId, s.index, 'rolled-back', {}, message),
      message: `${s.flowName}: ${why}, deactivated (not deleted)`,
    };
  }
  const recorded = await recordedContent(c.ledger, s, s.previousVersion);
  const r = await restoreVersion(s, c, {
    versionId: s.previousVersion,
    content: recorded?.content,
    contentFirst: s.kind === 'import',
  });
  return {
    step: await c.ledger.transition(s.deploymentId, s.index, 'rolled-back', {}, r.detail),
    versionAfter: r.publishedVersion,
    message: `${s.flowName}: ${r.detail}`,
  };
}
