/**
 * Names that differ between orgs become `{{ tokens }}` (`flowgate export --init`): the queues,
 * schedule and emergency groups, flows called or transferred to (and a flow's own name), data
 * tables, data actions and their categories, prompts and the division an exported flow names. The
 * keys that hold them are the ones validation reads references from (`flow/archy-references.ts`).
 *
 * A token replaces the whole scalar (quotes included), so substitution places the value with the
 * safe rules of `flow/insertion.ts` (quoted when it must be). Every tokenized text is proven: its
 * substitution with the exported values must parse to the same YAML value as the export, or the
 * file is kept without tokens (and says why).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Scalar } from 'yaml';
import { applySubstitutions, findSubstitutionKeys, parseYaml } from '../flow/index.js';

/** What a token stands for. */
export type TokenKind =
  | 'queue'
  | 'flow'
  | 'scheduleGroup'
  | 'emergencyGroup'
  | 'dataTable'
  | 'dataAction'
  | 'dataActionCategory'
  | 'prompt'
  | 'division';

const PREFIX: Record<TokenKind, string> = {
  queue: 'queue',
  flow: 'flow',
  scheduleGroup: 'schedule_group',
  emergencyGroup: 'emergency_group',
  dataTable: 'data_table',
  dataAction: 'data_action',
  dataActionCategory: 'data_action_category',
  prompt: 'prompt',
  division: 'division',
};

/** The tokens of one export: one key per (kind, value), shared by every file. */
export class TokenRegistry {
  private readonly byValue = new Map<string, string>();
  /** key → what it stands for. */
  readonly entries = new Map<string, { kind: TokenKind; value: string }>();

  /** The key of a value (a new one the first time). */
  keyOf(kind: TokenKind, value: string): string {
    return this.planned(kind, value, new Map());
  }

  /** The key a value has, or would get with the keys `pending` reserves (nothing is recorded). */
  private planned(
    kind: TokenKind,
    value: string,
    pending: Map<string, { kind: TokenKind; value: string }>,
  ): string {
    const id = `${kind}\u0000${value}`;
    const known = this.byValue.get(id);
    if (known !== undefined) return known;
    for (const [k, e] of pending) if (e.kind === kind && e.value === value) return k;
    const slug =
      value
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '') || 'x';
    let key = `${PREFIX[kind]}_${slug}`;
    for (let i = 2; this.entries.has(key) || pending.has(key); i++) key = `${PREFIX[kind]}_${slug}_${i}`;
    pending.set(key, { kind, value });
    return key;
  }

  /** Keys for these values, recorded only when `accept` says yes (a file's tokens, once proven). */
  tryKeys(
    sites: ReadonlyArray<{ kind: TokenKind; value: string }>,
    accept: (keys: string[], values: Record<string, string>) => boolean,
  ): string[] | undefined {
    const pending = new Map<string, { kind: TokenKind; value: string }>();
    const keys = sites.map((s) => this.planned(s.kind, s.value, pending));
    const values = { ...this.values(), ...Object.fromEntries([...pending].map(([k, e]) => [k, e.value])) };
    if (!accept(keys, values)) return undefined;
    for (const [k, e] of pending) {
      this.entries.set(k, e);
      this.byValue.set(`${e.kind}\u0000${e.value}`, k);
    }
    return keys;
  }

  /** Every key with its value (the substitutions file of an environment), sorted by key. */
  values(): Record<string, string> {
    return Object.fromEntries(
      [...this.entries].sort(([a], [b]) => a.localeCompare(b)).map(([k, e]) => [k, e.value]),
    );
  }
}

/** The outcome of tokenizing one file. */
export interface Tokenized {
  text: string;
  /** The keys this text uses, in order of first use. */
  keys: string[];
  /** Why the file kept its names, when the proof failed. */
  kept?: string;
}

interface Site {
  start: number;
  end: number;
  kind: TokenKind;
  value: string;
}

const NAMED = new Map<string, TokenKind>([
  ['targetQueue', 'queue'],
  ['scheduleGroup', 'scheduleGroup'],
  ['emergencyGroup', 'emergencyGroup'],
  ['targetFlow', 'flow'],
  ['overrideInQueueFlow', 'flow'],
]);
const CALLS: Record<string, string> = {
  commonModule: 'callCommonModule',
  botFlow: 'callBotFlow',
  digitalBotFlow: 'callDigitalBotFlow',
};

