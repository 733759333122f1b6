/**
 * The content a step deploys. It is never rebuilt: it is the text validation parsed (the flow file
 * after every substitution value merged, manifest < flow < environment < `--substitutions` <
 * `--set`, `config/deployment.ts`), so validation, the content hash, the diff, the import and the
 * ledger all see one text (issue 18 §1: a plan that re-applied only the manifest's values
 * published `__flow_name__`).
 */
import { createHash } from 'node:crypto';
import { FlowgateError } from '../errors.js';
import type { LoadedFlow } from '../flow/load.js';
import { findSubstitutionKeys } from '../flow/substitute.js';

/** SHA-256 of a text, hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A flow's final text and its hash, or why it has none. */
export type DeployableContent = { text: string; hash: string } | { problem: string };

/** The final text of a loaded flow, or why it may not be deployed (placeholders, unreadable file). */
export function deployableContent(loaded: LoadedFlow | undefined): DeployableContent {
  if (loaded?.substituted === undefined) return { problem: 'the file could not be read' };
  const keys = loaded.placeholders ?? [];
  if (keys.length > 0)
    return {
      problem: `no final text: ${keys.map((k) => `'{{ ${k} }}'`).join(', ')} ${keys.length === 1 ? 'has' : 'have'} no value that can stand there`,
    };
  return { text: loaded.substituted, hash: contentHash(loaded.substituted) };
}

/**
 * The last check before a text leaves the process for an import job: it is the text the ledger
 * recorded (same hash) and holds no substitution token.
 * @throws {FlowgateError} `CONTENT_NOT_FINAL` naming the key or the mismatch.
 */
export function assertFinalContent(
  flowName: string,
  content: string | undefined,
  recordedHash: string | undefined,
): string {
  if (content === undefined || content === '')
    throw new FlowgateError('CONTENT_NOT_FINAL', `${flowName}: the ledger holds no content to import`, {
      hint: 'Plan the deployment again from the flow file.',
    });
  const keys = findSubstitutionKeys(content);
  if (keys.length > 0)
    throw new FlowgateError(
      'CONTENT_NOT_FINAL',
      `${flowName}: the content still holds '{{ ${keys[0]} }}': it was never substituted`,
      { hint: `Give '${keys[0]}' a value (--set, --substitutions or the manifest) and plan again.` },
    );
  if (recordedHash !== undefined && contentHash(content) !== recordedHash)
    throw new FlowgateError(
      'CONTENT_NOT_FINAL',
      `${flowName}: the content differs from the one planned (hash ${recordedHash.slice(0, 12)}…)`,
      { hint: 'The ledger was changed after planning; plan the deployment again.' },
    );
  return content;
}
