/** `flowgate plan` and `flowgate deploy`. */
import { FlowgateError, isFlowgateError } from '../../errors.js';
import type { DeploymentPlan } from '../../deploy/types.js';
import type { RunOutcome } from '../../deploy/executor.js';
import type { StepRecord } from '../../ledger/types.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openDeploySession, type DeploySession } from '../deploy-session.js';
import { formatPlanJson, formatPlanMarkdown, formatPlanPretty } from '../output/format-plan.js';
import { terminalSafe as safe } from '../output/encode.js';
import { plural } from '../../shared/plural.js';
import { cliEvents, type CliEvents } from '../event-hub.js';
import { healthWindowFlag, lockWaitMs } from '../lock-wait.js';
import { gatesMet } from '../../deploy/gates.js';
import { testsRefuse } from '../../deploy/test-requirement.js';
import type { DeployInputFlags, LockFlags } from '../options.js';
import { interruptOnSigint } from '../interrupt.js';
import { finish } from './finish.js';

/** `flowgate plan`'s options. */
export interface PlanOptions extends DeployInputFlags {
  format?: 'pretty' | 'json' | 'markdown' | undefined;
  json: boolean;
}

/** `flowgate plan`: what deploy would do; exit 0 when it can be applied, 3 when deploy would not (blocked, a gate, tests). */
export async function runPlan(opts: PlanOptions, io: CliIo): Promise<number> {
  const session = await openDeploySession(io, opts);
  try {
    const plan = await planFor(session, opts);
    // deploy.requireTests: the run deploy makes before it plans, so the plan says what deploy will.
    const tests = await (await import('./test-run.js')).requiredTests(opts.manifest, opts.env);
    if (tests) plan.tests = tests;
    printPlan(plan, opts, io);
    // An unmet gate of the environment (`requires:`), or a failing scenario, means deploy would
    // refuse it, as a block does.
    return plan.blocked || !gatesMet(plan) || testsRefuse(plan) ? ExitCode.Invalid : ExitCode.Ok;
  } finally {
    await session.close();
  }
}

/** The plan of the session's manifest. */
async function planFor(session: DeploySession, opts: PlanOptions): Promise<DeploymentPlan> {
  const { planDeployment } = await import('../../deploy/plan.js');
  return planDeployment(session.deployment, {
    client: session.client,
    ledger: session.ledger,
    loaded: session.loaded,
    forceUnlock: opts.forceUnlock,
    overwriteDrift: opts.overwriteDrift,
  });
}

function printPlan(plan: DeploymentPlan, opts: PlanOptions, io: CliIo): void {
  const format = opts.json ? 'json' : (opts.format ?? 'pretty');
  if (format === 'json') io.out(formatPlanJson(plan));
  else if (format === 'markdown') io.out(formatPlanMarkdown(plan));
  else io.out(formatPlanPretty(plan, io.colors));
}

/** `flowgate deploy`'s options. */
export interface DeployOptions extends PlanOptions, LockFlags {
  dryRun: boolean;
  resume: boolean;
  /** False with `--no-atomic`; true otherwise (the manifest may still say false). */
  atomic: boolean;
  concurrency?: number | undefined;
  scheduleOnly: boolean;
  healthWindow?: string | undefined;
}

/** Runs one recorded deployment of the session (`onlyDue`: leave what is not yet due). */
type Runner = (id: string, onlyDue?: boolean) => Promise<RunOutcome>;

/** `flowgate deploy`: resume what a killed run left, plan, record, run; the report at the end. */
export async function runDeploy(opts: DeployOptions, io: CliIo): Promise<number> {
  if (opts.dryRun) return runPlan(opts, io);
  const healthWindow = healthWindowFlag(opts.healthWindow);
  await (await import('./test-run.js')).requirePassingTests(opts.manifest, opts.env);
  const session = await openDeploySession(io, opts);
  const interrupt = interruptOnSigint(io, 'deploy --resume continues');
  let events: CliEvents | undefined;
  try {
    events = cliEvents(io, session.ledger, session.deployment.manifest?.events, !opts.json);
    const run = await runner(session, opts, events, interrupt.signal);
    // A run that was killed comes first: nothing it may have published is published again. With
    // --schedule-only it is finished as a schedule (what is due now, the rest left for
    // run-scheduled), never waited for, and its steps are not scheduled a second time.
    const last = await resumeUnfinished(session, run, io, opts.scheduleOnly);
    if (last?.status === 'interrupted') return await finish(last, session.ledger, io, opts.json);
    if (opts.resume) {
      if (!last) io.err('nothing to resume\n');
      return last ? await finish(last, session.ledger, io, opts.json) : ExitCode.Ok;
    }
    return await deployNew(session, opts, run, io, interrupt.signal, async (outcome) => {
      const health = session.deployment.manifest?.health;
      const window = healthWindow ?? health?.window;
      if (outcome.status !== 'succeeded' || window === undefined) return undefined;
      return watchHealth(outcome.deploymentId, window, health, session, events!, io, interrupt.signal);
    });
  } finally {
    interrupt.dispose();
    await events?.close();
    await session.close();
  }
}

