/**
 * Which org object a reference names, and whether the one found can serve the flow: the rules
 * per kind (docs/org-references.md). A reference is the converter's `FlowReference`; its kind is
 * the org's kind except for prompts, whose name says which (`Prompt.X` a user prompt,
 * `PromptSystem.X` a system prompt), and data actions, named `category/action`.
 */
import type { FlowReference, Severity } from '../flow/index.js';
import type { OrgObject, OrgObjectKind } from '../platform/calls/org-objects.js';

/** A reference with what some kinds add (the converter sets them where the flow says). */
export type ObjectReference = FlowReference & {
  /** A data action that must be secure (`callSecureData`, a secure flow's data action). */
  secure?: boolean;
  /** The columns a data-table lookup reads. */
  columns?: string[];
};

/** Reference kinds that are org object kinds as they are. */
const SAME: ReadonlySet<string> = new Set<OrgObjectKind>([
  'queue',
  'dataAction',
  'dataTable',
  'systemPrompt',
  'schedule',
  'scheduleGroup',
  'emergencyGroup',
  'skill',
  'language',
  'wrapupCode',
  'user',
  'group',
  'outcome',
  'milestone',
]);

/** The org kind and the name to look up of a reference; `undefined` for flows (checked as flows). */
export function lookupOf(r: FlowReference): { kind: OrgObjectKind; name: string } | undefined {
  if (r.kind === 'prompt') {
    if (r.name.startsWith('PromptSystem.')) return { kind: 'systemPrompt', name: r.name.slice(13) };
    return { kind: 'prompt', name: r.name.replace(/^Prompt\./, '') };
  }
  return SAME.has(r.kind) ? { kind: r.kind as OrgObjectKind, name: r.name } : undefined;
}

/** The name an object is referenced by (data actions: `category/name`). */
export function referenceName(kind: OrgObjectKind, o: OrgObject): string {
  return kind === 'dataAction' ? `${o.category ?? ''}/${o.name}` : o.name;
}

/** What keeps a found object from serving, with how bad it is. */
export interface Unfit {
  severity: Severity;
  reason: string;
}

/** What the flow needs of the object beyond its name. */
export interface UseContext {
  /** The flow's supported languages (lowercase). */
  languages: readonly string[];
  /** The flow's division, by name. */
  division?: string | undefined;
}

/** Why a found object cannot serve this reference, if it cannot. */
export function unfitness(kind: OrgObjectKind, o: OrgObject, r: ObjectReference, use: UseContext): Unfit[] {
  const out: Unfit[] = [];
  if (kind === 'dataAction' && r.secure === true && o.secure !== true)
    // "could not be published because it could not find a secure data action configured on the flow"
    out.push({ severity: 'error', reason: `is not secure, and ${r.via} needs a secure data action` });
  if (kind === 'dataTable' && r.columns && o.columns) {
    const missing = r.columns.filter((c) => !o.columns!.includes(c));
    if (missing.length > 0)
      out.push({
        severity: 'error',
        reason: `has no column ${missing.map((c) => `'${c}'`).join(', ')} (its columns: ${o.columns.join(', ')})`,
      });
  }
  if ((kind === 'prompt' || kind === 'systemPrompt') && o.languages) {
    const missing = use.languages.filter((l) => !o.languages!.includes(l));
    if (missing.length > 0)
      out.push({
        severity: 'warning',
        reason: `has no audio or TTS for ${missing.join(', ')}, which the flow supports`,
      });
  }
  if (kind === 'queue' && use.division && o.division?.name && o.division.name !== use.division)
    out.push({
      severity: 'warning',
      reason: `is in division '${o.division.name}', the flow in '${use.division}'`,
    });
  return out;
}
