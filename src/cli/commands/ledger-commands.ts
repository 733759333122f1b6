/** `flowgate rollback`, `history`, `status`, `run-scheduled` and `schedule list|cancel`. */
import { FlowgateError, isFlowgateError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openLedgerSession, readLedger } from '../deploy-session.js';
import { formatReportJson, formatReportPretty } from '../output/format-report.js';
import { terminalSafe as safe } from '../output/encode.js';
import { stepVersion } from '../output/step-version.js';
import { tableLines } from '../output/table.js';
import { cliEvents } from '../event-hub.js';
import { finish } from './deploy.js';
import { lockWaitMs } from '../lock-wait.js';

/** `flowgate rollback <deployment | flow>`: publishes again the versions the ledger recorded as before. */
export async function runRollback(target: string, opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const session = await openLedgerSession(io, opts);
  try {
    const [{ rollbackPlan }, { createDeployment, runDeployment }] = await Promise.all([
      import('../../deploy/rollback-plan.js'),
      import('../../deploy/executor.js'),
    ]);
    const plan = await rollbackPlan(target, session.ledger, session.client);
    const id = await createDeployment(plan, session.ledger, { atomic: false });
    const json = opts.json === true;
    const events = cliEvents(io, session.ledger, undefined, !json);
    try {
      const outcome = await runDeployment(id, {
        client: session.client,
        ledger: session.ledger,
        forceUnlock: opts.forceUnlock === true,
        onEvent: events.onEvent,
        lockWaitMs: lockWaitMs(opts),
      });
      return await finish(outcome, session.ledger, io, json);
    } finally {
      await events.close();
    }
  } finally {
    await session.close();
  }
}

/** `flowgate history [flow]`: the ledger's steps, newest first. */
export async function runHistory(
  flow: string | undefined,
  opts: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const ledger = await readLedger(opts);
  try {
    const all = await ledger.history(undefined, Number(opts.limit ?? 50));
    const rows =
      flow === undefined
        ? all
        : all.filter((s) => s.flowKey === flow || s.flowName === flow || s.flowId === flow);
    if (opts.json === true) {
      io.out(
        `${JSON.stringify({ schemaVersion: 1, steps: rows.map(({ content: _c, source: _s, ...s }) => s) }, null, 2)}\n`,
      );
      return ExitCode.Ok;
    }
    if (rows.length === 0) {
      io.out(flow ? `no deployment of ${safe(flow)} in the ledger\n` : 'the ledger is empty\n');
      return ExitCode.Ok;
    }
    // The gates each deployment passed (`deploy/gates.ts`), read once per deployment.
    const gates = new Map<string, string>();
    for (const id of new Set(rows.map((s) => s.deploymentId))) {
      const met = (await ledger.getDeployment(id))?.gates?.filter((g) => g.met).map((g) => g.gate);
      gates.set(id, met?.length ? met.join(', ') : '—');
    }
    // Names and versions come from files and the org: `terminalSafe`. Columns fit their content.
    const table = tableLines(
      ['when', 'deployment', 'flow', 'outcome', 'artifact', 'gates', 'version'],
      rows.map((s) => [
        s.updatedAt.slice(0, 19).replace('T', ' '),
        safe(s.deploymentId),
        safe(`${s.flowName} [${s.flowType}]`),
        s.state,
        // The same change has the same artifact in every environment (`deploy/artifact.ts`).
        s.artifactHash ? `${s.artifactHash.slice(0, 12)}${s.health ? ` ${s.health}` : ''}` : '—',
        safe(gates.get(s.deploymentId) ?? '—'),
        safe(stepVersion(s)),
      ]),
    );
    io.out(`${table.join('\n')}\n`);
    return ExitCode.Ok;
  } finally {
    await ledger.close();
  }
}

