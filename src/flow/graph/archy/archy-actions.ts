/**
 * Action lists → nodes and edges, with each action's branching taken from the action catalogue
 * (catalogue/actions.json, read from the Architect Scripting SDK's documentation):
 *
 * - an action continues with its next sibling, unless it is terminal (disconnect, jumps, ends);
 * - each output it lists (`outputs: {success: {actions}}`, list outputs such as `intents` and
 *   `paths`, a switch's cases and default) is a branch that re-joins at the next sibling;
 * - an action whose documented outputs are all listed (with actions, or switched off with
 *   `enabled: false`) has no fall-through of its own: every way out of it is a listed branch. A
 *   loop's `loop` output is its body, not a way out: the action continues after the loop;
 * - an output listed without actions continues at the next sibling, as in Architect.
 *
 * An action key the catalogue does not know is an `unknown-action` note; its outputs are still
 * followed and it continues with its next sibling.
 */
import { CATALOGUE, catalogueAction, similarActionKey } from './action-catalogue.js';
import { CONTAINER_REF_KEYS } from './archy-vocabulary.js';
import {
  ArchyContext,
  Entry,
  MAX_NESTING,
  isObj,
  singleKey,
  str,
  type Continuation,
  type Obj,
} from './archy-context.js';
import type { CatalogueAction } from './catalogue/types.js';
import { NodeFlag } from '../flow-graph.js';

/** The continuations of the loops around an action: [loop head, after the loop]. */
export type Loops = Continuation[][];

/** Outputs that return to the action itself (a loop's body), so they are no way out of it. */
const RETURNING_OUTPUTS = new Set(['loop', 'loopNext']);

/**
 * Adds the nodes of an action list; returns the node control enters first, or -1 when the list
 * holds no action (control then goes straight to the continuation).
 */
export function actionList(
  ctx: ArchyContext,
  list: unknown[],
  container: number,
  cont: Continuation,
  loops: Loops,
  depth: number,
): number {
  const b = ctx.b;
  if (depth > MAX_NESTING) {
    ctx.report('too-deep', `actions nest deeper than ${MAX_NESTING} levels`, list);
    return -1;
  }
  const nodes: number[] = [];
  const bodies: Array<[string, unknown, CatalogueAction | undefined]> = [];
  list.forEach((item, i) => {
    const entry = singleKey(item);
    if (!entry) {
      ctx.report('schema', `an action must be a mapping with exactly one key (the action type)`, list, i);
      return;
    }
    const [type, body] = entry;
    const info = catalogueAction(type);
    if (!info) unknownAction(ctx, type, list, i);
    const name = isObj(body) ? str(body.name) : undefined;
    const flags =
      (info?.terminal ? NodeFlag.Terminal : 0) |
      (info !== undefined && info.exits !== 'never' ? NodeFlag.Exit : 0);
    const id = `${b.ids[container] ?? ''}/${b.nodeCount}`;
    const node = b.addNode(id, 'action', type, name, container, ...ctx.pos(list, i), flags);
    if (isObj(body)) ctx.bodies[node] = body;
    nodes.push(node);
    bodies.push([type, body, info]);
  });
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    const next: Continuation = k + 1 < nodes.length ? { node: nodes[k + 1]! } : cont;
    const [type, body, info] = bodies[k]!;
    // An action that never continues by itself (terminal, or every way out of it a listed branch)
    // explains why its next sibling is dead code when nothing else reaches it.
    const continues = action(ctx, node, type, info, body, container, next, loops, depth);
    if (!continues && k + 1 < nodes.length) b.afterTerminal.push([node, nodes[k + 1]!]);
  }
  return nodes.length > 0 ? nodes[0]! : -1;
}

/** Adds a branch from `from` into `list`, which re-joins at `cont`. */
export function branch(
  ctx: ArchyContext,
  from: number,
  list: unknown[],
  container: number,
  cont: Continuation,
  loops: Loops,
  depth: number,
): void {
  const first = actionList(ctx, list, container, cont, loops, depth);
  if (first >= 0) ctx.b.addEdge(from, first);
  else ctx.connect(from, cont);
}

function unknownAction(ctx: ArchyContext, type: string, list: unknown[], i: number): void {
  if (ctx.fromPlaceholder(type)) return;
  const similar = similarActionKey(type);
  ctx.report(
    'unknown-action',
    `'${type}' is not an action of the Architect Scripting SDK (catalogue at ${CATALOGUE.source.commit.slice(0, 7)}): flowgate follows its outputs and continues with the next action`,
    list,
    i,
    similar
      ? `Did you mean '${similar}'?`
      : 'Check the spelling; regenerate the catalogue (npm run catalogue) for newer actions.',
  );
}

