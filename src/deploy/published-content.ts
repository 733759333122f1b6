/**
 * What a flow version holds, compared by content rather than by version id (issue 21 §1). A
 * rollback may come back as a new version whose content is the old one (an import of the recorded
 * text, or a platform that republishes an old version as a new one), so whatever asks "is this
 * the version we mean?" (the rollback's check, the plan's unchanged rule, drift) compares the
 * versions' configurations (`GET /flows/{id}/versions/{v}/configuration`, docs/platform-api.md#flow-endpoints) after
 * normalizing them.
 */
import type { PlatformClient } from '../platform/client.js';
import { canonicalJson, contentHash, normalizedHash } from './content.js';

/** The normalized hash of an Archy text (`content.ts`: one rule for the plan and the rollback). */
export const normalizedContentHash = normalizedHash;

/**
 * The Archy text a configuration carries, when it carries one: a string, or an object with a
 * `yaml` string (the emulator's shape for versions imported from Archy). The platform's own
 * configuration is Architect's JSON (docs/archy-format.md#flow-configuration-json), which holds no Archy text.
 */
export function configurationText(configuration: unknown): string | undefined {
  if (typeof configuration === 'string') return configuration;
  const yaml = (configuration as { yaml?: unknown } | null | undefined)?.yaml;
  return typeof yaml === 'string' ? yaml : undefined;
}

/** The normalized hash of a version's configuration: of its Archy text, else of its canonical JSON. */
export function configurationHash(configuration: unknown): string {
  const text = configurationText(configuration);
  return text !== undefined ? normalizedContentHash(text) : contentHash(canonicalJson(configuration));
}

/** What a version is expected to hold: the recorded Archy text, and/or another version's content. */
export interface ExpectedContent {
  content?: string | undefined;
  versionId?: string | undefined;
}

/** The outcome of a comparison: whether the contents are equal, and what was compared. */
export interface ContentComparison {
  equal: boolean;
  /** How the comparison was made, for the ledger's note. */
  basis: string;
}

/**
 * Whether version `versionId` of a flow holds the expected content: its configuration's Archy
 * text against the recorded text (normalized hashes), else its configuration against the other
 * version's. Undefined when there is nothing to compare with.
 */
export async function compareVersionContent(
  client: PlatformClient,
  flowId: string,
  versionId: string,
  expected: ExpectedContent,
): Promise<ContentComparison | undefined> {
  if (expected.versionId === versionId) return { equal: true, basis: 'the same version' };
  const config = await client.flows.versionConfiguration(flowId, versionId);
  const text = configurationText(config);
  if (text !== undefined && expected.content !== undefined) {
    const hash = normalizedContentHash(text);
    return {
      equal: hash === normalizedContentHash(expected.content),
      basis: `normalized hash ${hash.slice(0, 12)}… of version ${versionId}'s configuration against the recorded content`,
    };
  }
  if (expected.versionId === undefined) return undefined;
  const other = await client.flows.versionConfiguration(flowId, expected.versionId);
  return {
    equal: configurationHash(config) === configurationHash(other),
    basis: `version ${versionId}'s configuration against version ${expected.versionId}'s`,
  };
}

/**
 * Whether a version holds the expected content; false when it cannot be told (nothing to compare
 * with, or a version the org does not have). For the plan, which must not fail on a read.
 */
export async function holdsContent(
  client: PlatformClient,
  flowId: string,
  versionId: string | undefined,
  expected: ExpectedContent,
): Promise<boolean> {
  if (versionId === undefined) return false;
  try {
    return (await compareVersionContent(client, flowId, versionId, expected))?.equal === true;
  } catch {
    return false;
  }
}
