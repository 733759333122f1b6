/**
 * What a manifest may decide about where credentials go (issue 18 §2, README "Security").
 *
 * A manifest may arrive in a pull request that a pipeline runs `plan` on, with the pipeline's
 * credentials in the environment. So the environment decides where they go: an endpoint it names
 * (`GENESYSCLOUD_BASE_URL`, `GENESYSCLOUD_REGION`), else a Genesys Cloud region the manifest names
 * (one of the platform's own domains, `regions.ts`). A manifest's `org.baseUrl` is honoured only
 * on loopback (the emulator), when it is a region's own API URL, or when the environment opts in
 * with `FLOWGATE_ALLOW_MANIFEST_ENDPOINTS=1` — the rule Atlantis and Terraform Cloud apply to
 * repository configuration: the repository may choose *what* to run, the server *where* secrets go.
 */
import { ConfigError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';
import { REGIONS } from './regions.js';

/** The manifest's org section, with where each value was written (`file:line:column`). */
export interface ManifestOrgInput {
  region?: string | undefined;
  baseUrl?: string | undefined;
  /** For messages: where `baseUrl` stands in the manifest. */
  baseUrlAt?: string | undefined;
}

/** The environment variable that lets a manifest name any https endpoint. */
export const ALLOW_MANIFEST_ENDPOINTS = 'FLOWGATE_ALLOW_MANIFEST_ENDPOINTS';

/** True when the environment trusts endpoints named in manifests. */
export function manifestEndpointsAllowed(env: NodeJS.ProcessEnv): boolean {
  return env[ALLOW_MANIFEST_ENDPOINTS] === '1' || env[ALLOW_MANIFEST_ENDPOINTS] === 'true';
}

/**
 * The endpoint options a manifest contributes (none when the environment names one).
 * @throws {ConfigError} `CONFIG_UNTRUSTED_ENDPOINT` for a `baseUrl` the rules above refuse.
 */
export function manifestEndpoint(
  env: NodeJS.ProcessEnv,
  org: ManifestOrgInput | undefined,
): { baseUrl?: string; region?: string } {
  if (env.GENESYSCLOUD_BASE_URL || env.GENESYSCLOUD_REGION || !org) return {};
  if (org.baseUrl === undefined) return org.region === undefined ? {} : { region: org.region };
  if (manifestEndpointsAllowed(env) || trustedBaseUrl(org.baseUrl)) return { baseUrl: org.baseUrl };
  throw new ConfigError(
    'CONFIG_UNTRUSTED_ENDPOINT',
    `${org.baseUrlAt ?? 'the manifest'}: org.baseUrl ${describe(org.baseUrl)} is not a Genesys Cloud region or loopback; the credentials in the environment are not sent there`,
    {
      hint: `Name the org in the environment (GENESYSCLOUD_REGION or GENESYSCLOUD_BASE_URL), use org.region in the manifest, or set ${ALLOW_MANIFEST_ENDPOINTS}=1 where this manifest is trusted.`,
    },
  );
}

/** Loopback, or exactly the API (or login) origin of a Genesys Cloud region. */
function trustedBaseUrl(input: string): boolean {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return false; // resolveBaseUrl reports the malformed URL itself once it is allowed
  }
  if (isLoopbackHost(url.hostname)) return true;
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    REGIONS.some((r) => url.hostname === `api.${r.environment}` || url.hostname === `login.${r.environment}`)
  );
}

/** The URL's origin only: a path or query could hold anything. */
function describe(input: string): string {
  try {
    return new URL(input).origin;
  } catch {
    return '(not a URL)';
  }
}
