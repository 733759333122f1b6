/**
 * Execution: creates the deployment in the ledger from a plan, then runs its steps in dependency
 * order with bounded concurrency (every call goes through the client's shared limiter), waits for
 * activation windows, rolls back atomically when a step fails, and stops starting new steps when
 * the signal aborts (Ctrl-C), leaving the ledger consistent for `deploy --resume`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { FlowgateError, isFlowgateError } from '../errors.js';
import type { DeploymentStatus, FlowLocks, Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import type { PollOptions } from '../platform/poll.js';
import { sleep as realSleep, type Sleep } from '../platform/time.js';
import { withCallContext } from './call-context.js';
import { isLedgerLoss, ledgerLostError, lockScope, replanAfterOthers } from './flow-locks.js';
import { assertGatesMet, gateSummaries } from './gates.js';
import type { ImportRetryOptions } from './import-job.js';
import { importArchy, publishExistingVersion, rollBackStep, type StepContext } from './steps.js';
import type { DeployEvent, DeploymentPlan } from './types.js';

/** Options of {@link createDeployment}. */
export interface CreateOptions {
  atomic: boolean;
  /** Record the steps as scheduled and run nothing (`deploy --schedule-only`). */
  scheduleOnly?: boolean;
  now?: () => number;
  id?: string;
}

/** Records a plan as a new deployment; returns its id. */
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
  now?: () => number;
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

/** How long a run waits for a flow another deployment holds, unless told otherwise. */
export const DEFAULT_LOCK_WAIT_MS = 15 * 60_000;

/** How a run of a deployment ended. */
export interface RunOutcome {
  deploymentId: string;
  status: DeploymentStatus;
  steps: StepRecord[];
}

const DONE = new Set(['published', 'unchanged']);
const FINAL = new Set(['published', 'unchanged', 'failed', 'cancelled', 'rolled-back', 'blocked']);

/**
 * Runs (or resumes) a deployment recorded in the ledger. Nothing published is published again:
 * steps already published are skipped, and a step caught mid-publish is checked against the org.
 * @throws LEDGER_BUSY when another live process runs the same deployment.
 */
