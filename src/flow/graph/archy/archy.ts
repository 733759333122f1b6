/**
 * Archy YAML → {@link FlowGraph}, following the control-flow rules of FLOWS.md §1.5 and
 * docs/ARCHY-BRANCHING.md: actions fall through to their next sibling unless every way out of them
 * is a listed branch (their outputs, from the action catalogue); nested `outputs` branch and
 * re-join after the enclosing action; terminal actions stop; `callTask` returns; loop bodies return
 * to the loop; menus lead to their choices; `startUpRef`/`target*Ref` and the flow's settings name
 * menus, tasks and states.
 *
 * The parts: archy-context.ts (shared state), archy-entries.ts (starts), archy-actions.ts (action
 * lists), archy-menus.ts (menus), archy-references.ts (references anywhere), archy-shapes.ts
 * (value shapes), archy-flow-types.ts (per flow type).
 */
import { actionList } from './archy-actions.js';
import { ArchyContext, Entry, isObj, singleKey, str, type Locator, type Obj } from './archy-context.js';
import { declareStarts, type Body } from './archy-entries.js';
import { flowTypeRules } from './archy-flow-types.js';
import { menuBody } from './archy-menus.js';
import { collectReferences } from './archy-references.js';
import { checkArchyShapes } from './archy-shapes.js';
import { ARCHY_ROOT_KEYS, suggestRootKey } from './archy-vocabulary.js';
import { NodeFlag, type FlowGraph } from '../flow-graph.js';

export type { Locator } from './archy-context.js';

/** Options of {@link archyToGraph}. */
export interface ArchyOptions {
  /** Placeholders left by unresolved substitutions (`__key__`): values holding one get no second finding. */
  placeholders?: readonly string[];
}

/** True when a document looks like Archy (one known root key). */
export function isArchyDocument(doc: unknown): boolean {
  return (
    isObj(doc) &&
    Object.keys(doc).some((k) => Object.hasOwn(ARCHY_ROOT_KEYS, k) || suggestRootKey(k) !== undefined)
  );
}

/** Builds the graph of an Archy flow document. */
export function archyToGraph(
  doc: unknown,
  file: string,
  locate: Locator,
  options: ArchyOptions = {},
): FlowGraph {
  const ctx = new ArchyContext(file, locate, options.placeholders);
  const flow = root(ctx, doc);
  if (!flow) return ctx.b.build(ctx.rootKey ? { rootKey: ctx.rootKey, flowType: ctx.flowType } : {});
  const name = str(flow.name);
  if (name === undefined)
    ctx.report('schema', `the flow has no 'name'`, flow, undefined, `Add 'name:' under '${ctx.rootKey}:'.`);
  const division = str(flow.division);
  checkArchyShapes(
    ctx.rootKey,
    doc as Obj,
    flow,
    (message, holder, key, hint) => ctx.report('schema', message, holder, key, hint),
    {
      needsDefaultLanguage: flowTypeRules(ctx.flowType).needsDefaultLanguage,
      fromPlaceholder: (v) => ctx.fromPlaceholder(v),
    },
  );
  ctx.nluIntents = nluIntents(flow);

  // 1. Declare every container first, so that references can point forwards.
  const declared = declareContainers(ctx, flow);
  // 2. Starts: startUpRef, startUpTaskActions, startUpState and periodicState.
  const startup = declareStarts(ctx, flow, declared);
  // 3. Bodies.
  if (startup) startupBody(ctx, flow, startup.node, startup.actions, startup.repeats);
  for (const { node, body, kind } of declared) {
    if (kind === 'menu') menuBody(ctx, node, body, 0);
    else containerBody(ctx, node, body, kind);
  }
  // 4. References anywhere (jumps from actions, entry points in the settings), then resolve them all.
  collectReferences(ctx, flow);
  resolveReferences(ctx);
  returnsOfCalledTasks(ctx);
  const extra: Partial<Pick<FlowGraph, 'rootKey' | 'flowType' | 'name' | 'division' | 'languages'>> = {
    rootKey: ctx.rootKey,
    flowType: ctx.flowType,
  };
  if (name !== undefined) extra.name = name;
  if (division !== undefined) extra.division = division;
  const languages = supportedLanguages(flow);
  if (languages.length > 0) extra.languages = languages;
  return ctx.b.build(extra);
}

/**
 * The languages a flow supports: the keys of `supportedLanguages` (ArchBaseFlow's
 * supportedLanguages in the Architect Scripting SDK), else its `defaultLanguage`.
 */
function supportedLanguages(flow: Obj): string[] {
  const listed = isObj(flow.supportedLanguages) ? Object.keys(flow.supportedLanguages) : [];
  if (listed.length > 0) return listed;
  const one = str(flow.defaultLanguage);
  return one === undefined ? [] : [one];
}

