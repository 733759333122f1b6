/**
 * The deployment manifest (`flowgate.yaml`): which flow files belong to a deployment, their
 * substitution values, and the organisation policy. Validated once with zod, reported with
 * file:line:column. The deploy stages (plan, execution) extend the per-flow entries.
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { PolicySchema, type Policy } from '../flow/policy-schema.js';
import { loadConfigFile } from './config-file.js';
import { DEFAULT_MANIFEST } from './defaults.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Values = z.record(z.string(), Scalar);

/** The manifest's schema. */
export const ManifestSchema = z
  .object({
    version: z.literal(1).optional(),
    /** Values for `{{ tokens }}` shared by every flow. */
    substitutions: Values.optional(),
    /** Organisation policy, inline. */
    policy: PolicySchema.optional(),
    /** Or a policy file, relative to the manifest. */
    policyFile: z.string().optional(),
    flows: z
      .array(
        z
          .object({
            /** The flow file, relative to the manifest. */
            file: z.string().min(1),
            /** Values for this flow only (they win over the shared ones). */
            substitutions: Values.optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .refine((m) => !(m.policy && m.policyFile), {
    message: "give either 'policy' or 'policyFile', not both",
    path: ['policyFile'],
  });

/** One flow of a manifest, with its file resolved and its values merged. */
export interface ManifestFlow {
  file: string;
  substitutions: Record<string, string>;
  /** The keys this entry sets itself (the rest come from the shared values). */
  ownKeys: ReadonlySet<string>;
}

/** A loaded manifest. */
export interface LoadedManifest {
  path: string;
  flows: ManifestFlow[];
  policy?: Policy;
}

const asStrings = (values: Record<string, string | number | boolean> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));

/**
 * Loads a manifest; flow files and the policy file resolve against the manifest's folder.
 * @throws {ConfigError} with file:line:column when the manifest or its policy file is invalid.
 */
export async function loadManifest(path: string): Promise<LoadedManifest> {
  const m = await loadConfigFile(path, ManifestSchema, 'manifest');
  const base = dirname(path);
  const shared = asStrings(m.substitutions);
  const flows = m.flows.map((f) => ({
    file: resolve(base, f.file),
    substitutions: { ...shared, ...asStrings(f.substitutions) },
    ownKeys: new Set(Object.keys(f.substitutions ?? {})),
  }));
  let policy: Policy | undefined = m.policy;
  if (m.policyFile) policy = await loadConfigFile(resolve(base, m.policyFile), PolicySchema, 'policy');
  const out: LoadedManifest = { path, flows };
  if (policy) out.policy = policy;
  return out;
}

/** A usage error for a missing manifest. */
export function noInputError(): ConfigError {
  return new ConfigError('USAGE_NO_INPUT', `no flow files given and no ${DEFAULT_MANIFEST} here`, {
    hint: `Pass files or globs, or --manifest FILE (a ${DEFAULT_MANIFEST} lists flows, substitutions and policy).`,
  });
}
