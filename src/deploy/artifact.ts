/**
 * The artifact: what makes "the same change" recognisable in every environment although each
 * substitutes its own values. A flow's artifact hash is the hash of its file's meaning *before*
 * substitutions (every `{{ key }}` kept as the placeholder `__key__`, then `normalizedHash`: key
 * order, quoting, comments and layout do not count); the values hash is the hash of the values
 * the file's keys took in this environment. The plan hash binds approvals to what a plan deploys.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { applySubstitutions, findSubstitutionKeys } from '../flow/index.js';
import { canonicalJson, contentHash, normalizedHash } from './content.js';
import type { DeploymentPlan } from './types.js';

/** A flow's artifact identity. */
export interface Artifact {
  /** The hash of the file's normalized content before substitutions. */
  artifactHash: string;
  /** The hash of the values its keys took (`{}` when it uses none). */
  valuesHash: string;
}

/** The artifact of a flow file's original text and the values substituted into it. */
export function artifactOf(source: string, values: Readonly<Record<string, string>>): Artifact {
  // With no values every token becomes its `__key__` placeholder, in YAML and JSON alike (the
  // format only decides how a value is quoted: flow/source/substitute.ts).
  const masked = applySubstitutions(source, {}).text;
  return { artifactHash: normalizedHash(masked), valuesHash: valuesHash(source, values) };
}

/** The hash of the values the file's `{{ keys }}` take (`substitutions.x` also reads `x`, as Archy). */
export function valuesHash(source: string, values: Readonly<Record<string, string>>): string {
  const used: Record<string, string | null> = {};
  // In any order: the canonical JSON sorts the keys.
  for (const key of findSubstitutionKeys(source)) {
    const short = key.replace(/^substitutions\./, '');
    used[key] = Object.hasOwn(values, key)
      ? values[key]!
      : Object.hasOwn(values, short)
        ? values[short]!
        : null;
  }
  return contentHash(canonicalJson(used));
}

/**
 * A flow file's name relative to the manifest's folder: with the artifact hash, the identity of a
 * flow across environments (one manifest serves them all; two flows made from one template are
 * two artifacts).
 */
export function sourceFileOf(file: string, manifestPath: string | undefined): string {
  const base = manifestPath === undefined ? resolve() : dirname(resolve(manifestPath));
  return relative(base, resolve(file)).split(sep).join('/');
}

/**
 * The plan's hash: its environment and org, and per flow what it deploys (the artifact and the
 * values, the final content's hash, or the version published). What the org does meanwhile (an
 * action turning from update to unchanged) does not change it; a changed file or value does.
 */
export function planHash(plan: Pick<DeploymentPlan, 'env' | 'org' | 'steps'>): string {
  const flows = plan.steps
    .map((s) => ({
      flow: s.flowKey,
      kind: s.kind,
      artifact: s.artifactHash ?? null,
      values: s.valuesHash ?? null,
      content: s.contentHash ?? null,
      version: s.targetVersion ?? null,
    }))
    .sort((a, b) => (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : 0));
  return contentHash(canonicalJson({ env: plan.env ?? null, org: plan.org, flows }));
}