/** The mapping under the one root key, or undefined (reported) when there is none. */
function root(ctx: ArchyContext, doc: unknown): Obj | undefined {
  if (!isObj(doc)) {
    ctx.report(
      'unknown-root',
      'the document is not a mapping with an Archy flow-type key',
      undefined,
      undefined,
      'Start the file with a flow type such as `inboundCall:`.',
    );
    return undefined;
  }
  const keys = Object.keys(doc);
  const known = keys.filter((k) => Object.hasOwn(ARCHY_ROOT_KEYS, k));
  if (known.length !== 1 || keys.length !== 1) {
    const odd = keys.find((k) => !Object.hasOwn(ARCHY_ROOT_KEYS, k));
    const suggestion = odd === undefined ? undefined : suggestRootKey(odd);
    ctx.report(
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
    if (known.length === 0) return undefined;
  }
  ctx.rootKey = known[0]!;
  ctx.flowType = ARCHY_ROOT_KEYS[ctx.rootKey]!;
  const flow = doc[ctx.rootKey];
  if (!isObj(flow)) {
    ctx.report('schema', `'${ctx.rootKey}' must be a mapping of flow settings`, doc, ctx.rootKey);
    return undefined;
  }
  return flow;
}

function declareContainers(ctx: ArchyContext, flow: Obj): Body[] {
  const declared: Body[] = [];
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
      ctx.report('schema', `'${listKey}' must be a list of '- ${itemKey}:' items`, flow, listKey);
      continue;
    }
    list.forEach((item, i) => {
      const entry = singleKey(item);
      if (!entry || entry[0] !== itemKey || !isObj(entry[1])) {
        ctx.report('schema', `${listKey}[${i}] must be a '- ${itemKey}:' mapping`, list, i);
        return;
      }
      declared.push({ node: ctx.declareContainer(kind, entry[1], list, i), body: entry[1], kind });
    });
  }
  return declared;
}

function startupBody(ctx: ArchyContext, flow: Obj, node: number, actions: unknown, repeats: boolean): void {
  if (!Array.isArray(actions)) {
    ctx.report('schema', `'startUpTaskActions' must be a list of actions`, flow, 'startUpTaskActions');
    return;
  }
  // In-queue call flows repeat their actions until an agent answers: the way out is external.
  if (repeats) ctx.b.flag(node, NodeFlag.Exit);
  const first = actionList(ctx, actions, node, repeats ? { node } : { end: true, container: node }, [], 0);
  if (first >= 0) ctx.b.addEdge(node, first);
  else if (!repeats) ctx.fallOff(node);
}

function containerBody(ctx: ArchyContext, node: number, body: Obj, kind: string): void {
  const actions = body.actions;
  if (actions === undefined || actions === null) {
    ctx.fallOff(node);
    return;
  }
  if (!Array.isArray(actions)) {
    ctx.report('schema', `the ${kind}'s 'actions' must be a list`, body, 'actions');
    return;
  }
  const first = actionList(ctx, actions, node, { end: true, container: node }, [], 0);
  if (first >= 0) ctx.b.addEdge(node, first);
  else ctx.fallOff(node);
}

function resolveReferences(ctx: ArchyContext): void {
  for (const p of ctx.pendingRefs) {
    const target = ctx.resolveContainer(p.ref);
    if (target === undefined) {
      if (!ctx.fromPlaceholder(p.ref))
        ctx.report(
          'unresolved-reference',
          `${p.key} '${p.ref}' names no menu, task or state of this flow`,
          p.holder,
          p.key,
          ctx.refHint(),
        );
      continue;
    }
    if (p.from === -2) continue; // inside something not built: checked, no edge
    ctx.enter(target, p.how);
    if (p.from >= 0) ctx.b.addEdge(p.from, target);
    else ctx.b.starts.push(target);
  }
}

/**
 * A task entered only by `callTask` returns to its caller when it runs off its end (ArchBranch.html:
 * the caller's outputs are the task's branches, its default among them), so that is no missing
 * terminal. The caller already continues at its own outputs or next sibling.
 */
function returnsOfCalledTasks(ctx: ArchyContext): void {
  const b = ctx.b;
  b.fallsOff = b.fallsOff.filter((n) => {
    const container = b.kinds[n] === 'action' ? b.container(n) : n;
    return ctx.entered.get(container) !== Entry.Call;
  });
}

/** The intent names of the flow's NLU domain, when it declares them. */
function nluIntents(flow: Obj): string[] | undefined {
  const nlu = flow.settingsNaturalLanguageUnderstanding;
  const domain = isObj(nlu) ? nlu.nluDomainVersion : undefined;
  const intents = isObj(domain) ? domain.intents : undefined;
  if (!Array.isArray(intents)) return undefined;
  const names = intents.map((i) => (isObj(i) ? str(i.name) : undefined));
  return names.every((n) => n !== undefined) ? names : undefined;
}

/** Whether the flow type needs every path to end in a terminating action. */
export function needsTerminal(flowType: string | undefined): boolean {
  return flowType !== undefined && flowTypeRules(flowType).needsTerminal;
}
