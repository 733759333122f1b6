import { configDefaults, defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';
import base from './vitest.config.js';

// The suite as Stryker runs it (stryker.config.json): without the tests that only drive child
// processes of the built `dist/` (a mutant of `src/` never reaches them, so they cannot kill it and
// only cost time) and without the browser test (a Chromium per mutant).
//
// FLOWGATE_MUTATION_TESTS (comma-separated globs) narrows the run to the tests of one module: its
// initial run then takes a minute instead of the whole in-process suite's. A score measured so is
// a lower bound (a test left out could only kill more mutants); BENCHMARKS.md says which globs
// each score was measured with.
const only = process.env.FLOWGATE_MUTATION_TESTS?.split(',').filter(Boolean);

const config: ViteUserConfig = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...configDefaults.exclude,
        'test/cli/**',
        'test/reliability/kill.test.ts',
        'test/reliability/secrets.test.ts',
        'test/reliability/state-before-call.test.ts',
        'test/adoption/report-browser.test.ts',
        // process.chdir() is refused in Stryker's worker threads.
        'test/deploy/readme-example.test.ts',
      ],
    },
  }),
);
// Set after merging: mergeConfig would append these globs to the base's instead of replacing them.
if (only?.length) config.test!.include = only;

export default config;
