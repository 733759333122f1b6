/**
 * Big Archy files are long lists (`tasks:`, `menus:`, `states:` under the flow's root key). The
 * event parser holds one event object per node until the end of its input, so a 50 MB flow would
 * hold tens of millions of them at once. Here the text is cut at the items of those lists: the
 * rest of the document (the "skeleton", each list blanked out with spaces so that every offset
 * stays where it was) and then each batch of items are parsed on their own, and the lists are put
 * back. Memory then follows the values, and the result is the same as parsing the whole text.
 *
 * The cut relies on block indentation: a line that starts a list item at the list's indentation
 * cannot be inside a block scalar, a quoted scalar or a flow collection of an item (those lines
 * are indented deeper). Anything that does not fit (tabs, anchors that could cross a cut, a
 * layout other than one root key with block lists) returns undefined and the text is parsed whole.
 */
import { parseFragment, type Fragment, type PositionTable } from './yaml-fragment.js';

/** One block list worth cutting. */
export interface ListRegion {
  /** The key under the root mapping that holds the list. */
  key: string;
  /** Offset of the first item's line, and the end of its last content line (exclusive). */
  start: number;
  end: number;
  /** Offset of each item's line. */
  items: number[];
}

/** Lists smaller than this stay in the skeleton. */
const MIN_REGION = 256 * 1024;
/** Items are parsed in batches of about this many characters. */
const BATCH = 512 * 1024;

/** The big block lists directly under the root key, or [] when the layout is not the plain one. */
export function listRegions(text: string, minRegion = MIN_REGION): ListRegion[] {
  const regions: ListRegion[] = [];
  let childIndent = -1;
  let rootSeen = false;
  /** The key whose value may be a list, until its first content line says. */
  let pendingKey: string | undefined;
  let open: (ListRegion & { indent: number }) | undefined;
  const close = (end: number) => {
    if (open && open.end - open.start >= minRegion)
      regions.push({ key: open.key, start: open.start, end, items: open.items });
    open = undefined;
  };
  for (let lineStart = 0; lineStart < text.length;) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    const next = nl === -1 ? text.length : nl + 1;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const c = text[i];
    if (i === lineEnd || c === '\r' || c === '#') {
      lineStart = next;
      continue; // blank or comment-only
    }
    const indent = i - lineStart;
    if (!rootSeen) {
      if (indent !== 0 || !/^[A-Za-z][\w]*:\s*(#.*)?\r?$/.test(text.slice(i, lineEnd))) return [];
      rootSeen = true;
      lineStart = next;
      continue;
    }
    if (open) {
      const item = indent === open.indent && c === '-' && (i + 1 === lineEnd || /\s/.test(text[i + 1]!));
      if (indent > open.indent || item) {
        if (item) open.items.push(lineStart);
        open.end = lineEnd;
        lineStart = next;
        continue;
      }
      close(open.end);
    }
    if (indent === 0) return regions.length ? regions : []; // a second root key: stop here
    if (childIndent === -1) childIndent = indent;
    if (
      pendingKey !== undefined &&
      indent >= childIndent &&
      c === '-' &&
      (i + 1 === lineEnd || /\s/.test(text[i + 1]!))
    ) {
      open = { key: pendingKey, start: lineStart, end: lineEnd, items: [lineStart], indent };
      pendingKey = undefined;
      lineStart = next;
      continue;
    }
    pendingKey = undefined;
    if (indent === childIndent) {
      const m = /^([A-Za-z_][\w-]*):\s*(#.*)?\r?$/.exec(text.slice(i, lineEnd));
      if (m) pendingKey = m[1];
    } else if (indent < childIndent) return [];
    lineStart = next;
  }
  close(open?.end ?? 0);
  return regions;
}

/**
 * Parses a big flow in pieces (see the module comment); undefined when it cannot be cut, or when a
 * piece has a problem (the whole text is then parsed at once, which reports it).
 */
export function parseInChunks(
  text: string,
  positions: PositionTable,
  limits: { maxAliasNodes: number; maxDepth: number },
  minRegion = MIN_REGION,
): Fragment | undefined {
  if (text.includes('\t') || /(^|[\s[{,])[&*][^\s]/.test(text)) return undefined;
  const regions = listRegions(text, minRegion);
  if (regions.length === 0) return undefined;
  let skeleton = '';
  let last = 0;
  for (const r of regions) {
    skeleton += text.slice(last, r.start) + ' '.repeat(r.end - r.start);
    last = r.end;
  }
  skeleton += text.slice(last);
  const root = parseFragment(skeleton, 0, positions, limits);
  if (!root || root.problems.length > 0) return undefined;
  const flow = rootMapping(root.value);
  if (!flow) return undefined;
  for (const r of regions) {
    if (flow[r.key] !== null) return undefined;
    const items: unknown[] = [];
    const offsets: number[] = [];
    let self: number | undefined;
    for (let b = 0; b < r.items.length;) {
      const from = r.items[b]!;
      let e = b + 1;
      while (e < r.items.length && r.items[e]! - from < BATCH) e++;
      const to = e < r.items.length ? r.items[e]! : r.end;
      const piece = parseFragment(text.slice(from, to), from, positions, {
        ...limits,
        // The items sit two levels down (root mapping, flow mapping) in the whole document.
        maxDepth: limits.maxDepth - 2,
      });
      if (!piece || piece.problems.length > 0 || !Array.isArray(piece.value)) return undefined;
      const own = positions.sequence(piece.value);
      if (!own || piece.value.length !== e - b) return undefined;
      self ??= own.self;
      for (let k = 0; k < piece.value.length; k++) {
        items.push(piece.value[k]);
        offsets.push(own.items[k]!);
      }
      b = e;
    }
    flow[r.key] = items;
    positions.add(items, self ?? -1, offsets);
    positions.setChild(flow, r.key, self ?? -1);
  }
  return { value: root.value, problems: [] };
}

/** The mapping under the document's one root key. */
function rootMapping(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const flow = (value as Record<string, unknown>)[keys[0]!];
  return typeof flow === 'object' && flow !== null && !Array.isArray(flow)
    ? (flow as Record<string, unknown>)
    : undefined;
}
