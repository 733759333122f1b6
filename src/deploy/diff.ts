/**
 * A semantic diff of two versions of a flow, on the FlowGraph (not the text): menus, tasks, states
 * and bots added or removed; actions added, removed or changed inside them (matched by type and
 * name, in order); where jumps and calls lead; and transfer targets (flows, queues) changed.
 * Formatting, comments, key order and refId counters do not show up as changes.
 */
import { NodeFlag, type FlowGraph } from '../flow/index.js';
import { fieldChanges, type FieldChange } from './element-diff.js';

export type { FieldChange } from './element-diff.js';

/** One container (menu, task, state, bot). */
export interface DiffContainer {
  kind: string;
  id: string;
  name?: string | undefined;
}

/** One action of a container. */
export interface DiffAction {
  container: string;
  type: string;
  name?: string | undefined;
  /** Where it jumps or calls (container ids), when it does. */
  targets?: string[] | undefined;
}

/** A changed reference target of one kind of action (`transferToAcd → queue`). */
export interface DiffReference {
  via: string;
  kind: string;
  removed: string[];
  added: string[];
}

/** What changed between two versions of a flow. */
export interface SemanticDiff {
  settings: Array<{ key: 'name' | 'division' | 'start'; from?: string | undefined; to?: string | undefined }>;
  containersAdded: DiffContainer[];
  containersRemoved: DiffContainer[];
  actionsAdded: DiffAction[];
  actionsRemoved: DiffAction[];
  /** Same type and name, different jump or call targets. */
  actionsChanged: Array<DiffAction & { fromTargets: string[] }>;
  references: DiffReference[];
  /** Settings changed inside elements present in both (prompts, DTMF keys, targets…). */
  fieldsChanged: FieldChange[];
  /** True when nothing above changed. */
  empty: boolean;
}

interface Shape {
  containers: Map<string, DiffContainer>;
  /** container id → action key (`type\0name\0occurrence`) → action */
  actions: Map<string, Map<string, DiffAction>>;
  references: Map<string, Set<string>>;
  start: string;
}

