/**
 * The `objects:` section of a seed: the org's queues, data actions, prompts, schedules… by name,
 * turned into {@link EmOrgObject}s with deterministic ids. A name alone is enough; an object form
 * adds what a flow's use depends on (a division, a secure data action, a prompt's languages).
 */
import { z } from 'zod';
import { hash32, mulberry32, uuid } from './random.js';
import type { EmOrgObject, OrgObjectKind } from './types.js';

const Named = z.object({ name: z.string().min(1), division: z.string().optional() }).strict();
const one = <T extends z.ZodRawShape>(extra: T) => z.union([z.string().min(1), Named.extend(extra).strict()]);
const list = <T extends z.ZodRawShape>(extra: T = {} as T) => z.array(one(extra)).optional();

/** The seed's `objects:` section (plural keys, one list per kind). */
export const SeedObjectsSchema = z
  .object({
    queues: list(),
    integrations: list(),
    /** `integration` names the integration (created when missing); the category is its name. */
    dataActions: list({ integration: z.string(), secure: z.boolean().optional() }),
    dataTables: list({ columns: z.array(z.string()).optional() }),
    /** `languages`: languages with audio; `tts`: languages with a TTS string only. */
    prompts: list({ languages: z.array(z.string()).optional(), tts: z.array(z.string()).optional() }),
    systemPrompts: list({ languages: z.array(z.string()).optional() }),
    schedules: list(),
    scheduleGroups: list(),
    emergencyGroups: list(),
    skills: list(),
    languages: list(),
    wrapupCodes: list(),
    groups: list(),
    outcomes: list(),
    milestones: list(),
  })
  .strict();

/** The seed's `objects:` section. */
export type SeedObjects = z.infer<typeof SeedObjectsSchema>;

const KEY_OF: Record<keyof SeedObjects, OrgObjectKind> = {
  queues: 'queue',
  integrations: 'integration',
  dataActions: 'dataAction',
  dataTables: 'dataTable',
  prompts: 'prompt',
  systemPrompts: 'systemPrompt',
  schedules: 'schedule',
  scheduleGroups: 'scheduleGroup',
  emergencyGroups: 'emergencyGroup',
  skills: 'skill',
  languages: 'language',
  wrapupCodes: 'wrapupCode',
  groups: 'group',
  outcomes: 'outcome',
  milestones: 'milestone',
};

/** Kinds whose SDK model has no `division` (`Action`, `Integration`, `Language`, `Group`, `SystemPrompt`). */
const NO_DIVISION = new Set<OrgObjectKind>([
  'integration',
  'dataAction',
  'language',
  'group',
  'systemPrompt',
]);

type SeedEntry = string | (Record<string, unknown> & { name: string; division?: string });

/** Builds the org's objects; `divisionId` resolves a division name (the home division when absent). */
export function objectsFromSeed(
  seed: SeedObjects | undefined,
  randomSeed: number,
  divisionId: (name: string | undefined) => string,
): Partial<Record<OrgObjectKind, EmOrgObject[]>> {
  const out: Partial<Record<OrgObjectKind, EmOrgObject[]>> = {};
  const make = (kind: OrgObjectKind, name: string): EmOrgObject => ({
    id: uuid(mulberry32(hash32(`${randomSeed}:${kind}:${name}`))),
    name,
  });
  for (const key of Object.keys(KEY_OF) as Array<keyof SeedObjects>) {
    const kind = KEY_OF[key];
    out[kind] = ((seed?.[key] ?? []) as SeedEntry[]).map((entry) => {
      const e = typeof entry === 'string' ? { name: entry } : entry;
      const o = make(kind, e.name);
      if (!NO_DIVISION.has(kind)) o.divisionId = divisionId(e.division);
      return o;
    });
  }
  // Second pass: what depends on other entries (a data action's integration) or on the form.
  const integrations = out.integration!;
  ((seed?.dataActions ?? []) as SeedEntry[]).forEach((entry, i) => {
    if (typeof entry === 'string') return;
    const name = entry.integration as string;
    let integration = integrations.find((x) => x.name === name);
    if (!integration) integrations.push((integration = make('integration', name)));
    const action = out.dataAction![i]!;
    action.integrationId = integration.id;
    action.category = name;
    action.secure = entry.secure === true;
  });
  ((seed?.dataTables ?? []) as SeedEntry[]).forEach((entry, i) => {
    out.dataTable![i]!.columns =
      typeof entry === 'string' ? ['key'] : ['key', ...((entry.columns as string[]) ?? [])];
  });
  const prompts = (k: 'prompts' | 'systemPrompts', kind: OrgObjectKind) =>
    ((seed?.[k] ?? []) as SeedEntry[]).forEach((entry, i) => {
      const audio = typeof entry === 'string' ? ['en-us'] : ((entry.languages as string[]) ?? []);
      const tts = typeof entry === 'string' ? [] : ((entry.tts as string[] | undefined) ?? []);
      out[kind]![i]!.resources = [
        ...audio.map((language) => ({ language, audio: true })),
        ...tts.map((language) => ({ language, tts: `${out[kind]![i]!.name} (${language})` })),
      ];
    });
  prompts('prompts', 'prompt');
  prompts('systemPrompts', 'systemPrompt');
  return out;
}

/**
 * One object as the seed's `objects:` would make it (same deterministic id for the same name), for
 * an object created while the org runs (`control.addObject`).
 */
export function objectFromSeed(
  kind: OrgObjectKind,
  entry: { name: string; division?: string | undefined },
  randomSeed: number,
  divisionId: (name: string | undefined) => string,
): EmOrgObject {
  const key = (Object.keys(KEY_OF) as Array<keyof SeedObjects>).find((k) => KEY_OF[k] === kind)!;
  const form = entry.division === undefined ? entry.name : { name: entry.name, division: entry.division };
  return objectsFromSeed({ [key]: [form] }, randomSeed, divisionId)[kind]![0]!;
}
