/**
 * The library call behind `flowgate test` and `deploy.requireTests`: the manifest (when there is
 * one), the scenario files (given, or found next to its flows), the run.
 */
import { ConfigError } from '../../errors.js';
import type { TestRun } from '../../deploy/types.js';
import type { LoadedManifest } from '../../config/manifest.js';
import type { TestReport } from '../../scenario/suite.js';

/** Runs scenario files, or those next to the manifest's flows. */
export async function runScenarios(
  files: readonly string[],
  manifest: string | undefined,
): Promise<TestReport> {
  const [{ existsSync }, { loadManifest }, { DEFAULT_MANIFEST }] = await Promise.all([
    import('node:fs'),
    import('../../config/manifest.js'),
    import('../../config/defaults.js'),
  ]);
  // Named files run with ./flowgate.yaml when there is one (its values, its flows to follow).
  const path = manifest ?? (existsSync(DEFAULT_MANIFEST) ? DEFAULT_MANIFEST : undefined);
  if (path === undefined && files.length === 0)
    throw new ConfigError('USAGE_NO_INPUT', `no scenario files given and no ${DEFAULT_MANIFEST} here`, {
      hint: 'Pass *.test.yaml files, or --manifest FILE to run the scenarios next to its flows.',
    });
  return runWithManifest(files, path === undefined ? undefined : await loadManifest(path));
}

/** Runs the given scenario files, or those next to the manifest's flows. */
export async function runWithManifest(
  files: readonly string[],
  manifest: LoadedManifest | undefined,
): Promise<TestReport> {
  const { findScenarioFiles, runScenarioFiles } = await import('../../scenario/suite.js');
  const list = files.length > 0 ? files : manifest ? findScenarioFiles(manifest) : [];
  if (list.length === 0)
    throw new ConfigError(
      'SCENARIO_NONE',
      `no *.test.yaml next to the flows of ${manifest?.path ?? 'the manifest'}`,
      {
        hint: 'Write scenarios as <flow>.test.yaml beside each flow (docs/scenarios.md), or name the files.',
      },
    );
  return runScenarioFiles(list, manifest);
}

/**
 * `deploy.requireTests`: the scenarios next to the manifest's flows, run when the manifest
 * requires them (undefined when it does not, or there is no manifest: the deploy session says so).
 * `plan` reports it and `deploy` refuses on it (`deploy/test-requirement.ts`): one run, one rule.
 */
export async function requiredTests(
  manifest: string | undefined,
  env: string | undefined,
): Promise<TestRun | undefined> {
  const [{ existsSync }, { loadManifest }, { DEFAULT_MANIFEST }] = await Promise.all([
    import('node:fs'),
    import('../../config/manifest.js'),
    import('../../config/defaults.js'),
  ]);
  const path = manifest ?? DEFAULT_MANIFEST;
  if (!existsSync(path)) return undefined;
  const loaded = await loadManifest(path, env);
  if (loaded.deploy.requireTests !== true) return undefined;
  const report = await runWithManifest([], loaded);
  return {
    cases: report.files.reduce((n, f) => n + f.cases.length, 0),
    failed: report.files.flatMap((f) =>
      f.cases.filter((c) => c.status !== 'pass').map((c) => `${c.at} ${c.name}: ${c.message ?? c.status}`),
    ),
  };
}

/**
 * `deploy.requireTests: true`: the scenarios next to the manifest's flows must all pass before
 * anything is planned or sent.
 * @throws {FlowgateError} `TESTS_FAILED` naming the cases that did not pass.
 */
export async function requirePassingTests(
  manifest: string | undefined,
  env: string | undefined,
): Promise<void> {
  const { testsRefusal } = await import('../../deploy/test-requirement.js');
  const refusal = testsRefusal(await requiredTests(manifest, env));
  if (refusal) throw refusal;
}
