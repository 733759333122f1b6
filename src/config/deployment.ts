/**
 * One library path from a manifest and command-line overrides to the checked inputs that
 * `validate`, `plan` and `deploy` share: which flow files, each with its substitution values (and
 * where each value came from, for error messages), and the policy in force.
 *
 * Values merge as manifest (shared) < manifest (per flow) < substitutions file < `set` values;
 * a policy file replaces the manifest's policy; `loops` overrides the policy's loop rule.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError } from '../errors.js';
import type { LoadedFlow, LoadOptions } from '../flow/load.js';
import type { Policy } from '../flow/check/policy-schema.js';
import { DEFAULT_MANIFEST } from './defaults.js';
import type { LoadedManifest } from './manifest.js';

/** What the command line (or a library caller) adds to or puts in place of the manifest. */
export interface DeploymentOverrides {
  /** Flow files or globs beyond the manifest's; `-` is standard input. */
  files?: readonly string[];
  /** `key=value` values that win over every file (`--set`). */
  values?: Readonly<Record<string, string>>;
  /** A YAML/JSON file of values (`--substitutions`). */
  substitutionsFile?: string;
  /** A policy file that replaces the manifest's policy (`--policy`). */
  policyFile?: string;
  /** The loop rule, over the policy's (`--loops`). */
  loops?: 'allow-with-exit' | 'error';
  /** The manifest environment (`--env`). */
  env?: string;
  /** Only a manifest is accepted (`plan`, `deploy`): no `files`, and a missing manifest says so. */
  manifestOnly?: boolean;
}

/** One flow to load, with its values and where each came from. */
export interface DeploymentInput {
  /** The file (relative to the working folder when inside it), or `-` for standard input. */
  file: string;
  substitutions: Record<string, string>;
  /** For each value: `--set`, `substitutions file X`, `manifest X (environments.E)`, `manifest X (flows[i])` or `manifest X (shared)`. */
  origins: Record<string, string>;
  /** The index of the manifest's flow entry, when it came from the manifest. */
  manifestIndex?: number;
  /** Where the manifest lists the file (`file:line:column` parts), when it came from the manifest. */
  listedAt?: { file: string; line: number; column: number };
}

/** A manifest and overrides, resolved. */
export interface LoadedDeployment {
  manifest?: LoadedManifest;
  inputs: DeploymentInput[];
  policy?: Policy;
}

/**
 * Finds the manifest (the given path, or `./flowgate.yaml` when no files are given), merges the
 * overrides, and resolves the policy.
 * @throws {ConfigError} `USAGE_NO_INPUT` with neither files nor a manifest; config errors with
 *   file:line:column for a bad manifest, policy or substitutions file.
 */
