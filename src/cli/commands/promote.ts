/**
 * `flowgate promote --from test --to prod`: plans in `--to` exactly the artifacts that passed in
 * `--from` (the library's `promotionPlan`: the content the ledger recorded, substituted with the
 * target's values), prints the plan with its gates and semantic diff, then deploys it through the
 * same executor, ledger and events as `deploy` (and its health gate, when the manifest has one).
 */
import { ConfigError, FlowgateError } from '../../errors.js';
import { gatesMet } from '../../deploy/gates.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openDeploySession } from '../deploy-session.js';
import { cliEvents } from '../event-hub.js';
import { lockWaitMs } from '../lock-wait.js';
import { formatPlanJson, formatPlanPretty } from '../output/format-plan.js';
import type { DeployInputFlags, LockFlags } from '../options.js';
import { watchHealth } from './deploy.js';
import { finish } from './finish.js';

/** `flowgate promote`'s options (`--env` is the same as `--to`). */
export interface PromoteOptions extends DeployInputFlags, LockFlags {
  from?: string | undefined;
  to?: string | undefined;
  dryRun: boolean;
  json: boolean;
}

/** Plans the promotion, then (without `--dry-run`) deploys it; exit codes as `deploy`'s. */
export async function runPromote(opts: PromoteOptions, io: CliIo): Promise<number> {
  const to = opts.to ?? opts.env;
  if (to === undefined)
    throw new ConfigError('USAGE_PROMOTE', 'promote needs the environment to promote to', {
      hint: 'flowgate promote --from test --to prod (--env prod is the same as --to prod).',
    });
  const session = await openDeploySession(io, { ...opts, env: to });
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.on('SIGINT', onSigint);
  try {
    const [{ promotionPlan }, { createDeployment, runDeployment }] = await Promise.all([
      import('../../deploy/promotion.js'),
      import('../../deploy/executor.js'),
    ]);
    const from = sourceEnvironment(opts, session.deployment.manifest?.requires?.passed, to);
    const plan = await promotionPlan(session.deployment, {
      from,
      client: session.client,
      ledger: session.ledger,
      forceUnlock: opts.forceUnlock,
    });
    const json = opts.json;
    if (opts.dryRun) {
      io.out(json ? formatPlanJson(plan) : formatPlanPretty(plan, io.colors));
      return plan.blocked || !gatesMet(plan) ? ExitCode.Invalid : ExitCode.Ok;
    }
    if (!json) io.err(formatPlanPretty(plan, io.errColors));
    if (plan.blocked)
      throw new FlowgateError(
        'DEPLOY_BLOCKED',
        'the promotion plan has blocked steps; nothing was published',
        {
          hint: 'See the plan above: each blocked step says why.',
        },
      );
    const manifest = session.deployment.manifest;
    // Refuses an unmet gate (GATE_UNMET) before anything is recorded.
    const id = await createDeployment(plan, session.ledger, { atomic: manifest?.deploy.atomic ?? true });
    const events = cliEvents(io, session.ledger, manifest?.events, !json);
    try {
      const outcome = await runDeployment(id, {
        client: session.client,
        ledger: session.ledger,
        concurrency: manifest?.deploy.concurrency ?? 4,
        forceUnlock: opts.forceUnlock,
        signal: abort.signal,
        onEvent: events.onEvent,
        lockWaitMs: lockWaitMs(opts, manifest?.deploy.lockTimeout),
      });
      const code = await finish(outcome, session.ledger, io, json);
      const window = manifest?.health?.window;
      if (outcome.status !== 'succeeded' || window === undefined) return code;
      return await watchHealth(id, window, manifest?.health, session, events, io, abort.signal);
    } finally {
      await events.close();
    }
  } finally {
    process.off('SIGINT', onSigint);
    await session.close();
  }
}

/** `--from`, or the one environment the target's `requires.passed` names. */
function sourceEnvironment(opts: PromoteOptions, passed: readonly string[] | undefined, to: string): string {
  if (opts.from !== undefined) return opts.from;
  if (passed?.length === 1) return passed[0]!;
  throw new ConfigError(
    'USAGE_PROMOTE',
    `promote to ${to} needs --from: its requires.passed names ${passed?.length ? passed.join(', ') : 'no environment'}`,
    {
      hint: `Name the environment to promote from: flowgate promote --from <env> --to ${to}.`,
    },
  );
}
