/**
 * `deploy.requireTests: true`: every scenario case next to the manifest's flows must pass before
 * anything is planned or sent. One judgement and one wording for `deploy`, which refuses, and
 * `plan`, which says that deploy will (the scenarios themselves run in `scenario/`, through the
 * CLI's `test-run.ts`).
 */
import { FlowgateError } from '../errors.js';
import { plural } from '../shared/plural.js';
import type { DeploymentPlan, TestRun } from './types.js';

/** Whether deploy would refuse this plan for its tests (false when the manifest requires none). */
export function testsRefuse(plan: Pick<DeploymentPlan, 'tests'>): boolean {
  return plan.tests !== undefined && plan.tests.failed.length > 0;
}

/** `deploy.requireTests: 2 scenario cases did not pass`. */
export function failedTestsSummary(run: TestRun): string {
  const n = run.failed.length;
  return `deploy.requireTests: ${plural(n, 'scenario case')} did not pass`;
}

/** What deploy does with the run: undefined when it may go on, else the refusal it throws. */
export function testsRefusal(run: TestRun | undefined): FlowgateError | undefined {
  if (run === undefined || run.failed.length === 0) return undefined;
  return new FlowgateError(
    'TESTS_FAILED',
    `${failedTestsSummary(run)}; nothing was deployed: ${run.failed.join('; ')}`,
    { hint: 'Run flowgate test to see each path; fix the flow or the scenario.' },
  );
}
