/**
 * The state one Archy → FlowGraph conversion shares between its parts (archy.ts orchestrates;
 * archy-actions.ts, archy-menus.ts, archy-entries.ts and archy-resources.ts fill it): the graph
 * builder, the declared menus, tasks and states, the references still to resolve, and how each
 * container is entered.
 */
import { parseContainerRef } from './archy-refs.js';
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../../diagnostics.js';
import { FlowGraphBuilder, NodeFlag } from '../flow-graph.js';

/** A YAML mapping. */
export type Obj = Record<string, unknown>;

/** Maps a container (and optional key) to a 1-based source position. */
export type Locator = (
  container: object | undefined,
  key?: string | number,
) => { line: number; column: number };

/** Where a branch continues when its action list runs out. */
export type Continuation = { node: number } | { end: true; container: number };

/** How a container is entered (bits of {@link ArchyContext.entered}). */
export const Entry = {
  /** The flow's start (startUpRef, startUpTaskActions, startUpState, periodicState). */
  Start: 1,
  /** A jump, a state change, a menu choice or a menu's sub-menu. */
  Jump: 2,
  /** A `callTask`: the task returns to the caller when it runs off its end. */
  Call: 4,
  /** Set up by the flow's settings: intents, knowledge, error and event handling. */
  Setting: 8,
} as const;

/** A reference to a menu, task or state, resolved once every container is declared. */
export interface PendingRef {
  /**
   * The node that jumps or calls; -1 for an entry set up by the flow's settings; -2 for a reference
   * inside something the converter did not build (checked for a target, no edge).
   */
  from: number;
  ref: string;
  holder: Obj;
  key: string;
  how: number;
}

/** The deepest nesting of actions followed. */
export const MAX_NESTING = 300;

/** True for a YAML mapping. */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A scalar as text (numbers and booleans too), or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** The single key of an Archy list item such as `- playAudio: {...}`. */
export function singleKey(item: unknown): [string, unknown] | undefined {
  if (!isObj(item)) return undefined;
  const keys = Object.keys(item);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return [k, item[k]];
}

/** Shared state of one conversion. */
export class ArchyContext {
  readonly b: FlowGraphBuilder;
  flowType = '';
  rootKey = '';
  /** `kind:refId` → container node. */
  readonly containers = new Map<string, number>();
  /** Task name → task node (intents name their task). */
  readonly tasksByName = new Map<string, number>();
  readonly pendingRefs: PendingRef[] = [];
  /**
   * Node → the body of its action or menu choice, so that a reference found deep inside a body
   * jumps from that node. An array (no hashing of every body); the reverse map is built only when
   * such a reference turns up.
   */
  readonly bodies: Array<object | undefined> = [];
  private nodeOf: Map<object, number> | undefined;
  /** Container node → bits of {@link Entry}. */
  readonly entered = new Map<number, number>();
  /** The intents of the flow's NLU domain, when it lists them (Ask for Intent has an output per intent). */
  nluIntents: string[] | undefined;
  private readonly fellOff = new Set<number>();

  constructor(
    readonly file: string,
    readonly locate: Locator,
    /** Placeholders left by unresolved substitutions (`__key__`): a value holding one was already reported. */
    private readonly placeholders: readonly string[] = [],
  ) {
    this.b = new FlowGraphBuilder(file, 'archy');
  }

  /** The node of an action or choice body, if the converter built one for it. */
  nodeOfBody(body: object): number | undefined {
    if (!this.nodeOf) {
      this.nodeOf = new Map();
      this.bodies.forEach((b, node) => b && this.nodeOf!.set(b, node));
    }
    return this.nodeOf.get(body);
  }

  /** Whether a value holds a placeholder of an unresolved substitution (one cause, one finding). */
  fromPlaceholder(v: unknown): boolean {
    return typeof v === 'string' && this.placeholders.some((p) => v.includes(p));
  }

  /** Records a finding at a holder and key. */
  report(
    code: DiagnosticCode,
    message: string,
    holder: object | undefined,
    key?: string | number,
    hint?: string,
    related?: Diagnostic['related'],
  ): void {
    const at = this.locate(holder, key);
    this.b.diagnostics.push(
      diagnostic(
        code,
        message,
        { file: this.file, ...at },
        { ...(hint === undefined ? {} : { hint }), ...(related ? { related } : {}) },
      ),
    );
  }

  /** A holder's position as [line, column]. */
  pos(holder: object | undefined, key?: string | number): [number, number] {
    const p = this.locate(holder, key);
    return [p.line, p.column];
  }

  /** Adds a menu, task, state or bot node and registers its refId (a second one is `duplicate-id`). */
  declareContainer(
    kind: 'menu' | 'task' | 'state' | 'bot',
    body: Obj,
    holder: object,
    at: string | number,
  ): number {
    const refId = str(body.refId);
    const name = str(body.name);
    const id = refId ?? name ?? `${kind}#${at}`;
    const node = this.b.addNode(
      id,
      kind,
      kind,
      name,
      -1,
      ...this.pos(holder, at),
      NodeFlag.Container | (kind === 'menu' ? NodeFlag.Exit : 0),
    );
    if (kind === 'task' && name !== undefined && !this.tasksByName.has(name))
      this.tasksByName.set(name, node);
    if (refId === undefined) return node;
    const key = `${kind}:${refId}`;
    const other = this.containers.get(key);
    if (other === undefined) this.containers.set(key, node);
    else
      this.report(
        'duplicate-id',
        `${kind} refId '${refId}' is declared twice (first at line ${this.b.line(other)})`,
        body,
        'refId',
        'Give every menu, task and state its own refId.',
        [{ message: 'first declared here', line: this.b.line(other), column: this.b.column(other) }],
      );
    return node;
  }

  /** Resolves `/inboundCall/tasks/task[X]`, `./menus/menu[X]`, `.../states/state[X]`. */
  resolveContainer(ref: string): number | undefined {
    const parsed = parseContainerRef(ref);
    return parsed && this.containers.get(`${parsed.kind}:${parsed.id}`);
  }

  /** Notes that a container is entered in a way (a bit of {@link Entry}). */
  enter(node: number, how: number): void {
    this.entered.set(node, (this.entered.get(node) ?? 0) | how);
  }

  /** A hint naming some declared containers. */
  refHint(): string {
    const known = [...this.containers.keys()].slice(0, 8).join(', ');
    return known ? `Known: ${known}.` : 'Declare the menu, task or state with a matching refId.';
  }

  /** The path through `node` runs off the end of its container. */
  fallOff(node: number): void {
    // An action can run off the end twice (an empty branch and its fall-through): one finding.
    if (this.fellOff.has(node)) return;
    this.fellOff.add(node);
    this.b.fallsOff.push(node);
    this.b.flag(node, NodeFlag.Exit);
  }

  /** Continues `from` at a continuation: its node, or the end of the container. */
  connect(from: number, cont: Continuation): void {
    if ('node' in cont) this.b.addEdge(from, cont.node);
    else this.fallOff(from);
  }
}