/** The session's runner of deployments, with the command's and the manifest's settings. */
async function runner(
  session: DeploySession,
  opts: DeployOptions,
  events: CliEvents,
  signal: AbortSignal,
): Promise<Runner> {
  const { runDeployment } = await import('../../deploy/executor.js');
  const deploy = session.deployment.manifest?.deploy;
  const lockWait = lockWaitMs(opts, deploy?.lockTimeout);
  return (id, onlyDue = false) =>
    runDeployment(id, {
      client: session.client,
      ledger: session.ledger,
      concurrency: opts.concurrency ?? deploy?.concurrency ?? 4,
      forceUnlock: opts.forceUnlock,
      signal,
      onlyDue,
      onEvent: events.onEvent,
      lockWaitMs: lockWait,
    });
}

/** The deployments of this manifest and org a killed or interrupted run left. */
async function unfinishedOf(session: DeploySession): Promise<string[]> {
  const { unfinishedDeployments } = await import('../../deploy/schedules.js');
  return unfinishedDeployments(session.ledger, {
    manifest: session.deployment.manifest?.path,
    org: session.client.endpoints.apiBaseUrl,
  });
}

/**
 * Finishes the deployments a killed run of this manifest left; the last outcome, if any ran.
 * `asSchedule` (`--schedule-only`): publishes what is due and leaves the rest scheduled.
 */
async function resumeUnfinished(
  session: DeploySession,
  run: Runner,
  io: CliIo,
  asSchedule: boolean,
): Promise<RunOutcome | undefined> {
  let last: RunOutcome | undefined;
  for (const id of await unfinishedOf(session)) {
    const how = asSchedule ? ' as a schedule (what is due now, the rest for run-scheduled)' : '';
    io.err(`resuming deployment ${id} left unfinished by an earlier run${how}\n`);
    try {
      last = await run(id, asSchedule);
    } catch (e) {
      // With a shared ledger another runner may be finishing it right now: that is its job.
      if (!(isFlowgateError(e) && e.code === 'LEDGER_BUSY')) throw e;
      io.err(`  skipped: ${safe(e.message)}\n`);
      continue;
    }
    if (last.status === 'interrupted') return last;
    if (asSchedule) io.err(scheduleOnlyLine(last));
  }
  return last;
}

/** Plans, records and runs a new deployment; `after` may watch it (the health gate). */
async function deployNew(
  session: DeploySession,
  opts: DeployOptions,
  run: Runner,
  io: CliIo,
  signal: AbortSignal,
  after: (outcome: RunOutcome) => Promise<number | undefined>,
): Promise<number> {
  const { createDeployment } = await import('../../deploy/executor.js');
  const plan = await planFor(session, opts);
  if (plan.blocked) {
    printPlan(plan, opts, io);
    throw new FlowgateError('DEPLOY_BLOCKED', 'the plan has blocked steps; nothing was published', {
      hint: blockedHint(plan),
    });
  }
  if (!opts.json) io.err(formatPlanPretty(plan, io.errColors));
  const atomic = opts.atomic && (session.deployment.manifest?.deploy.atomic ?? true);
  const id = await createDeployment(plan, session.ledger, {
    atomic,
    scheduleOnly: opts.scheduleOnly,
    signal,
  });
  if (opts.scheduleOnly) {
    // Steps due now run now; the rest wait for `flowgate run-scheduled`.
    const outcome = await run(id, true);
    if (!opts.json) io.err(alreadyScheduledLine(plan) + scheduleOnlyLine(outcome, plan));
    return await finish(outcome, session.ledger, io, opts.json);
  }
  const outcome = await run(id);
  const code = await finish(outcome, session.ledger, io, opts.json);
  return (await after(outcome)) ?? code;
}

/**
 * What `--schedule-only` did, as it happened: steps left for their activation times, steps
 * published at once (a time already past), or nothing to do (every step unchanged). Saying
 * "scheduled" of a deployment that already succeeded sent people to `schedule list` for nothing.
 */
