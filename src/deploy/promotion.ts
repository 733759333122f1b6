/**
 * Promotion (`flowgate promote --from test --to prod`): plan in the target environment exactly the
 * artifacts that passed in the source environment. For each flow file of the manifest, the text
 * deployed is the one the ledger recorded for its newest published deployment to the source
 * environment (before substitutions), substituted again with the target's values; the working
 * tree's copy of the file is not read. The plan is then an ordinary plan of the target (semantic
 * diff against what it publishes, its gates, with `passed: [source]` added), deployed by the same
 * executor, ledger and events.
 */
import { ConfigError, FlowgateError } from '../errors.js';
import type { ManifestRequires } from '../config/gates-schema.js';
import { closestKey } from '../config/unknown-keys.js';
import type { LoadedDeployment } from '../config/deployment.js';
import { loadFlowFile, loadFlowText, type LoadedFlow } from '../flow/index.js';
import type { Ledger, StepWithDeployment } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { sourceFileOf } from './artifact.js';
import { planDeployment } from './plan.js';
import type { DeploymentPlan } from './types.js';

/** Options of {@link promotionPlan}. */
export interface PromotionOptions {
  /** The environment whose passed artifacts are promoted. */
  from: string;
  /** The target environment's org. */
  client: PlatformClient;
  ledger: Ledger;
  forceUnlock?: boolean;
}

/**
 * The plan that deploys to the deployment's environment (loaded with `env: <to>`) what passed in
 * `from`.
 * @throws {ConfigError} `CONFIG_ENV` when `from` is not an environment of the manifest (or is the
 *   target); {FlowgateError} `PROMOTE_NOTHING` naming the flows `from` never published.
 */
export async function promotionPlan(
  deployment: LoadedDeployment,
  o: PromotionOptions,
): Promise<DeploymentPlan> {
  const manifest = deployment.manifest;
  if (!manifest?.env)
    throw new ConfigError('CONFIG_ENV', 'promotion needs a manifest and the environment to promote to', {
      hint: 'Name the target environment of the manifest.',
    });
  checkSource(o.from, manifest.env, manifest.environments, manifest.path);
  const loaded: LoadedFlow[] = [];
  const missing: string[] = [];
  for (const input of deployment.inputs) {
    const entry = input.manifestIndex === undefined ? undefined : manifest.flows[input.manifestIndex];
    if (!entry?.file) {
      // A flow published by version has no artifact: its definition is read as `plan` reads it.
      loaded.push(await loadFlowFile(input.file, { substitutions: input.substitutions }));
      continue;
    }
    const file = sourceFileOf(entry.file, manifest.path);
    const passed = await newestPublished(o.ledger, file, o.from);
    if (!passed) {
      missing.push(file);
      continue;
    }
    loaded.push(
      loadFlowText(passed.source!, input.file, {
        substitutions: input.substitutions,
        substitutionOrigins: input.origins,
      }),
    );
  }
  if (missing.length > 0)
    throw new FlowgateError(
      'PROMOTE_NOTHING',
      `nothing to promote from ${o.from} to ${manifest.env} for ${missing.join(', ')}: no deployment to ${o.from} published ${missing.length === 1 ? 'it' : 'them'}`,
      { hint: `Deploy to ${o.from} first: promotion takes only what was published there.` },
    );
  const plan = await planDeployment(deployment, {
    client: o.client,
    ledger: o.ledger,
    loaded,
    requires: withPassed(manifest.requires, o.from),
    ...(o.forceUnlock ? { forceUnlock: true } : {}),
  });
  plan.promotedFrom = o.from;
  return plan;
}

/** The newest step that published this file in `env` with its source recorded. */
async function newestPublished(
  ledger: Ledger,
  file: string,
  env: string,
): Promise<StepWithDeployment | undefined> {
  return (await ledger.fileSteps(file, env, 100)).find(
    (s) => s.state === 'published' && s.source !== undefined && s.deployment.purpose !== 'rollback',
  );
}

/** The target's gates with `passed: [from]` added: a promotion always requires its source. */
function withPassed(requires: ManifestRequires | undefined, from: string): ManifestRequires {
  const passed = requires?.passed ?? [];
  return { ...requires, passed: passed.includes(from) ? passed : [...passed, from] };
}

function checkSource(from: string, to: string, known: readonly string[], path: string): void {
  if (from === to)
    throw new ConfigError('CONFIG_ENV', `promotion from '${from}' to itself`, {
      hint: 'Promote from one environment of the manifest to another, such as test to prod.',
    });
  if (!known.includes(from)) {
    const near = closestKey(from, known);
    throw new ConfigError(
      'CONFIG_ENV',
      `the manifest ${path} has no environment '${from}'${near ? `; did you mean '${near}'?` : ''}`,
      {
        hint: `Known: ${known.join(', ') || '(none: add environments: to the manifest)'}.`,
      },
    );
  }
}