export async function runDeployment(deploymentId: string, o: RunOptions): Promise<RunOutcome> {
  const { ledger, client } = o;
  const deployment = await ledger.getDeployment(deploymentId);
  if (!deployment)
    throw new FlowgateError('DEPLOY_NOT_FOUND', `the ledger has no deployment ${deploymentId}`, {
      hint: 'flowgate history lists the deployments.',
    });
  const now = o.now ?? Date.now;
  const wait = o.sleep ?? realSleep;
  // An event that cannot be recorded (the audit log is unwritable) stops the deployment before
  // its next publish: nothing is published without its record.
  let eventFailure: Error | undefined;
  /** Outcomes the events could not record (steps already in flight when the log failed). */
  const unrecorded: string[] = [];
  const emit = async (e: Omit<DeployEvent, 'deploymentId' | 'at'>): Promise<void> => {
    if (eventFailure === undefined)
      try {
        await o.onEvent?.({ deploymentId, at: new Date(now()).toISOString(), ...e });
        return;
      } catch (err) {
        eventFailure = err instanceof Error ? err : new Error(String(err));
      }
    if (e.step && (e.type === 'published' || e.type === 'failed' || e.type === 'rolled-back'))
      unrecorded.push(`${e.step.flowName} (${e.type})`);
  };
  const holder = {
    pid: process.pid,
    host: hostname(),
    since: new Date(now()).toISOString(),
    actor: deployment.actor,
  };
  const lock = await ledger.acquire(deploymentId, holder);
  let flowLocks: FlowLocks | undefined;
  try {
    // The flows this run may publish or roll back: no other deployment touches them until it ends.
    const scope = lockScope(await ledger.steps(deploymentId), o.onlyDue ? now() : undefined);
    try {
      flowLocks = await ledger.lockFlows(
        deployment.org,
        scope,
        { ...holder, deploymentId },
        {
          waitMs: o.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
          signal: o.signal,
          onWait: (held) =>
            emit({
              type: 'lock-wait',
              message: `waiting for ${held
                .map(
                  (h) =>
                    `${h.flowKey} (deployment ${h.holder.deploymentId} by ${h.holder.actor} on ${h.holder.host} since ${h.holder.since})`,
                )
                .join(', ')}`,
            }),
        },
      );
    } catch (e) {
      // A deployment that never started is recorded as cancelled, with the reason on each step.
      if (deployment.status === 'planned' && isFlowgateError(e) && e.code === 'LEDGER_LOCKED') {
        for (const s of await ledger.steps(deploymentId))
          if (!FINAL.has(s.state)) await ledger.transition(deploymentId, s.index, 'cancelled', {}, e.message);
        await ledger.setStatus(deploymentId, 'cancelled');
      }
      throw e;
    }
    const resumed = deployment.status === 'running' || deployment.status === 'interrupted';
    await ledger.setStatus(deploymentId, 'running');
    if (resumed) await emit({ type: 'resumed', message: `resuming deployment ${deploymentId}` });
    else if (deployment.status === 'planned')
      await emit({ type: 'planned', message: `deployment ${deploymentId} planned by ${deployment.actor}` });
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
    await replanAfterOthers(deploymentId, deployment.createdAt, flowLocks.waited, ledger, client);
    let steps = await ledger.steps(deploymentId);
    const info = (s: StepRecord) => ({
      index: s.index,
      flowName: s.flowName,
      flowType: s.flowType,
      flowId: s.flowId,
    });
    for (const s of steps)
      if (s.state === 'unchanged')
        await emit({ type: 'unchanged', step: info(s), message: `${s.flowName}: unchanged, skipped` });

    const byIndex = () => new Map(steps.map((s) => [s.index, s]));
    const running = new Map<number, Promise<void>>();
    // An atomic deployment that failed stops waiting for activation windows at once.
    const stopWaiting = new AbortController();
    const waitSignal = o.signal ? AbortSignal.any([o.signal, stopWaiting.signal]) : stopWaiting.signal;
    let failed = false;
    let interrupted = false;
    // The ledger cannot be written (its server is gone): nothing more starts, nothing more is recorded.
    let ledgerLost: Error | undefined;
    const held = flowLocks;
    const update = (s: StepRecord) => {
      steps = steps.map((x) => (x.index === s.index ? s : x));
    };

    const runOne = async (s: StepRecord): Promise<void> => {
      try {
        if (s.activateAt && Date.parse(s.activateAt) > now()) {
          if (s.state !== 'waiting')
            update(
              await ledger.transition(deploymentId, s.index, 'waiting', {}, `activation at ${s.activateAt}`),
            );
          await emit({
            type: 'waiting',
            activateAt: s.activateAt,
            step: info(s),
            message: `${s.flowName}: waiting until ${s.activateAt}`,
          });
          await wait(Date.parse(s.activateAt) - now(), waitSignal);
        }
        o.signal?.throwIfAborted();
        // The flow locks live as long as the ledger's session: a run that lost them stops here.
        await held.check();
        await emit({
          type: 'publishing',
          step: info(s),
          message: `${s.flowName}: publishing`,
          versionBefore: s.previousVersion,
        });
        if (eventFailure !== undefined) throw eventFailure;
        const done = await withCallContext(deploymentId, s.index, () =>
          s.kind === 'publish' ? publishExistingVersion(s, ctx) : importArchy(s, ctx),
        );
        update(done);
        await emit({
          type: 'published',
          result: 'succeeded',
          step: info(done),
          message: `${done.flowName}: published version ${done.publishedVersion ?? '?'}`,
          versionBefore: done.previousVersion,
          versionAfter: done.publishedVersion,
        });
      } catch (e) {
        if (isLedgerLoss(e) || ledgerLost !== undefined) {
          ledgerLost ??= e as Error;
          return;
        }
        if (stopWaiting.signal.aborted && !o.signal?.aborted) return; // cancelled below
        if (o.signal?.aborted || (isFlowgateError(e) && e.code === 'ABORTED')) {
          interrupted = true;
          // The step stays as the ledger has it (waiting or publishing): resume checks the org.
          await ledger.note(
            deploymentId,
            s.index,
            {},
            'interrupted: the outcome is checked when the run resumes',
          );
          await emit({ type: 'interrupted', step: info(s), message: `${s.flowName}: interrupted` });
          return;
        }
        failed = true;
        const message = describeFailure(e);
        try {
          update(await ledger.transition(deploymentId, s.index, 'failed', { error: message }, 'failed'));
        } catch (err) {
          if (!isLedgerLoss(err)) throw err;
          ledgerLost ??= err as Error;
          return;
        }
        await emit({ type: 'failed', result: 'failed', step: info(s), message: `${s.flowName}: ${message}` });
        if (deployment.atomic) stopWaiting.abort();
      }
    };

    for (;;) {
      const map = byIndex();
      const stopStarting =
        (failed && deployment.atomic) || eventFailure !== undefined || ledgerLost !== undefined;
      if (!interrupted && !o.signal?.aborted && !stopStarting) {
        for (const s of steps) {
          if (running.size >= (o.concurrency ?? 4)) break;
          if (running.has(s.index) || FINAL.has(s.state)) continue;
          if (o.onlyDue && s.activateAt && Date.parse(s.activateAt) > now()) continue;
          const deps = s.dependsOn.map((d) => map.get(d)!);
          if (deps.some((d) => d.state === 'failed' || d.state === 'cancelled')) {
            try {
              update(
                await ledger.transition(
                  deploymentId,
                  s.index,
                  'cancelled',
                  {},
                  'a flow it depends on failed',
                ),
              );
            } catch (e) {
              if (!isLedgerLoss(e)) throw e;
              ledgerLost ??= e as Error;
              break;
            }
            await emit({
              type: 'cancelled',
              step: info(s),
              message: `${s.flowName}: not published, a flow it depends on failed`,
            });
            continue;
          }
          if (!deps.every((d) => DONE.has(d.state))) continue;
          running.set(
            s.index,
            runOne(s)
              .catch((e: unknown) => {
                if (!isLedgerLoss(e)) throw e;
                ledgerLost ??= e as Error;
              })
              .finally(() => running.delete(s.index)),
          );
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    if (ledgerLost !== undefined) {
      await emit({
        type: 'completed',
        message: `deployment ${deploymentId}: stopped, the ledger is unreachable`,
        result: 'interrupted',
      });
      throw ledgerLostError(deploymentId, ledgerLost, steps);
    }

    let status: DeploymentStatus;
    if (interrupted || o.signal?.aborted) status = 'interrupted';
    else if (eventFailure !== undefined) status = 'failed';
    else if (failed && deployment.atomic) status = await rollBack(deploymentId, steps, ctx, emit, update);
    else if (failed) status = steps.some((s) => s.state === 'published') ? 'partial' : 'failed';
    else if (steps.some((s) => !FINAL.has(s.state))) status = o.onlyDue ? 'scheduled' : 'failed';
    else status = 'succeeded';
    if (status === 'rolled-back' || status === 'failed' || status === 'partial')
      for (const s of steps.filter(
        (x) => x.state === 'planned' || x.state === 'scheduled' || x.state === 'waiting',
      )) {
        update(
          await ledger.transition(deploymentId, s.index, 'cancelled', {}, 'the deployment stopped before it'),
        );
      }
    await ledger.setStatus(deploymentId, status);
    steps = await ledger.steps(deploymentId);
    await emit({ type: 'completed', message: `deployment ${deploymentId}: ${status}`, result: status });
    // The ledger holds the truth; the caller hears why the run stopped.
    if (eventFailure !== undefined) throw withUnrecorded(eventFailure, unrecorded);
    return { deploymentId, status, steps };
  } finally {
    // After a lost connection the server has already let these go.
    await flowLocks?.release().catch(() => undefined);
    await lock.release().catch(() => undefined);
  }
}

async function rollBack(
  deploymentId: string,
  steps: StepRecord[],
  ctx: StepContext,
  emit: (e: Omit<DeployEvent, 'deploymentId' | 'at'>) => Promise<void>,
  update: (s: StepRecord) => void,
): Promise<DeploymentStatus> {
  // Also a failed step whose import did change the org (a flow created under another name, a
  // version published that failed its check): the ledger noted the flow before the check.
  const published = steps.filter((s) => s.state === 'published' || changedOrg(s)).reverse();
  let ok = true;
  for (const s of published) {
    const info = { index: s.index, flowName: s.flowName, flowType: s.flowType, flowId: s.flowId };
    await emit({ type: 'rolling-back', step: info, message: `${s.flowName}: rolling back` });
    try {
      const done = await withCallContext(deploymentId, s.index, () => rollBackStep(s, ctx));
      update(done.step);
      await emit({
        type: 'rolled-back',
        result: 'rolled-back',
        step: info,
        message: done.message,
        versionBefore: s.publishedVersion,
        // What the org publishes now: the previous version, or a new one holding its content.
        versionAfter: done.versionAfter,
      });
    } catch (e) {
      ok = false;
      await ctx.ledger.note(
        deploymentId,
        s.index,
        { error: `rollback failed: ${describeFailure(e)}` },
        'rollback failed',
      );
      await emit({
        type: 'failed',
        step: info,
        message: `${s.flowName}: rollback failed: ${describeFailure(e)}`,
      });
    }
  }
  return ok ? 'rolled-back' : 'failed';
}

/** A failed step that nevertheless left a flow it created or a version it published. */
function changedOrg(s: StepRecord): boolean {
  return (
    s.state === 'failed' &&
    s.flowId !== undefined &&
    (s.createdFlow || (s.publishedVersion !== undefined && s.publishedVersion !== s.previousVersion))
  );
}

/**
 * The events' failure, naming the outcomes it could not record: the ledger has them, and the
 * audit log has each one's `step.publishing` (written before its publish), so nothing is lost
 * silently; `flowgate audit reconcile` shows them against the platform's own records.
 */
function withUnrecorded(failure: Error, unrecorded: string[]): Error {
  if (unrecorded.length === 0 || !isFlowgateError(failure)) return failure;
  return new FlowgateError(
    failure.code,
    `${failure.message}; outcomes not in the audit log (the ledger has them): ${unrecorded.join(', ')}`,
    { ...(failure.hint ? { hint: failure.hint } : {}), cause: failure, details: { unrecorded } },
  );
}

/** The platform's own words and what to do next, in one line. */
export function describeFailure(e: unknown): string {
  if (isFlowgateError(e)) {
    const details = e.details as { errorCode?: string } | undefined;
    const code = details?.errorCode ? `${details.errorCode}: ` : '';
    return `${code}${e.message}${e.hint ? ` (next: ${e.hint})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}
