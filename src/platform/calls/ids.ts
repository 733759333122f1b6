/**
 * Ids on their way into a URL path. Genesys Cloud ids are UUIDs, with no documented format
 * (docs/platform-api.md#flows); anything that could
 * change the path (`..`, `/`, `?`, `%`, spaces) is refused before a request is built, so an id
 * from a manifest, the ledger or a command line can never reach another endpoint.
 */
import { ConfigError } from '../../errors.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The id as a path segment. @throws {ConfigError} USAGE_ID for anything that is not an id. */
export function idSegment(kind: string, id: string): string {
  if (!ID.test(id))
    throw new ConfigError('USAGE_ID', `'${id.slice(0, 80)}' is not a ${kind} id`, {
      hint: `A ${kind} id is a UUID such as 3f1b6a2e-9c4d-4e8f-a1b2-c3d4e5f60718 (letters, digits and dashes).`,
    });
  return id;
}

const VERSION = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * A flow version id (`3.0`: dots, never `..`) as a path segment.
 * @throws {ConfigError} USAGE_ID for anything else.
 */
export function versionSegment(id: string): string {
  if (id.length > 64 || !VERSION.test(id))
    throw new ConfigError('USAGE_ID', `'${id.slice(0, 80)}' is not a flow version id`, {
      hint: 'A flow version id looks like 3.0.',
    });
  return id;
}
