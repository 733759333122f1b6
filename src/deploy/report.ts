/** What a deployment did, from the ledger: each step's outcome, its API calls, attempts and latency. */
import type { CallRow, DeploymentRecord, Ledger, StepEvent, StepRecord } from '../ledger/types.js';

/** One step of a report. */
export interface StepReport extends Omit<StepRecord, 'content' | 'source'> {
  calls: number;
  /** HTTP attempts over all its calls (retries included). */
  attempts: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/** A deployment's report. */
export interface DeploymentReport {
  deployment: DeploymentRecord;
  steps: StepReport[];
  events: StepEvent[];
  totals: {
    calls: number;
    attempts: number;
    rateLimited: number;
    latencyP50Ms: number | null;
    latencyP95Ms: number | null;
  };
}

/** The q-quantile (nearest rank) of numbers, or null for none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Builds the report of a deployment. */
export async function deploymentReport(
  ledger: Ledger,
  deploymentId: string,
): Promise<DeploymentReport | undefined> {
  const deployment = await ledger.getDeployment(deploymentId);
  if (!deployment) return undefined;
  const [steps, calls, events] = await Promise.all([
    ledger.steps(deploymentId),
    ledger.calls(deploymentId),
    ledger.events(deploymentId),
  ]);
  const byStep = new Map<number, CallRow[]>();
  for (const c of calls) if (c.index !== undefined) byStep.set(c.index, [...(byStep.get(c.index) ?? []), c]);
  const summary = (list: CallRow[]) => ({
    calls: list.length,
    attempts: list.reduce((n, c) => n + c.attempts, 0),
    latencyP50Ms: quantile(
      list.map((c) => c.latencyMs),
      0.5,
    ),
    latencyP95Ms: quantile(
      list.map((c) => c.latencyMs),
      0.95,
    ),
  });
  return {
    deployment,
    steps: steps.map(({ content: _content, source: _source, ...s }) => ({
      ...s,
      ...summary(byStep.get(s.index) ?? []),
    })),
    events,
    totals: { ...summary(calls), rateLimited: calls.filter((c) => c.status === 429).length },
  };
}
