import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The suite as Stryker runs it (stryker.config.json): without the tests that only drive child
// processes of the built `dist/` (a mutant of `src/` never reaches them, so they cannot kill it and
// only cost time) and without the browser test (a Chromium per mutant).
export default mergeConfig(
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
      ],
    },
  }),
);
