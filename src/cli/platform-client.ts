/**
 * The platform client as the CLI uses it: credentials from the environment (or --region /
 * --base-url), every retry said on stderr ("rate-limited, waiting 12 s"), and every call's record
 * on stderr under --verbose.
 */
import { createPlatformClient, type PlatformClient } from '../platform/client.js';
import { plural } from '../shared/plural.js';
import { dirname, resolve } from 'node:path';
import type { ManifestOrg } from '../config/manifest.js';
import { loadConnectionSettings, type ConnectionSettings } from '../platform/credentials.js';
import { manifestEndpoint } from '../platform/endpoint-trust.js';
import type { CallRecord } from '../platform/request.js';
import type { CliIo } from './io.js';
import { terminalSafe } from './output/encode.js';

/** What a command adds: where the manifest says the org is, and more call records. */
export interface CliClientOptions {
  /** The manifest's org; the environment wins over it, and decides what of it is trusted. */
  org?: ManifestOrg | undefined;
  /** The manifest's path (its folder holds any secret file it names). */
  manifest?: string | undefined;
  onCall?: (c: CallRecord) => void;
}

/** Creates a client for a command. */
export function cliPlatformClient(
  io: CliIo,
  options: CliClientOptions = {},
): { client: PlatformClient; settings: ConnectionSettings } {
  const env = io.env;
  const org = options.org;
  const settings = loadConnectionSettings(env, {
    ...manifestEndpoint(env, org),
    ...(org?.secretFile && options.manifest
      ? {
          manifestSecretFile: {
            path: org.secretFile,
            manifest: options.manifest,
            folder: dirname(resolve(options.manifest)),
          },
        }
      : {}),
  });
  const verboseCall = io.verbose
    ? (c: CallRecord) =>
        io.err(
          io.errColors.dim(
            `${c.method} ${terminalSafe(c.path)} → ${c.status || 'no response'} (${plural(c.attempts, 'attempt')}, ${c.latencyMs} ms${c.totalRetryDelayMs ? `, waited ${c.totalRetryDelayMs} ms` : ''}${c.correlationId ? `, ${terminalSafe(c.correlationId)}` : ''})\n`,
          ),
        )
    : undefined;
  const onCall =
    verboseCall && options.onCall
      ? (c: CallRecord) => {
          verboseCall(c);
          options.onCall!(c);
        }
      : (verboseCall ?? options.onCall);
  const client = createPlatformClient({
    ...settings,
    onRetry: (r) =>
      io.err(
        `${terminalSafe(r.reason)}${r.status ? ` (${r.status})` : ''}: retrying ${r.method} ${terminalSafe(r.path)} in ${(r.delayMs / 1000).toFixed(1)} s\n`,
      ),
    ...(onCall ? { onCall } : {}),
  });
  return { client, settings };
}
