/**
 * `FlowGraph`: the one intermediate form every input format becomes and every check reads.
 * Columnar (parallel arrays, typed where possible) so that a million-node graph stays small.
 */
import { DiagnosticCollector, type Diagnostic } from '../diagnostics.js';

/** Node flags. */
export const NodeFlag = {
  /** The node never continues to its next sibling (jump, disconnect, loopExit, …). */
  Terminal: 1,
  /** Control can leave the flow here (disconnect, transfer, end, menu retries exhausted, …). */
  Exit: 2,
  /** A menu, task, state, bot or the implicit start-up task. */
  Container: 4,
} as const;

/** What kind of thing a node is. */
export type NodeKind = 'action' | 'menu' | 'task' | 'state' | 'bot' | 'choice' | 'node';

/** A reference from this flow to another flow or an org resource, by name. */
export interface FlowReference {
  kind:
    | 'flow'
    | 'queue'
    | 'dataAction'
    | 'dataTable'
    | 'schedule'
    | 'scheduleGroup'
    | 'emergencyGroup'
    | 'prompt'
    | 'skill'
    | 'language'
    | 'wrapupCode'
    | 'user'
    | 'group'
    | 'outcome'
    | 'milestone';
  name: string;
  /** For `kind: 'flow'`: the lowercase API flow type of the target (`inboundcall`, `commonmodule`, …). */
  flowType?: string;
  /** How it is referenced (`transferToFlow`, `callCommonModule`, `targetQueue`, …). */
  via: string;
  /** For `kind: 'dataAction'`: the action runs only a secure data action (`callDataSecure`). */
  secure?: boolean;
  /** For `kind: 'dataTable'`: the columns the lookup reads (its found outputs). */
  columns?: string[];
  line: number;
  column: number;
}

/** A flow as a directed graph. */
export interface FlowGraph {
  file: string;
  format: 'archy' | 'graph-json';
  /** The Archy root key (`inboundCall`, …), when Archy. */
  rootKey?: string;
  /** Lowercase API flow type (`inboundcall`, …), when known. */
  flowType?: string;
  name?: string;
  division?: string;
  /** The languages the flow supports (`supportedLanguages`, else `defaultLanguage`), as written. */
  languages?: string[];
  nodeCount: number;
  ids: string[];
  kinds: NodeKind[];
  types: string[];
  names: Array<string | undefined>;
  /** Index of the enclosing container node, or -1. */
  containerOf: Int32Array;
  flags: Uint8Array;
  lines: Int32Array;
  columns: Int32Array;
  edgeCount: number;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  starts: number[];
  references: FlowReference[];
  /** A terminal node and the sibling that follows it (for the dead-code check). */
  afterTerminal: Array<[terminal: number, next: number]>;
  /** Nodes whose path runs off the end of their container without a terminating action. */
  fallsOff: number[];
  /** Findings made while building (schema, duplicates, unresolved references, dangling edges). */
  diagnostics: Diagnostic[];
}

/** Growable builder for a {@link FlowGraph}. */
export class FlowGraphBuilder {
  ids: string[] = [];
  kinds: NodeKind[] = [];
  types: string[] = [];
  names: Array<string | undefined> = [];
  private containerOf = new Int32Array(64);
  private flags = new Uint8Array(64);
  private lines = new Int32Array(64);
  private columns = new Int32Array(64);
  private edgeFrom = new Int32Array(64);
  private edgeTo = new Int32Array(64);
  edgeCount = 0;
  starts: number[] = [];
  references: FlowReference[] = [];
  afterTerminal: Array<[number, number]> = [];
  fallsOff: number[] = [];
  /** Capped per code as they arrive (a graph with a million bad edges stays bounded). */
  diagnostics = new DiagnosticCollector();

  constructor(
    readonly file: string,
    readonly format: FlowGraph['format'],
    expectedNodes = 64,
    expectedEdges = 64,
  ) {
    if (expectedNodes > 64) this.growNodes(expectedNodes);
    if (expectedEdges > 64) this.growEdges(expectedEdges);
  }

