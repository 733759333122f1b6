/**
 * The event parser's core: one piece of YAML text (the whole document, or a batch of a big list's
 * items cut by `yaml-chunks.ts`) parsed from js-yaml's events (`parseEvents`: one flat list of
 * mapping, sequence, scalar, alias and pop events carrying source offsets) by a plain loop that
 * builds the values and records their offsets in a shared table. `parse-events.ts` decides whether
 * to cut the text and puts the pieces together; this file knows nothing of the cutting, so the two
 * do not import each other.
 *
 * It reproduces `parse.ts` (the `yaml` package, YAML 1.2 core schema): plain scalars resolve with
 * the same tests in the same order; keys are stringified the same way; offsets point where `yaml`'s
 * node ranges start. Guards: duplicate keys, non-scalar keys, alias expansion, depth.
 */
import { createRequire } from 'node:module';
import { firstLine, type ParseProblem } from './parse.js';
import type { OffsetTable } from './offset-table.js';

type JsYaml = typeof import('js-yaml');
type Event = ReturnType<JsYaml['parseEvents']>[number];

const DOCUMENT = 1;
const SEQUENCE = 2;
const MAPPING = 3;
const SCALAR = 4;
const ALIAS = 5;
const POP = 6;
/** js-yaml's scalar styles (`SCALAR_STYLE`). */
const PLAIN = 1;
const SINGLE_QUOTED = 2;
const DOUBLE_QUOTED = 3;

// js-yaml is CommonJS-free ESM too, but loading it lazily keeps it off `validate`'s start-up.
const requireLazy = createRequire(import.meta.url);

/**
 * The prototype of every mapping: empty, frozen, and itself without a prototype. Mappings thus
 * inherit nothing (`constructor`, `toString` and `__proto__` are ordinary keys, as with
 * `Object.create(null)`), but unlike `Object.create(null)` objects V8 keeps them in fast mode with
 * shared shapes: a fraction of the memory and time on a big flow.
 */
const MAPPING_PROTO = Object.freeze(Object.create(null) as object);

interface Frame {
  map: boolean;
  value: Record<string, unknown> | unknown[];
  /** The container's own offset, and its children's in insertion order (kept in the table at its end). */
  self: number;
  children: number[];
  /** A mapping's keys in insertion order (parallel to `children`). */
  keys: string[];
  /** For a big mapping, the same keys as a set (the duplicate-key guard stays linear). */
  keySet: Set<string> | undefined;
  /** For a mapping: the key waiting for its value (undefined: the next node is a key). */
  key: string | undefined;
  keyOffset: number;
  /** Where the pending key's text ends (an empty value's position is found after it). */
  keyEnd: number;
  /** The pair is dropped (its key was not a scalar), as `parse.ts` drops it. */
  skip: boolean;
  anchor: string | undefined;
  /** Nodes inside, for the alias-expansion count. */
  nodes: number;
}

/** Where parsed fragments put their offsets (shared by the pieces of one document). */
export type PositionTable = OffsetTable;

/** A parsed fragment: its value and problems, offsets already in the whole text. */
export interface Fragment {
  value: unknown;
  problems: ParseProblem[];
}

/**
 * Parses one piece of text whose offsets start at `base` in the whole document, recording the
 * offsets of its containers in `positions`. Undefined: tags or several documents (`yaml` decides).
 */
