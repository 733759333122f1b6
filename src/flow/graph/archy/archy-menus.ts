/**
 * Menus → nodes and edges. Each choice is a node under its menu; what it does comes from the
 * catalogue's menu choices (ArchMenu* classes of the Architect Scripting SDK, each running one
 * action): a disconnect leaves, a jump goes to its target, a transfer leaves on success and returns
 * to the menu on failure, a sub-menu is entered, an inline task runs its actions, a repeat returns
 * to the menu. A menu whose retries run out leaves the flow (the menu node is an exit).
 *
 * A choice's `dtmf` is checked here, where Archy defines it (ArchBaseMenuChoice#dtmf), and
 * nowhere else: other keys named `dtmf` (a voice survey's answer options) have shapes of their own.
 */
import { catalogueChoice } from './action-catalogue.js';
import { branch } from './archy-actions.js';
import { CONTAINER_REF_KEYS } from './archy-vocabulary.js';
import { ArchyContext, Entry, MAX_NESTING, isObj, singleKey, str, type Obj } from './archy-context.js';
import { shown } from './archy-shapes.js';
import { NodeFlag } from '../flow-graph.js';

const DTMF = /^(digit_[0-9]|star|pound)$/;

/** Adds the choices of a menu (and, through sub-menus, of the menus inside it). */
export function menuBody(ctx: ArchyContext, menu: number, body: Obj, depth: number): void {
  const choices = body.choices;
  if (choices === undefined || choices === null) return;
  if (!Array.isArray(choices)) {
    ctx.report('schema', `a menu's 'choices' must be a list`, body, 'choices');
    return;
  }
  choices.forEach((item, i) => {
    const entry = singleKey(item);
    if (!entry) {
      ctx.report(
        'schema',
        'a menu choice must be a mapping with exactly one key (the choice type)',
        choices,
        i,
      );
      return;
    }
    choice(ctx, menu, entry[0], entry[1], choices, i, depth);
  });
}

function choice(
  ctx: ArchyContext,
  menu: number,
  type: string,
  cbody: unknown,
  choices: unknown[],
  i: number,
  depth: number,
): void {
  const b = ctx.b;
  const known = catalogueChoice(type);
  if (!known && !ctx.fromPlaceholder(type))
    ctx.report(
      'unknown-action',
      `'${type}' is not a menu choice of the Architect Scripting SDK: flowgate follows its target, if any`,
      choices,
      i,
      'Menu choices are menuDisconnect, menuJumpToTask, menuTransferToAcd, menuSubMenu, menuTask, …',
    );
  const action = known?.action;
  const name = isObj(cbody) ? str(cbody.name) : undefined;
  const flags =
    (action?.terminal ? NodeFlag.Terminal : 0) |
    (action !== undefined && action.exits !== 'never' ? NodeFlag.Exit : 0);
  const node = b.addNode(
    `${b.ids[menu] ?? ''}/choice/${i}`,
    'choice',
    type,
    name,
    menu,
    ...ctx.pos(choices, i),
    flags,
  );
  b.addEdge(menu, node);
  if (!isObj(cbody)) return;
  ctx.bodies[node] = cbody;
  if ('dtmf' in cbody) checkDtmf(ctx, cbody);
  let linked = false;
  for (const key of CONTAINER_REF_KEYS) {
    const ref = str(cbody[key]);
    if (ref === undefined) continue;
    ctx.pendingRefs.push({ from: node, ref, holder: cbody, key, how: Entry.Jump });
    linked = true;
  }
  if (action?.key === 'task') {
    const task = isObj(cbody.task) ? cbody.task : cbody;
    if (Array.isArray(task.actions)) {
      branch(ctx, node, task.actions, menu, { end: true, container: menu }, [], depth + 1);
      linked = true;
    }
  } else if (action?.key === 'menu' && isObj(cbody.menu)) {
    const sub = ctx.declareContainer('menu', cbody.menu, choices, i);
    ctx.enter(sub, Entry.Jump);
    b.addEdge(node, sub);
    if (depth < MAX_NESTING) menuBody(ctx, sub, cbody.menu, depth + 1);
    linked = true;
  } else if (action?.key === 'repeatMenu' || action?.exits === 'onSuccess') {
    // A repeat returns to the menu; so does a transfer that fails (the menu plays again).
    b.addEdge(node, menu);
    linked = true;
  }
  if (!linked) b.flag(node, NodeFlag.Exit);
}

function checkDtmf(ctx: ArchyContext, cbody: Obj): void {
  const v = cbody.dtmf;
  if ((typeof v === 'string' && DTMF.test(v)) || ctx.fromPlaceholder(v)) return;
  ctx.report(
    'schema',
    `'dtmf' must be digit_0 … digit_9, star or pound, not ${shown(v)}`,
    cbody,
    'dtmf',
    "Write the key as Archy does, for example 'dtmf: digit_1'.",
  );
}
