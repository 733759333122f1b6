/**
 * Where credentials come from: the environment variables the Genesys Terraform provider uses
 * (`GENESYSCLOUD_OAUTHCLIENT_ID`, `GENESYSCLOUD_OAUTHCLIENT_SECRET`, `GENESYSCLOUD_REGION`), or a
 * secret file. Never from a flag value: flags leak into `ps` and shell history (clig.dev).
 */
import { ConfigError } from '../errors.js';
import { readSecretFile } from '../secret-file.js';
import { resolveBaseUrl, resolveRegion, type Endpoints } from './regions.js';
import type { ClientCredentials } from './token-provider.js';

/** Resolved connection settings. */
export interface ConnectionSettings {
  credentials: ClientCredentials;
  endpoints: Endpoints;
}

/** A secret file named in a manifest: used only when the environment gives no secret. */
export interface ManifestSecretFile {
  path: string;
  /** The manifest's path, for messages, and its folder, where the file must lie. */
  manifest: string;
  folder: string;
}

/**
 * Reads credentials and endpoints from the environment. A secret file holds either the bare
 * secret or JSON `{"clientId", "clientSecret"}`; the environment's secret wins over every file, and
 * `GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE` over a file a manifest names (issue 18 §2: a manifest must
 * not replace the secret the environment gives). `GENESYSCLOUD_BASE_URL` (or `options.baseUrl`)
 * overrides the region, for the emulator; which of those a manifest may set is decided by
 * `endpoint-trust.ts` before this is called.
 * @throws {ConfigError} when something is missing or malformed; the message never contains the secret.
 */
export function loadConnectionSettings(
  env: NodeJS.ProcessEnv,
  options: {
    /** A file the caller chose itself (library use): trusted like the environment's. */
    secretFile?: string | undefined;
    manifestSecretFile?: ManifestSecretFile | undefined;
    baseUrl?: string | undefined;
    region?: string | undefined;
  } = {},
): ConnectionSettings {
  let clientId = env.GENESYSCLOUD_OAUTHCLIENT_ID?.trim();
  let clientSecret = env.GENESYSCLOUD_OAUTHCLIENT_SECRET?.trim();
  if (!clientSecret) {
    const fromFile = secretFromFiles(env, options);
    if (fromFile?.clientId) clientId = fromFile.clientId;
    if (fromFile?.clientSecret) clientSecret = fromFile.clientSecret;
  }
  if (!clientId || !clientSecret) {
    throw new ConfigError(
      'CONFIG_CREDENTIALS',
      `missing ${!clientId ? 'GENESYSCLOUD_OAUTHCLIENT_ID' : 'GENESYSCLOUD_OAUTHCLIENT_SECRET'}`,
      {
        hint: 'Set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (or GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE) for an OAuth client with the Client Credentials grant.',
      },
    );
  }
  const endpoints = endpointsOf(env, options);
  if (!endpoints) {
    throw new ConfigError('CONFIG_REGION', 'missing GENESYSCLOUD_REGION', {
      hint: 'Set GENESYSCLOUD_REGION (for example us-east-1), or GENESYSCLOUD_BASE_URL for the emulator.',
    });
  }
  return { credentials: { clientId, clientSecret }, endpoints };
}

/**
 * The endpoints {@link loadConnectionSettings} connects to, without needing credentials (what org a
 * command is about when it sends nothing, such as an approval given `--as` the CI's identity):
 * `baseUrl`, else `GENESYSCLOUD_BASE_URL`, else the region; undefined when nothing names one.
 */
export function endpointsOf(
  env: NodeJS.ProcessEnv,
  options: { baseUrl?: string | undefined; region?: string | undefined } = {},
): Endpoints | undefined {
  const baseUrl = options.baseUrl ?? env.GENESYSCLOUD_BASE_URL;
  const region = options.region ?? env.GENESYSCLOUD_REGION;
  if (baseUrl) return resolveBaseUrl(baseUrl);
  if (region) return resolveRegion(region);
  return undefined;
}

function secretFromFiles(
  env: NodeJS.ProcessEnv,
  options: { secretFile?: string | undefined; manifestSecretFile?: ManifestSecretFile | undefined },
): { clientId?: string; clientSecret?: string } | undefined {
  const envFile = env.GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE || options.secretFile;
  let path: string;
  let text: string;
  if (envFile) {
    path = envFile;
    const variable = env.GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE
      ? 'GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE'
      : 'secretFile';
    text = readSecretFile(envFile, { kind: 'environment', variable }).trim();
  } else if (options.manifestSecretFile) {
    const m = options.manifestSecretFile;
    path = m.path;
    text = readSecretFile(m.path, {
      kind: 'manifest',
      manifest: m.manifest,
      folder: m.folder,
      key: 'org.secretFile',
    }).trim();
  } else return undefined;
  if (!text.startsWith('{')) return { clientSecret: text };
  let parsed: { clientId?: unknown; clientSecret?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new ConfigError('CONFIG_SECRET_FILE', `the secret file ${path} is not valid JSON`, {
      hint: 'Use {"clientId": "...", "clientSecret": "..."} or just the secret.',
    });
  }
  return {
    ...(typeof parsed.clientId === 'string' ? { clientId: parsed.clientId } : {}),
    ...(typeof parsed.clientSecret === 'string' ? { clientSecret: parsed.clientSecret } : {}),
  };
}
