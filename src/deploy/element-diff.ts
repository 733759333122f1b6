/**
 * What callers notice, diffed on the Archy document itself: every element (the flow, a menu, a
 * task, an action, a menu choice) is matched by where it stands, its type and its name, and each
 * of its own settings (prompts and their TTS, DTMF keys, transfer targets, data actions, variables
 * set, schedule groups…) is compared as a leaf value (issue 20 §5). The FlowGraph diff
 * (`diff.ts`) says what was added, removed or re-wired; this says what changed inside.
 */

/** One changed setting of an element present in both versions. */
export interface FieldChange {
  /** `menu 'Main Menu' › menuTransferToAcd 'Loans'`. */
  element: string;
  /** The setting's path inside the element: `dtmf`, `audio.tts`, `targetQueue.lit.name`. */
  field: string;
  from?: string | undefined;
  to?: string | undefined;
  /**
   * The YAML types, given when both versions have the setting and its type changed: so
   * `lit: 50` → `lit: "50"`, whose text is the same, is still said (the file's text and what
   * Architect publishes changed).
   */
  fromType?: LeafType | undefined;
  toType?: LeafType | undefined;
}

/** The type of a setting's value, as YAML gives it. */
export type LeafType = 'string' | 'number' | 'boolean' | 'null';

/** A setting's value: its text, and its type (a number and the string of its digits differ). */
interface Leaf {
  text: string;
  type: LeafType;
}

interface Element {
  label: string;
  /** The flow itself (the document's root), not an element inside it. */
  flow: boolean;
  fields: Map<string, Leaf>;
}

/**
 * The changed settings from `before` to `after` (parsed Archy documents). `saidAsFlowSettings`:
 * settings of the flow itself (`name`, `division`) the FlowGraph diff already says as the flow's
 * settings, left out so one change is one line.
 */
export function fieldChanges(
  before: unknown,
  after: unknown,
  saidAsFlowSettings: ReadonlySet<string> = new Set(),
): FieldChange[] {
  const a = elementsOf(before);
  const b = elementsOf(after);
  const out: FieldChange[] = [];
  for (const [key, now] of b) {
    const old = a.get(key);
    if (!old) continue; // added: the FlowGraph diff says so
    for (const field of new Set([...old.fields.keys(), ...now.fields.keys()])) {
      if (now.flow && saidAsFlowSettings.has(field)) continue;
      const from = old.fields.get(field);
      const to = now.fields.get(field);
      if (from?.text === to?.text && from?.type === to?.type) continue;
      const change: FieldChange = { element: now.label, field, from: from?.text, to: to?.text };
      if (from && to && from.type !== to.type)
        Object.assign(change, { fromType: from.type, toType: to.type });
      out.push(change);
    }
  }
  return out;
}

/** A list of single-key mappings whose value is a mapping: Archy's lists of actions, choices, containers. */
function isElementList(v: unknown): v is Array<Record<string, Record<string, unknown>>> {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((item: unknown) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
      const keys = Object.keys(item);
      const inner = (item as Record<string, unknown>)[keys[0]!];
      return keys.length === 1 && inner !== null && typeof inner === 'object' && !Array.isArray(inner);
    })
  );
}

function elementsOf(doc: unknown): Map<string, Element> {
  const out = new Map<string, Element>();
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return out;
  const [rootKey] = Object.keys(doc);
  if (rootKey === undefined) return out;
  const root = (doc as Record<string, unknown>)[rootKey];
  if (root === null || typeof root !== 'object') return out;
  addElement(out, rootKey, rootKey, root as Record<string, unknown>, true);
  return out;
}

function addElement(
  out: Map<string, Element>,
  key: string,
  label: string,
  body: Record<string, unknown>,
  flow = false,
): void {
  const el: Element = { label, flow, fields: new Map() };
  out.set(key, el);
  const seen = new Map<string, number>();
  const walk = (value: unknown, prefix: string): void => {
    if (isElementList(value)) {
      for (const item of value) {
        const type = Object.keys(item)[0]!;
        const child = item[type]!;
        const name = typeof child.name === 'string' ? child.name : undefined;
        const base = `${key}/${prefix}${type}:${name ?? ''}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const childLabel = `${label} › ${type}${name !== undefined ? ` '${name}'` : ''}${n > 1 ? ` (${n})` : ''}`;
        addElement(out, `${base}#${n}`, childLabel, child);
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${prefix}${i}.`));
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, `${prefix}${k}.`);
      return;
    }
    const field = prefix.slice(0, -1);
    // refIds and the references to them are the FlowGraph diff's (re-wiring); a renumbered refId
    // alone changes nothing a caller notices.
    if (/(^|\.)(refId|\w+Ref)$/.test(field)) return;
    el.fields.set(field, {
      text: typeof value === 'string' ? value : JSON.stringify(value),
      type: leafType(value),
    });
  };
  for (const [k, v] of Object.entries(body)) walk(v, `${k}.`);
}

function leafType(value: unknown): LeafType {
  if (value === null) return 'null';
  const t = typeof value;
  return t === 'number' || t === 'boolean' ? t : 'string';
}
