/**
 * One Archy flow as the interpreter reads it: the parsed document with positions (the text after
 * substitutions, positions mapped back to the file the user wrote, as `flow/load.ts` does), its
 * menus, tasks and states by refId, tasks by name, and where it starts (docs/ARCHY-BRANCHING.md:
 * `startUpRef`, `startUpTaskActions`, `startUpState`).
 */
import { ConfigError } from '../errors.js';
import {
  applySubstitutions,
  ARCHY_ROOT_KEYS,
  LineIndex,
  parseContainerRef,
  parseYaml,
  parseYamlEvents,
} from '../flow/index.js';

/** A YAML mapping. */
export type Obj = Record<string, unknown>;

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
  return keys.length === 1 ? [keys[0]!, item[keys[0]!]] : undefined;
}

/** A menu, task or state of a flow. */
export interface Container {
  kind: 'menu' | 'task' | 'state' | 'bot';
  name: string;
  body: Obj;
}

/** A parsed flow. */
export interface FlowSource {
  file: string;
  rootKey: string;
  name: string | undefined;
  /** The mapping under the root key. */
  flow: Obj;
  /** `kind:refId` → container (inline sub-menus and menu tasks with a refId too). */
  containers: Map<string, Container>;
  /** Lower-cased task name → task (intents and settings name tasks). */
  tasksByName: Map<string, Container>;
  /** Where it starts, or undefined when it declares no start. */
  start: Container | undefined;
  /** file:line:column of a mapping or of its key's value. */
  where(container: object, key?: string | number): string;
}

const KIND_LISTS: Array<[string, string, Container['kind']]> = [
  ['menus', 'menu', 'menu'],
  ['tasks', 'task', 'task'],
  ['reusableTasks', 'task', 'task'],
  ['states', 'state', 'state'],
  ['bots', 'bot', 'bot'],
];

/**
 * Parses a flow's text with its substitution values.
 * @throws {ConfigError} `SCENARIO_FLOW` when a token has no value, the YAML is broken, or the
 *   document is no Archy flow (validate says more).
 */
export function flowSourceFromText(
  original: string,
  file: string,
  values: Readonly<Record<string, string>>,
): FlowSource {
  const sub = applySubstitutions(original, values, 'yaml');
  const lines = new LineIndex(original);
  const pos = (offset: number) => lines.position(offset < 0 ? 0 : sub.toOriginal(offset));
  const missing = sub.unresolved[0] ?? sub.unsafe[0];
  if (missing) {
    const p = lines.position(missing.offset);
    throw new ConfigError(
      'SCENARIO_FLOW',
      `${file}:${p.line}:${p.column}: substitution '{{ ${missing.key} }}' has no usable value`,
      {
        hint: `Give '${missing.key}' a value in the scenario's substitutions: or the manifest.`,
      },
    );
  }
  const doc = parseYamlEvents(sub.text, { declineProblems: true }) ?? parseYaml(sub.text);
  const problem = doc.problems[0];
  if (problem) {
    const p = pos(problem.offset);
    throw new ConfigError('SCENARIO_FLOW', `${file}:${p.line}:${p.column}: ${problem.message}`, {
      hint: `Run flowgate validate ${file}.`,
    });
  }
  const root = doc.value;
  const rootKey = isObj(root) ? Object.keys(root).find((k) => Object.hasOwn(ARCHY_ROOT_KEYS, k)) : undefined;
  if (!isObj(root) || rootKey === undefined || !isObj(root[rootKey]))
    throw new ConfigError(
      'SCENARIO_FLOW',
      `${file}:1:1: not an Archy flow (no flow-type root key such as inboundCall)`,
      {
        hint: 'Scenarios run Archy YAML flows.',
      },
    );
  const flow = root[rootKey];
  // Coverage keys and paths ask for the same mappings again and again.
  const memo = new WeakMap<object, string>();
  const where = (container: object, key?: string | number) => {
    if (key === undefined) {
      const known = memo.get(container);
      if (known !== undefined) return known;
    }
    const p = pos(doc.offsetOf(container, key));
    const at = `${file}:${p.line}:${p.column}`;
    if (key === undefined) memo.set(container, at);
    return at;
  };
  const source: FlowSource = {
    file,
    rootKey,
    name: str(flow.name),
    flow,
    containers: new Map(),
    tasksByName: new Map(),
    start: undefined,
    where,
  };
  for (const [listKey, itemKey, kind] of KIND_LISTS) {
    const list = flow[listKey];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const body = isObj(item) ? item[itemKey] : undefined;
      if (isObj(body)) declare(source, kind, body);
    }
  }
  source.start = startOf(source);
  return source;
}

function declare(source: FlowSource, kind: Container['kind'], body: Obj): Container {
  const c: Container = { kind, name: str(body.name) ?? str(body.refId) ?? kind, body };
  const refId = str(body.refId);
  if (refId !== undefined) source.containers.set(`${kind}:${refId}`, c);
  if (kind === 'task') source.tasksByName.set(c.name.toLowerCase(), c);
  if (kind === 'menu') declareInline(source, body);
  return c;
}

/** Sub-menus and menu tasks declared inside a menu's choices. */
function declareInline(source: FlowSource, menu: Obj): void {
  if (!Array.isArray(menu.choices)) return;
  for (const item of menu.choices) {
    const entry = singleKey(item);
    if (!entry || !isObj(entry[1])) continue;
    const [type, body] = entry as [string, Obj];
    if (type === 'menuSubMenu' && isObj(body.menu)) declare(source, 'menu', body.menu);
    if (type === 'menuTask' && isObj(body.task)) declare(source, 'task', body.task);
  }
}

const resolved = new WeakMap<FlowSource, Map<string, Container | undefined>>();

/** The container a reference names (`/inboundCall/tasks/task[X]`, `./menus/menu[Y]`), parsed once per flow. */
export function resolveRef(source: FlowSource, ref: string): Container | undefined {
  let byRef = resolved.get(source);
  if (!byRef) resolved.set(source, (byRef = new Map<string, Container | undefined>()));
  if (byRef.has(ref)) return byRef.get(ref);
  const r = parseContainerRef(ref);
  const c = r ? source.containers.get(`${r.kind}:${r.id}`) : undefined;
  byRef.set(ref, c);
  return c;
}

function startOf(source: FlowSource): Container | undefined {
  const f = source.flow;
  const ref = str(f.startUpRef);
  if (ref !== undefined) return resolveRef(source, ref);
  if (Array.isArray(f.startUpTaskActions))
    return {
      kind: 'task',
      name: 'Start-up task',
      body: { name: 'Start-up task', actions: f.startUpTaskActions },
    };
  if (isObj(f.startUpState))
    return { kind: 'state', name: str(f.startUpState.name) ?? 'Start-up state', body: f.startUpState };
  return undefined;
}
