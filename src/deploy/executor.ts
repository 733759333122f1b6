/**
 * Execution: creates the deployment in the ledger from a plan, then runs its steps in dependency
 * order with bounded concurrency (every call goes through the client's shared limiter), waits for
 * activation windows, rolls back atomically when a step fails, and stops starting new steps when
 * the signal aborts (Ctrl-C), leaving the ledger consistent for `deploy --resume`.
 */
import { randomUUID } from 'node:crypto';
import { FlowgateError } from '../errors.js';
import type { DeploymentRecord, FlowLocks, Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import type { PollOptions } from '../platform/poll.js';
import { sleep as realSleep, type Sleep, type Clock } from '../shared/time.js';
import { replanAfterOthers } from './flow-locks.js';
import { assertGatesMet, gateSummaries } from './gates.js';
import type { ImportRetryOptions } from './import-job.js';
import { EventRecorder, stepInfo } from './run-events.js';
import { finishRun, type RunOutcome } from './run-finish.js';
import { takeRunLease } from './run-lease.js';
import { runSteps } from './run-loop.js';
import { RunTally, StepBook, type Run } from './step-runner.js';
import type { StepContext } from './steps.js';
import type { DeployEvent, DeploymentPlan } from './types.js';

export { DEFAULT_LOCK_WAIT_MS } from './run-lease.js';
export { describeFailure } from './step-runner.js';
export type { RunOutcome } from './run-finish.js';

/** Options of {@link createDeployment}. */
export interface CreateOptions {
  atomic: boolean;
  /** Record the steps as scheduled and run nothing (`deploy --schedule-only`). */
  scheduleOnly?: boolean;
  now?: Clock;
  id?: string;
  /** Aborted (Ctrl-C) before the deployment is recorded: nothing is. */
  signal?: AbortSignal | undefined;
}

/**
 * Records a plan as a new deployment; returns its id.
 * @throws DEPLOY_BLOCKED, GATE_UNMET; ABORTED when `signal` aborted first (nothing recorded).
 */
export async function createDeployment(
  plan: DeploymentPlan,
  ledger: Ledger,
  o: CreateOptions,
): Promise<string> {
  if (plan.blocked)
    throw new FlowgateError(
      'DEPLOY_BLOCKED',
      'the plan has blocked steps; nothing was recorded or published',
      {
        hint: 'Run flowgate plan to see why (validation errors, locks, drift, policy).',
      },
    );
  // An unmet gate (not passed, not healthy, not approved elsewhere) records nothing.
  assertGatesMet(plan);
  // Ctrl-C while planning: a deployment recorded now would only end interrupted, for the next
  // run to finish (or, being a schedule, to schedule again).
  if (o.signal?.aborted)
    throw new FlowgateError(
      'ABORTED',
      'interrupted before the deployment was recorded: nothing was recorded or published',
      {
        hint: 'Run it again to plan anew.',
      },
    );
  const now = new Date((o.now ?? Date.now)()).toISOString();
  const id = o.id ?? `d-${now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const steps: StepRecord[] = plan.order.map((i, position) => {
    const p = plan.steps[i]!;
    return {
      deploymentId: id,
      // Steps are stored in publish order; dependencies are renumbered to match.
      index: position,
      flowKey: p.flowKey,
      flowName: p.flowName,
      flowType: p.flowType,
      flowId: p.flowId,
      kind: p.kind,
      targetVersion: p.targetVersion,
      previousVersion: p.previousVersion,
      createdFlow: false,
      contentHash: p.contentHash,
      content: p.content,
      artifactHash: p.artifactHash,
      valuesHash: p.valuesHash,
      source: p.source,
      sourceFile: p.sourceFile,
      state:
        p.action === 'unchanged' ? 'unchanged' : o.scheduleOnly && p.activateAt ? 'scheduled' : 'planned',
      activateAt: p.activateAt,
      dependsOn: p.dependsOn.map((d) => plan.order.indexOf(d)),
      updatedAt: now,
    };
  });
  await ledger.createDeployment(
    {
      id,
      createdAt: now,
      updatedAt: now,
      status: o.scheduleOnly ? 'scheduled' : 'planned',
      actor: plan.actor,
      org: plan.org,
      env: plan.env,
      manifest: plan.manifest,
      atomic: o.atomic,
      ...(plan.purpose ? { purpose: plan.purpose } : {}),
      planHash: plan.planHash,
      gates: gateSummaries(plan.gates),
    },
    steps,
  );
  return id;
}

/** Options of {@link runDeployment}. */
export interface RunOptions {
  client: PlatformClient;
  ledger: Ledger;
  /** Steps at once. @default 4 */
  concurrency?: number;
  forceUnlock?: boolean;
  now?: Clock;
  /** Waits for activation windows (tests pass one that moves a simulated clock). */
  sleep?: Sleep;
  signal?: AbortSignal;
  /** Hears every fact; awaited before the run goes on, and a throw stops the run before its next publish. */
  onEvent?: (e: DeployEvent) => void | Promise<void>;
  /** Leave steps whose activation time is later (`run-scheduled`), instead of waiting for them. */
  onlyDue?: boolean;
  /** Polling of operations and import jobs. */
  poll?: PollOptions;
  /**
   * How long to wait for flows another deployment is deploying; 0 fails at once naming the holder.
   * @default 900000 (15 minutes)
   */
  lockWaitMs?: number | undefined;
  /** Retries of import jobs that failed transiently. @default 5 jobs, 15 s × attempt between them */
  importRetry?: ImportRetryOptions | undefined;
}

/**
 * Runs (or resumes) a deployment recorded in the ledger. Nothing published is published again:
 * steps already published are skipped, and a step caught mid-publish is checked against the org.
 * The phases: the lease (`run-lease.ts`), the start, the loop (`run-loop.ts`: the scheduler's
 * decisions, one step runner), the end (`run-finish.ts`: the final status).
 * @throws DEPLOY_NOT_FOUND; LEDGER_BUSY when another live process runs the same deployment;
 * LEDGER_LOCKED when its flows stay held; the ledger's error when it was lost mid-run.
 */
export async function runDeployment(deploymentId: string, o: RunOptions): Promise<RunOutcome> {
  const deployment = await o.ledger.getDeployment(deploymentId);
  if (!deployment)
    throw new FlowgateError('DEPLOY_NOT_FOUND', `the ledger has no deployment ${deploymentId}`, {
      hint: 'flowgate history lists the deployments.',
    });
  const now = o.now ?? Date.now;
  const events = new EventRecorder(deploymentId, now, o.onEvent);
  const lease = await takeRunLease(deployment, { ...o, now }, events);
  try {
    const run = await startRun(deployment, lease.flowLocks, events, o);
    await runSteps(run);
    return await finishRun(run);
  } finally {
    await lease.release();
  }
}

/**
 * The run's start: the deployment marked running (and told so), the step context, the steps
 * learnt again after another deployment's publishes, the unchanged ones told.
 */
async function startRun(
  deployment: DeploymentRecord,
  flowLocks: FlowLocks,
  events: EventRecorder,
  o: RunOptions,
): Promise<Run> {
  const { ledger, client } = o;
  const id = deployment.id;
  const resumed = deployment.status === 'running' || deployment.status === 'interrupted';
  await ledger.setStatus(id, 'running');
  if (resumed) await events.emit({ type: 'resumed', message: `resuming deployment ${id}` });
  else if (deployment.status === 'planned')
    await events.emit({ type: 'planned', message: `deployment ${id} planned by ${deployment.actor}` });
  const me = (await client.org.tokenInfo()).OAuthClient?.id ?? deployment.actor;
  const ctx: StepContext = {
    client,
    ledger,
    forceUnlock: o.forceUnlock ?? false,
    me,
    // Following an operation or a job stops at the next poll when the run is interrupted.
    poll: { ...o.poll, ...(o.signal ? { signal: o.signal } : {}) },
    importRetry: o.importRetry,
  };
  // Another deployment published some of these flows while this one waited (or since it was
  // planned): plan those steps again against the org as it is now.
  await replanAfterOthers(id, deployment.createdAt, flowLocks.waited, ledger, client);
  const book = new StepBook(await ledger.steps(id));
  for (const s of book.all)
    if (s.state === 'unchanged')
      await events.emit({
        type: 'unchanged',
        step: stepInfo(s),
        message: `${s.flowName}: unchanged, skipped`,
      });
  return {
    deployment,
    ctx,
    events,
    book,
    tally: new RunTally(),
    flowLocks,
    now: o.now ?? Date.now,
    wait: o.sleep ?? realSleep,
    signal: o.signal,
    stopWaiting: new AbortController(),
    concurrency: o.concurrency ?? 4,
    onlyDue: o.onlyDue ?? false,
  };
}
