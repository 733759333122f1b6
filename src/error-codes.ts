/**
 * Every error code flowgate throws, in one registry (as `flow/diagnostics.ts` is for findings).
 * Each code names its outcome class; the CLI turns the class into an exit code through one table
 * (`cli/exit-codes.ts`), so no caller guesses from a class name or a prefix.
 */

/** How an error ends a run; the CLI maps each class to one exit code. */
export type Outcome = 'failure' | 'usage' | 'invalid' | 'auth' | 'partial' | 'interrupted';

/** One registered code. */
export interface ErrorCodeInfo {
  /** How a run that stops on this error ends. */
  readonly outcome: Outcome;
  /** What the code means, for the README's table and `--json` consumers. */
  readonly summary: string;
}

/** The registry. Add a code here before throwing it. */
export const ERROR_CODES = {
  // Platform API responses (platform/errors.ts, docs/platform-api.md#error-body).
  API_BAD_REQUEST: { outcome: 'failure', summary: 'the API refused the request as malformed (400)' },
  API_UNAUTHORIZED: { outcome: 'auth', summary: 'the token was refused even after renewal (401)' },
  API_FORBIDDEN: { outcome: 'auth', summary: 'a permission or scope is missing (403)' },
  API_NOT_FOUND: { outcome: 'failure', summary: 'the object does not exist (404)' },
  API_LOCKED: { outcome: 'failure', summary: 'the flow is locked by someone else (409)' },
  API_CONFLICT: { outcome: 'failure', summary: 'the object changed or an operation is running (409)' },
  API_GONE: { outcome: 'failure', summary: 'the object was deleted (410)' },
  API_RATE_LIMITED: { outcome: 'failure', summary: 'still rate-limited after the retry budget (429)' },
  API_SERVER_ERROR: { outcome: 'failure', summary: 'Genesys Cloud failed after retries (5xx)' },
  API_ERROR: { outcome: 'failure', summary: 'any other error status' },
  API_RESPONSE_SHAPE: { outcome: 'failure', summary: 'a response did not have the documented shape' },
  NETWORK_ERROR: { outcome: 'failure', summary: 'no response after the retry budget' },
  NETWORK_OUTCOME_UNKNOWN: {
    outcome: 'failure',
    summary: 'a state-changing request got no response and may have taken effect',
  },
  HTTP_REDIRECT: {
    outcome: 'failure',
    summary:
      'a redirect was answered; flowgate follows none (it would carry credentials or a signed body elsewhere)',
  },
  UPLOAD_URL_REFUSED: {
    outcome: 'failure',
    summary:
      "an import job's presigned upload URL is not https on the region's storage; nothing was uploaded",
  },
  TIMEOUT: { outcome: 'failure', summary: 'an attempt or the whole call ran out of time' },
  ABORTED: { outcome: 'interrupted', summary: 'the call was cancelled (Ctrl-C or an abort signal)' },
  AUTH_FAILED: { outcome: 'auth', summary: 'the token endpoint refused the client credentials' },
  OPERATION_FAILED: { outcome: 'failure', summary: 'a publish operation or import job ended in failure' },
  OPERATION_TIMEOUT: { outcome: 'failure', summary: 'a publish operation did not finish in time' },
  JOB_TIMEOUT: { outcome: 'failure', summary: 'an import or export job did not finish in time' },
  DOWNLOAD_URL_REFUSED: {
    outcome: 'failure',
    summary: "an export job's download URL was not https on the region's storage; nothing was downloaded",
  },
  EXPORT_MANIFEST_EXISTS: {
    outcome: 'usage',
    summary: 'export --init would overwrite a manifest it did not write',
  },
  EXPORT_OUT: { outcome: 'usage', summary: 'the folder to export into cannot be made or written' },
  EXPORT_INCOMPLETE: { outcome: 'failure', summary: "an export job's download lacked a flow's file" },
  VERSION_NOT_REPUBLISHED: {
    outcome: 'failure',
    summary: 'the platform would not publish an earlier version again and the ledger holds no content of it',
  },
  ROLLBACK_UNVERIFIED: {
    outcome: 'failure',
    summary: "a restored version's configuration could not be shown to hold the earlier version's content",
  },
  AUDIT_FAILED: { outcome: 'failure', summary: 'an audit query failed' },
  AUDIT_TIMEOUT: { outcome: 'failure', summary: 'an audit query did not finish in time' },
  // The ledger.
  LEDGER_OPEN: { outcome: 'failure', summary: 'the ledger cannot be opened' },
  LEDGER_WRITE: {
    outcome: 'failure',
    summary: 'the ledger could not record a change (nothing further was started)',
  },
  LEDGER_BUSY: { outcome: 'failure', summary: 'another live process is running this deployment' },
  LEDGER_LOCKED: {
    outcome: 'failure',
    summary: 'a flow is being deployed by another run (no wait, or the lock timeout passed)',
  },
  LEDGER_UNAVAILABLE: {
    outcome: 'failure',
    summary: 'the ledger server cannot be reached or the connection was lost; no new step started',
  },
  LEDGER_TRANSITION: {
    outcome: 'failure',
    summary: "a change of a step's state that the transition table does not allow (nothing was recorded)",
  },
  // Events.
  AUDIT_LOG_WRITE: {
    outcome: 'failure',
    summary: 'the audit log cannot be written; the deployment stopped before its next publish',
  },
  AUDIT_LOG_MISSING: {
    outcome: 'invalid',
    summary: 'there is no audit log to verify (a missing log proves nothing)',
  },
  WEBHOOK_SECRET: { outcome: 'usage', summary: 'a webhook has no signing secret (from env or a file)' },
  // Pull/merge-request comments (review/).
  REVIEW_CONTEXT: {
    outcome: 'usage',
    summary: 'not in a pull or merge request pipeline, or its CI variables are missing',
  },
  REVIEW_TOKEN: { outcome: 'usage', summary: 'no token for the GitHub or GitLab API in the environment' },
  REVIEW_FORBIDDEN: {
    outcome: 'auth',
    summary: 'the GitHub or GitLab API refused the token (401/403): it may not write comments',
  },
  REVIEW_REJECTED: { outcome: 'failure', summary: 'the GitHub or GitLab API refused the comment (422)' },
  REVIEW_API: { outcome: 'failure', summary: 'the GitHub or GitLab API failed after retries' },
  // Deployments.
  DEPLOY_BLOCKED: {
    outcome: 'invalid',
    summary: 'the plan has blocked steps (validation, lock, drift, policy)',
  },
  DEPLOY_NOT_FOUND: { outcome: 'usage', summary: 'no such deployment or flow in the ledger' },
  CONTENT_NOT_FINAL: {
    outcome: 'invalid',
    summary: 'a flow text still holds a substitution, or is not the text that was planned',
  },
  ROLLBACK_NOTHING: { outcome: 'usage', summary: 'the ledger has no earlier version to go back to' },
  // Environments and their gates (deploy/gates.ts, deploy/promotion.ts, deploy/approvals.ts).
  GATE_UNMET: {
    outcome: 'invalid',
    summary:
      "an environment's gate is not met (not passed, not healthy, or not approved there); nothing was recorded or published",
  },
  PROMOTE_NOTHING: {
    outcome: 'invalid',
    summary: 'a flow of the manifest has no deployment in the environment promoted from',
  },
  USAGE_PROMOTE: {
    outcome: 'usage',
    summary:
      "promote without --to (or --env), or without --from where the target's requires.passed names not exactly one environment",
  },
  APPROVE_TARGET: {
    outcome: 'usage',
    summary: 'approve names neither a deployment of the ledger nor a plan hash (64 hex digits)',
  },
  // Configuration and usage (exit 2).
  CONFIG_BASE_URL: { outcome: 'usage', summary: 'the base URL is invalid, or plain http off loopback' },
  CONFIG_CREDENTIALS: { outcome: 'usage', summary: 'client id or secret missing from the environment' },
  CONFIG_SECRET_FILE: { outcome: 'usage', summary: 'the secret file cannot be read' },
  CONFIG_LEDGER: {
    outcome: 'usage',
    summary: 'the ledger URL is invalid, not TLS off loopback, or carries a password outside the environment',
  },
  CONFIG_REGION: { outcome: 'usage', summary: 'an unknown region' },
  CONFIG_UNTRUSTED_ENDPOINT: {
    outcome: 'usage',
    summary: 'the manifest names an endpoint that may not receive credentials from the environment',
  },
  CONFIG_READ: {
    outcome: 'usage',
    summary: 'a config file cannot be read, is not a regular file, or is over 1 MiB',
  },
  CONFIG_PARSE: { outcome: 'usage', summary: 'a config file is not valid YAML/JSON' },
  CONFIG_INVALID: {
    outcome: 'usage',
    summary: 'a config file has a value of the wrong shape (or a pattern that cannot run in linear time)',
  },
  CONFIG_ENV: { outcome: 'usage', summary: '--env names an environment the manifest does not have' },
  // The command line as commander reads it (cli/usage-errors.ts).
  USAGE_UNKNOWN_COMMAND: { outcome: 'usage', summary: 'a command flowgate does not have' },
  USAGE_UNKNOWN_OPTION: { outcome: 'usage', summary: 'an option the command does not have' },
  USAGE_MISSING_ARGUMENT: {
    outcome: 'usage',
    summary: "a command's required argument, or an option's value, is missing",
  },
  USAGE_TOO_MANY_ARGUMENTS: { outcome: 'usage', summary: 'more arguments than the command takes' },
  USAGE_INVALID_ARGUMENT: {
    outcome: 'usage',
    summary:
      "an option's or argument's value is refused by its parser (not a whole number, not one of the choices)",
  },
  USAGE_COMMAND_LINE: { outcome: 'usage', summary: 'any other command line that commander refuses' },
  USAGE_NO_INPUT: { outcome: 'usage', summary: 'no flow files and no manifest' },
  USAGE_NO_MANIFEST: {
    outcome: 'usage',
    summary: 'plan or deploy found no manifest (they deploy what a manifest lists, not files)',
  },
  USAGE_NO_MATCH: { outcome: 'usage', summary: 'a glob matched no file' },
  USAGE_SET: { outcome: 'usage', summary: '--set without key=value' },
  USAGE_MAX_FILE_SIZE: { outcome: 'usage', summary: '--max-file-size is not a positive number' },
  USAGE_ONLINE: { outcome: 'usage', summary: '--online without credentials' },
  USAGE_ID: { outcome: 'usage', summary: 'an id that is not an id (it would change the URL path)' },
  USAGE_LOCK_TIMEOUT: { outcome: 'usage', summary: '--lock-timeout is not an ISO-8601 duration' },
  USAGE_HEALTH_WINDOW: {
    outcome: 'usage',
    summary: '--health-window is not an ISO-8601 duration of more than zero',
  },
  USAGE_AUDIT_ANCHOR: {
    outcome: 'usage',
    summary: '--expect-head is not a SHA-256 in hex, or --expect-count not a whole number',
  },
  USAGE_EXPORT_FLAGS: {
    outcome: 'usage',
    summary: 'export flags that contradict each other (--version with --saved) or an invalid --concurrency',
  },
  USAGE_DIFF_FLAGS: {
    outcome: 'usage',
    summary:
      'diff --versions without a flow or without exactly two versions, or a flow (or --type) without --versions',
  },
  FLOW_NOT_FOUND: { outcome: 'usage', summary: 'the org has no flow of the name, type:name or id given' },
  FLOW_AMBIGUOUS: {
    outcome: 'usage',
    summary: 'the name given is the name of several flows (of different types) and no type says which',
  },
  FLOW_VERSION_NOT_FOUND: {
    outcome: 'usage',
    summary: 'diff --versions names a version the flow does not have',
  },
  USAGE_PORT: { outcome: 'usage', summary: 'an invalid port' },
  USAGE_TOKEN_TTL: { outcome: 'usage', summary: 'an invalid token lifetime' },
  SCENARIO_FLOW: {
    outcome: 'usage',
    summary:
      'a scenario file names a flow that cannot be found or read (a missing substitution value, broken YAML, no Archy flow)',
  },
  SCENARIO_NONE: { outcome: 'usage', summary: 'flowgate test found no *.test.yaml next to the flows' },
  TESTS_FAILED: {
    outcome: 'invalid',
    summary: 'a scenario case failed, so deploy (deploy.requireTests: true) refused to deploy',
  },
  EMULATOR_SEED: { outcome: 'usage', summary: 'the emulator seed is invalid' },
  EMULATOR_STATE: { outcome: 'usage', summary: 'the emulator state file is invalid' },
  EMULATOR_LISTEN: { outcome: 'failure', summary: 'the emulator cannot listen on the port' },
  OUTPUT_WRITE: {
    outcome: 'failure',
    summary: 'a file a flag names (test --output, adoption --html) cannot be written',
  },
  EMULATOR_ENV_FILE: { outcome: 'failure', summary: 'the emulator cannot write the file of --write-env' },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A registered error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The outcome of a code; unknown codes (from another module copy) are failures. */
export function outcomeOf(code: string): Outcome {
  return (ERROR_CODES as Record<string, ErrorCodeInfo>)[code]?.outcome ?? 'failure';
}
