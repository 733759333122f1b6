/**
 * One pass over everything under the flow's root key for what references something else:
 *
 * - other flows and org resources by name (queues, schedule and emergency groups, flows, data
 *   tables, data actions, prompts), with their positions, for the deployment checks;
 * - this flow's menus, tasks and states from anywhere a reference can stand: every `…Ref` key
 *   that is not one of the jump keys of an action or menu choice (those are read where the action
 *   is built). Inside an action it is a jump from that action; in the flow's settings it is an entry
 *   point (error and event handling, knowledge paths, agent escalation), and so is an intent that
 *   names its task (`intentSettings`). Each is checked for a target (`unresolved-reference`).
 *
 * A value holding the placeholder of an unresolved substitution yields nothing: the substitution
 * was reported already.
 */
import { parseContainerRef } from './archy-refs.js';
import { CONTAINER_REF_KEYS } from './archy-vocabulary.js';
import { ArchyContext, Entry, isObj, singleKey, str, type Obj } from './archy-context.js';
import { promptRefs, RESOURCE_KEYS, resourceRef } from './archy-resources.js';
import type { FlowReference } from '../flow-graph.js';

/** Keys of lists whose items are `- <type>: <body>` actions or menu choices. */
const ITEM_LISTS = new Set(['actions', 'startUpTaskActions', 'choices']);
/** Keys that name a container whatever their value looks like. */
const TARGET_REF = /^(startUp|target[A-Za-z]*)Ref$/;
/** Keys of an intent that name its task (ArchSettingsNluIntent#associatedTask). */
const INTENT_TASK_KEYS = ['task', 'associatedTask', 'reusableTask'];

/** Collects the references under `flow` (the mapping under the root key). */
export function collectReferences(ctx: ArchyContext, flow: Obj): void {
  const refs = ctx.b.references;
  const inQueueType = ctx.flowType.replace(/^inbound/, 'inqueue');
  const add = (r: Omit<FlowReference, 'line' | 'column'>, holder: object, key: string | number): void => {
    if (ctx.fromPlaceholder(r.name)) return;
    const [line, column] = ctx.pos(holder, key);
    refs.push({ ...r, line, column });
  };
  // Parallel stacks instead of an object per entry: this pass visits every mapping of the flow.
  // `owners` holds the body of the action or choice a value lies in (undefined in the settings);
  // `isBody` whether the value is that body itself.
  const values: unknown[] = [flow];
  const parents: string[] = [ctx.rootKey];
  const owners: Array<object | undefined> = [undefined];
  const isBody: boolean[] = [false];
  // The action (or setting) a value lies in, for the `via` of a prompt named in an expression.
  const vias: string[] = [ctx.rootKey];
  while (values.length > 0) {
    const value = values.pop();
    const parentKey = parents.pop()!;
    const owner = owners.pop();
    const body = isBody.pop()!;
    const via = vias.pop()!;
    if (Array.isArray(value)) {
      for (const v of value as unknown[])
        if (typeof v === 'object' && v !== null) {
          values.push(v);
          parents.push(parentKey);
          owners.push(owner);
          isBody.push(false);
          vias.push(via);
        } else if (typeof v === 'string' && v.includes('Prompt'))
          promptRefs(add, value, value.indexOf(v), v, via);
      continue;
    }
    if (!isObj(value)) continue;
    // An item of an action or choice list (`- playAudio: {…}`): its value is a body.
    const item = ITEM_LISTS.has(parentKey);
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (typeof v === 'string') {
        if (key.endsWith('Ref')) containerRef(ctx, flow, value, key, v, owner, body);
        else if (RESOURCE_KEYS.has(key)) resourceRef(add, value, key, v, parentKey, inQueueType);
        // `Prompt.X` / `PromptSystem.X` wherever a string holds one (a literal, an expression).
        if (v.includes('Prompt')) promptRefs(add, value, key, v, via);
        continue;
      }
      if (typeof v !== 'object' || v === null) continue;
      if (key === 'intentSettings' && Array.isArray(v)) intentTasks(ctx, v);
      else if (RESOURCE_KEYS.has(key)) resourceRef(add, value, key, v, parentKey, inQueueType);
      values.push(v);
      parents.push(key);
      owners.push(item ? v : owner);
      isBody.push(item);
      vias.push(item || parentKey === ctx.rootKey ? key : via);
    }
  }
  refs.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A `…Ref` key: a jump from its action, or an entry set up by the settings. */
function containerRef(
  ctx: ArchyContext,
  flow: Obj,
  holder: Obj,
  key: string,
  ref: string,
  owner: object | undefined,
  isBody: boolean,
): void {
  if (holder === flow && key === 'startUpRef') return; // the start: archy-entries.ts
  // An action's or choice's own jump key: read where its node is built (archy-actions.ts, archy-menus.ts).
  if (isBody && CONTAINER_REF_KEYS.includes(key)) return;
  if (!TARGET_REF.test(key) && parseContainerRef(ref) === undefined) return;
  // Deeper inside a body (rare): the reverse map from bodies to nodes is built on first use.
  const node = owner === undefined ? -1 : (ctx.nodeOfBody(owner) ?? -2);
  ctx.pendingRefs.push({
    from: node,
    ref,
    holder,
    key,
    how: owner === undefined ? Entry.Setting : Entry.Jump,
  });
}

/** Intents mapped to a task by the task's name: each task is an entry point. */
function intentTasks(ctx: ArchyContext, intents: unknown[]): void {
  for (const item of intents) {
    const entry = singleKey(item);
    const intent = entry ? entry[1] : item;
    if (!isObj(intent)) continue;
    for (const key of INTENT_TASK_KEYS) {
      const v = intent[key];
      const name = str(v) ?? (isObj(v) ? str(v.name) : undefined);
      if (name === undefined || ctx.fromPlaceholder(name)) continue;
      const task = ctx.tasksByName.get(name);
      if (task !== undefined) {
        ctx.enter(task, Entry.Setting);
        ctx.b.starts.push(task);
      } else
        ctx.report(
          'unresolved-reference',
          `intent '${str(intent.name) ?? '?'}' runs task '${name}', which this flow does not declare`,
          isObj(v) ? v : intent,
          isObj(v) ? 'name' : key,
          `Declare a task named '${name}' under 'tasks:', or map the intent to one that exists.`,
        );
    }
  }
}
