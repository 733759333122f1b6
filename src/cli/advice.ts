/**
 * Flag advice the CLI adds to a library error's or a diagnostic's hint. Library hints name library
 * options only (they cannot know which flags a command has; `test/architecture.test.ts` fails on a
 * library hint that names a flag); the command line knows its flags.
 */
import type { ErrorCode } from '../error-codes.js';
import type { Diagnostic, DiagnosticCode } from '../flow/index.js';

/** Advice for an error: a text, or one chosen from the error's `details`. */
type Advice = string | ((details: Record<string, unknown>) => string | undefined);

const RESUME = 'flowgate deploy --resume finishes the deployment once the cause is fixed.';

/** Commander's usage errors (`usage-errors.ts`): the help of the command they are about. */
const USAGE: Advice = (d) =>
  typeof d.command === 'string' ? `${d.command} --help shows the usage.` : undefined;

const ADVICE: Partial<Record<ErrorCode, Advice>> = {
  USAGE_UNKNOWN_OPTION: USAGE,
  USAGE_UNKNOWN_COMMAND: USAGE,
  USAGE_MISSING_ARGUMENT: USAGE,
  USAGE_TOO_MANY_ARGUMENTS: USAGE,
  USAGE_INVALID_ARGUMENT: USAGE,
  USAGE_COMMAND_LINE: USAGE,
  API_LOCKED: 'flowgate deploy --force-unlock takes the lock (and says who held it).',
  LEDGER_LOCKED: 'Without --no-wait a deployment waits for the lock, up to --lock-timeout (PT5M, say).',
  API_FORBIDDEN: 'flowgate whoami lists the scopes the client has.',
  API_UNAUTHORIZED: 'flowgate whoami checks the credentials.',
  AUTH_FAILED: 'flowgate whoami checks the credentials; --region or --base-url picks the environment.',
  NETWORK_ERROR: '--region or --base-url picks the environment.',
  USAGE_NO_MANIFEST:
    '-m, --manifest FILE names a manifest elsewhere; flowgate validate checks flow files on their own.',
  USAGE_NO_INPUT: (d) =>
    d.missing === 'flows' ? '-m, --manifest FILE names a manifest elsewhere.' : undefined,
  AUDIT_LOG_MISSING: '--log names the log; --allow-missing accepts that none was written yet.',
  AUDIT_LOG_WRITE: RESUME,
  LEDGER_WRITE: RESUME,
  CONTENT_NOT_FINAL: (d) =>
    typeof d.unsubstituted === 'string'
      ? `--set ${d.unsubstituted}=VALUE or --substitutions FILE gives it a value.`
      : undefined,
  EMULATOR_SEED: '--seed FILE names the seed (YAML or JSON).',
  EMULATOR_LISTEN: '--port picks the port (0: any free one).',
  APPROVE_TARGET:
    'flowgate plan --env <name> prints the plan hash to approve; flowgate history lists deployments.',
  PROMOTE_NOTHING: 'flowgate deploy --env <from> publishes there first.',
  EXPORT_MANIFEST_EXISTS: 'flowgate export without --init writes the flow files only.',
  FLOW_AMBIGUOUS: (d) => {
    const first = Array.isArray(d.matches)
      ? (d.matches[0] as { type?: unknown } | undefined)?.type
      : undefined;
    return typeof d.flow === 'string' && typeof first === 'string'
      ? `--type picks one of them: flowgate diff "${d.flow}" --type ${first} --versions ${Array.isArray(d.versions) ? d.versions.join(' ') : 'a b'}`
      : undefined;
  },
  SCENARIO_FLOW: (d) =>
    d.missing === 'manifest'
      ? '-m, --manifest FILE names the manifest whose flows a scenario names.'
      : undefined,
};

const DIAGNOSTIC_ADVICE: Partial<Record<DiagnosticCode, string>> = {
  'unresolved-substitution':
    "--set KEY=VALUE or --substitutions FILE gives it one; -e, --env NAME takes an environment's values from the manifest.",
  'too-large': '--max-file-size raises the limit.',
};

/** The command-line advice for an error (its code, and the `details` some advice depends on). */
export function cliAdvice(code: string, details: Record<string, unknown> = {}): string | undefined {
  const advice = (ADVICE as Record<string, Advice | undefined>)[code];
  return typeof advice === 'function' ? advice(details) : advice;
}

/** A diagnostic's hint with the command line's advice after it. */
export function diagnosticHint(d: Pick<Diagnostic, 'code' | 'hint'>): string | undefined {
  const advice = (DIAGNOSTIC_ADVICE as Record<string, string | undefined>)[d.code];
  return [d.hint, advice].filter((h) => h !== undefined && h !== '').join(' ') || undefined;
}
