/**
 * `deploy.requireTests` (deploy/test-requirement.ts): the one judgement `plan` and `deploy` share
 * of a scenario run, and the refusal's words, each case named. Stryker found it reached only by
 * the CLI's child processes (BENCHMARKS.md, `gates`).
 */
import { describe, expect, it } from 'vitest';
import { failedTestsSummary, testsRefusal, testsRefuse } from '../../src/deploy/test-requirement.js';

const failing = ['flows/main.test.yaml:4 after hours: expected transfer to queue Sales, got disconnect'];

describe('the scenario requirement', () => {
  it('refuses only a run with a failed case; no run (not required) and a clean run never', () => {
    expect(testsRefuse({})).toBe(false);
    expect(testsRefuse({ tests: { cases: 3, failed: [] } })).toBe(false);
    expect(testsRefuse({ tests: { cases: 3, failed: failing } })).toBe(true);
    expect(testsRefusal(undefined)).toBeUndefined();
    expect(testsRefusal({ cases: 3, failed: [] })).toBeUndefined();
  });

  it('counts the failed cases in words', () => {
    expect(failedTestsSummary({ cases: 3, failed: failing })).toBe(
      'deploy.requireTests: 1 scenario case did not pass',
    );
    expect(failedTestsSummary({ cases: 3, failed: [...failing, 'b:1 x: y'] })).toBe(
      'deploy.requireTests: 2 scenario cases did not pass',
    );
  });

  it('the refusal names every failed case and what to do', () => {
    expect(
      testsRefusal({ cases: 5, failed: [...failing, 'flows/b.test.yaml:9 holiday: no prompt'] }),
    ).toMatchObject({
      code: 'TESTS_FAILED',
      message: `deploy.requireTests: 2 scenario cases did not pass; nothing was deployed: ${failing[0]}; flows/b.test.yaml:9 holiday: no prompt`,
      hint: 'Run flowgate test to see each path; fix the flow or the scenario.',
    });
  });
});
