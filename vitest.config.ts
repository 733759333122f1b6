import { defineConfig } from 'vitest/config';

// CI sets FLOWGATE_VITEST_JSON so `.ci/run` can print its closing "N passed, N failed" line.
const jsonReport = process.env.FLOWGATE_VITEST_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real PostgreSQL server for the run (each test makes its own database in it).
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test files wait on child processes, HTTP and fsync rather than the CPU: two at a time on
    // CI's 2 cores (vitest's default there is one) nearly halves the run without changing any test.
    maxWorkers: 2,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
