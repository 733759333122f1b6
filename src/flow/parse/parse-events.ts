/**
 * YAML with positions at any size: js-yaml's event parser (`parseEvents`: one flat list of
 * mapping, sequence, scalar, alias and pop events carrying source offsets) and a plain loop that
 * builds the values and the same side table of offsets as `parse.ts` (`yaml-fragment.ts`); above
 * a size, a flow's big lists are cut into batches first (`yaml-chunks.ts`). About 15 × faster than
 * building `yaml` Documents, and linear in memory, so the file:line:column of every finding no
 * longer stops at 1 MiB.
 *
 * It reproduces `parse.ts` (the `yaml` package, YAML 1.2 core schema): plain scalars resolve with
 * the same tests in the same order; keys are stringified the same way; offsets point where `yaml`'s
 * node ranges start. Guards: duplicate keys, non-scalar keys, alias expansion, depth.
 *
 * It declines (returns undefined, and `parse.ts` decides) what it does not reproduce: explicit tags,
 * several documents, and, when asked, any problem (so messages stay `yaml`'s below the size where
 * that path is affordable).
 */
import type { ParsedDocument, ParseLimits } from './parse.js';
import { OffsetTable } from './offset-table.js';
import { parseInChunks } from './yaml-chunks.js';
import { parseFragment } from './yaml-fragment.js';

/** Options of {@link parseYamlEvents}. */
export interface EventParseOptions extends ParseLimits {
  /** Return undefined instead of a problem, so the caller can report it with `yaml`'s words. */
  declineProblems?: boolean;
  /** Parse big lists in chunks from this many characters. @default 2 MiB */
  chunkAbove?: number;
  /** Lists shorter than this stay unchunked (tests lower it). @default 256 KiB */
  chunkMinRegion?: number;
}

/**
 * Parses YAML keeping offsets, or returns undefined when this path does not reproduce `parse.ts`
 * for the text (see the module comment). Above `chunkAbove` characters, the big lists of a flow
 * are parsed a piece at a time (`yaml-chunks.ts`), so memory follows the values, not the events.
 */
export function parseYamlEvents(text: string, options: EventParseOptions = {}): ParsedDocument | undefined {
  const positions = new OffsetTable();
  const offsetOf = (container: object, key?: string | number): number => positions.offsetOf(container, key);
  const limits = { maxAliasNodes: options.maxAliasNodes ?? 10_000, maxDepth: options.maxDepth ?? 400 };
  const parsed =
    (text.length >= (options.chunkAbove ?? CHUNK_ABOVE)
      ? parseInChunks(text, positions, limits, options.chunkMinRegion)
      : undefined) ?? parseFragment(text, 0, positions, limits);
  if (!parsed) return undefined;
  if (parsed.problems.length > 0 && options.declineProblems) return undefined;
  return {
    value: parsed.problems.length > 0 ? undefined : parsed.value,
    problems: parsed.problems,
    offsetOf,
    hasPositions: true,
  };
}

/** Texts from this size are parsed in chunks when they can be. */
const CHUNK_ABOVE = 2 * 1024 * 1024;
