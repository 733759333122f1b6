/**
 * What the org really publishes, as Archy YAML: the export jobs' content (`platform/calls/export.ts`),
 * for the plan's content drift and `flowgate diff`. Jobs of up to 20 flows, 4 at once, through the
 * client's shared limiter.
 */
import { loadFlowText } from '../flow/load.js';
import type { PlatformClient } from '../platform/client.js';
import type { ExportRef, ExportYamlOptions } from '../platform/calls/export.js';
import { parseFlowValue } from './content.js';
import { semanticDiff, type SemanticDiff } from './diff.js';

/** The exported YAML of each ref, in order. */
export async function exportedContents(
  client: PlatformClient,
  refs: readonly ExportRef[],
  options: ExportYamlOptions & { batchSize?: number; concurrency?: number } = {},
): Promise<string[]> {
  const size = options.batchSize ?? 20;
  const batches: Array<{ at: number; refs: ExportRef[] }> = [];
  for (let i = 0; i < refs.length; i += size) batches.push({ at: i, refs: refs.slice(i, i + size) });
  const out = new Array<string>(refs.length);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const b = batches[next++]!;
      (await client.exports.exportYaml(b.refs, options)).forEach((t, i) => (out[b.at + i] = t));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, batches.length) }, worker));
  return out;
}

/** The semantic diff from one Archy text to another (`undefined` when either has no graph). */
export function textDiff(before: string, after: string, file = 'flow.yaml'): SemanticDiff | undefined {
  const a = loadFlowText(before, file).graph;
  const b = loadFlowText(after, file).graph;
  if (!a || !b) return undefined;
  return semanticDiff(a, b, { before: parseFlowValue(before), after: parseFlowValue(after) });
}
