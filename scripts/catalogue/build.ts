/**
 * SDK documentation pages → the action catalogue. Read from the pages: the action and menu-choice
 * classes, their outputs (typed `ArchActionOutput` members, through the whole "Extends" chain:
 * JSDoc does not repeat an overriding member on the pages of further subclasses), dynamic outputs
 * (documented methods), fake success (the base class), where an action may be added and the flow
 * types named (ArchFactoryActions), and the output ids (ArchEnums#OUTPUT_IDS). Kept by hand with
 * their sources: rules.ts.
 */
import type {
  Catalogue,
  CatalogueAction,
  CatalogueChoice,
} from '../../src/flow/graph/archy/catalogue/types.js';
import { parseDocPage, type DocPage } from './parse-page.js';
import {
  ALIASES,
  ALTERNATIVE_OUTPUTS,
  ANSWER_OUTPUTS,
  DYNAMIC_BY_CLASS,
  DYNAMIC_BY_METHOD,
  ENDINGS,
  EXTRA_OUTPUTS,
  FAKE_SUCCESS_BASE,
  NOT_ACTIONS,
  TRANSFER_BASE,
} from './rules.js';

/** The repository the pages come from. */
export const SDK_REPOSITORY = 'MyPureCloud/purecloud-flow-scripting-api-sdk-javascript';

/** Builds the catalogue from raw pages (class name → HTML) read at `commit`. */
export function buildCatalogue(
  raw: ReadonlyMap<string, string>,
  commit: string,
  generator: string,
): Catalogue {
  const pages = new Map<string, DocPage>();
  for (const [name, html] of raw) pages.set(name, parseDocPage(name, html));
  const factory = factoryDescriptions(pages.get('ArchFactoryActions'));
  const outputIds = enumValues(pages.get('ArchEnums'), 'OUTPUT_IDS');
  const actions: CatalogueAction[] = [];
  const notActions: Catalogue['notActions'] = [];
  for (const page of [...pages.values()].filter((p) => /^ArchAction[A-Z]/.test(p.name))) {
    const reason = NOT_ACTIONS[page.name];
    if (reason !== undefined) notActions.push({ class: page.name, reason });
    else actions.push(actionEntry(page, pages, factory.get(page.name.slice('ArchAction'.length))));
  }
  for (const [name, description] of factory)
    if (
      !pages.has(`ArchAction${name}`) &&
      /^Adds an? .* action to /.test(description) &&
      !/from an action definition/.test(description)
    )
      actions.push(factoryOnlyEntry(name, description));
  const keyOfClass = new Map(actions.map((a) => [a.class, a.key]));
  const choices: CatalogueChoice[] = [];
  for (const page of [...pages.values()].filter((p) => /^ArchMenu[A-Z]/.test(p.name))) {
    const inner = choiceAction(page);
    const action = inner === undefined ? undefined : keyOfClass.get(inner);
    if (action !== undefined) {
      const key = `menu${page.name.slice('ArchMenu'.length)}`;
      choices.push({ key, class: page.name, action, aliases: ALIASES[key] ?? [] });
    }
  }
  for (const a of actions)
    for (const o of a.outputs)
      if (!outputIds.includes(o)) throw new Error(`${a.class}: output '${o}' is not in ArchEnums#OUTPUT_IDS`);
  const byKey = (x: { key: string }, y: { key: string }) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  return {
    generator,
    source: { repository: SDK_REPOSITORY, commit, pages: raw.size },
    outputIds,
    actions: actions.sort(byKey),
    choices: choices.sort(byKey),
    notActions: notActions.sort((x, y) => (x.class < y.class ? -1 : 1)),
  };
}

/** The class, then its bases, depth first, each once. */
function ancestry(name: string, pages: ReadonlyMap<string, DocPage>, seen = new Set<string>()): DocPage[] {
  const page = pages.get(name);
  if (!page || seen.has(name)) return [];
  seen.add(name);
  return [page, ...page.extends.flatMap((b) => ancestry(b, pages, seen))];
}

