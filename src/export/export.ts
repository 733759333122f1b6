/**
 * `flowgate export`: the org's flows as Archy YAML files. The flows are listed once, chosen
 * (`select.ts`), exported through export jobs of up to `batchSize` flows each (the platform's
 * downloads: one YAML file, or a zip), `concurrency` jobs at a time, every call through the client's
 * shared rate limiter (a 429 waits its `Retry-After`, it never fails the export). Each file is
 * written only when its text changed, so a re-run says which flows changed. With `init`, the names
 * that differ between orgs become tokens (`tokens.ts`) and a manifest lists the files in dependency
 * order (`init.ts`).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { writeError } from '../shared/write-error.js';
import { dirname, join } from 'node:path';
import { JobFailedError } from '../platform/errors.js';
import type { PlatformClient } from '../platform/client.js';
import type { ExportYamlOptions } from '../platform/calls/export.js';
import { filePaths } from './file-names.js';
import { selectFlows, type ExportFilter, type SelectedFlow, type VersionChoice } from './select.js';
import { TokenRegistry, tokenize } from './tokens.js';

/** Options of {@link exportFlows}. */
export interface ExportOptions {
  client: PlatformClient;
  /** The folder the flow files go to. */
  out: string;
  filter?: ExportFilter;
  /** @default published */
  choice?: VersionChoice;
  /** Turn org-specific names into tokens (`--init`; the manifest is `init.ts`'s). */
  tokens?: boolean;
  /** Flows per export job. @default 20 */
  batchSize?: number;
  /** Export jobs at once. @default 4 */
  concurrency?: number;
  /** Polling and re-run settings of each job. */
  job?: ExportYamlOptions;
  /** A header line for every file, e.g. where it came from. */
  origin?: string;
  onProgress?: (e: ExportProgress) => void;
}

/** What happened to one file. */
export type FileChange = 'created' | 'updated' | 'unchanged';

/** One exported flow. */
export interface ExportedFlow {
  flowId: string;
  name: string;
  type: string;
  version: string;
  /** The file, relative to `out`. */
  file: string;
  change: FileChange;
  /** The export's text, before any token (what the org publishes). */
  content: string;
  /** Token keys the file holds. */
  tokens: string[];
  /** Why the file kept its names (no tokens), when it did. */
  kept?: string;
}

/** A flow that was not exported. */
export interface NotExported {
  flowId: string;
  name: string;
  type: string;
  reason: string;
}

/**
 * Progress. `done` counts flows whose job ended (downloaded, failed) or that were skipped, for a
 * bar; `written` events follow, one per file, once every job ended (tokens are shared by all files).
 */
export type ExportProgress =
  | { done: number; total: number; kind: 'downloaded'; name: string; type: string }
  | { done: number; total: number; kind: 'skipped' | 'failed'; flow: NotExported }
  | { done: number; total: number; kind: 'written'; flow: ExportedFlow };

/** The result of an export. */
export interface ExportResult {
  exported: ExportedFlow[];
  skipped: NotExported[];
  failed: NotExported[];
  /** Every token's value in the exported org (empty without `tokens`). */
  values: Record<string, string>;
  /** Token key → kind, for the files' headers and the manifest. */
  tokenKinds: Record<string, string>;
}

