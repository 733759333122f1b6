/**
 * Where credentials come from: the environment variables the Genesys Terraform provider uses
 * (`GENESYSCLOUD_OAUTHCLIENT_ID`, `GENESYSCLOUD_OAUTHCLIENT_SECRET`, `GENESYSCLOUD_REGION`), or a
 * secret file. Never from a flag value: flags leak into `ps` and shell history (clig.dev).
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { resolveBaseUrl, resolveRegion, type Endpoints } from './regions.js';
import type { ClientCredentials } from './token-provider.js';

/** Resolved connection settings. */
export interface ConnectionSettings {
  credentials: ClientCredentials;
  endpoints: Endpoints;
}

/**
 * Reads credentials and endpoints from the environment. A secret file (`GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE`
 * or `options.secretFile`) holds either the bare secret or JSON `{"clientId", "clientSecret"}`.
 * `GENESYSCLOUD_BASE_URL` (or `options.baseUrl`) overrides the region, for the emulator.
 * @throws {ConfigError} when something is missing or malformed; the message never contains the secret.
 */
export function loadConnectionSettings(
  env: NodeJS.ProcessEnv,
  options: {
    secretFile?: string | undefined;
    baseUrl?: string | undefined;
    region?: string | undefined;
  } = {},
): ConnectionSettings {
  let clientId = env.GENESYSCLOUD_OAUTHCLIENT_ID?.trim();
  let clientSecret = env.GENESYSCLOUD_OAUTHCLIENT_SECRET?.trim();
  const secretFile = options.secretFile ?? env.GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE;
  if (secretFile) {
    let text: string;
    try {
      text = readFileSync(secretFile, 'utf8').trim();
    } catch (e) {
      throw new ConfigError(
        'CONFIG_SECRET_FILE',
        `cannot read the secret file ${secretFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
        {
          hint: 'Check the path and permissions (0600 is recommended).',
        },
      );
    }
    if (text.startsWith('{')) {
      let parsed: { clientId?: unknown; clientSecret?: unknown };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        throw new ConfigError('CONFIG_SECRET_FILE', `the secret file ${secretFile} is not valid JSON`, {
          hint: 'Use {"clientId": "...", "clientSecret": "..."} or just the secret.',
        });
      }
      if (typeof parsed.clientId === 'string') clientId = parsed.clientId;
      if (typeof parsed.clientSecret === 'string') clientSecret = parsed.clientSecret;
    } else {
      clientSecret = text;
    }
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
  const baseUrl = options.baseUrl ?? env.GENESYSCLOUD_BASE_URL;
  const region = options.region ?? env.GENESYSCLOUD_REGION;
  let endpoints: Endpoints;
  if (baseUrl) endpoints = resolveBaseUrl(baseUrl);
  else if (region) endpoints = resolveRegion(region);
  else {
    throw new ConfigError('CONFIG_REGION', 'missing GENESYSCLOUD_REGION', {
      hint: 'Set GENESYSCLOUD_REGION (for example us-east-1), or GENESYSCLOUD_BASE_URL for the emulator.',
    });
  }
  return { credentials: { clientId, clientSecret }, endpoints };
}
