/**
 * Flag advice the CLI adds to a library error's hint. Library hints name library options only
 * (they cannot know which flags a command has); the command line knows its flags.
 */
import type { ErrorCode } from '../error-codes.js';

const ADVICE: Partial<Record<ErrorCode, string>> = {
  API_LOCKED: 'flowgate deploy --force-unlock takes the lock (and says who held it).',
  API_FORBIDDEN: 'flowgate whoami lists the scopes the client has.',
  API_UNAUTHORIZED: 'flowgate whoami checks the credentials.',
  AUTH_FAILED: 'flowgate whoami checks the credentials; --region or --base-url picks the environment.',
  NETWORK_ERROR: '--region or --base-url picks the environment.',
  USAGE_NO_MANIFEST:
    '-m, --manifest FILE names a manifest elsewhere; flowgate validate checks flow files on their own.',
  AUDIT_LOG_MISSING: '--log names the log; --allow-missing accepts that none was written yet.',
};

/** The command-line advice for an error code, if any. */
export function cliAdvice(code: string): string | undefined {
  return (ADVICE as Record<string, string | undefined>)[code];
}