function shapeOf(g: FlowGraph): Shape {
  const containers = new Map<string, DiffContainer>();
  const actions = new Map<string, Map<string, DiffAction>>();
  const isContainer = (i: number) => (g.flags[i]! & NodeFlag.Container) !== 0;
  for (let i = 0; i < g.nodeCount; i++)
    if (isContainer(i)) {
      containers.set(g.ids[i]!, { kind: g.kinds[i]!, id: g.ids[i]!, name: g.names[i] });
      actions.set(g.ids[i]!, new Map());
    }
  // Jump and call targets: edges from an action or a menu choice straight to a container (a
  // choice's `targetTaskRef` is a reference, which the field diff leaves to this one).
  const targets = new Map<number, string[]>();
  const leads = (i: number) => g.kinds[i] === 'action' || g.kinds[i] === 'choice';
  for (let e = 0; e < g.edgeCount; e++) {
    const from = g.edgeFrom[e]!;
    const to = g.edgeTo[e]!;
    if (leads(from) && isContainer(to) && g.containerOf[from] !== to) {
      const list = targets.get(from) ?? [];
      list.push(g.ids[to]!);
      targets.set(from, list);
    }
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < g.nodeCount; i++) {
    if (g.kinds[i] !== 'action' && g.kinds[i] !== 'choice') continue;
    // Choices and actions belong to their enclosing container (`containerOf` is always a
    // container's index, flow/graph/flow-graph.ts, or -1 for none).
    const c = g.containerOf[i]!;
    const container = c >= 0 ? g.ids[c]! : '(flow)';
    const base = `${container}\0${g.types[i]}\0${g.names[i] ?? ''}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const t = targets.get(i);
    const a: DiffAction = {
      container,
      type: g.types[i]!,
      name: g.names[i],
      ...(t ? { targets: t.sort() } : {}),
    };
    if (!actions.has(container)) actions.set(container, new Map());
    actions.get(container)!.set(`${g.types[i]}\0${g.names[i] ?? ''}\0${n}`, a);
  }
  const references = new Map<string, Set<string>>();
  for (const r of g.references) {
    const key = `${r.via}\0${r.kind}`;
    if (!references.has(key)) references.set(key, new Set());
    references.get(key)!.add(r.flowType ? `${r.name} (${r.flowType})` : r.name);
  }
  const start = g.starts.map((s) => g.ids[s]!).join(', ');
  return { containers, actions, references, start };
}

/**
 * The semantic diff from `before` to `after`; with the parsed documents (`docs`), also every
 * setting changed inside an element.
 */
export function semanticDiff(
  before: FlowGraph,
  after: FlowGraph,
  docs?: { before: unknown; after: unknown },
): SemanticDiff {
  const a = shapeOf(before);
  const b = shapeOf(after);
  const out: SemanticDiff = {
    settings: [],
    containersAdded: [],
    containersRemoved: [],
    actionsAdded: [],
    actionsRemoved: [],
    actionsChanged: [],
    references: [],
    fieldsChanged: [],
    empty: true,
  };
  if (before.name !== after.name) out.settings.push({ key: 'name', from: before.name, to: after.name });
  if (before.division !== after.division)
    out.settings.push({ key: 'division', from: before.division, to: after.division });
  if (a.start !== b.start) out.settings.push({ key: 'start', from: a.start, to: b.start });
  // The flow's name and division are the document's `name:` and `division:` too: said once, here.
  if (docs)
    out.fieldsChanged = fieldChanges(docs.before, docs.after, new Set(out.settings.map((s) => s.key)));
  for (const [id, c] of b.containers) if (!a.containers.has(id)) out.containersAdded.push(c);
  for (const [id, c] of a.containers) if (!b.containers.has(id)) out.containersRemoved.push(c);
  for (const container of new Set([...a.actions.keys(), ...b.actions.keys()])) {
    // Actions of a container added or removed as a whole are said by the container line.
    if (!a.containers.has(container) && b.containers.has(container)) continue;
    if (a.containers.has(container) && !b.containers.has(container)) continue;
    const old = a.actions.get(container) ?? new Map<string, DiffAction>();
    const now = b.actions.get(container) ?? new Map<string, DiffAction>();
    for (const [k, x] of now) {
      const y = old.get(k);
      if (!y) out.actionsAdded.push(x);
      else if ((x.targets ?? []).join('|') !== (y.targets ?? []).join('|'))
        out.actionsChanged.push({ ...x, fromTargets: y.targets ?? [] });
    }
    for (const [k, y] of old) if (!now.has(k)) out.actionsRemoved.push(y);
  }
  for (const key of new Set([...a.references.keys(), ...b.references.keys()])) {
    const old = a.references.get(key) ?? new Set<string>();
    const now = b.references.get(key) ?? new Set<string>();
    const removed = [...old].filter((x) => !now.has(x)).sort();
    const added = [...now].filter((x) => !old.has(x)).sort();
    if (removed.length || added.length) {
      const [via, kind] = key.split('\0') as [string, string];
      out.references.push({ via, kind, removed, added });
    }
  }
  out.empty =
    out.settings.length +
      out.containersAdded.length +
      out.containersRemoved.length +
      out.actionsAdded.length +
      out.actionsRemoved.length +
      out.actionsChanged.length +
      out.references.length +
      out.fieldsChanged.length ===
    0;
  return out;
}

/** The diff as lines for people (`+` added, `-` removed, `~` changed). */
export function describeDiff(d: SemanticDiff): string[] {
  const lines: string[] = [];
  const label = (x: { kind?: string; type?: string; name?: string | undefined; id?: string }) =>
    `${x.kind ?? x.type ?? ''} '${x.name ?? x.id ?? ''}'`;
  for (const s of d.settings) lines.push(`~ ${s.key}: '${s.from ?? ''}' → '${s.to ?? ''}'`);
  for (const c of d.containersAdded) lines.push(`+ ${label(c)}`);
  for (const c of d.containersRemoved) lines.push(`- ${label(c)}`);
  for (const x of d.actionsAdded) lines.push(`+ ${x.type} '${x.name ?? ''}' in ${x.container}`);
  for (const x of d.actionsRemoved) lines.push(`- ${x.type} '${x.name ?? ''}' in ${x.container}`);
  for (const x of d.actionsChanged)
    lines.push(
      `~ ${x.type} '${x.name ?? ''}' in ${x.container}: ${x.fromTargets.join(', ') || '—'} → ${(x.targets ?? []).join(', ') || '—'}`,
    );
  const quote = (v: string | undefined) =>
    v === undefined ? '(none)' : `'${v.length > 80 ? `${v.slice(0, 77)}…` : v}'`;
  // A change of type alone (`50` → `'50'`) shows each value as YAML writes it, and the types.
  const typed = (v: string | undefined, type: string) => (type === 'string' ? quote(v) : (v ?? '(none)'));
  for (const f of d.fieldsChanged ?? [])
    lines.push(
      f.fromType !== undefined && f.toType !== undefined
        ? `~ ${f.element}: ${f.field} ${typed(f.from, f.fromType)} → ${typed(f.to, f.toType)} (its type: ${f.fromType} → ${f.toType})`
        : `~ ${f.element}: ${f.field} ${quote(f.from)} → ${quote(f.to)}`,
    );
  // A target already named by a setting's change is not lumped again by action type.
  const named = new Set((d.fieldsChanged ?? []).flatMap((f) => [f.from, f.to]));
  for (const r of d.references.filter(
    (x) => ![...x.removed, ...x.added].every((v) => named.has(v.replace(/ \([^)]*\)$/, ''))),
  ))
    lines.push(
      `~ ${r.via} ${r.kind}: ${r.removed
        .map((x) => `-${x}`)
        .concat(r.added.map((x) => `+${x}`))
        .join(' ')}`,
    );
  return lines;
}
