/**
 * The platform client as the CLI uses it: credentials from the environment (or --region /
 * --base-url), every retry said on stderr ("rate-limited, waiting 12 s"), and every call's record
 * on stderr under --verbose.
 */
import { createPlatformClient, type PlatformClient } from '../platform/client.js';
import { loadConnectionSettings, type ConnectionSettings } from '../platform/credentials.js';
import type { CliIo } from './io.js';

/** Creates a client for a command. */
export function cliPlatformClient(io: CliIo): { client: PlatformClient; settings: ConnectionSettings } {
  const settings = loadConnectionSettings(io.env);
  const client = createPlatformClient({
    ...settings,
    onRetry: (r) =>
      io.err(
        `${r.reason}${r.status ? ` (${r.status})` : ''}: retrying ${r.method} ${r.path} in ${(r.delayMs / 1000).toFixed(1)} s\n`,
      ),
    ...(io.verbose
      ? {
          onCall: (c) =>
            io.err(
              io.errColors.dim(
                `${c.method} ${c.path} → ${c.status || 'no response'} (${c.attempts} attempt${c.attempts === 1 ? '' : 's'}, ${c.latencyMs} ms${c.totalRetryDelayMs ? `, waited ${c.totalRetryDelayMs} ms` : ''}${c.correlationId ? `, ${c.correlationId}` : ''})\n`,
              ),
            ),
        }
      : {}),
  });
  return { client, settings };
}