function action(
  ctx: ArchyContext,
  node: number,
  type: string,
  info: CatalogueAction | undefined,
  body: unknown,
  container: number,
  next: Continuation,
  loops: Loops,
  depth: number,
): boolean {
  const b = ctx.b;
  const terminal = info?.terminal ?? false;
  if (type === 'loopNext' || type === 'loopExit') {
    const ctxLoop = loops[loops.length - 1];
    if (!ctxLoop) {
      ctx.report('schema', `'${type}' is only allowed inside a loop body`, isObj(body) ? body : undefined);
      return false;
    }
    ctx.connect(node, type === 'loopNext' ? ctxLoop[0]! : ctxLoop[1]!);
    return false;
  }
  if (!isObj(body)) {
    if (!terminal) ctx.connect(node, next);
    return !terminal;
  }
  let refs = false;
  for (const key of CONTAINER_REF_KEYS) {
    const ref = str(body[key]);
    if (ref === undefined) continue;
    refs = true;
    ctx.pendingRefs.push({
      from: node,
      ref,
      holder: body,
      key,
      how: type === 'callTask' ? Entry.Call : Entry.Jump,
    });
  }
  const open = branches(ctx, node, info, body, container, next, loops, depth);
  if (terminal) {
    if (!refs) b.flag(node, NodeFlag.Exit);
    return false;
  }
  const continues = open || info === undefined || info.continuesOnSuccess;
  if (continues) ctx.connect(node, next);
  return continues;
}

/**
 * Adds an action's branches; returns whether some way out of the action is left to its next
 * sibling (an output it does not list, or lists without actions).
 */
function branches(
  ctx: ArchyContext,
  node: number,
  info: CatalogueAction | undefined,
  body: Obj,
  container: number,
  next: Continuation,
  loops: Loops,
  depth: number,
): boolean {
  const outputs = body.outputs;
  const evaluate = body.evaluate;
  // Most actions list no output: every way out of them (if any) is left to the next sibling.
  if (!isObj(outputs) && !isObj(evaluate)) return true;
  const at: Branching = { ctx, node, container, next, loops, depth: depth + 1 };
  const handled: string[] = [];
  const listed: string[] = [];
  let open = false;
  if (isObj(outputs)) {
    for (const key of Object.keys(outputs)) {
      const out = outputs[key];
      if (Array.isArray(out)) {
        // Dynamic outputs as a list: `intents: [- intent: {name, actions}]`, `paths: [- path: …]`.
        for (const item of out as unknown[]) {
          const entry = singleKey(item);
          const value: unknown = entry ? entry[1] : item;
          const name = isObj(value) ? str(value.name) : undefined;
          if (name !== undefined) listed.push(name);
          if (!follow(at, value)) open = true;
        }
      } else if (
        RETURNING_OUTPUTS.has(key) &&
        info?.outputs.includes(key) &&
        isObj(out) &&
        Array.isArray(out.actions)
      ) {
        // The body returns to the loop; loopNext goes to the head, loopExit to after the loop.
        const head: Continuation = { node };
        const first = actionList(ctx, out.actions, container, head, [...loops, [head, next]], depth + 1);
        if (first >= 0) ctx.b.addEdge(node, first);
      } else if (follow(at, out)) handled.push(key);
      else open = true;
    }
  }
  if (isObj(evaluate))
    for (const mode of switchBranchHolders(evaluate)) {
      if (Array.isArray(mode.cases))
        for (const c of mode.cases as unknown[]) {
          const entry = singleKey(c);
          if (!follow(at, entry ? entry[1] : c)) open = true;
        }
      if ('default' in mode && follow(at, mode.default)) handled.push('default');
    }
  if (!info) return true;
  const ways = waysOut(info);
  if (ways.length === 0) return true;
  return open || ways.some((o) => !handled.includes(o)) || !dynamicComplete(ctx, info, listed);
}

/** Where the branches of one action go. */
interface Branching {
  ctx: ArchyContext;
  node: number;
  container: number;
  next: Continuation;
  loops: Loops;
  depth: number;
}

/**
 * Follows one output (`{actions: [...]}`, re-joining at the next sibling); returns whether it is
 * handled: it has actions, or is switched off (`maxNoInputs: {enabled: false}`: no path at all).
 */
function follow(at: Branching, out: unknown): boolean {
  if (isObj(out) && Array.isArray(out.actions)) {
    branch(at.ctx, at.node, out.actions, at.container, at.next, at.loops, at.depth);
    return true;
  }
  return isObj(out) && out.enabled === false;
}

const WAYS = new Map<CatalogueAction, string[]>();

/** An action's outputs that are ways out of it (a loop's body returns to it). */
function waysOut(info: CatalogueAction): string[] {
  let ways = WAYS.get(info);
  if (!ways) WAYS.set(info, (ways = info.outputs.filter((o) => !RETURNING_OUTPUTS.has(o))));
  return ways;
}

/** Whether the listed dynamic outputs are all the action can have. */
function dynamicComplete(ctx: ArchyContext, info: CatalogueAction, listed: string[]): boolean {
  if (info.dynamicOutputs !== 'intents') return true;
  // Ask for Intent has an output per intent of the flow's NLU domain; other bots' intents are not
  // in the flow, so they may have more.
  const intents = info.key === 'askForIntent' ? ctx.nluIntents : undefined;
  return intents !== undefined && intents.every((name) => listed.includes(name));
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
