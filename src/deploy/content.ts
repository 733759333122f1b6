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
import type { BlockReason } from './types.js';
import { findSubstitutionKeys, parseYaml, parseYamlEvents } from '../flow/index.js';

/** SHA-256 of a text, hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * SHA-256 of a flow's meaning: its YAML (or JSON) value with mapping keys sorted, so quoting,
 * key order, comments and layout do not count (issue 20 §5); list order does. A text that does
 * not parse is hashed with its line ends and trailing blanks normalized.
 */
export function normalizedHash(text: string): string {
  const value = parseFlowValue(text.replace(/^\uFEFF/, ''));
  if (value !== undefined) return contentHash(canonicalJson(value));
  return contentHash(
    text
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+$/gm, '')
      .trimEnd(),
  );
}

/** A flow text's YAML (or JSON) value, or `undefined` when it does not parse. */
export function parseFlowValue(text: string): unknown {
  const doc = parseYamlEvents(text, { declineProblems: true }) ?? parseYaml(text);
  return doc.problems.length > 0 ? undefined : doc.value;
}

/** JSON with every object's keys sorted (key order is not content). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether a recorded step deployed the same flow as `text` (same text, or the same meaning). */
export function sameFlow(
  recorded: { content?: string | undefined; contentHash?: string | undefined },
  text: string,
  hash: string | undefined,
): boolean {
  if (recorded.contentHash !== undefined && recorded.contentHash === hash) return true;
  if (recorded.content === undefined) return false;
  return normalizedHash(recorded.content) === normalizedHash(text);
}

/**
 * A flow file that gave no text at all (missing, a folder, too large, empty, binary): one reason,
 * named with where the manifest lists the file (issue 20 §12: "flows/x.yaml (manifest line 7): no
 * such file", not a count of validation errors at `:0:0`). `undefined` for a file that was read.
 */
export function unreadableFile(
  loaded: LoadedFlow | undefined,
  entry: { listedAt?: { line: number } | undefined },
): BlockReason | undefined {
  if (!loaded || loaded.text !== undefined || loaded.graph !== undefined) return undefined;
  const why = loaded.diagnostics.find((d) => d.severity === 'error')?.message ?? 'cannot be read';
  const where = entry.listedAt ? `${loaded.file} (manifest line ${entry.listedAt.line})` : loaded.file;
  return { kind: 'file', message: `${where}: ${why}` };
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