function scheduleOnlyLine(outcome: RunOutcome, plan?: DeploymentPlan): string {
  const count = (state: StepRecord['state']) => outcome.steps.filter((s) => s.state === state).length;
  const waiting = count('scheduled') + count('waiting') + count('planned');
  const publishedSteps = outcome.steps.filter((s) => s.state === 'published');
  const published = publishedSteps.length;
  const id = outcome.deploymentId;
  // A step without an activation time is published at once, as a plain deploy would; one whose
  // time had passed is too. Say which, so a flow without `activateAt` is not said to be late.
  const late = publishedSteps.filter((s) => s.activateAt !== undefined).length;
  const why =
    late === published
      ? 'activation time passed'
      : late === 0
        ? 'no activation time'
        : `${late} with an activation time passed`;
  const now = published ? `published now (${why}): ${plural(published, 'flow')}; ` : '';
  if (outcome.status === 'scheduled')
    return `${now}scheduled: ${plural(waiting, 'flow')}; flowgate run-scheduled publishes ${waiting === 1 ? 'it' : 'them'} when due (deployment ${id})\n`;
  if (outcome.status !== 'succeeded') return '';
  if (published) return `${now}nothing left to schedule (deployment ${id})\n`;
  if (plan?.steps.some((s) => s.alreadyScheduled))
    return `nothing new to schedule: every other flow is unchanged (deployment ${id})\n`;
  return `nothing to schedule: every flow is unchanged (deployment ${id})\n`;
}

/** The flows another deployment already schedules, each with that deployment: not recorded again. */
function alreadyScheduledLine(plan: DeploymentPlan): string {
  return plan.steps
    .filter((s) => s.alreadyScheduled)
    .map(
      (s) =>
        `already scheduled: ${safe(s.flowName)} by deployment ${s.alreadyScheduled!.deploymentId} (${s.alreadyScheduled!.status}${s.alreadyScheduled!.activateAt ? `, activation at ${safe(s.alreadyScheduled!.activateAt)}` : ''}); not scheduled again\n`,
    )
    .join('');
}

/** What to do about what blocked the plan, for the kinds of block it has (and only those). */
function blockedHint(plan: DeploymentPlan): string {
  const kinds = new Set(plan.steps.flatMap((s) => s.blocked.map((b) => b.kind)));
  const todo: string[] = [];
  if (kinds.has('file'))
    todo.push("fix the flow's path in the manifest (relative to its folder), or add the file");
  if (kinds.has('validation'))
    todo.push('fix the validation errors (flowgate validate shows each with its line)');
  if (kinds.has('policy')) todo.push('meet the policy, or change it');
  if (kinds.has('locked')) todo.push('--force-unlock takes over a lock held by someone else (and says who)');
  if (kinds.has('drift'))
    todo.push("the flow changed outside the pipeline: check it, then update the manifest's expectCheckedIn");
  if (kinds.has('not-found')) todo.push("check the flow's id, or its name and type, against the org");
  if (kinds.has('scheduled'))
    todo.push(
      'a flow is already scheduled with another change: flowgate schedule list shows it, flowgate schedule cancel <deployment> cancels it (an interrupted one: flowgate deploy --schedule-only finishes it as a schedule first)',
    );
  if (kinds.has('unfinished'))
    todo.push(
      'finish the unfinished deployment the plan names first (flowgate rollback --resume for a rollback)',
    );
  return `See the plan above: ${todo.join('; ') || 'each blocked step says why'}.`;
}

/** Runs the health gate after a deployment: exit 1 when a flow was degraded (and rolled back). */
export async function watchHealth(
  deploymentId: string,
  window: string,
  health: NonNullable<DeploySession['deployment']['manifest']>['health'],
  session: DeploySession,
  events: CliEvents,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const [{ runHealthGate, healthGateOptions }, { DEFAULT_SIGNALS, signalSummary }, { newEvent }] =
    await Promise.all([
      import('../../deploy/health-gate.js'),
      import('../../adoption/signals.js'),
      import('../../events/model.js'),
    ]);
  const gate = healthGateOptions(health, window);
  io.err(
    `health gate: watching for ${window} (${gate.looks ?? 3} looks; ${signalSummary(gate.signals ?? DEFAULT_SIGNALS)})\n`,
  );
  const deployment = await session.ledger.getDeployment(deploymentId);
  const results = await runHealthGate(deploymentId, gate, {
    client: session.client,
    ledger: session.ledger,
    signal,
    onEvent: events.onEvent,
    onVerdict: async ({ step, verdict, look }) => {
      io.err(`health ${safe(step.flowName)} (look ${look}): ${verdict.verdict}: ${safe(verdict.reason)}\n`);
      await events.hub.emit(
        newEvent({
          type: 'health.verdict',
          time: new Date().toISOString(),
          deploymentId,
          actor: deployment?.actor ?? '',
          org: deployment?.org ?? '',
          flow: { id: step.flowId, name: step.flowName, type: step.flowType },
          versionBefore: step.previousVersion,
          versionAfter: step.publishedVersion,
          result: verdict.verdict,
          message: `${step.flowName}: ${verdict.verdict}: ${verdict.reason}`,
        }),
      );
    },
  });
  const degraded = results.filter((r) => r.verdict.verdict === 'degraded');
  for (const r of degraded)
    io.err(
      `health gate: ${safe(r.step.flowName)} rolled back to ${safe(r.step.previousVersion ?? '?')} (${r.rolledBack?.status ?? 'not rolled back'})\n`,
    );
  return degraded.length > 0 ? ExitCode.Failure : ExitCode.Ok;
}
