/**
 * Value shapes Archy documents for the parts flowgate models (FLOWS.md §1.2, §1.4): a flow of a type
 * that needs one has a `defaultLanguage` tag (archy-flow-types.ts: not common modules nor survey
 * invites); menus, tasks and states need a `name`; a text-to-speech `voice` is a name; and no
 * number is infinite (`1e309` reads as Infinity). Archy refuses each of these at publish time;
 * flowgate says so at the line and column. (A menu choice's `dtmf` is checked with the menu, in
 * archy-menus.ts: the key means something else elsewhere.)
 */

type Obj = Record<string, unknown>;

/** Reports one wrong shape at a holder and key. */
export type ShapeReporter = (message: string, holder: object, key: string | number, hint: string) => void;

const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/** What the shape checks need to know about the flow. */
export interface ShapeOptions {
  /** Whether the flow type needs a `defaultLanguage`. */
  needsDefaultLanguage: boolean;
  /** Whether a value holds the placeholder of an unresolved substitution (already reported). */
  fromPlaceholder(v: unknown): boolean;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Checks the documented value shapes of one flow's settings (the mapping under the root key). */
export function checkArchyShapes(
  rootKey: string,
  root: Obj,
  flow: Obj,
  report: ShapeReporter,
  options: ShapeOptions,
): void {
  if (!('defaultLanguage' in flow)) {
    if (options.needsDefaultLanguage)
      report(
        `the flow has no 'defaultLanguage'`,
        root,
        rootKey,
        `Add 'defaultLanguage: en-us' (or the flow's language) under '${rootKey}:'.`,
      );
  } else if (
    !(text(flow.defaultLanguage) && LANGUAGE_TAG.test(flow.defaultLanguage)) &&
    !options.fromPlaceholder(flow.defaultLanguage)
  )
    report(
      `'defaultLanguage' must be a language tag such as en-us, not ${shown(flow.defaultLanguage)}`,
      flow,
      'defaultLanguage',
      'Use the language tag of the flow, for example en-us or fr-ca.',
    );
  for (const [listKey, itemKey] of [
    ['menus', 'menu'],
    ['tasks', 'task'],
    ['reusableTasks', 'task'],
    ['states', 'state'],
  ] as const) {
    const list = flow[listKey];
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      if (!isObj(item)) continue;
      const body = item[itemKey];
      if (isObj(body) && !text(body.name))
        report(
          `a ${itemKey} needs a 'name' (text), not ${shown(body.name)}`,
          'name' in body ? body : item,
          'name' in body ? 'name' : itemKey,
          `Give the ${itemKey} a name.`,
        );
    }
  }
  // One pass over everything below the flow for keys whose shape does not depend on where they are.
  const stack: unknown[] = [flow];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        if (typeof x === 'number' && !Number.isFinite(x))
          report(`item ${i} is not a finite number`, v, i, 'Write a number Architect can hold.');
        else if (typeof x === 'object' && x !== null) stack.push(x);
      });
      continue;
    }
    if (!isObj(v)) continue;
    for (const [key, x] of Object.entries(v)) {
      if (typeof x === 'number' && !Number.isFinite(x))
        report(`'${key}' is not a finite number`, v, key, 'Write a number Architect can hold.');
      if (key === 'voice' && !text(x))
        report(
          `'voice' must be the name of a text-to-speech voice, not ${shown(x)}`,
          v,
          key,
          'Name the voice, for example Jill.',
        );
      else if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
}

/** A value as a finding shows it. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.slice(0, 40)}'`;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
}