export async function loadDeployment(
  manifestPath: string | undefined,
  overrides: DeploymentOverrides = {},
): Promise<LoadedDeployment> {
  const files = overrides.files ?? [];
  const path =
    manifestPath ?? (files.length === 0 && existsSync(DEFAULT_MANIFEST) ? DEFAULT_MANIFEST : undefined);
  // zod and the config reader load only when a file needs them: start-up time matters in CI loops.
  if (!path && files.length === 0)
    throw (await import('./manifest.js')).noInputError(overrides.manifestOnly === true);

  const common: Record<string, string> = {};
  const commonOrigins: Record<string, string> = {};
  if (overrides.substitutionsFile !== undefined) {
    for (const [k, v] of Object.entries(await loadValuesFile(overrides.substitutionsFile))) {
      common[k] = v;
      commonOrigins[k] = `substitutions file ${overrides.substitutionsFile}`;
    }
  }
  for (const [k, v] of Object.entries(overrides.values ?? {})) {
    common[k] = v;
    commonOrigins[k] = '--set';
  }

  const out: LoadedDeployment = { inputs: [] };
  let policy: Policy | undefined;
  if (path) {
    const manifest = await (await import('./manifest.js')).loadManifest(path, overrides.env);
    out.manifest = manifest;
    manifest.flows.forEach((f, i) => {
      // An existing flow without a definition has nothing to validate offline.
      const file = f.file ?? f.definition;
      if (file === undefined) return;
      const origins: Record<string, string> = {};
      for (const k of Object.keys(f.substitutions))
        origins[k] = f.envKeys?.has(k)
          ? `manifest ${path} (environments.${manifest.env})`
          : f.ownKeys.has(k)
            ? `manifest ${path} (flows[${i}])`
            : `manifest ${path} (shared)`;
      out.inputs.push({
        file: relative('.', file) || file,
        substitutions: { ...f.substitutions, ...common },
        origins: { ...origins, ...commonOrigins },
        manifestIndex: i,
        ...(f.listedAt ? { listedAt: { file: relative('.', path) || path, ...f.listedAt } } : {}),
      });
    });
    policy = manifest.policy;
  }
  for (const file of await expandFiles(files))
    out.inputs.push({ file, substitutions: { ...common }, origins: { ...commonOrigins } });

  if (overrides.policyFile !== undefined) {
    const [{ loadConfigFile }, { PolicySchema }] = await Promise.all([
      import('./config-file.js'),
      import('../flow/check/policy-schema.js'),
    ]);
    policy = await loadConfigFile(overrides.policyFile, PolicySchema, 'policy');
  }
  if (overrides.loops !== undefined) policy = { ...(policy ?? {}), loops: overrides.loops };
  if (policy) out.policy = policy;
  return out;
}

/**
 * Loads every input of a deployment into flows (problems become diagnostics, never throws for
 * bad flow content). `readStdin` supplies the bytes of `-`.
 */
export async function loadDeploymentFlows(
  deployment: LoadedDeployment,
  options: Pick<LoadOptions, 'maxFileBytes'> & { readStdin?: () => Promise<Uint8Array> } = {},
): Promise<LoadedFlow[]> {
  const { loadFlowBytes, loadFlowFile } = await import('../flow/load.js');
  const loaded: LoadedFlow[] = [];
  for (const input of deployment.inputs) {
    const load: LoadOptions = {
      substitutions: input.substitutions,
      substitutionOrigins: input.origins,
      ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(input.listedAt ? { listedAt: input.listedAt } : {}),
    };
    if (input.file !== '-') loaded.push(await loadFlowFile(input.file, load));
    else if (options.readStdin) loaded.push(loadFlowBytes(await options.readStdin(), '<stdin>', load));
    else throw new ConfigError('USAGE_NO_INPUT', "'-' (standard input) is not available here");
  }
  return loaded;
}

async function loadValuesFile(file: string): Promise<Record<string, string>> {
  const [{ loadConfigFile }, { SubstitutionsSchema }] = await Promise.all([
    import('./config-file.js'),
    import('./substitutions-schema.js'),
  ]);
  const loaded = await loadConfigFile(file, SubstitutionsSchema, 'substitutions');
  const values =
    'substitutions' in loaded && typeof loaded.substitutions === 'object' ? loaded.substitutions : loaded;
  return Object.fromEntries(
    Object.entries(values as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
  );
}

async function expandFiles(patterns: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const dynamic = patterns.some((p) => /[*?[\]{}]/.test(p));
  const { glob, isDynamicPattern } = dynamic
    ? await import('tinyglobby')
    : { glob: undefined, isDynamicPattern: () => false };
  for (const p of patterns) {
    if (glob && isDynamicPattern(p)) {
      // A glob of flows (`flows/*.yaml`) does not take the scenario files beside them (docs/scenarios.md).
      const matched = (await glob(p, { onlyFiles: true, expandDirectories: false }))
        .filter((f) => !/\.test\.ya?ml$/i.test(f))
        .sort();
      if (matched.length === 0)
        throw new ConfigError('USAGE_NO_MATCH', `no file matches '${p}'`, {
          hint: 'Check the glob; quote it so the shell does not expand it first.',
        });
      files.push(...matched);
    } else files.push(p);
  }
  return [...new Set(files)];
}
