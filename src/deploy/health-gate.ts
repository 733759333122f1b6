/**
 * The health gate: after a deployment published, watch each flow that had a previous version for
 * a window; at each of `looks` evenly spaced looks, compare the new version's health signals
 * (disconnects, exit reasons, outcomes where the flow has them, time in flow when chosen) with the
 * previous version's (the rules of `adoption/signals.ts`, Bonferroni-corrected for the signals and
 * the looks). A
 * degraded verdict rolls the flow back (when enabled) through a rollback deployment, so the
 * rollback is recorded, resumable and reported like any deployment. Every verdict goes to the
 * ledger (a note on the step) and to the events (`health.verdict`).
 */
import { durationMs } from '../adoption/query.js';
import { adoptionReport } from '../adoption/report.js';
import {
  DEFAULT_SIGNALS,
  resolveSignals,
  type HealthVerdict,
  type SignalChoice,
  type SignalSettings,
} from '../adoption/signals.js';
import type { ManifestHealth } from '../config/health-schema.js';
import { DEFAULT_RULE, type GateRule } from '../adoption/stats.js';
import type { Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { sleep as realSleep, type Sleep } from '../shared/time.js';
import { createDeployment, runDeployment, type RunOptions, type RunOutcome } from './executor.js';
import { rollbackPlan } from './rollback-plan.js';

/** Settings of the gate. */
export interface HealthGateOptions {
  /** How long to watch after the deployment, in ms. */
  windowMs: number;
  /** Looks during the window. @default 3 */
  looks?: number;
  /** Roll a degraded flow back. @default true */
  rollback?: boolean;
  /** Confidence and minimum executions (the margins are the signals'). */
  rule?: Partial<Omit<GateRule, 'looks' | 'margin'>>;
  /** The signals watched and their margins. @default DEFAULT_SIGNALS */
  signals?: SignalSettings;
  /** Granularity of the queries. @default PT5M */
  granularity?: string;
}

/** The statistical rule of a manifest's `health:` section, shared by the gate and `flowgate adoption`. */
export interface HealthRule {
  /** Confidence and minimum executions (the margins are the signals'). */
  rule: Partial<Omit<GateRule, 'looks' | 'margin'>>;
  /** The signals watched and their margins. */
  signals: SignalSettings;
  granularity?: string;
}

/**
 * The rule of a manifest's `health:` section: each signal as chosen, `margin` for the rate signals
 * that set none; the defaults where the section (or the manifest) has none.
 */
export function healthRule(health: ManifestHealth | undefined): HealthRule {
  const given = health?.signals ?? {};
  // `on: false` turns a signal off; an object without `on` chooses it with its settings.
  const choice: SignalChoice = {};
  for (const name of ['disconnects', 'exits', 'outcomes'] as const) {
    const g = given[name];
    if (g === undefined) continue;
    const { on, ...settings } = g;
    choice[name] = on === false ? false : settings;
  }
  if (given.timeInFlow !== undefined) {
    const { on, marginSeconds } = given.timeInFlow;
    choice.timeInFlow =
      on === false ? false : marginSeconds === undefined ? true : { marginMs: marginSeconds * 1000 };
  }
  return {
    rule: {
      ...(health?.confidence !== undefined ? { confidence: health.confidence } : {}),
      ...(health?.minExecutions !== undefined ? { minExecutions: health.minExecutions } : {}),
    },
    signals: resolveSignals(choice, health?.margin),
    ...(health?.granularity ? { granularity: health.granularity } : {}),
  };
}

/**
 * The gate's settings from a manifest's `health:` section (`window` overrides its window, as
 * `deploy --health-window` does), with the rule of {@link healthRule}.
 */
export function healthGateOptions(health: ManifestHealth | undefined, window?: string): HealthGateOptions {
  const w = window ?? health?.window;
  if (w === undefined) throw new RangeError('the health gate needs a window');
  return {
    windowMs: durationMs(w),
    ...(health?.looks !== undefined ? { looks: health.looks } : {}),
    rollback: health?.rollback ?? true,
    ...healthRule(health),
  };
}

/** The gate's finding for one flow. */
export interface HealthResult {
  step: StepRecord;
  verdict: HealthVerdict;
  rolledBack?: RunOutcome | undefined;
}

/** Watches the published flows of a deployment and rolls back what is degraded. */
export async function runHealthGate(
  deploymentId: string,
  gate: HealthGateOptions,
  o: Pick<RunOptions, 'client' | 'ledger' | 'now' | 'signal' | 'onEvent' | 'poll'> & {
    sleep?: Sleep;
    onVerdict?: (r: { step: StepRecord; verdict: HealthVerdict; look: number }) => void | Promise<void>;
  },
): Promise<HealthResult[]> {
  const wait = o.sleep ?? realSleep;
  const looks = Math.max(1, gate.looks ?? 3);
  const rule: GateRule = { ...DEFAULT_RULE, ...gate.rule, looks };
  const watched = (await o.ledger.steps(deploymentId)).filter(
    (s) => s.state === 'published' && s.previousVersion && s.flowId,
  );
  const results = new Map<number, HealthResult>();
  for (let look = 1; look <= looks && results.size < watched.length; look++) {
    await wait(gate.windowMs / looks, o.signal);
    for (const step of watched) {
      if (results.has(step.index)) continue;
      const report = await adoptionReport(o.client, step.flowId!, {
        version: step.publishedVersion!,
        granularity: gate.granularity ?? 'PT5M',
        rule,
        signals: gate.signals ?? DEFAULT_SIGNALS,
        // Without a clock of its own, the report takes "now" from the platform's answers.
        ...(o.now ? { now: o.now } : {}),
      });
      const verdict = report.verdict;
      // A degraded verdict is final; healthy and insufficient are looked at again until the last look.
      const final = verdict.verdict === 'degraded' || look === looks;
      await o.ledger.note(
        deploymentId,
        step.index,
        // The final verdict is what an environment's `healthy: true` gate reads (`gates.ts`).
        final ? { health: verdict.verdict } : {},
        `health (look ${look} of ${looks}): ${verdict.verdict}: ${verdict.reason}`,
      );
      await o.onVerdict?.({ step, verdict, look });
      if (final) results.set(step.index, { step, verdict });
    }
  }
  if (gate.rollback !== false)
    for (const r of results.values()) {
      if (r.verdict.verdict !== 'degraded') continue;
      r.rolledBack = await rollBackFlow(r.step, o.client, o.ledger, o);
    }
  return [...results.values()];
}

async function rollBackFlow(
  step: StepRecord,
  client: PlatformClient,
  ledger: Ledger,
  o: Pick<RunOptions, 'now' | 'signal' | 'onEvent' | 'poll'>,
): Promise<RunOutcome> {
  // The flow's newest published step is this one: its previous version is the target.
  const plan = await rollbackPlan(step.flowId!, ledger, client);
  const id = await createDeployment(plan, ledger, { atomic: false });
  return runDeployment(id, { client, ledger, ...o });
}