export function parseFragment(
  text: string,
  base: number,
  positions: PositionTable,
  limits: { maxAliasNodes: number; maxDepth: number },
): Fragment | undefined {
  const { maxAliasNodes, maxDepth } = limits;
  const jsYaml = requireLazy('js-yaml') as JsYaml;
  const problems: ParseProblem[] = [];
  const at = (o: number) => (o < 0 ? o : o + base);
  const done = (value: unknown): Fragment => ({ value, problems });

  let events: Event[];
  try {
    // js-yaml counts depth by collections; one more than ours so that ours reports it.
    events = jsYaml.parseEvents(text, { maxDepth: maxDepth + 1 });
  } catch (e) {
    const mark = (e as { mark?: { position?: number } }).mark;
    const message = firstLine(String((e as Error).message));
    problems.push({
      code: /depth|call stack/i.test(message) || e instanceof RangeError ? 'too-deep' : 'parse-error',
      message,
      offset: at(mark?.position ?? -1),
    });
    return done(undefined);
  }

  let documents = 0;

  const anchors = new Map<string, { value: unknown; nodes: number }>();
  const stack: Frame[] = [];
  let root: unknown = null;
  let aliasNodes = 0;
  /** The end of the last node read (an empty sequence item's position is found after it). */
  let lastEnd = 0;

  /** Puts a finished value into its parent (or the root); false when the document must stop. */
  const attach = (
    value: unknown,
    offset: number,
    isScalar: boolean,
    keyText?: string,
    end = offset,
  ): void => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      root = value;
      return;
    }
    parent.nodes++;
    if (!parent.map) {
      (parent.value as unknown[]).push(value);
      parent.children.push(at(offset));
      return;
    }
    if (parent.key === undefined && !parent.skip) {
      if (!isScalar) {
        problems.push({
          code: 'non-scalar-key',
          message: 'a mapping key must be a scalar (text or number), not a mapping, sequence or alias',
          offset: at(offset),
        });
        parent.skip = true;
        return;
      }
      const key = keyText ?? String(value);
      if (parent.keys.length > 16 && !parent.keySet) parent.keySet = new Set(parent.keys);
      if (parent.keySet ? parent.keySet.has(key) : parent.keys.includes(key))
        problems.push({
          code: 'duplicate-key',
          message: `Map keys must be unique ('${key}')`,
          offset: at(offset),
        });
      parent.key = key;
      parent.keyOffset = offset;
      parent.keyEnd = end;
      return;
    }
    if (parent.skip) {
      parent.skip = false;
      return;
    }
    const key = parent.key!;
    parent.keys.push(key);
    parent.keySet?.add(key);
    parent.children.push(at(offset));
    (parent.value as Record<string, unknown>)[key] = value;
    parent.key = undefined;
  };

  /**
   * An empty scalar has no offset of its own; `yaml` places it just after its indicator (the `:` of
   * its key, or its `-`) and the blanks that follow on that line.
   */
  const emptyValueOffset = (): number => {
    const parent = stack[stack.length - 1];
    if (!parent) return -1;
    if (parent.map) return parent.key === undefined ? lastEnd : afterIndicator(text, parent.keyEnd, ':');
    return afterIndicator(text, lastEnd, '-');
  };

  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    // Each event is let go once read: the values grow while the events shrink, so a 50 MB flow
    // never holds both whole.
    (events as unknown[])[i] = undefined;
    if (e.type !== DOCUMENT && e.type !== POP && e.type !== ALIAS && e.tagStart >= 0) return undefined; // tags: `yaml` decides
    switch (e.type) {
      case DOCUMENT:
        if (++documents > 1) return undefined; // several documents: `yaml` decides
        break;
      case MAPPING:
      case SEQUENCE: {
        if (stack.length >= maxDepth) {
          problems.push({
            code: 'too-deep',
            message: `the document nests deeper than ${maxDepth} levels`,
            offset: at(e.start),
          });
          return done(undefined);
        }
        const map = e.type === MAPPING;
        const value = map ? (Object.create(MAPPING_PROTO) as Record<string, unknown>) : ([] as unknown[]);
        const offset = e.start;
        lastEnd = offset;
        attach(value, offset, false);
        stack.push({
          map,
          value,
          self: at(offset),
          children: [],
          keys: [],
          keySet: undefined,
          key: undefined,
          keyOffset: -1,
          keyEnd: -1,
          skip: false,
          anchor: e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : undefined,
          nodes: 1,
        });
        break;
      }
      case SCALAR: {
        // `fast`: the scalar is its source text (no escapes, no folding).
        const raw = e.fast ? text.slice(e.valueStart, e.valueEnd) : jsYaml.getScalarValue(text, e);
        const value = e.style === PLAIN ? resolvePlain(raw) : raw;
        const quoted = e.style === SINGLE_QUOTED || e.style === DOUBLE_QUOTED;
        const offset =
          e.valueStart < 0
            ? emptyValueOffset()
            : quoted && e.valueStart > 0
              ? e.valueStart - 1
              : e.style === PLAIN
                ? e.valueStart
                : blockIndicator(text, e.valueStart);
        const end = e.valueEnd < 0 ? offset : quoted ? e.valueEnd + 1 : e.valueEnd;
        lastEnd = Math.max(lastEnd, end);
        if (e.anchorStart >= 0) anchors.set(text.slice(e.anchorStart, e.anchorEnd), { value, nodes: 1 });
        attach(value, offset, true, e.style === PLAIN ? undefined : raw, end);
        break;
      }
      case ALIAS: {
        const name = text.slice(e.anchorStart, e.anchorEnd);
        const target = anchors.get(name);
        if (!target) {
          problems.push({
            code: 'parse-error',
            message: `unknown alias *${name}`,
            offset: at(e.anchorStart - 1),
          });
          return done(undefined);
        }
        aliasNodes += target.nodes;
        if (aliasNodes > maxAliasNodes) {
          problems.push({
            code: 'alias-limit',
            message: `alias expansion would add more than ${maxAliasNodes} nodes (a "billion laughs" document?)`,
            offset: at(e.anchorStart - 1),
          });
          return done(undefined);
        }
        lastEnd = Math.max(lastEnd, e.anchorEnd);
        // An alias used as a key is not a scalar key (as `parse.ts` says).
        attach(
          target.value,
          e.anchorStart - 1,
          typeof target.value !== 'object' || target.value === null,
          undefined,
          e.anchorEnd,
        );
        // What the alias stands for counts in its parent's size: nested aliases compound.
        const parent = stack[stack.length - 1];
        if (parent) parent.nodes += target.nodes - 1;
        break;
      }
      case POP: {
        const frame = stack.pop();
        if (!frame) break; // the document's own end
        positions.add(frame.value, frame.self, frame.children, frame.map ? frame.keys : undefined);
        const parent = stack[stack.length - 1];
        if (parent) parent.nodes += frame.nodes - 1;
        if (frame.anchor !== undefined) anchors.set(frame.anchor, { value: frame.value, nodes: frame.nodes });
        break;
      }
    }
  }
  return done(root);
}