/** Replaces the org-specific names of an exported Archy text with tokens of `registry`. */
export function tokenize(text: string, registry: TokenRegistry): Tokenized {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents))
    return { text, keys: [], kept: 'the file does not parse' };
  const sites: Site[] = [];
  const root = doc.contents.items[0];
  if (root && isMap(root.value)) {
    for (const p of root.value.items) {
      const k = scalarText(p.key);
      if ((k === 'name' || k === 'division') && isScalar(p.value) && typeof p.value.value === 'string')
        site(sites, p.value, k === 'name' ? 'flow' : 'division');
    }
    walk(root.value, scalarText(root.key) ?? '', sites);
  }
  sites.sort((a, b) => a.start - b.start);
  const kept = sites.filter((s, i) => i === 0 || s.start >= sites[i - 1]!.end);
  // Text that reads as a token where no name stands (a template, or a prompt that says `{{x}}`)
  // would be substituted by Archy and flowgate alike: the file is kept as it is, and says so.
  const outside = findSubstitutionKeys(withoutSites(text, kept));
  if (outside.length > 0) return { text, keys: [], kept: `the text holds {{ ${outside[0]} }} already` };
  if (kept.length === 0) return { text, keys: [] };
  let out = '';
  const keys = registry.tryKeys(kept, (keys, values) => {
    out = replaceSites(text, kept, (i) => `{{ ${keys[i]} }}`);
    const proof = applySubstitutions(out, values);
    return proof.unresolved.length === 0 && proof.unsafe.length === 0 && sameValue(proof.text, text);
  });
  if (!keys) return { text, keys: [], kept: 'a value could not be written back safely where it stands' };
  return { text: out, keys: [...new Set(keys)] };
}

/** `text` with each site replaced by `write(i)`; sites sorted and disjoint. */
function replaceSites(text: string, sites: readonly Site[], write: (i: number) => string): string {
  let out = '';
  let last = 0;
  sites.forEach((s, i) => {
    out += `${text.slice(last, s.start)}${write(i)}`;
    last = s.end;
  });
  return out + text.slice(last);
}

function withoutSites(text: string, sites: readonly Site[]): string {
  return replaceSites(text, sites, () => ' ');
}

function sameValue(a: string, b: string): boolean {
  const pa = parseYaml(a);
  const pb = parseYaml(b);
  return pa.problems.length === 0 && JSON.stringify(pa.value) === JSON.stringify(pb.value);
}

function scalarText(n: unknown): string | undefined {
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

function site(sites: Site[], node: Scalar, kind: TokenKind): void {
  if (!node.range || typeof node.value !== 'string' || node.value === '') return;
  sites.push({ start: node.range[0], end: node.range[1], kind, value: node.value });
}

/** A `{lit: {name: X}}` or `{name: X}` value: the scalar that names. */
function litName(v: unknown): Scalar | undefined {
  if (!isMap(v)) return undefined;
  const lit = v.items.find((p) => scalarText(p.key) === 'lit')?.value;
  const holder = isMap(lit) ? lit : v;
  const name = holder.items.find((p) => scalarText(p.key) === 'name')?.value;
  return isScalar(name) ? name : undefined;
}

function walk(node: Node | null | undefined, parentKey: string, sites: Site[]): void {
  if (isSeq(node)) {
    for (const item of node.items) walk(item as Node, parentKey, sites);
    return;
  }
  if (!isMap(node)) return;
  for (const p of node.items) {
    const key = scalarText(p.key);
    if (key === undefined) continue;
    const named = NAMED.get(key);
    const value = p.value as Node | null;
    if (named) {
      const s = litName(value);
      if (s) site(sites, s, named);
    } else if (CALLS[key] === parentKey && isMap(value)) {
      for (const q of value.items) if (isScalar(q.key)) site(sites, q.key, 'flow');
    } else if (key === 'dataTable' && parentKey === 'dataTableLookup' && isMap(value)) {
      for (const q of value.items) if (isScalar(q.key)) site(sites, q.key, 'dataTable');
    } else if (key === 'category' && parentKey === 'callData' && isMap(value)) {
      for (const cat of value.items) {
        if (isScalar(cat.key)) site(sites, cat.key, 'dataActionCategory');
        const action = isMap(cat.value)
          ? cat.value.items.find((q) => scalarText(q.key) === 'dataAction')
          : undefined;
        if (action && isMap(action.value))
          for (const q of action.value.items) if (isScalar(q.key)) site(sites, q.key, 'dataAction');
      }
    } else if (
      (key === 'prompt' || key === 'holdMusic') &&
      isScalar(value) &&
      /^Prompt(System)?\./.test(String(value.value))
    )
      site(sites, value, 'prompt');
    walk(value, key, sites);
  }
}
