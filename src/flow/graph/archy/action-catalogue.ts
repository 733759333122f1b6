/**
 * The action catalogue (catalogue/actions.json, generated from the Architect Scripting SDK's
 * documentation by `npm run catalogue`), looked up by Archy YAML key.
 */
import data from './catalogue/actions.json' with { type: 'json' };
import type { Catalogue, CatalogueAction, CatalogueChoice } from './catalogue/types.js';

/** The catalogue as committed. */
export const CATALOGUE = data as Catalogue;

const actions = new Map<string, CatalogueAction>();
const choices = new Map<string, { choice: CatalogueChoice; action: CatalogueAction }>();
for (const a of CATALOGUE.actions) for (const k of [a.key, ...a.aliases]) actions.set(k, a);
for (const c of CATALOGUE.choices) {
  const action = actions.get(c.action);
  if (action) for (const k of [c.key, ...c.aliases]) choices.set(k, { choice: c, action });
}

/** The catalogued action of an `actions:` list item key, or undefined when the SDK documents none. */
export function catalogueAction(key: string): CatalogueAction | undefined {
  const a = actions.get(key);
  return a?.kind === 'action' ? a : undefined;
}

/** The catalogued menu choice of a `choices:` item key, with the action it runs. */
export function catalogueChoice(
  key: string,
): { choice: CatalogueChoice; action: CatalogueAction } | undefined {
  return choices.get(key);
}

/** The catalogued action keys (aliases included) spelled like `key` but for case, for "did you mean". */
export function similarActionKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const k of actions.keys())
    if (k.toLowerCase() === lower && actions.get(k)!.kind === 'action') return k;
  return undefined;
}