  get nodeCount(): number {
    return this.ids.length;
  }

  /** Marks the nodes that have at least one outgoing edge. */
  hasOutgoing(): Uint8Array {
    const out = new Uint8Array(this.nodeCount);
    for (let e = 0; e < this.edgeCount; e++) out[this.edgeFrom[e]!] = 1;
    return out;
  }

  /** Adds a node and returns its index. */
  addNode(
    id: string,
    kind: NodeKind,
    type: string,
    name: string | undefined,
    container: number,
    line: number,
    column: number,
    flags = 0,
  ): number {
    const i = this.ids.length;
    if (i >= this.flags.length) this.growNodes(i * 2);
    this.ids.push(id);
    this.kinds.push(kind);
    this.types.push(type);
    this.names.push(name);
    this.containerOf[i] = container;
    this.flags[i] = flags;
    this.lines[i] = line;
    this.columns[i] = column;
    return i;
  }

  /** Sets flags on a node. */
  flag(node: number, flags: number): void {
    this.flags[node] = (this.flags[node] ?? 0) | flags;
  }

  /** Whether a node has a flag. */
  hasFlag(node: number, flag: number): boolean {
    return ((this.flags[node] ?? 0) & flag) !== 0;
  }

  /** The container a node belongs to (-1 for a container itself). */
  container(node: number): number {
    return this.containerOf[node] ?? -1;
  }

  /** The 1-based source line of a node (0 when unknown). */
  line(node: number): number {
    return this.lines[node] ?? 0;
  }

  /** The 1-based source column of a node (0 when unknown). */
  column(node: number): number {
    return this.columns[node] ?? 0;
  }

  /** Adds a directed edge. */
  addEdge(from: number, to: number): void {
    const e = this.edgeCount;
    if (e >= this.edgeFrom.length) this.growEdges(e * 2);
    this.edgeFrom[e] = from;
    this.edgeTo[e] = to;
    this.edgeCount = e + 1;
  }

  /** Freezes the builder into a graph. */
  build(
    extra: Partial<Pick<FlowGraph, 'rootKey' | 'flowType' | 'name' | 'division' | 'languages'>> = {},
  ): FlowGraph {
    const n = this.ids.length;
    const g: FlowGraph = {
      file: this.file,
      format: this.format,
      nodeCount: n,
      ids: this.ids,
      kinds: this.kinds,
      types: this.types,
      names: this.names,
      containerOf: this.containerOf.subarray(0, n),
      flags: this.flags.subarray(0, n),
      lines: this.lines.subarray(0, n),
      columns: this.columns.subarray(0, n),
      edgeCount: this.edgeCount,
      edgeFrom: this.edgeFrom.subarray(0, this.edgeCount),
      edgeTo: this.edgeTo.subarray(0, this.edgeCount),
      starts: this.starts,
      references: this.references,
      afterTerminal: this.afterTerminal,
      fallsOff: this.fallsOff,
      diagnostics: this.diagnostics.result(),
    };
    for (const [k, v] of Object.entries(extra))
      if (v !== undefined) (g as unknown as Record<string, unknown>)[k] = v;
    return g;
  }

  private growNodes(size: number): void {
    this.containerOf = grow(this.containerOf, size);
    this.flags = grow(this.flags, size);
    this.lines = grow(this.lines, size);
    this.columns = grow(this.columns, size);
  }

  private growEdges(size: number): void {
    this.edgeFrom = grow(this.edgeFrom, size);
    this.edgeTo = grow(this.edgeTo, size);
  }
}

function grow<T extends Int32Array | Uint8Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** A readable label for a node: its kind, name and id. */
export function describeNode(g: FlowGraph, i: number): string {
  const name = g.names[i];
  const kind =
    g.kinds[i] === 'action' || g.kinds[i] === 'node' || g.kinds[i] === 'choice' ? g.types[i] : g.kinds[i];
  return name !== undefined && name !== g.ids[i]
    ? `${kind} '${name}' (${g.ids[i]})`
    : `${kind} '${g.ids[i]}'`;
}
