/**
 * Loading one flow definition: text → substitutions → parse with positions → `FlowGraph`.
 */
import { archyToGraph, isArchyDocument, type Locator } from './graph/archy/archy.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { FlowGraph } from './graph/flow-graph.js';
import { graphJsonToGraph, isGraphJsonDocument } from './graph/graph-json/graph-json.js';
import { parseJsonFast, parseYaml, type ParsedDocument } from './parse/parse.js';
import { parseYamlEvents } from './parse/parse-events.js';
import { isUtf8 } from 'node:buffer';
import { scanGraphJson } from './graph/graph-json/graph-json-scan.js';
import { decodeSourceBytes, LineIndex, readSourceBytes, MAX_FILE_BYTES } from './source/source-text.js';
import { applySubstitutions } from './source/substitute.js';

/** Parse problems shown per file. */
const MAX_PARSE_PROBLEMS = 5;

/** Options for loading flows. */
export interface LoadOptions {
  /** `{{ key }}` values. */
  substitutions?: Readonly<Record<string, string>>;
  /** Where each value came from (`--set`, a file, a manifest entry), named in findings about it. */
  substitutionOrigins?: Readonly<Record<string, string>>;
  /** Largest file accepted. @default 10 MiB */
  maxFileBytes?: number;
  /**
   * Above this size, JSON that is not plain graph JSON drops positions for speed (`JSON.parse`),
   * and a YAML problem is reported in js-yaml's words instead of `yaml`'s (whose Documents take
   * about 1 s per MB, ECOSYSTEM.md §2.5). YAML keeps its positions at every size. @default 1 MiB
   */
  fastPathBytes?: number;
  /**
   * Where a manifest lists this file: a file that cannot be read is reported with that line as
   * its related location, since the mistake is usually the path written there.
   */
  listedAt?: { file: string; line: number; column: number };
}

/** The outcome of loading one file. */
export interface LoadedFlow {
  file: string;
  /** The original text (for showing source lines); absent when the file could not be read. */
  text?: string;
  /**
   * The text after substitutions: exactly what validation parsed, and so the only text a deployment
   * may send (`deploy/content.ts`). Absent when the file could not be read.
   */
  substituted?: string;
  /**
   * Keys whose `{{ key }}` was left as a `__key__` placeholder (no value, or a value that could not
   * stand there safely): such a text validates, but must never leave the process.
   */
  placeholders?: string[];
  graph?: FlowGraph;
  diagnostics: Diagnostic[];
}

/** Reads and loads a flow file. Never throws for bad input: problems become diagnostics. */
export async function loadFlowFile(file: string, options: LoadOptions = {}): Promise<LoadedFlow> {
  const read = await readSourceBytes(file, options.maxFileBytes ?? MAX_FILE_BYTES);
  if ('problem' in read) {
    const at = options.listedAt;
    return {
      file,
      diagnostics: [
        // The file as a whole: no line in it (line 0 stands for none).
        diagnostic(
          read.problem.code,
          read.problem.message,
          { file },
          at
            ? {
                hint: `${read.problem.hint} Paths in a manifest are relative to its folder.`,
                related: [{ message: 'listed in the manifest here', ...at }],
              }
            : { hint: read.problem.hint },
        ),
      ],
    };
  }
  const fast = scanIfPlainGraphJson(read.bytes, file, options);
  return fast ?? loadFlowBytes(read.bytes, file, options);
}

/** Loads a flow from bytes (for stdin and the emulator's import jobs). */
export function loadFlowBytes(bytes: Uint8Array, file: string, options: LoadOptions = {}): LoadedFlow {
  const decoded = decodeSourceBytes(bytes);
  if ('problem' in decoded) {
    return {
      file,
      diagnostics: [
        diagnostic(decoded.problem.code, decoded.problem.message, { file }, { hint: decoded.problem.hint }),
      ],
    };
  }
  return loadFlowText(decoded.text, file, options);
}

