/** `flowgate plan` and `flowgate deploy`. */
import { FlowgateError, isFlowgateError } from '../../errors.js';
import type { DeploymentPlan } from '../../deploy/types.js';
import type { RunOutcome } from '../../deploy/executor.js';
import type { Ledger } from '../../ledger/types.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openDeploySession, type DeploySession } from '../deploy-session.js';
import { formatPlanJson, formatPlanMarkdown, formatPlanPretty } from '../output/format-plan.js';
import { formatReportJson, formatReportPretty } from '../output/format-report.js';
import { terminalSafe as safe } from '../output/encode.js';
import { cliEvents } from '../event-hub.js';
import { healthWindowFlag, lockWaitMs } from '../lock-wait.js';
import { gatesMet } from '../../deploy/gates.js';

/** `flowgate plan`: what deploy would do; exit 0 when it can be applied, 3 when something is blocked. */
export async function runPlan(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const session = await openDeploySession(io, opts);
  try {
    const plan = await planFor(session, opts);
    printPlan(plan, opts, io);
    // An unmet gate of the environment (`requires:`) means deploy would refuse it, as a block does.
    return plan.blocked || !gatesMet(plan) ? ExitCode.Invalid : ExitCode.Ok;
  } finally {
    await session.close();
  }
}

/** The plan of the session's manifest. */
async function planFor(session: DeploySession, opts: Record<string, unknown>): Promise<DeploymentPlan> {
  const { planDeployment } = await import('../../deploy/plan.js');
  return planDeployment(session.deployment, {
    client: session.client,
    ledger: session.ledger,
    loaded: session.loaded,
    forceUnlock: opts.forceUnlock === true,
  });
}

function printPlan(plan: DeploymentPlan, opts: Record<string, unknown>, io: CliIo): void {
  const format = opts.json === true ? 'json' : ((opts.format as string | undefined) ?? 'pretty');
  if (format === 'json') io.out(formatPlanJson(plan));
  else if (format === 'markdown') io.out(formatPlanMarkdown(plan));
  else io.out(formatPlanPretty(plan, io.colors));
}

/** `flowgate deploy`: resume what a killed run left, plan, record, run; the report at the end. */
export async function runDeploy(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  if (opts.dryRun === true) return runPlan(opts, io);
  const healthWindow = healthWindowFlag(opts);
  await (
    await import('./test-run.js')
  ).requirePassingTests(opts.manifest as string | undefined, opts.env as string | undefined);
  const session = await openDeploySession(io, opts);
  const abort = new AbortController();
  const onSigint = () => {
    io.err(
      '\nstopping: no new steps start; in-flight steps are recorded as they are (deploy --resume continues)\n',
    );
    abort.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  let closeEvents: (() => Promise<unknown>) | undefined;
  try {
    const { createDeployment, runDeployment } = await import('../../deploy/executor.js');
    const json = opts.json === true;
    const events = cliEvents(io, session.ledger, session.deployment.manifest?.events, !json);
    const onEvent = events.onEvent;
    closeEvents = () => events.close();
    const run = (id: string, onlyDue = false): Promise<RunOutcome> =>
      runDeployment(id, {
        client: session.client,
        ledger: session.ledger,
        concurrency:
          (opts.concurrency as number | undefined) ?? session.deployment.manifest?.deploy.concurrency ?? 4,
        forceUnlock: opts.forceUnlock === true,
        signal: abort.signal,
        onlyDue,
        onEvent,
        lockWaitMs: lockWaitMs(opts, session.deployment.manifest?.deploy.lockTimeout),
      });
    // A run that was killed comes first: nothing it may have published is published again.
    const unfinished = await unfinishedDeployments(
      session.ledger,
      session.deployment.manifest?.path,
      session.client.endpoints.apiBaseUrl,
    );
    let last: RunOutcome | undefined;
    for (const id of unfinished) {
      io.err(`resuming deployment ${id} left unfinished by an earlier run\n`);
      try {
        last = await run(id);
      } catch (e) {
        // With a shared ledger another runner may be finishing it right now: that is its job.
        if (!(isFlowgateError(e) && e.code === 'LEDGER_BUSY')) throw e;
        io.err(`  skipped: ${safe(e.message)}\n`);
        continue;
      }
      if (last.status === 'interrupted') return await finish(last, session.ledger, io, json);
    }
    if (opts.resume === true) {
      if (!last) io.err('nothing to resume\n');
      return last ? await finish(last, session.ledger, io, json) : ExitCode.Ok;
    }
    const plan = await planFor(session, opts);
    if (plan.blocked) {
      printPlan(plan, opts, io);
      throw new FlowgateError('DEPLOY_BLOCKED', 'the plan has blocked steps; nothing was published', {
        hint: blockedHint(plan),
      });
    }
    if (!json) io.err(formatPlanPretty(plan, io.errColors));
    const atomic = opts.atomic === false ? false : (session.deployment.manifest?.deploy.atomic ?? true);
    const id = await createDeployment(plan, session.ledger, {
      atomic,
      scheduleOnly: opts.scheduleOnly === true,
    });
    if (opts.scheduleOnly === true) {
      // Steps due now run now; the rest wait for `flowgate run-scheduled`.
      const outcome = await run(id, true);
      if (!json) io.err(`scheduled: flowgate run-scheduled publishes the rest when due (deployment ${id})\n`);
      return await finish(outcome, session.ledger, io, json);
    }
    const outcome = await run(id);
    const code = await finish(outcome, session.ledger, io, json);
    const health = session.deployment.manifest?.health;
    const window = healthWindow ?? health?.window;
    if (outcome.status !== 'succeeded' || window === undefined) return code;
    return await watchHealth(outcome.deploymentId, window, health, session, events, io, abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
    await closeEvents?.();
    await session.close();
  }
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
  return `See the plan above: ${todo.join('; ') || 'each blocked step says why'}.`;
}

/** Runs the health gate after a deployment: exit 1 when a flow was degraded (and rolled back). */
export async function watchHealth(
  deploymentId: string,
  window: string,
  health: NonNullable<DeploySession['deployment']['manifest']>['health'],
  session: DeploySession,
  events: ReturnType<typeof cliEvents>,
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

/** Deployments of this manifest and org that a killed or interrupted run left behind. */
async function unfinishedDeployments(
  ledger: Ledger,
  manifest: string | undefined,
  org: string,
): Promise<string[]> {
  const list = await ledger.listDeployments({ status: ['running', 'interrupted'], limit: 20 });
  return list
    .filter((d) => d.manifest === manifest && d.org === org)
    .reverse()
    .map((d) => d.id);
}

/** Prints the report and returns the exit code of the outcome. */
export async function finish(outcome: RunOutcome, ledger: Ledger, io: CliIo, json: boolean): Promise<number> {
  const { deploymentReport } = await import('../../deploy/report.js');
  const report = (await deploymentReport(ledger, outcome.deploymentId))!;
  io.out(json ? formatReportJson(report) : formatReportPretty(report, io.colors));
  switch (outcome.status) {
    case 'succeeded':
    case 'scheduled':
      return ExitCode.Ok;
    case 'partial':
      return ExitCode.Partial;
    case 'interrupted':
      return ExitCode.Interrupted;
    default:
      return ExitCode.Failure;
  }
}
