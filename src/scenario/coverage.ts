/**
 * Coverage per flow: which menus, menu choices, decision and switch outputs and tasks the cases
 * exercised, and which they did not. The universe is read from the flow once (every menu and task
 * declared, inline ones too; every decision's yes and no, every switch case and its default).
 */
import { isObj, singleKey, str, type FlowSource, type Obj } from './flow-source.js';
import { coverageKey } from './coverage-key.js';

/** One thing a case can exercise. */
export interface CoverageItem {
  kind: 'menu' | 'choice' | 'decision' | 'task';
  /** `menu 'Main Menu'`, `choice 'Loans' of 'Main Menu'`, `decision 'Tier?' → yes`. */
  label: string;
  /** file:line:column. */
  where: string;
  key: string;
}

/** Coverage of one flow over a run of cases. */
export interface FlowCoverage {
  file: string;
  flow: string;
  items: CoverageItem[];
  exercised: CoverageItem[];
  missed: CoverageItem[];
}

const universes = new WeakMap<FlowSource, CoverageItem[]>();

/** Everything of a flow that cases can exercise, in the order of the file. */
export function universeOf(source: FlowSource): CoverageItem[] {
  let items = universes.get(source);
  if (items) return items;
  const list: CoverageItem[] = [];
  items = list;
  const add = (kind: CoverageItem['kind'], node: Obj, label: string, suffix?: string) =>
    list.push({ kind, label, where: source.where(node), key: coverageKey(source, kind, node, suffix) });
  const seen = new Set<object>();
  for (const c of [...(source.start ? [source.start] : []), ...source.containers.values()]) {
    if (seen.has(c.body)) continue;
    seen.add(c.body);
    if (c.kind === 'menu') {
      add('menu', c.body, `menu '${c.name}'`);
      for (const item of Array.isArray(c.body.choices) ? c.body.choices : []) {
        const e = singleKey(item);
        if (e && isObj(e[1])) add('choice', e[1], `choice '${str(e[1].name) ?? e[0]}' of '${c.name}'`);
      }
    } else add('task', c.body, `${c.kind} '${c.name}'`);
  }
  walkActions(source.flow, (type, body) => {
    const name = str(body.name) ?? type;
    if (type === 'decision')
      for (const out of ['yes', 'no']) add('decision', body, `decision '${name}' → ${out}`, out);
    if (type === 'switch') {
      const holder = switchHolder(body);
      const n = holder && Array.isArray(holder.cases) ? holder.cases.length : 0;
      for (let i = 1; i <= n; i++) add('decision', body, `switch '${name}' → case ${i}`, `case ${i}`);
      add('decision', body, `switch '${name}' → default`, 'default');
    }
  });
  items.sort((a, b) => order(a.where) - order(b.where));
  universes.set(source, items);
  return items;
}

/**
 * Splits a flow's universe by what the run's hits exercised. `source` may be several reads of one
 * file (with other substitution values: a scenario's own, the manifest's for a flow reached by a
 * transfer): their items are one universe, each key once, since keys are positions in the file.
 */
export function coverageOf(
  source: FlowSource | readonly FlowSource[],
  hits: ReadonlySet<string>,
): FlowCoverage {
  const reads = Array.isArray(source) ? (source as readonly FlowSource[]) : [source as FlowSource];
  const first = reads[0]!;
  const byKey = new Map<string, CoverageItem>();
  for (const read of reads) for (const i of universeOf(read)) if (!byKey.has(i.key)) byKey.set(i.key, i);
  const items =
    reads.length === 1
      ? universeOf(first)
      : [...byKey.values()].sort((a, b) => order(a.where) - order(b.where));
  return {
    file: first.file,
    flow: first.name ?? first.file,
    items,
    exercised: items.filter((i) => hits.has(i.key)),
    missed: items.filter((i) => !hits.has(i.key)),
  };
}

function order(where: string): number {
  const m = /:(\d+):(\d+)$/.exec(where);
  return m ? Number(m[1]) * 10_000 + Number(m[2]) : 0;
}

function switchHolder(body: Obj): Obj | undefined {
  const mode = singleKey(body.evaluate);
  if (!mode || !isObj(mode[1])) return undefined;
  if (mode[0] !== 'firstMatch') return mode[1];
  const typed = singleKey(mode[1]);
  return typed && isObj(typed[1]) ? typed[1] : undefined;
}

/** Calls `visit` for every action of every `actions:` list in the flow (iteratively: flows nest deep). */
function walkActions(root: unknown, visit: (type: string, body: Obj) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (isObj(v)) {
      for (const list of [v.actions, v.startUpTaskActions])
        if (Array.isArray(list))
          for (const item of list) {
            const e = singleKey(item);
            if (e && isObj(e[1])) visit(e[0], e[1]);
          }
      for (const x of Object.values(v)) if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
}
