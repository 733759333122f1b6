/**
 * Before anything is published: every org object the flows name (queues, data actions, data
 * tables, prompts, schedules, skills, users, …) looked up in the target org. One paged listing
 * per kind the flows use, not one request per reference, each page through the client's shared
 * limiter; the listings are cached for the run ({@link OrgObjectCache}).
 *
 * Each missing object is a `missing-object` error at the reference's line and column naming the
 * kind, the name, the org, the closest existing names and, for a name that came from a
 * `{{ token }}`, the token and where its value was set. An object that exists but cannot serve
 * (org-object-rules.ts) is an `unusable-object` finding with its reason. A kind the client may
 * not list (401/403) is left unchecked with an `objects-unchecked` warning.
 */
import type { DeploymentInput } from '../config/deployment.js';
import {
  sortDiagnostics,
  summarize,
  type Diagnostic,
  type LoadedFlow,
  type ValidationReport,
} from '../flow/index.js';
import { ApiError } from '../platform/errors.js';
import type { OrgObject, OrgObjectKind } from '../platform/calls/org-objects.js';
import { closestNames } from './closest-names.js';
import { lookupOf, referenceName, unfitness, type ObjectReference, type Unfit } from './org-object-rules.js';
import { lineStarts, nameOrigins, type NameOrigin } from './substituted-name.js';

/** Lists every object of a kind (`client.objects`). */
export interface OrgObjectLister {
  list(kind: OrgObjectKind, signal?: AbortSignal): Promise<OrgObject[]>;
}

/** The org's objects by kind, each kind listed at most once per run. */
export class OrgObjectCache {
  private readonly lists = new Map<OrgObjectKind, Promise<OrgObject[]>>();
  constructor(private readonly lister: OrgObjectLister) {}

  /** The objects of a kind (listed on first use). */
  get(kind: OrgObjectKind, signal?: AbortSignal): Promise<OrgObject[]> {
    let p = this.lists.get(kind);
    if (!p) this.lists.set(kind, (p = this.lister.list(kind, signal)));
    return p;
  }

  /** The kinds listed so far. */
  kinds(): OrgObjectKind[] {
    return [...this.lists.keys()];
  }
}

/** One object a flow depends on, and its state in the org. */
export interface ObjectUse {
  kind: OrgObjectKind;
  name: string;
  via: string;
  line: number;
  column: number;
  state: 'found' | 'missing' | 'unusable' | 'unchecked';
  /** Why it cannot serve (`unusable`), or why it was not checked. */
  reasons?: string[];
  /** The closest existing names (`missing`). */
  suggestions?: string[];
  /** The tokens the name came from. */
  from?: NameOrigin[];
}

/** The objects of one flow. */
export interface FlowObjects {
  file: string;
  flowName?: string | undefined;
  objects: ObjectUse[];
}

/** What the check found. */
export interface OrgReferenceReport {
  org: string;
  flows: FlowObjects[];
  diagnostics: Diagnostic[];
  /** The kinds listed (one listing each). */
  kinds: OrgObjectKind[];
}

/** Options of {@link checkOrgReferences}. */
export interface OrgReferenceOptions {
  /** The org's name, for messages. */
  org: string;
  cache: OrgObjectCache;
  /** The deployment's inputs, aligned with the loaded flows: substitution values and their origins. */
  inputs?: readonly DeploymentInput[];
  signal?: AbortSignal;
}

/** The words for each kind in messages. */
const KIND_WORDS: Record<OrgObjectKind, string> = {
  queue: 'queue',
  dataAction: 'data action',
  dataTable: 'data table',
  prompt: 'user prompt',
  systemPrompt: 'system prompt',
  schedule: 'schedule',
  scheduleGroup: 'schedule group',
  emergencyGroup: 'emergency group',
  skill: 'skill',
  language: 'language skill',
  wrapupCode: 'wrap-up code',
  user: 'user',
  group: 'group',
  outcome: 'flow outcome',
  milestone: 'flow milestone',
};

/** Checks the org objects every loaded flow names. */
export async function checkOrgReferences(
  loaded: readonly LoadedFlow[],
  o: OrgReferenceOptions,
): Promise<OrgReferenceReport> {
  const needed = new Set<OrgObjectKind>();
  for (const f of loaded)
    for (const r of f.graph?.references ?? []) {
      const l = lookupOf(r);
      if (l) needed.add(l.kind);
    }
  // Every kind's listing starts at once; the shared limiter paces them.
  const listed = new Map<OrgObjectKind, OrgObject[] | { unchecked: string }>();
  await Promise.all(
    [...needed].map(async (kind) => {
      try {
        listed.set(kind, await o.cache.get(kind, o.signal));
      } catch (e) {
        if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
        listed.set(kind, { unchecked: e.message });
      }
    }),
  );
  const diagnostics: Diagnostic[] = [];
  for (const [kind, l] of listed)
    if (!Array.isArray(l))
      diagnostics.push({
        code: 'objects-unchecked',
        severity: 'warning',
        message: `the ${KIND_WORDS[kind]}s of org '${o.org}' could not be listed, so references to them were not checked: ${l.unchecked}`,
        file: loaded.find((f) => f.graph?.references.some((r) => lookupOf(r)?.kind === kind))?.file ?? '',
        line: 0,
        column: 0,
        hint: 'Grant the OAuth client the permission named above (flowgate whoami lists the scopes it needs).',
      });
  const flows = loaded.map((f, i) => flowObjects(f, o.inputs?.[i], listed, o.org, diagnostics));
  return { org: o.org, flows, diagnostics, kinds: [...needed] };
}

