/**
 * Where a flow starts, per flow type (archy-flow-types.ts): `startUpRef` (a menu, task, state or
 * bot), `startUpTaskActions` (one implicit task; in-queue call flows repeat it), and for in-queue
 * email and message flows the inline `startUpState` and the `periodicState` that runs again while
 * the interaction waits (ArchFlowInQueueEmail#periodicState). The flow's other entry points
 * (intents, knowledge, error and event handling) are found by archy-references.ts.
 */
import { ArchyContext, Entry, isObj, str, type Obj } from './archy-context.js';
import { flowTypeRules } from './archy-flow-types.js';
import { NodeFlag } from '../flow-graph.js';

/** A container whose actions are still to be added. */
export interface Body {
  node: number;
  body: Obj;
  kind: 'menu' | 'task' | 'state' | 'bot';
}

/** The implicit start-up task, when the flow has one. */
export interface StartupTask {
  node: number;
  actions: unknown;
  repeats: boolean;
}

/**
 * Declares the flow's starts: inline start states join `declared` (their bodies are added with the
 * other containers); returns the implicit start-up task, if any.
 */
export function declareStarts(ctx: ArchyContext, flow: Obj, declared: Body[]): StartupTask | undefined {
  const b = ctx.b;
  const rules = flowTypeRules(ctx.flowType);
  let primary = 0;
  for (const key of ['startUpState', 'periodicState'] as const) {
    const state = flow[key];
    if (state === undefined || state === null) continue;
    if (!isObj(state)) {
      ctx.report('schema', `'${key}' must be a state mapping (name, refId, actions)`, flow, key);
      continue;
    }
    const node = ctx.declareContainer('state', state, flow, key);
    // The periodic state runs again and again while the interaction waits: the way out is external.
    if (key === 'periodicState') b.flag(node, NodeFlag.Exit);
    else primary++;
    ctx.enter(node, Entry.Start);
    b.starts.push(node);
    declared.push({ node, body: state, kind: 'state' });
  }
  let startup: StartupTask | undefined;
  const actions = flow.startUpTaskActions;
  if (actions !== undefined && actions !== null) {
    const node = b.addNode(
      'startUpTaskActions',
      'task',
      'task',
      'Start-up task',
      -1,
      ...ctx.pos(flow, 'startUpTaskActions'),
      NodeFlag.Container,
    );
    ctx.enter(node, Entry.Start);
    b.starts.push(node);
    primary++;
    startup = { node, actions, repeats: rules.repeats };
  }
  if (flow.startUpRef !== undefined) {
    primary++;
    startUpRef(ctx, flow);
  }
  if (primary + (isObj(flow.periodicState) ? 1 : 0) === 0)
    ctx.report(
      'no-start',
      `the flow has neither 'startUpRef' nor 'startUpTaskActions'`,
      flow,
      undefined,
      startHint(rules.start),
    );
  else if (primary > 1)
    ctx.report(
      'multiple-starts',
      `the flow has more than one of 'startUpRef', 'startUpTaskActions' and 'startUpState'`,
      flow,
      flow.startUpRef !== undefined ? 'startUpRef' : 'startUpTaskActions',
      'Keep one of them.',
    );
  return startup;
}

function startUpRef(ctx: ArchyContext, flow: Obj): void {
  const ref = str(flow.startUpRef);
  const target = ref === undefined ? undefined : ctx.resolveContainer(ref);
  if (target !== undefined) {
    ctx.enter(target, Entry.Start);
    ctx.b.starts.push(target);
  } else if (!ctx.fromPlaceholder(ref))
    ctx.report(
      'unresolved-reference',
      `startUpRef '${ref ?? ''}' names no menu, task or state of this flow`,
      flow,
      'startUpRef',
      ctx.refHint(),
    );
}

function startHint(kind: string): string {
  switch (kind) {
    case 'taskActions':
      return `Add 'startUpTaskActions:' (the actions repeat while the interaction waits).`;
    case 'states':
      return `Add 'startUpState:' (and 'periodicState:') with the state's actions.`;
    default:
      return `Add 'startUpRef: ./tasks/task[<refId>]' or 'startUpTaskActions:'.`;
  }
}
