/**
 * Running one step against the org, resumable at any point: every state change is committed to
 * the ledger before the API call it leads to, and a step found in `publishing` (a run that died)
 * is checked against the org before anything is sent again.
 */
import { FlowgateError } from '../errors.js';
import type { Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { JobFailedError, lockHolderOf } from '../platform/errors.js';
import type { PollOptions } from '../platform/poll.js';
import type { Flow, JobState } from '../platform/schemas.js';
import { assertFinalContent } from './content.js';
import { importWithRetries, type ImportRetryOptions } from './import-job.js';

/** What a step needs. */
export interface StepContext {
  client: PlatformClient;
  ledger: Ledger;
  forceUnlock: boolean;
  /** This client's id: a lock it holds is its own. */
  me: string;
  poll: PollOptions;
  /** Retries of import jobs that failed transiently (`import-job.ts`). */
  importRetry?: ImportRetryOptions | undefined;
}

/** Publishes an existing flow's version; resolves with the step as published. */
export async function publishExistingVersion(s: StepRecord, c: StepContext): Promise<StepRecord> {
  const { client, ledger } = c;
  const flowId = s.flowId!;
  let flow = await client.flows.get(flowId);
  if (s.state === 'publishing') {
    // Resuming: did the earlier attempt take effect?
    const op = flow.currentOperation;
    if (op && op.id !== s.operationBefore && op.actionName === 'PUBLISH') {
      await ledger.note(
        s.deploymentId,
        s.index,
        { operationId: op.id },
        'resume: found the publish the earlier run started',
      );
      if (!op.complete) await client.flows.followOperation(flowId, op, c.poll);
      flow = await client.flows.get(flowId);
    }
  }
  if (flow.publishedVersion?.id === s.targetVersion)
    return ledger.transition(
      s.deploymentId,
      s.index,
      'published',
      { publishedVersion: s.targetVersion },
      'the org publishes the version',
    );
  await takeLock(flow, s, c);
  await ledger.transition(
    s.deploymentId,
    s.index,
    'publishing',
    { operationBefore: flow.currentOperation?.id },
    `publishing version ${s.targetVersion ?? ''}`,
  );
  const op = await client.flows.publish(flowId, s.targetVersion);
  await ledger.note(s.deploymentId, s.index, { operationId: op.id }, 'publish operation started');
  await client.flows.followOperation(flowId, op, c.poll);
  const after = await client.flows.get(flowId);
  if (after.publishedVersion?.id !== s.targetVersion)
    throw new FlowgateError(
      'OPERATION_FAILED',
      `the publish of ${s.flowName} reported success, but the org publishes version ${after.publishedVersion?.id ?? 'none'}, not ${s.targetVersion ?? ''}`,
      { hint: 'Someone may have published another version at the same time; check the flow in Architect.' },
    );
  return ledger.transition(
    s.deploymentId,
    s.index,
    'published',
    { publishedVersion: s.targetVersion },
    'published',
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
  await ledger.transition(s.deploymentId, s.index, 'publishing', {}, 'registering an import job');
  const done = await importWithRetries(s, c, content, existing?.publishedVersion?.id, failed);
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
    detail,
  );
}

/** Takes the flow's lock from someone else when allowed; otherwise a lock held by another stops the step. */
export async function takeLock(flow: Flow, s: StepRecord, c: StepContext): Promise<void> {
  const holder = lockHolderOf(flow, c.me);
  if (!holder) return;
  if (!c.forceUnlock)
    throw new FlowgateError('API_LOCKED', `${s.flowName} is locked in Architect by ${holder}`, {
      hint: 'Ask them to check it in, or force-unlock it (needs architect:flow:unlock).',
      details: { holder },
    });
  await c.ledger.note(s.deploymentId, s.index, {}, `force-unlocking: the lock was held by ${holder}`);
  await c.client.flows.unlock(flow.id);
}

/**
 * Puts a flow back as it was before the step: a flow the step created is deactivated (and checked
 * to be inactive), otherwise the previous version is published again.
 */
export async function rollBackStep(s: StepRecord, c: StepContext): Promise<StepRecord> {
  const flowId = s.flowId!;
  if (s.createdFlow || !s.previousVersion) {
    // Created by this deployment: there is no earlier version. It is deactivated, never deleted
    // (deleting would lose its history and break flows that reference it).
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
    return c.ledger.transition(
      s.deploymentId,
      s.index,
      'rolled-back',
      {},
      `created by this deployment: ${after.name} deactivated, not deleted`,
    );
  }
  const flow = await c.client.flows.get(flowId);
  if (flow.publishedVersion?.id !== s.previousVersion) {
    await takeLock(flow, s, c);
    const op = await c.client.flows.publish(flowId, s.previousVersion);
    await c.client.flows.followOperation(flowId, op, c.poll);
  }
  return c.ledger.transition(
    s.deploymentId,
    s.index,
    'rolled-back',
    {},
    `back on version ${s.previousVersion}`,
  );
}
