/**
 * A prune's delete that the platform refuses as in use (409 `architect.dependency.object.in.use`)
 * although the plan found no consumer: dependency tracking is built asynchronously, so a consumer
 * deleted a moment before (prune deletes consumers first) still counts for a while. The delete is
 * tried again for a bounded time, as the Terraform provider does (docs/prune.md, "In use").
 */
import { ApiError } from '../platform/errors.js';

/**
 * How long a refused delete is tried again: the Terraform provider's 30 s (`deleteFlow` in
 * `genesyscloud/architect_flow/resource_genesyscloud_flow.go`, `util.WithRetries(ctx,
 * 30*time.Second, …)`, retrying on 409).
 */
export const IN_USE_RETRY_MS = 30_000;

/** The first wait, doubled after each refusal up to {@link IN_USE_MAX_DELAY_MS}. */
const FIRST_DELAY_MS = 500;

/** The longest wait between two attempts. */
export const IN_USE_MAX_DELAY_MS = 10_000;

/**
 * The platform's codes for "something depends on it": the one it answers, and the one the official
 * API definition also lists (docs/platform-api.md, "Delete"). A lock (405, `API_LOCKED`) or any
 * other refusal is not waited out.
 */
const IN_USE_CODES: ReadonlySet<string> = new Set([
  'architect.dependency.object.in.use',
  'architect.flow.cannot.delete.used.in.flows',
]);

/** Whether the platform refused a delete because something still uses the flow. */
export function isInUse(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 409 && e.apiCode !== undefined && IN_USE_CODES.has(e.apiCode);
}

/**
 * The wait before the next attempt after `attempt` refusals, `elapsedMs` since the first was sent:
 * 0.5 s doubling to at most 10 s, the last one cut so the attempts end at `budgetMs`; undefined
 * when the budget is spent.
 */
export function nextInUseDelay(
  attempt: number,
  elapsedMs: number,
  budgetMs = IN_USE_RETRY_MS,
): number | undefined {
  const left = budgetMs - elapsedMs;
  if (left <= 0) return undefined;
  return Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), IN_USE_MAX_DELAY_MS, left);
}

/** The consumers a refusal names (`details[].entityName`), for the record. */
export function namedConsumers(e: ApiError): string[] {
  return (e.body?.details ?? []).map((d) => d.entityName).filter((n): n is string => n !== undefined);
}

/** A duration in seconds as the ledger's notes say it: `0.5 s`, `30 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
