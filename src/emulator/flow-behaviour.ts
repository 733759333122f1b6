/**
 * What a simulated execution of a flow version does besides running: how it ends (its
 * `exitReason`), whether it records an outcome, how long it stays. Outcomes exist only in flows
 * that define and set them (Architect's Initialize / Set Flow Outcome actions; the Archy keys
 * `initializeFlowOutcome` and `setFlowOutcome`, the Architect Scripting SDK's
 * `ArchActionInitializeFlowOutcome` / `ArchActionSetFlowOutcome`), so a version records outcomes
 * only when its configuration holds one of those actions: most IVR flows have none.
 */
import { EXIT_REASONS, type ExitReason } from '../exit-reasons.js';
import type { EmFlow, EmVersion, ExitMix } from './types.js';

/**
 * How executions end unless the flow or the version says otherwise: a tenth of callers hang up in
 * the flow, the flow's own Disconnect ends a few, errors one in a hundred; the rest leave normally.
 */
export const DEFAULT_EXIT_MIX: Readonly<Record<string, number>> = {
  DISCONNECT: 0.1,
  FLOW_DISCONNECT: 0.04,
  FLOW_ERROR_DISCONNECT: 0.01,
};

/** The largest {@link EmVersion.timeInFlowScale}: it bounds how long ago a still-running call began. */
export const MAX_TIME_SCALE = 4;

/** The usual way out of a flow of this type: a transfer for conversations, the flow's end otherwise. */
export function usualExit(flowType: string): ExitReason {
  return /CALL|CHAT|MESSAGE|EMAIL|CALLBACK/.test(flowType.toUpperCase()) ? 'TRANSFER' : 'FLOW_EXIT';
}

/** The exit mix of a version: the default, then the flow's, then the version's, reason by reason. */
export function exitMixOf(flow: EmFlow, version: EmVersion | undefined): Record<string, number> {
  const mix: Record<string, number> = { ...DEFAULT_EXIT_MIX };
  for (const layer of [flow.exitReasons, version?.exitReasons])
    for (const [reason, p] of Object.entries(layer ?? {})) if (p !== undefined) mix[reason] = p;
  return mix;
}

/** The sum of a mix's probabilities (at most 1 for a valid mix). */
export function mixTotal(mix: ExitMix): number {
  return Object.values(mix).reduce<number>((n, p) => n + (p ?? 0), 0);
}

/** The exit reason of a uniform draw `u` in [0, 1): reasons in their documented order, then the usual exit. */
export function exitReasonOf(mix: Readonly<Record<string, number>>, u: number, flowType: string): ExitReason {
  let acc = 0;
  for (const reason of EXIT_REASONS) {
    acc += mix[reason] ?? 0;
    if (u < acc) return reason;
  }
  return usualExit(flowType);
}

const OUTCOME_ACTION = /(?:^|[\s{[,-])["']?(?:initializeFlowOutcome|setFlowOutcome)["']?\s*:/m;
const outcomeMemo = new WeakMap<EmVersion, boolean>();

/**
 * True when the version's configuration sets flow outcomes: its Archy YAML (or the JSON of an opaque
 * configuration) has an `initializeFlowOutcome` or `setFlowOutcome` key. Decided once per version
 * (a version's configuration never changes).
 */
export function setsOutcomes(version: EmVersion | undefined): boolean {
  if (!version) return false;
  let known = outcomeMemo.get(version);
  if (known === undefined) {
    const c = version.configuration;
    const text = typeof c === 'string' ? c : (JSON.stringify(c) ?? '');
    known = OUTCOME_ACTION.test(text);
    outcomeMemo.set(version, known);
  }
  return known;
}