/** Loads a flow from text already in memory. */
export function loadFlowText(original: string, file: string, options: LoadOptions = {}): LoadedFlow {
  const diagnostics: Diagnostic[] = [];
  const lines = new LineIndex(original);
  const json = /\.json$/i.test(file) || /^\s*[[{]/.test(original.slice(0, 64));
  const sub = applySubstitutions(original, options.substitutions ?? {}, json ? 'json' : 'yaml');
  for (const u of sub.unsafe) {
    const origin =
      options.substitutionOrigins?.[u.key] ??
      options.substitutionOrigins?.[u.key.replace(/^substitutions\./, '')];
    diagnostics.push(
      diagnostic(
        'unsafe-substitution',
        `the value of '{{ ${u.key} }}'${origin ? ` (from ${origin})` : ''} ${u.reason}`,
        { file, ...lines.position(u.offset) },
        { hint: 'Quote the value where the token stands in the file, or change the value.' },
      ),
    );
  }
  for (const t of sub.unresolved) {
    const p = lines.position(t.offset);
    diagnostics.push(
      diagnostic(
        'unresolved-substitution',
        `substitution '{{ ${t.key} }}' has no value`,
        { file, ...p },
        {
          hint: `Pass --set ${t.key}=VALUE, or add '${t.key}' to a --substitutions file or the manifest.`,
        },
      ),
    );
  }
  const pos = (offset: number) =>
    offset < 0 ? { line: 0, column: 0 } : lines.position(sub.toOriginal(offset));
  const big = sub.text.length > (options.fastPathBytes ?? 1024 * 1024);
  let doc: ParsedDocument;
  if (big && json) doc = parseJsonFast(sub.text);
  else
    // YAML at any size keeps positions through js-yaml's events. It declines explicit tags and
    // several documents, and below the fast-path size any problem, so that `yaml` (slower, with
    // its own words) decides those exactly as before.
    doc = parseYamlEvents(sub.text, { declineProblems: !big }) ?? parseYaml(sub.text);
  // After the first few, parse errors are mostly echoes of the first: count the rest.
  const shown = doc.problems.slice(0, MAX_PARSE_PROBLEMS);
  for (const p of shown) {
    diagnostics.push(
      diagnostic(
        p.code,
        p.message,
        { file, ...pos(p.offset) },
        {
          hint:
            p.code === 'duplicate-key'
              ? 'Remove or rename one of the keys.'
              : p.code === 'alias-limit'
                ? 'Do not expand aliases recursively.'
                : p.code === 'too-deep'
                  ? 'Flatten the document.'
                  : 'Fix the syntax at this position.',
        },
      ),
    );
  }
  if (doc.problems.length > shown.length) {
    const count = doc.problems.length - shown.length;
    const note = diagnostic(
      'truncated',
      `${count} more parse problem${count === 1 ? '' : 's'} left out`,
      { file },
      {
        hint: 'Fix the first one: the others often follow from it.',
      },
    );
    note.leftOut = { code: 'parse-error', count };
    diagnostics.push(note);
  }
  const placeholders = [...new Set([...sub.unresolved, ...sub.unsafe].map((t) => t.key))];
  const texts = { text: original, substituted: sub.text, placeholders };
  if (doc.problems.length > 0) return { file, ...texts, diagnostics };
  const locate: Locator = (container, key) =>
    container === undefined ? { line: 1, column: 1 } : pos(doc.offsetOf(container, key));
  let graph: FlowGraph;
  // What an unresolved or unsafe token left in the text was reported already: no second finding.
  const left = placeholders.map((k) => `__${k}__`);
  if (isArchyDocument(doc.value)) graph = archyToGraph(doc.value, file, locate, { placeholders: left });
  else if (isGraphJsonDocument(doc.value)) graph = graphJsonToGraph(doc.value, file, locate);
  else if (rootIsPlaceholder(doc.value, left)) return { file, ...texts, diagnostics };
  else {
    diagnostics.push(
      diagnostic(
        'unknown-root',
        'the document is neither an Archy flow (a flow-type root key such as inboundCall) nor graph JSON ({nodes, edges})',
        { file, line: 1, column: 1 },
        {
          hint: 'Start an Archy file with its flow type key, or give graph JSON a "nodes" list.',
        },
      ),
    );
    return { file, ...texts, diagnostics };
  }
  for (const d of graph.diagnostics) diagnostics.push(d);
  return { file, ...texts, graph, diagnostics };
}

/** The document's root key is what an unresolved token left (`{{ flow_type }}:`): reported already. */
function rootIsPlaceholder(doc: unknown, placeholders: readonly string[]): boolean {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    !Array.isArray(doc) &&
    Object.keys(doc).some((k) => placeholders.some((p) => k.includes(p)))
  );
}

/**
 * Plain graph JSON (no substitution tokens, valid UTF-8) is scanned straight from the bytes, with
 * positions: ASCII files at any size (byte columns are character columns there), others above the
 * fast-path size. Anything else, or anything the scanner does not support, takes the general path.
 */
function scanIfPlainGraphJson(bytes: Buffer, file: string, options: LoadOptions): LoadedFlow | undefined {
  let first = 0;
  while (
    first < bytes.length &&
    (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09)
  )
    first++;
  if (bytes[first] !== 0x7b || bytes.includes('{{') || !isUtf8(bytes)) return undefined;
  const big = bytes.length > (options.fastPathBytes ?? 1024 * 1024);
  if (!big && !isAscii(bytes)) return undefined;
  const graph = scanGraphJson(bytes, file);
  if (!graph) return undefined;
  if (big) return { file, graph, diagnostics: [...graph.diagnostics] };
  // No `{{` in the bytes: the text is its own substituted form.
  const text = bytes.toString('utf8');
  return { file, text, substituted: text, placeholders: [], graph, diagnostics: [...graph.diagnostics] };
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}