function actionEntry(
  page: DocPage,
  pages: ReadonlyMap<string, DocPage>,
  factory: string | undefined,
): CatalogueAction {
  const chain = ancestry(page.name, pages);
  const names = new Set(chain.map((p) => p.name));
  const outputs: string[] = [];
  for (const p of chain)
    for (const m of p.members)
      if (/^output[A-Z]/.test(m.id) && m.type === 'ArchActionOutput') {
        const id = m.id[6]!.toLowerCase() + m.id.slice(7);
        if (!outputs.includes(id)) outputs.push(id);
      }
  const extra = EXTRA_OUTPUTS[page.name];
  for (const o of extra?.outputs ?? []) if (!outputs.includes(o)) outputs.push(o);
  const byMethod = page.methods.map((m) => DYNAMIC_BY_METHOD[m.id]).find((d) => d !== undefined);
  const byClass = DYNAMIC_BY_CLASS[page.name];
  const transfer = names.has(TRANSFER_BASE);
  const ending = ENDINGS[page.name];
  const name = page.name.slice('ArchAction'.length);
  const key = name[0]!.toLowerCase() + name.slice(1);
  const dynamicOutputs = byMethod ?? byClass?.outputs ?? null;
  const terminal = ending?.terminal ?? false;
  const exits = ending?.exits ?? (transfer ? 'onSuccess' : 'never');
  const entry: CatalogueAction = {
    key,
    class: page.name,
    // Menu-choice actions are made by ArchFactoryMenus (their pages say so), unless ArchFactoryActions
    // can add them to a task too.
    kind:
      factory === undefined && /ArchFactoryMenus#addMenu/.test(page.description)
        ? 'menuChoiceAction'
        : 'action',
    outputs: outputs.sort(),
    dynamicOutputs,
    fakeSuccess: names.has(FAKE_SUCCESS_BASE),
    terminal,
    exits,
    continuesOnSuccess:
      !terminal &&
      exits !== 'onSuccess' &&
      !(dynamicOutputs !== null && ANSWER_OUTPUTS.has(dynamicOutputs)) &&
      outputs.every((o) => ALTERNATIVE_OUTPUTS.has(o)),
    placement: factory === undefined ? null : placement(factory),
    flowTypes: factory === undefined ? null : flowTypes(factory),
    aliases: ALIASES[key] ?? [],
  };
  const rule = [ending?.source, byClass?.source, extra?.source].filter((s) => s !== undefined).join('; ');
  if (rule) entry.rule = rule;
  return entry;
}

/**
 * An action ArchFactoryActions can add but no class page documents (its outputs are unknown, so
 * it is read as an action without outputs: it continues with its next sibling).
 */
function factoryOnlyEntry(name: string, description: string): CatalogueAction {
  return {
    key: name[0]!.toLowerCase() + name.slice(1),
    class: `ArchAction${name}`,
    kind: 'action',
    outputs: [],
    dynamicOutputs: null,
    fakeSuccess: false,
    terminal: false,
    exits: 'never',
    continuesOnSuccess: true,
    placement: placement(description),
    flowTypes: flowTypes(description),
    aliases: [],
    rule: `ArchFactoryActions.html#addAction${name} only: no class page, so no documented outputs`,
  };
}

/** The inner action class of a menu choice: the type of its `action…` member named like the choice. */
function choiceAction(page: DocPage): string | undefined {
  const members = page.members.filter((m) => /^action[A-Z]/.test(m.id) && /^ArchAction/.test(m.type));
  const own = members.find((m) => m.id === `action${page.name.slice('ArchMenu'.length)}`);
  return (own ?? members[0])?.type;
}

/** `addAction<Name>` → its description, from ArchFactoryActions. */
function factoryDescriptions(page: DocPage | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of page?.methods ?? [])
    if (m.id.startsWith('addAction')) out.set(m.id.slice('addAction'.length), m.description);
  return out;
}

/** "Adds … to a task, state, bot or action output." → the containers named. */
function placement(description: string): string[] {
  const where = /\bto (?:an? )?(.*?)(?:\.|$)/.exec(
    description.replace(/ArchBaseMultiActionContainer such as /, ''),
  );
  const text = where?.[1] ?? '';
  const found: string[] = [];
  for (const [word, name] of [
    [/\baction output\b/, 'output'],
    [/\bdigital bot\b/, 'digitalBot'],
    [/(?<!digital )\bbot\b/, 'bot'],
    [/\btask\b/, 'task'],
    [/\bstate\b/, 'state'],
  ] as const)
    if (word.test(text)) found.push(name);
  return found.sort();
}

/** Flow types a factory description names ("in a workflow flow type", "for Email Send flow type"). */
function flowTypes(description: string): string[] | null {
  const named = [
    ...description.matchAll(/\b(?:in an?|for) ([A-Z]?[a-z]+(?: [A-Z]?[a-z]+)?) flow type\b/g),
  ].map((m) => m[1]!.replace(/\s+/g, '').toLowerCase());
  if (/\bto a digital bot\b/.test(description)) named.push('digitalbot');
  return named.length > 0 ? [...new Set(named)].sort() : null;
}

/** The values of an ArchEnums member documented as `{ key: 'value', … }`. */
function enumValues(page: DocPage | undefined, id: string): string[] {
  const member = page?.members.find((m) => m.id === id);
  if (!member) throw new Error(`ArchEnums has no ${id}`);
  const values = [...member.description.matchAll(/:\s*'([A-Za-z]+)'/g)].map((m) => m[1]!);
  return [...new Set(values)].sort();
}