/** `flowgate status <deployment>`: the report of one deployment. */
export async function runStatus(id: string, opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const { deploymentReport } = await import('../../deploy/report.js');
  const ledger = await readLedger(opts);
  try {
    const report = await deploymentReport(ledger, id);
    if (!report)
      throw new FlowgateError('DEPLOY_NOT_FOUND', `the ledger has no deployment ${id}`, {
        hint: 'flowgate history lists the deployments.',
      });
    io.out(opts.json === true ? formatReportJson(report) : formatReportPretty(report, io.colors));
    return ExitCode.Ok;
  } finally {
    await ledger.close();
  }
}

/** `flowgate run-scheduled`: publishes the scheduled steps that are due (run it from cron or a scheduled CI job). */
export async function runScheduled(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const session = await openLedgerSession(io, opts);
  try {
    const { runDeployment } = await import('../../deploy/executor.js');
    // A team ledger holds other orgs' deployments too: only this org's are run here.
    const org = session.client.endpoints.apiBaseUrl;
    const scheduled = (await session.ledger.listDeployments({ status: ['scheduled'], limit: 1000 })).filter(
      (d) => d.org === org,
    );
    let code: number = ExitCode.Ok;
    const json = opts.json === true;
    const now = Date.now();
    let ran = 0;
    const events = cliEvents(io, session.ledger, undefined, !json);
    for (const d of scheduled.reverse()) {
      const steps = await session.ledger.steps(d.id);
      const due = steps.some(
        (s) => s.state === 'scheduled' && (!s.activateAt || Date.parse(s.activateAt) <= now),
      );
      if (!due) continue;
      let outcome;
      try {
        outcome = await runDeployment(d.id, {
          client: session.client,
          ledger: session.ledger,
          onlyDue: true,
          onEvent: events.onEvent,
          lockWaitMs: lockWaitMs(opts),
        });
      } catch (e) {
        // Another runner of the team is publishing it now.
        if (!(isFlowgateError(e) && e.code === 'LEDGER_BUSY')) throw e;
        if (!json) io.err(`skipped ${d.id}: ${safe(e.message)}\n`);
        continue;
      }
      ran++;
      const c = await finish(outcome, session.ledger, io, json);
      if (c !== ExitCode.Ok) code = c;
    }
    await events.close();
    if (ran === 0 && !json)
      io.err(
        `nothing due (${scheduled.length} scheduled deployment${scheduled.length === 1 ? '' : 's'} waiting)\n`,
      );
    return code;
  } finally {
    await session.close();
  }
}

/** `flowgate schedule list` and `flowgate schedule cancel <deployment>`. */
export async function runSchedule(
  action: string,
  id: string | undefined,
  opts: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const ledger = await readLedger(opts);
  try {
    const scheduled = await ledger.listDeployments({ status: ['scheduled'], limit: 1000 });
    if (action === 'list') {
      const rows = [];
      for (const d of scheduled)
        for (const s of await ledger.steps(d.id))
          if (s.state === 'scheduled')
            rows.push({
              deployment: d.id,
              flow: s.flowName,
              type: s.flowType,
              activateAt: s.activateAt ?? null,
            });
      if (opts.json === true) io.out(`${JSON.stringify({ schemaVersion: 1, scheduled: rows }, null, 2)}\n`);
      else if (rows.length === 0) io.out('nothing scheduled\n');
      else
        for (const r of rows)
          io.out(`${safe(r.activateAt ?? 'now')}  ${r.deployment}  ${safe(`${r.flow} [${r.type}]`)}\n`);
      return ExitCode.Ok;
    }
    const d = scheduled.find((x) => x.id === id);
    if (!id || !d)
      throw new FlowgateError('DEPLOY_NOT_FOUND', `no scheduled deployment ${id ?? '(none given)'}`, {
        hint: 'flowgate schedule list shows what is scheduled.',
      });
    for (const s of await ledger.steps(d.id))
      if (s.state === 'scheduled')
        await ledger.transition(d.id, s.index, 'cancelled', {}, 'schedule cancelled');
    await ledger.setStatus(d.id, 'cancelled');
    io.out(`cancelled ${d.id}\n`);
    return ExitCode.Ok;
  } finally {
    await ledger.close();
  }
}
