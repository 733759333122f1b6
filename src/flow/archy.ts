/**
 * Archy YAML → {@link FlowGraph}, following the control-flow rules of FLOWS.md §1.5:
 * actions fall through to their next sibling; nested `outputs` branch and re-join after the
 * enclosing action; terminal actions stop; `callTask` returns; loop bodies return to the loop;
 * menus lead to their choices; `startUpRef`/`target*Ref` name menus, tasks and states.
 */
import {
  ARCHY_ROOT_KEYS,
  CONTAINER_REF_KEYS,
  NEEDS_TERMINAL,
  REPEATING_STARTUP,
  TERMINAL_ACTIONS,
  leavesFlow,
  suggestRootKey,
} from './archy-vocabulary.js';
import { parseContainerRef } from './archy-refs.js';
import { checkArchyShapes } from './archy-shapes.js';
import { diagnostic, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
import { FlowGraphBuilder, NodeFlag, type FlowGraph, type FlowReference } from './flow-graph.js';

type Obj = Record<string, unknown>;

/** Maps a container (and optional key) to a 1-based source position. */
export type Locator = (
  container: object | undefined,
  key?: string | number,
) => { line: number; column: number };

/** Where a branch continues when its action list runs out. */
type Continuation = { node: number } | { end: true; container: number };

const MAX_NESTING = 300;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** The single key of an Archy list item such as `- playAudio: {...}`. */
function singleKey(item: unknown): [string, unknown] | undefined {
  if (!isObj(item)) return undefined;
  const keys = Object.keys(item);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return [k, item[k]];
}

/** True when a document looks like Archy (one known root key). */
export function isArchyDocument(doc: unknown): boolean {
  return (
    isObj(doc) &&
    Object.keys(doc).some((k) => Object.hasOwn(ARCHY_ROOT_KEYS, k) || suggestRootKey(k) !== undefined)
  );
}

/** Builds the graph of an Archy flow document. */
export function archyToGraph(doc: unknown, file: string, locate: Locator): FlowGraph {
  return new ArchyConverter(file, locate).convert(doc);
}

class ArchyConverter {
  private readonly b: FlowGraphBuilder;
  private flowType = '';
  private rootKey = '';
  private readonly containers = new Map<string, number>();
  private readonly pendingRefs: Array<{ from: number; ref: string; holder: Obj; key: string }> = [];

  constructor(
    private readonly file: string,
    private readonly locate: Locator,
  ) {
    this.b = new FlowGraphBuilder(file, 'archy');
  }

  private report(
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

  convert(doc: unknown): FlowGraph {
    const b = this.b;
    if (!isObj(doc)) {
      this.report(
        'unknown-root',
        'the document is not a mapping with an Archy flow-type key',
        undefined,
        undefined,
        'Start the file with a flow type such as `inboundCall:`.',
      );
      return b.build();
    }
    const keys = Object.keys(doc);
    const known = keys.filter((k) => Object.hasOwn(ARCHY_ROOT_KEYS, k));
    if (known.length !== 1 || keys.length !== 1) {
      const odd = keys.find((k) => !Object.hasOwn(ARCHY_ROOT_KEYS, k));
      const suggestion = odd === undefined ? undefined : suggestRootKey(odd);
      this.report(
        'unknown-root',
        known.length === 0
          ? `unknown flow type key '${odd ?? ''}'`
          : `the document must have exactly one root key; found ${keys.map((k) => `'${k}'`).join(', ')}`,
        doc,
        odd,
        suggestion
          ? `Did you mean '${suggestion}'?`
          : `Use one of: ${Object.keys(ARCHY_ROOT_KEYS).join(', ')}.`,
      );
      if (known.length === 0) return b.build();
    }
    this.rootKey = known[0]!;
    this.flowType = ARCHY_ROOT_KEYS[this.rootKey]!;
    const flow = doc[this.rootKey];
    if (!isObj(flow)) {
      this.report('schema', `'${this.rootKey}' must be a mapping of flow settings`, doc, this.rootKey);
      return b.build({ rootKey: this.rootKey, flowType: this.flowType });
    }
    const name = str(flow.name);
    if (name === undefined)
      this.report(
        'schema',
        `the flow has no 'name'`,
        flow,
        undefined,
        `Add 'name:' under '${this.rootKey}:'.`,
      );
    const division = str(flow.division);
    checkArchyShapes(this.rootKey, doc, flow, (message, holder, key, hint) =>
      this.report('schema', message, holder, key, hint),
    );

    // 1. Declare every container first, so that references can point forwards.
    const declared: Array<{ node: number; body: Obj; kind: 'menu' | 'task' | 'state' | 'bot' }> = [];
    for (const [listKey, itemKey, kind] of [
      ['menus', 'menu', 'menu'],
      ['tasks', 'task', 'task'],
      ['reusableTasks', 'task', 'task'],
      ['states', 'state', 'state'],
      // Bot flows keep their dialogs in `bots: - bot:` (startUpRef "/botFlow/bots/bot[…]").
      ['bots', 'bot', 'bot'],
    ] as const) {
      const list = flow[listKey];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) {
        this.report('schema', `'${listKey}' must be a list of '- ${itemKey}:' items`, flow, listKey);
        continue;
      }
      list.forEach((item, i) => {
        const entry = singleKey(item);
        if (!entry || entry[0] !== itemKey || !isObj(entry[1])) {
          this.report('schema', `${listKey}[${i}] must be a '- ${itemKey}:' mapping`, list, i);
          return;
        }
        const body = entry[1];
        const node = this.declareContainer(kind, body, list, i);
        if (node >= 0) declared.push({ node, body, kind });
      });
    }

    // 2. Start: startUpRef, or the implicit start-up task of in-queue flows and common modules.
    const startupActions = flow.startUpTaskActions;
    let startupNode = -1;
    if (startupActions !== undefined && startupActions !== null) {
      startupNode = b.addNode(
        'startUpTaskActions',
        'task',
        'task',
        'Start-up task',
        -1,
        ...this.pos(flow, 'startUpTaskActions'),
        NodeFlag.Container,
      );
      b.starts.push(startupNode);
    }
    if (flow.startUpRef !== undefined) {
      const ref = str(flow.startUpRef);
      const target = ref === undefined ? undefined : this.resolveContainer(ref);
      if (target === undefined) {
        this.report(
          'unresolved-reference',
          `startUpRef '${ref ?? ''}' names no menu, task or state of this flow`,
          flow,
          'startUpRef',
          this.refHint(),
        );
      } else {
        b.starts.push(target);
      }
    }
    if (b.starts.length === 0 && flow.startUpRef === undefined) {
      this.report(
        'no-start',
        `the flow has neither 'startUpRef' nor 'startUpTaskActions'`,
        flow,
        undefined,
        `Add 'startUpRef: ./tasks/task[<refId>]' or 'startUpTaskActions:'.`,
      );
    } else if (b.starts.length > 1) {
      this.report(
        'multiple-starts',
        `the flow has both 'startUpRef' and 'startUpTaskActions'`,
        flow,
        'startUpRef',
        'Keep one of them.',
      );
    }

    // 3. Bodies.
    if (startupNode >= 0) {
      if (!Array.isArray(startupActions)) {
        this.report('schema', `'startUpTaskActions' must be a list of actions`, flow, 'startUpTaskActions');
      } else {
        const repeats = REPEATING_STARTUP.has(this.flowType);
        // In-queue flows repeat their actions until an agent answers: the way out is external.
        if (repeats) b.flag(startupNode, NodeFlag.Exit);
        const cont: Continuation = { end: true, container: startupNode };
        const first = this.actionList(
          startupActions,
          startupNode,
          repeats ? { node: startupNode } : cont,
          [],
          0,
        );
        b.addEdge(startupNode, first);
      }
    }
    for (const { node, body, kind } of declared) {
      if (kind === 'menu') this.menuBody(node, body, 0);
      else {
        const actions = body.actions;
        if (actions === undefined || actions === null) {
          this.fallOff(node);
          continue;
        }
        if (!Array.isArray(actions)) {
          this.report('schema', `the ${kind}'s 'actions' must be a list`, body, 'actions');
          continue;
        }
        const first = this.actionList(actions, node, { end: true, container: node }, [], 0);
        b.addEdge(node, first);
      }
    }

    // 4. Jumps and calls to containers, now that all are declared.
    for (const p of this.pendingRefs) {
      const target = this.resolveContainer(p.ref);
      if (target === undefined) {
        this.report(
          'unresolved-reference',
          `${p.key} '${p.ref}' names no menu, task or state of this flow`,
          p.holder,
          p.key,
          this.refHint(),
        );
        continue;
      }
      b.addEdge(p.from, target);
    }

    this.collectReferences(flow);
    const extra: Partial<Pick<FlowGraph, 'rootKey' | 'flowType' | 'name' | 'division'>> = {
      rootKey: this.rootKey,
      flowType: this.flowType,
    };
    if (name !== undefined) extra.name = name;
    if (division !== undefined) extra.division = division;
    return b.build(extra);
  }

  private pos(holder: object | undefined, key?: string | number): [number, number] {
    const p = this.locate(holder, key);
    return [p.line, p.column];
  }

  private refHint(): string {
    const known = [...this.containers.keys()].slice(0, 8).join(', ');
    return known ? `Known: ${known}.` : 'Declare the menu, task or state with a matching refId.';
  }

  private declareContainer(
    kind: 'menu' | 'task' | 'state' | 'bot',
    body: Obj,
    list: unknown[],
    i: number,
  ): number {
    const refId = str(body.refId);
    const name = str(body.name);
    const id = refId ?? name ?? `${kind}#${i}`;
    const node = this.b.addNode(
      id,
      kind,
      kind,
      name,
      -1,
      ...this.pos(list, i),
      NodeFlag.Container | (kind === 'menu' ? NodeFlag.Exit : 0),
    );
    if (refId !== undefined) {
      const key = `${kind}:${refId}`;
      const other = this.containers.get(key);
      if (other !== undefined) {
        this.report(
          'duplicate-id',
          `${kind} refId '${refId}' is declared twice (first at line ${this.b.line(other)})`,
          body,
          'refId',
          'Give every menu, task and state its own refId.',
          [{ message: 'first declared here', line: this.b.line(other), column: this.b.column(other) }],
        );
      } else {
        this.containers.set(key, node);
      }
    }
    return node;
  }

  /** Resolves `/inboundCall/tasks/task[X]`, `./menus/menu[X]`, `.../states/state[X]`. */
  private resolveContainer(ref: string): number | undefined {
    const parsed = parseContainerRef(ref);
    return parsed && this.containers.get(`${parsed.kind}:${parsed.id}`);
  }

  private fallOff(node: number): void {
    this.b.fallsOff.push(node);
    this.b.flag(node, NodeFlag.Exit);
  }

  private connect(from: number, cont: Continuation): void {
    if ('node' in cont) this.b.addEdge(from, cont.node);
    else this.fallOff(from);
  }

  /**
   * Adds the nodes of an action list and returns the node control enters first (the
   * continuation itself when the list is empty: an empty branch re-joins at once).
   */
  private actionList(
    list: unknown[],
    container: number,
    cont: Continuation,
    loops: Continuation[][],
    depth: number,
  ): number {
    const b = this.b;
    if (depth > MAX_NESTING) {
      this.report('too-deep', `actions nest deeper than ${MAX_NESTING} levels`, list);
      return 'node' in cont ? cont.node : container;
    }
    const nodes: number[] = [];
    const bodies: Array<[string, unknown]> = [];
    list.forEach((item, i) => {
      const entry = singleKey(item);
      if (!entry) {
        this.report('schema', `an action must be a mapping with exactly one key (the action type)`, list, i);
        return;
      }
      const [type, body] = entry;
      const name = isObj(body) ? str(body.name) : undefined;
      const flags =
        (TERMINAL_ACTIONS.has(type) ? NodeFlag.Terminal : 0) | (leavesFlow(type) ? NodeFlag.Exit : 0);
      const id = `${b.ids[container] ?? ''}/${b.nodeCount}`;
      nodes.push(b.addNode(id, 'action', type, name, container, ...this.pos(list, i), flags));
      bodies.push(entry);
    });
    if (nodes.length === 0) {
      if ('node' in cont) return cont.node;
      // An empty list at a container's end: the container itself runs off the end.
      return container;
    }
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes[k]!;
      const next: Continuation = k + 1 < nodes.length ? { node: nodes[k + 1]! } : cont;
      const [type, body] = bodies[k]!;
      this.action(node, type, body, container, next, loops, depth);
      if (b.hasFlag(node, NodeFlag.Terminal) && k + 1 < nodes.length)
        b.afterTerminal.push([node, nodes[k + 1]!]);
    }
    return nodes[0]!;
  }

  private action(
    node: number,
    type: string,
    body: unknown,
    container: number,
    next: Continuation,
    loops: Continuation[][],
    depth: number,
  ): void {
    const b = this.b;
    const terminal = b.hasFlag(node, NodeFlag.Terminal);
    if (type === 'loopNext' || type === 'loopExit') {
      const ctx = loops[loops.length - 1];
      if (!ctx) {
        this.report('schema', `'${type}' is only allowed inside a loop body`, isObj(body) ? body : undefined);
        return;
      }
      this.connect(node, type === 'loopNext' ? ctx[0]! : ctx[1]!);
      return;
    }
    if (!isObj(body)) {
      if (!terminal) this.connect(node, next);
      return;
    }
    for (const key of CONTAINER_REF_KEYS) {
      const ref = str(body[key]);
      if (ref !== undefined) this.pendingRefs.push({ from: node, ref, holder: body, key });
    }
    const outputs = body.outputs;
    const isLoop = type === 'loop' || type === 'loopUntil' || type === 'loopAnythingElse';
    if (isObj(outputs)) {
      for (const [key, out] of Object.entries(outputs)) {
        if (!isObj(out) || !Array.isArray(out.actions)) continue;
        if (isLoop && key === 'loop') {
          // The body returns to the loop; loopNext goes to the head, loopExit to after the loop.
          const head: Continuation = { node };
          const first = this.actionList(out.actions, container, head, [...loops, [head, next]], depth + 1);
          b.addEdge(node, first);
        } else {
          b.addEdge(node, this.actionList(out.actions, container, next, loops, depth + 1));
        }
      }
    }
    const evaluate = body.evaluate;
    if (isObj(evaluate)) {
      for (const mode of switchBranchHolders(evaluate)) {
        if (Array.isArray(mode.cases)) {
          for (const c of mode.cases) {
            const entry = singleKey(c);
            const caseBody: unknown = entry ? entry[1] : c;
            if (isObj(caseBody) && Array.isArray(caseBody.actions)) {
              b.addEdge(node, this.actionList(caseBody.actions, container, next, loops, depth + 1));
            }
          }
        }
        if (isObj(mode.default) && Array.isArray(mode.default.actions)) {
          b.addEdge(node, this.actionList(mode.default.actions, container, next, loops, depth + 1));
        }
      }
    }
    // A transfer with a failure output: success leaves the flow, failure runs its branch (which
    // re-joins after the transfer when it does not end); there is no fall-through of its own.
    const failureBranch =
      (type.startsWith('transferTo') || type.startsWith('menuTransferTo')) &&
      isObj(outputs) &&
      isObj(outputs.failure) &&
      Array.isArray(outputs.failure.actions);
    if (!terminal && !failureBranch) this.connect(node, next);
    else if (!CONTAINER_REF_KEYS.some((k) => body[k] !== undefined) && !b.hasFlag(node, NodeFlag.Exit)) {
      b.flag(node, NodeFlag.Exit);
    }
  }

  private menuBody(menu: number, body: Obj, depth: number): void {
    const b = this.b;
    const choices = body.choices;
    if (choices === undefined || choices === null) return;
    if (!Array.isArray(choices)) {
      this.report('schema', `a menu's 'choices' must be a list`, body, 'choices');
      return;
    }
    choices.forEach((item, i) => {
      const entry = singleKey(item);
      if (!entry) {
        this.report(
          'schema',
          'a menu choice must be a mapping with exactly one key (the choice type)',
          choices,
          i,
        );
        return;
      }
      const [type, cbody] = entry;
      const name = isObj(cbody) ? str(cbody.name) : undefined;
      const flags =
        (TERMINAL_ACTIONS.has(type) ? NodeFlag.Terminal : 0) | (leavesFlow(type) ? NodeFlag.Exit : 0);
      const choice = b.addNode(
        `${b.ids[menu] ?? ''}/choice/${i}`,
        'choice',
        type,
        name,
        menu,
        ...this.pos(choices, i),
        flags,
      );
      b.addEdge(menu, choice);
      if (!isObj(cbody)) return;
      let linked = false;
      for (const key of CONTAINER_REF_KEYS) {
        const ref = str(cbody[key]);
        if (ref !== undefined) {
          this.pendingRefs.push({ from: choice, ref, holder: cbody, key });
          linked = true;
        }
      }
      if (type === 'menuTask') {
        const task = isObj(cbody.task) ? cbody.task : cbody;
        if (Array.isArray(task.actions)) {
          b.addEdge(
            choice,
            this.actionList(task.actions, menu, { end: true, container: menu }, [], depth + 1),
          );
          linked = true;
        }
      } else if (type === 'menuSubMenu' && isObj(cbody.menu)) {
        const sub = this.declareContainer('menu', cbody.menu, choices, i);
        b.addEdge(choice, sub);
        if (depth < MAX_NESTING) this.menuBody(sub, cbody.menu, depth + 1);
        linked = true;
      } else if (type === 'menuRepeat' || type === 'repeatMenu') {
        b.addEdge(choice, menu);
        linked = true;
      } else if (type.startsWith('menuTransferTo')) {
        // A failed transfer comes back to the menu, which repeats.
        b.addEdge(choice, menu);
        linked = true;
      }
      if (!linked) b.flag(choice, NodeFlag.Exit);
    });
  }

  /** Collects references to other flows and org resources anywhere in the flow, with positions. */
  private collectReferences(flow: Obj): void {
    const refs = this.b.references;
    const inQueueType = this.flowType.replace(/^inbound/, 'inqueue');
    const add = (r: Omit<FlowReference, 'line' | 'column'>, holder: object, key: string | number): void => {
      const [line, column] = this.pos(holder, key);
      refs.push({ ...r, line, column });
    };
    const litName = (v: unknown): string | undefined => {
      if (!isObj(v)) return undefined;
      if (isObj(v.lit)) return str(v.lit.name);
      return str(v.name);
    };
    const stack: Array<{ value: unknown; parentKey: string }> = [{ value: flow, parentKey: this.rootKey }];
    while (stack.length > 0) {
      const { value, parentKey } = stack.pop()!;
      if (Array.isArray(value)) {
        for (const v of value) stack.push({ value: v, parentKey });
        continue;
      }
      if (!isObj(value)) continue;
      for (const [key, v] of Object.entries(value)) {
        switch (key) {
          case 'targetQueue': {
            const name = litName(v);
            if (name !== undefined) add({ kind: 'queue', name, via: parentKey }, value, key);
            break;
          }
          case 'scheduleGroup':
          case 'emergencyGroup': {
            const name = litName(v);
            if (name !== undefined) add({ kind: key, name, via: parentKey }, value, key);
            break;
          }
          case 'targetFlow': {
            const name = litName(v);
            const flowType = parentKey === 'transferToFlowSecure' ? 'securecall' : 'inboundcall';
            if (name !== undefined) add({ kind: 'flow', name, flowType, via: parentKey }, value, key);
            break;
          }
          case 'overrideInQueueFlow': {
            const name = litName(v);
            if (name !== undefined)
              add({ kind: 'flow', name, flowType: inQueueType, via: parentKey }, value, key);
            break;
          }
          case 'commonModule':
          case 'botFlow':
          case 'digitalBotFlow':
            if (
              isObj(v) &&
              (parentKey === 'callCommonModule' ||
                parentKey === 'callBotFlow' ||
                parentKey === 'callDigitalBotFlow')
            ) {
              const flowType =
                key === 'commonModule' ? 'commonmodule' : key === 'botFlow' ? 'bot' : 'digitalbot';
              for (const name of Object.keys(v))
                add({ kind: 'flow', name, flowType, via: parentKey }, v, name);
            }
            break;
          case 'dataTable':
            if (isObj(v) && parentKey === 'dataTableLookup') {
              for (const name of Object.keys(v)) add({ kind: 'dataTable', name, via: parentKey }, v, name);
            }
            break;
          case 'category':
            if (isObj(v) && parentKey === 'callData') {
              for (const [integration, cat] of Object.entries(v)) {
                if (isObj(cat) && isObj(cat.dataAction)) {
                  for (const name of Object.keys(cat.dataAction)) {
                    add(
                      { kind: 'dataAction', name: `${integration}/${name}`, via: parentKey },
                      cat.dataAction,
                      name,
                    );
                  }
                }
              }
            }
            break;
          case 'holdMusic':
          case 'prompt': {
            const name = str(v) ?? (isObj(v) ? (str(v.lit) ?? litName(v)) : undefined);
            if (name !== undefined && /^Prompt(System)?\./.test(name))
              add({ kind: 'prompt', name, via: parentKey }, value, key);
            break;
          }
        }
        if (typeof v === 'object' && v !== null) stack.push({ value: v, parentKey: key });
      }
    }
    refs.sort((a, b) => a.line - b.line || a.column - b.column);
  }
}

/**
 * The objects of a `switch`'s `evaluate` that hold `cases` and `default`: `evaluate.firstTrue`
 * holds them itself; `evaluate.firstMatch` holds them one level deeper, under the data type of the
 * value it matches (`firstMatch: {string: {value, cases, default}}`, likewise integer, decimal,
 * boolean, date, dateTime, duration, currency…).
 */
function switchBranchHolders(evaluate: Obj): Obj[] {
  const out: Obj[] = [];
  for (const mode of Object.values(evaluate)) {
    if (!isObj(mode)) continue;
    if ('cases' in mode || 'default' in mode) out.push(mode);
    else
      for (const typed of Object.values(mode))
        if (isObj(typed) && ('cases' in typed || 'default' in typed)) out.push(typed);
  }
  return out;
}

/** Whether the flow type needs every path to end in a terminating action. */
export function needsTerminal(flowType: string | undefined): boolean {
  return flowType !== undefined && NEEDS_TERMINAL.has(flowType);
}
