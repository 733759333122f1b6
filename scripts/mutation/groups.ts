/**
 * The groups Stryker measures one at a time (`npm run test:mutation -- <group>…`), each with the
 * tests that hold its promises. A whole-scope run of every promise module (about 5,650 mutants) takes
 * hours on a 2-core machine and writes its report only at the end; a group of a few hundred mutants
 * ends within half an hour with its own report, so a run cut short loses one group, not all.
 *
 * The tests are narrowed to the module's own (`FLOWGATE_MUTATION_TESTS`, read by
 * `vitest.mutation.config.ts`), so a score is a lower bound: a test left out could only kill more.
 */

/** One measured group: the files it mutates and the tests it runs. */
export interface MutationGroup {
  mutate: string[];
  tests: string[];
}

const deployTests = ['test/deploy/**/*.test.ts', 'test/reliability/fault-matrix.test.ts'];
/**
 * The deploy tests without the fault matrix (minutes per mutant it covers): for the modules whose
 * promises are not about faults (the plan, diffs, prune, references, gates, reports), the matrix
 * only repeats what the deploy tests cover, and with it a group outlasts a session.
 */
const planTests = ['test/deploy/**/*.test.ts'];
const ledgerTests = ['test/ledger/**/*.test.ts', 'test/reliability/fault-matrix.test.ts'];

/** Every group, in the order `all` runs them (the promises of issue 22's table first). */
export const MUTATION_GROUPS: Record<string, MutationGroup> = {
  http: {
    mutate: ['src/platform/http/**/*.ts'],
    tests: ['test/platform/**/*.test.ts', 'test/reliability/secret-paths.test.ts'],
  },
  secrets: {
    mutate: ['src/platform/redact.ts', 'src/platform/token-provider.ts'],
    tests: ['test/platform/**/*.test.ts', 'test/reliability/secret-paths.test.ts'],
  },
  steps: { mutate: ['src/deploy/steps.ts', 'src/deploy/flow-locks.ts'], tests: deployTests },
  exec: { mutate: ['src/deploy/executor.ts', 'src/deploy/run-finish.ts'], tests: deployTests },
  rollback: { mutate: ['src/deploy/rollback-plan.ts', 'src/deploy/run-events.ts'], tests: deployTests },
  gate: {
    mutate: ['src/deploy/health-gate.ts'],
    tests: ['test/deploy/**/*.test.ts', 'test/adoption/**/*.test.ts'],
  },
  ledger: {
    mutate: ['src/ledger/sql-ledger.ts', 'src/ledger/step-states.ts', 'src/ledger/migrations.ts'],
    tests: ledgerTests,
  },
  checks: { mutate: ['src/flow/check/checks.ts'], tests: ['test/flow/**/*.test.ts'] },
  loop: {
    mutate: [
      'src/deploy/scheduler.ts',
      'src/deploy/run-loop.ts',
      'src/deploy/step-runner.ts',
      'src/deploy/step-states.ts',
      'src/deploy/run-lease.ts',
    ],
    tests: deployTests,
  },
  restore: { mutate: ['src/deploy/restore.ts', 'src/deploy/import-job.ts'], tests: deployTests },
  sqlite: {
    mutate: [
      'src/ledger/sqlite.ts',
      'src/ledger/rows.ts',
      'src/ledger/lock-errors.ts',
      'src/ledger/copy.ts',
      'src/ledger/open.ts',
    ],
    tests: ['test/ledger/**/*.test.ts'],
  },
  postgres: {
    mutate: ['src/ledger/postgres.ts', 'src/ledger/postgres-locks.ts', 'src/ledger/postgres-connection.ts'],
    tests: ['test/ledger/**/*.test.ts'],
  },
  plan: {
    mutate: ['src/deploy/plan.ts', 'src/deploy/plan-schedules.ts', 'src/deploy/find-flow.ts'],
    tests: planTests,
  },
  // The diff and content modules, in three groups by their tests: in one group every mutant of
  // content.ts (imported by every test) ran all of them, and the run was estimated at three hours.
  diff: {
    mutate: ['src/deploy/diff.ts', 'src/deploy/element-diff.ts'],
    tests: ['semantic-diff', 'element-diff', 'element-fields'].map((n) => `test/deploy/${n}.test.ts`),
  },
  compare: {
    mutate: ['src/deploy/compare.ts', 'src/deploy/org-content.ts'],
    tests: ['test/export/compare-sides.test.ts', 'test/export/diff-orgs.test.ts'],
  },
  content: {
    mutate: ['src/deploy/content.ts', 'src/deploy/published-content.ts'],
    tests: [
      'content',
      'version-content',
      'published-content',
      'unchanged-rule',
      'content-check',
      'artifact',
    ].map((n) => `test/deploy/${n}.test.ts`),
  },
  prune: {
    mutate: [
      'src/deploy/prune.ts',
      'src/deploy/prune-apply.ts',
      'src/deploy/prune-consumers.ts',
      'src/deploy/prune-in-use.ts',
      'src/deploy/prune-resume.ts',
    ],
    tests: planTests,
  },
  refs: { mutate: ['src/deploy/org-references.ts', 'src/deploy/org-object-rules.ts'], tests: planTests },
  gates: {
    mutate: [
      'src/deploy/gates.ts',
      'src/deploy/approvals.ts',
      'src/deploy/test-requirement.ts',
      'src/deploy/schedules.ts',
      'src/deploy/promotion.ts',
    ],
    tests: planTests,
  },
  rest: {
    mutate: [
      'src/deploy/artifact.ts',
      'src/deploy/call-context.ts',
      'src/deploy/closest-names.ts',
      'src/deploy/event-bridge.ts',
      'src/deploy/report.ts',
      'src/deploy/step-context.ts',
      'src/deploy/substituted-name.ts',
      'src/deploy/types.ts',
      'src/ledger/index.ts',
      'src/ledger/sql-driver.ts',
      'src/ledger/types.ts',
    ],
    tests: [...planTests, 'test/ledger/**/*.test.ts'],
  },
  audit: { mutate: ['src/events/audit-log.ts'], tests: ['test/events/audit-*.test.ts'] },
  stats: {
    mutate: ['src/adoption/stats.ts'],
    tests: ['test/adoption/stats.test.ts', 'test/adoption/verdict-oracle.test.ts'],
  },
};
