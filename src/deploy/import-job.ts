/**
 * One import of a step's content through Architect's jobs, with Archy's transient failures retried
 * (issue 21 §3): a job that ends in `Failure` with the messages of the Terraform provider's
 * `isRetryableJobFailure` (`platform/job-failure.ts`) is followed by a new job, at most
 * {@link DEFAULT_IMPORT_RETRY}`.attempts` in all, waiting 15 s × the attempt between them as the
 * provider does. Each failed attempt is a note on the step in the ledger, so a resumed run counts
 * the attempts already spent. A job that failed on the flow's content is never retried, nor one
 * after which the org publishes something else than before it.
 */
import { FlowgateError } from '../errors.js';
import type { StepRecord } from '../ledger/types.js';
import { JobFailedError } from '../platform/errors.js';
import type { Flow, JobState } from '../platform/schemas.js';
import { sleep as realSleep } from '../platform/time.js';
import type { ImportRetryOptions, StepContext } from './step-context.js';

export type { ImportRetryOptions } from './step-context.js';

/** The Terraform provider's export-job retry, applied to import jobs. */
export const DEFAULT_IMPORT_RETRY: Required<ImportRetryOptions> = { attempts: 5, delayMs: 15_000 };

/**
 * The ledger note of a transient failure; counting them bounds the attempts across resumes. A
 * rollback's imports (of the same step) count apart from the step's own.
 */
const noteOf = (rollback: boolean | undefined) => (rollback ? 'rollback import attempt' : 'import attempt');

/**
 * Registers a job, uploads the content and follows it; after a transient failure, registers a new
 * job (bounded, with backoff). `before` is the version the org published before the first job;
 * `failed` is the transient failure of an earlier run's job, found on resume; `rollback` marks the
 * import of a rollback. Resolves with the successful job's state.
 * @throws the last job's {@link JobFailedError} when it is not transient or the attempts are spent.
 */
export async function importWithRetries(
  s: StepRecord,
  c: StepContext,
  content: string,
  before: string | undefined,
  o: { failed?: JobFailedError | undefined; rollback?: boolean } = {},
): Promise<JobState> {
  const retry = { ...DEFAULT_IMPORT_RETRY, ...c.importRetry };
  const note = noteOf(o.rollback);
  let attempt = (await spentAttempts(s, c, note)) + 1;
  let published = before;
  if (o.failed)
    ({ attempt, published } = await afterTransientFailure(s, c, o.failed, {
      attempt,
      retry,
      before: published,
      note,
    }));
  for (;;) {
    const job = await c.client.jobs.register();
    // A rollback's job is noted, not recorded as the step's own (its import job stays the one it ran).
    if (o.rollback)
      await c.ledger.note(s.deploymentId, s.index, {}, `rollback: import job ${job.id} registered`);
    else await c.ledger.note(s.deploymentId, s.index, { jobId: job.id }, 'import job registered');
    await c.client.jobs.upload(job.presignedUrl, job.headers ?? {}, content);
    try {
      return await c.client.jobs.follow(job.id, c.poll);
    } catch (e) {
      if (!(e instanceof JobFailedError) || !e.transient) throw e;
      ({ attempt, published } = await afterTransientFailure(s, c, e, {
        attempt,
        retry,
        before: published,
        note,
      }));
    }
  }
}

/**
 * Records a transient failure and waits before the next attempt; resolves with that attempt's
 * number and the version the org publishes. Throws when no attempt is left, or when the failed
 * job changed what the org publishes after all (then it is not the lookup failure it says).
 */
async function afterTransientFailure(
  s: StepRecord,
  c: StepContext,
  e: JobFailedError,
  o: { attempt: number; retry: Required<ImportRetryOptions>; before: string | undefined; note: string },
): Promise<{ attempt: number; published: string | undefined }> {
  const { attempt, retry, before } = o;
  const after = await publishedNow(s, c);
  if (after !== before)
    throw new FlowgateError(
      'OPERATION_FAILED',
      `${e.message}; the org now publishes version ${after ?? 'none'} of ${s.flowName} (before the job: ${before ?? 'none'}), so the job is not retried`,
      { hint: 'Check the flow in Architect before deploying again.', cause: e },
    );
  const last = attempt >= retry.attempts;
  const wait = retry.delayMs * attempt;
  await c.ledger.note(
    s.deploymentId,
    s.index,
    {},
    `${o.note} ${attempt} of ${retry.attempts}: import job ${e.jobId} failed transiently (${e.texts.at(-1) ?? 'Archy failed'})${last ? '; no attempt left' : `; a new job in ${wait / 1000} s`}`,
  );
  if (last) throw e;
  await (c.poll.sleep ?? ((ms: number) => realSleep(ms, c.poll.signal)))(wait);
  c.poll.signal?.throwIfAborted();
  return { attempt: attempt + 1, published: after };
}

/** Transient failures the ledger already holds for this step (an earlier run's). */
async function spentAttempts(s: StepRecord, c: StepContext, note: string): Promise<number> {
  const events = await c.ledger.events(s.deploymentId);
  return events.filter((x) => x.index === s.index && x.detail?.startsWith(`${note} `)).length;
}

/** The version the org publishes now of the step's flow (undefined: no such flow, or none published). */
async function publishedNow(s: StepRecord, c: StepContext): Promise<string | undefined> {
  const flow: Flow | undefined = s.flowId
    ? await c.client.flows.get(s.flowId)
    : await c.client.flows.findByName(s.flowName, s.flowType);
  return flow?.publishedVersion?.id;
}