/**
 * A plain scalar under the YAML 1.2 core schema, tested in the order `yaml` tests it: null, bool,
 * octal, decimal and hexadecimal int, then .inf/.nan, exponent and plain floats; else a string.
 */
export function resolvePlain(s: string): unknown {
  // Most scalars of a flow are names and prompts: a first letter that no special value starts
  // with settles it without a single regular expression.
  const c = s.charCodeAt(0);
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (letter && (s.length > 5 || !'nNtTfF'.includes(s[0]!))) return s;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s))
    return s.slice(-3).toLowerCase() === 'nan'
      ? NaN
      : s[0] === '-'
        ? Number.NEGATIVE_INFINITY
        : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

/** The offset after the next `indicator` from `from` (comments skipped) and the blanks after it. */
function afterIndicator(text: string, from: number, indicator: string): number {
  let i = from;
  while (i < text.length && text[i] !== indicator) {
    if (text[i] === '#' && (i === 0 || /\s/.test(text[i - 1]!)))
      while (i < text.length && text[i] !== '\n') i++;
    else i++;
  }
  if (i >= text.length) return from;
  i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** Where a block scalar's `|` or `>` is: `yaml` starts the node there, js-yaml at its content. */
function blockIndicator(text: string, contentStart: number): number {
  let i = contentStart - 1;
  while (i >= 0 && text[i] !== '|' && text[i] !== '>') i--;
  return i >= 0 ? i : contentStart;
}