/** Exports the chosen flows of the org into `out`. */
export async function exportFlows(o: ExportOptions): Promise<ExportResult> {
  const all = await o.client.flows.list(o.filter?.types?.length ? { type: o.filter.types } : {});
  const { selected, skipped } = selectFlows(all, o.filter ?? {}, o.choice ?? { kind: 'published' });
  const total = selected.length + skipped.length;
  let done = 0;
  const result: ExportResult = { exported: [], skipped: [], failed: [], values: {}, tokenKinds: {} };
  for (const s of skipped) {
    const entry = { ...ref(s.flow), reason: s.reason };
    result.skipped.push(entry);
    o.onProgress?.({ done: ++done, total, kind: 'skipped', flow: entry });
  }
  const paths = filePaths(selected.map((s) => ({ type: s.flow.type ?? 'flow', name: s.flow.name })));
  const texts = new Map<SelectedFlow, string>();
  const batches = chunk(selected, o.batchSize ?? 20);
  await pool(batches, o.concurrency ?? 4, async (batch) => {
    for (const [s, text] of await exportBatch(o, batch, result)) texts.set(s, text);
    for (const s of batch) {
      const failed = texts.has(s) ? undefined : result.failed.find((f) => f.flowId === s.flow.id);
      if (failed) o.onProgress?.({ done: ++done, total, kind: 'failed', flow: failed });
      else o.onProgress?.({ done: ++done, total, kind: 'downloaded', ...ref(s.flow) });
    }
  });
  const registry = new TokenRegistry();
  for (const [i, s] of selected.entries()) {
    const content = texts.get(s);
    if (content === undefined) continue;
    const tokenized = o.tokens ? tokenize(content, registry) : { text: content, keys: [] };
    const file = paths[i]!;
    const text = header(s, tokenized.keys, registry, o.origin) + tokenized.text;
    const flow: ExportedFlow = {
      ...ref(s.flow),
      version: s.version,
      file,
      change: await writeIfChanged(join(o.out, file), text),
      content,
      tokens: tokenized.keys,
    };
    if ('kept' in tokenized && tokenized.kept !== undefined) flow.kept = tokenized.kept;
    result.exported.push(flow);
    o.onProgress?.({ done, total, kind: 'written', flow });
  }
  result.values = registry.values();
  result.tokenKinds = Object.fromEntries([...registry.entries].map(([k, e]) => [k, e.kind]));
  return result;
}

function ref(flow: SelectedFlow['flow']): { flowId: string; name: string; type: string } {
  return { flowId: flow.id, name: flow.name, type: (flow.type ?? '').toLowerCase() };
}

/**
 * The texts of one batch. A job that fails for good is split, so one flow that cannot be exported
 * fails alone and the others still come out.
 */
async function exportBatch(
  o: ExportOptions,
  batch: SelectedFlow[],
  result: ExportResult,
): Promise<Array<[SelectedFlow, string]>> {
  try {
    const texts = await o.client.exports.exportYaml(
      batch.map((s) => ({ flowId: s.flow.id, version: s.version })),
      o.job,
    );
    return batch.map((s, i) => [s, texts[i]!]);
  } catch (e) {
    if (!(e instanceof JobFailedError) || batch.length === 1) {
      for (const s of batch) result.failed.push({ ...ref(s.flow), reason: (e as Error).message });
      return [];
    }
    const half = Math.ceil(batch.length / 2);
    return [
      ...(await exportBatch(o, batch.slice(0, half), result)),
      ...(await exportBatch(o, batch.slice(half), result)),
    ];
  }
}

/** The comment at a file's top: where it came from, and the tokens it holds (without braces). */
function header(
  s: SelectedFlow,
  keys: string[],
  registry: TokenRegistry,
  origin: string | undefined,
): string {
  const lines = [
    `# Exported by flowgate: ${s.flow.type?.toLowerCase() ?? 'flow'} '${oneLine(s.flow.name)}', version ${s.version}${origin ? `, from ${oneLine(origin)}` : ''}.`,
  ];
  if (keys.length > 0) {
    lines.push('# Tokens (values in the substitutions of each environment):');
    for (const k of keys) lines.push(`#   ${k}: ${registry.entries.get(k)!.kind}`);
  }
  return `${lines.join('\n')}\n`;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** Writes `text` unless the file holds it already (atomically: a temporary file, then rename). */
export async function writeIfChanged(path: string, text: string): Promise<FileChange> {
  const before = await readFile(path, 'utf8').catch(() => undefined);
  if (before === text) return 'unchanged';
  const tmp = `${path}.flowgate-tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    throw writeError(path, 'export', e);
  }
  return before === undefined ? 'created' : 'updated';
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

/** Runs `work` over `items`, at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}
