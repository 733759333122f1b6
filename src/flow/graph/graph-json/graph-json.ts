/**
 * Plain graph JSON → {@link FlowGraph}, for teams whose designs come from other tools:
 * `{nodes:[{id, type?, name?}], edges:[{source, target, label?}], start?}`.
 * Without `start`, the start is the node no edge enters.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics.js';
import { FlowGraphBuilder, NodeFlag, type FlowGraph } from '../flow-graph.js';
import type { Locator } from '../archy/archy.js';

/** Node types that end a path or leave the flow. */
export const EXIT_TYPE = /^(disconnect|exit|terminal|hangup|stop|transfer.*|end.*)$/i;

/** True when a document has the graph JSON shape. */
export function isGraphJsonDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && Array.isArray((doc as { nodes?: unknown }).nodes);
}

/** Builds the graph of a graph-JSON document. Linear in nodes + edges. */
export function graphJsonToGraph(doc: unknown, file: string, locate: Locator): FlowGraph {
  const root = doc as { nodes?: unknown; edges?: unknown; start?: unknown; name?: unknown; type?: unknown };
  const nodes = Array.isArray(root.nodes) ? (root.nodes as unknown[]) : [];
  const edges = Array.isArray(root.edges) ? (root.edges as unknown[]) : [];
  const b = new FlowGraphBuilder(file, 'graph-json', nodes.length, edges.length);
  const at = (holder: object | undefined, key?: string | number) => ({ file, ...locate(holder, key) });
  if (root.edges !== undefined && !Array.isArray(root.edges)) {
    b.diagnostics.push(diagnostic('schema', `'edges' must be a list of {source, target}`, at(root, 'edges')));
  }
  const index = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as { id?: unknown; type?: unknown; name?: unknown } | null;
    const id = n !== null && typeof n === 'object' ? n.id : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') {
      b.diagnostics.push(diagnostic('schema', `nodes[${i}] needs a string 'id'`, at(nodes, i)));
      b.addNode(`#${i}`, 'node', 'node', undefined, -1, 0, 0);
      continue;
    }
    const key = String(id);
    const type = typeof n!.type === 'string' ? n!.type : 'node';
    const name = typeof n!.name === 'string' ? n!.name : undefined;
    const p = locate(nodes, i);
    const flags = EXIT_TYPE.test(type) ? NodeFlag.Exit | NodeFlag.Terminal : 0;
    const node = b.addNode(key, 'node', type, name, -1, p.line, p.column, flags);
    const previous = index.get(key);
    if (previous !== undefined) {
      b.diagnostics.push(
        duplicateIdFinding(key, previous, at(nodes, i), {
          line: b.line(previous),
          column: b.column(previous),
        }),
      );
    } else {
      index.set(key, node);
    }
  }
  const hasIn = new Uint8Array(b.nodeCount);
  for (let e = 0; e < edges.length; e++) {
    const edge = edges[e] as { source?: unknown; target?: unknown } | null;
    if (edge === null || typeof edge !== 'object') {
      b.diagnostics.push(diagnostic('schema', `edges[${e}] must be {source, target}`, at(edges, e)));
      continue;
    }
    const s = index.get(String(edge.source));
    const t = index.get(String(edge.target));
    if (s === undefined || t === undefined) {
      const side = s === undefined ? 'source' : 'target';
      b.diagnostics.push(
        danglingEdgeFinding(e, side, String(side === 'source' ? edge.source : edge.target), at(edges, e)),
      );
      continue;
    }
    b.addEdge(s, t);
    hasIn[t] = 1;
  }
  const startIds =
    root.start === undefined
      ? undefined
      : (Array.isArray(root.start) ? (root.start as unknown[]) : [root.start]).map(String);
  applyStarts(b, hasIn, startIds, (id) => index.get(id), at(root, 'start'), at(root, 'nodes'));
  const extra: Partial<Pick<FlowGraph, 'name' | 'flowType'>> = {};
  if (typeof root.name === 'string') extra.name = root.name;
  if (typeof root.type === 'string') extra.flowType = root.type.toLowerCase();
  return b.build(extra);
}

type Where = { file: string; line: number; column: number };

/** Two nodes share an id (both graph-JSON paths report it alike). */
export function duplicateIdFinding(
  id: string,
  firstIndex: number,
  where: Where,
  first: { line: number; column: number },
): Diagnostic {
  return diagnostic('duplicate-id', `node id '${id}' is used twice (first at nodes[${firstIndex}])`, where, {
    hint: 'Give every node its own id.',
    related: [{ message: 'first declared here', ...first }],
  });
}

/** An edge names a node that does not exist (both graph-JSON paths report it alike). */
export function danglingEdgeFinding(
  index: number,
  side: 'source' | 'target',
  id: string,
  where: Where,
): Diagnostic {
  return diagnostic('dangling-edge', `edges[${index}] ${side} '${id}' names no node`, where, {
    hint: 'Add the node, or fix the id in the edge.',
  });
}

/**
 * Sets the graph's start: the `start` ids when given; else the one node no edge enters; else the
 * first node listed (an `implicit-start` info). Reports unknown or several explicit starts. Shared by the object and the byte-scanning paths.
 */
export function applyStarts(
  b: FlowGraphBuilder,
  hasIn: Uint8Array,
  startIds: readonly string[] | undefined,
  lookup: (id: string) => number | undefined,
  startAt: { file: string; line: number; column: number },
  nodesAt: { file: string; line: number; column: number },
): void {
  if (startIds !== undefined) {
    for (const s of startIds) {
      const i = lookup(s);
      if (i === undefined) {
        b.diagnostics.push(
          diagnostic('unresolved-reference', `start '${s}' names no node`, startAt, {
            hint: 'Point start at a node id.',
          }),
        );
      } else b.starts.push(i);
    }
    if (startIds.length > 1) {
      b.diagnostics.push(
        diagnostic('multiple-starts', `the graph has ${startIds.length} starts`, startAt, {
          hint: 'Give one start node.',
        }),
      );
    }
    return;
  }
  if (b.nodeCount === 0) return;
  // The entry is the one node no edge enters and some edge leaves (a node with no edges at all is
  // an island, not an entry). An ordinary IVR has none (its options return to the main menu) or
  // several: then the first node listed is the entry, as in the brief's format where the main
  // menu comes first, and an info finding says so and how to be explicit.
  const hasOut = b.hasOutgoing();
  let root = -1;
  let roots = 0;
  for (let i = 0; i < b.nodeCount && roots < 2; i++)
    if (!hasIn[i] && hasOut[i]) {
      roots++;
      if (root < 0) root = i;
    }
  if (roots === 1 || b.nodeCount === 1) {
    b.starts.push(Math.max(root, 0));
    return;
  }
  if (roots === 1) {
    b.starts.push(root);
    return;
  }
  b.starts.push(0);
  const first = b.ids[0] ?? '';
  b.diagnostics.push(
    diagnostic(
      'implicit-start',
      roots === 0
        ? `every node has an incoming edge; taking the first node listed, '${first}', as the start`
        : `several nodes have no incoming edge; taking the first node listed, '${first}', as the start`,
      nodesAt,
      { hint: `Add "start": "${first}" (or the real entry) to the graph to say so.` },
    ),
  );
}