function flowObjects(
  f: LoadedFlow,
  input: DeploymentInput | undefined,
  listed: ReadonlyMap<OrgObjectKind, OrgObject[] | { unchecked: string }>,
  org: string,
  diagnostics: Diagnostic[],
): FlowObjects {
  const g = f.graph;
  const out: FlowObjects = { file: f.file, flowName: g?.name, objects: [] };
  if (!g) return out;
  let starts: number[] | undefined;
  const originsOf = (line: number, name: string): NameOrigin[] => {
    if (!f.text || !input || Object.keys(input.substitutions).length === 0) return [];
    starts ??= lineStarts(f.text);
    return nameOrigins(f.text, starts, line, name, input.substitutions, input.origins);
  };
  const use = {
    languages: ((g as { languages?: string[] }).languages ?? []).map((l) => l.toLowerCase()),
    division: g.division,
  };
  for (const ref of g.references as ObjectReference[]) {
    const l = lookupOf(ref);
    if (!l) continue;
    const objects = listed.get(l.kind);
    const base = { kind: l.kind, name: l.name, via: ref.via, line: ref.line, column: ref.column };
    if (!Array.isArray(objects)) {
      out.objects.push({ ...base, state: 'unchecked', reasons: ['not listed'] });
      continue;
    }
    const found = objects.find((x) => referenceName(l.kind, x) === l.name);
    const from = originsOf(ref.line, l.name);
    if (!found) {
      const suggestions = closestNames(
        l.name,
        objects.map((x) => referenceName(l.kind, x)),
      );
      out.objects.push({ ...base, state: 'missing', suggestions, ...(from.length ? { from } : {}) });
      diagnostics.push(missing(f.file, base, org, suggestions, from));
      continue;
    }
    const unfit = unfitness(l.kind, found, ref, use);
    out.objects.push({
      ...base,
      state: unfit.some((u) => u.severity === 'error') ? 'unusable' : 'found',
      ...(unfit.length > 0 ? { reasons: unfit.map((u) => u.reason) } : {}),
      ...(from.length ? { from } : {}),
    });
    for (const u of unfit) diagnostics.push(unusable(f.file, base, org, u));
  }
  return out;
}

type Base = Pick<ObjectUse, 'kind' | 'name' | 'via' | 'line' | 'column'>;

function fromWords(from: readonly NameOrigin[]): string {
  return from.map((t) => `{{ ${t.token} }} = '${t.value}'${t.origin ? ` from ${t.origin}` : ''}`).join(', ');
}

function missing(
  file: string,
  b: Base,
  org: string,
  suggestions: readonly string[],
  from: readonly NameOrigin[],
): Diagnostic {
  const mean =
    suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
  const came = from.length > 0 ? ` (the name comes from ${fromWords(from)})` : '';
  const what = KIND_WORDS[b.kind];
  return {
    code: 'missing-object',
    severity: 'error',
    message: `${b.via} uses ${what} '${b.name}', which does not exist in org '${org}'${mean}${came}`,
    file,
    line: b.line,
    column: b.column,
    hint:
      from.length > 0
        ? `Set ${from.map((t) => t.token).join(', ')} to the name the ${what} has in this org, or create the ${what} there.`
        : `Correct the name, or create the ${what} in the org before publishing.`,
  };
}

function unusable(file: string, b: Base, org: string, u: Unfit): Diagnostic {
  return {
    code: 'unusable-object',
    severity: u.severity,
    message: `${b.via} uses ${KIND_WORDS[b.kind]} '${b.name}' of org '${org}', which ${u.reason}`,
    file,
    line: b.line,
    column: b.column,
    hint: 'Change the object in the org, or point the flow at one that can serve it.',
  };
}

/** A validation report with the org-object findings added (sorted and counted with the rest). */
export function withFindings(report: ValidationReport, findings: readonly Diagnostic[]): ValidationReport {
  if (findings.length === 0) return report;
  const diagnostics = sortDiagnostics([...report.diagnostics, ...findings]);
  return { ...report, diagnostics, summary: { files: report.summary.files, ...summarize(diagnostics) } };
}
