/**
 * JSON views of org objects in the shapes of the official SDK's models (`Queue`, `Action`,
 * `DataTable`, `Prompt`, `SystemPrompt`, `Schedule`, `ScheduleGroup`, `EmergencyGroup`,
 * `RoutingSkill`, `Language`, `WrapupCode`, `Group`, `FlowOutcome`, `FlowMilestone`, `User`;
 * purecloud-platform-client-v2 index.d.ts).
 */
import type { EmOrgObject, EmUser, EmulatorState, OrgObjectKind } from './types.js';

/** Where each kind lives (its `selfUri` base). */
export const OBJECT_PATHS: Record<OrgObjectKind, string> = {
  queue: '/api/v2/routing/queues',
  integration: '/api/v2/integrations',
  dataAction: '/api/v2/integrations/actions',
  dataTable: '/api/v2/flows/datatables',
  prompt: '/api/v2/architect/prompts',
  systemPrompt: '/api/v2/architect/systemprompts',
  schedule: '/api/v2/architect/schedules',
  scheduleGroup: '/api/v2/architect/schedulegroups',
  emergencyGroup: '/api/v2/architect/emergencygroups',
  skill: '/api/v2/routing/skills',
  language: '/api/v2/routing/languages',
  wrapupCode: '/api/v2/routing/wrapupcodes',
  group: '/api/v2/groups',
  outcome: '/api/v2/flows/outcomes',
  milestone: '/api/v2/flows/milestones',
};

const EPOCH = '2025-01-01T00:00:00.000Z';

function division(state: EmulatorState, id: string | undefined): Record<string, unknown> | undefined {
  const d = state.divisions.find((x) => x.id === id);
  return d ? { id: d.id, name: d.name, selfUri: `/api/v2/authorization/divisions/${d.id}` } : undefined;
}

/** A prompt resource (`PromptAsset` / `SystemPromptAsset`) per language. */
export function promptAssetJson(
  kind: 'prompt' | 'systemPrompt',
  o: EmOrgObject,
  r: NonNullable<EmOrgObject['resources']>[number],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: r.language,
    name: `${o.name}/${r.language}`,
    promptId: o.id,
    language: r.language,
    languageDefault: false,
    uploadStatus: r.audio ? 'transcoded' : 'created',
    selfUri: `${OBJECT_PATHS[kind]}/${o.id}/resources/${r.language}`,
  };
  if (r.audio) out.mediaUri = `https://prompts.example.invalid/${o.id}/${r.language}.wav`;
  if (r.tts !== undefined) out.ttsString = r.tts;
  return out;
}

/** One object in its kind's model. */
export function objectJson(
  state: EmulatorState,
  kind: OrgObjectKind,
  o: EmOrgObject,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: o.id, name: o.name, selfUri: `${OBJECT_PATHS[kind]}/${o.id}` };
  const div = division(state, o.divisionId);
  if (div) out.division = div;
  switch (kind) {
    case 'queue':
      return { ...out, memberCount: 0, dateCreated: EPOCH };
    case 'integration':
      return {
        ...out,
        intendedState: 'ENABLED',
        reportedState: { code: 'ACTIVE' },
        integrationType: { id: 'custom-rest-actions', name: 'Web Services Data Actions' },
      };
    case 'dataAction':
      return {
        ...out,
        integrationId: o.integrationId,
        category: o.category,
        secure: o.secure === true,
        version: 1,
      };
    case 'dataTable': {
      // The schema (columns) only with `expand=schema`: the routes drop it otherwise.
      const properties = Object.fromEntries(
        (o.columns ?? ['key']).map((c, i) => [
          c,
          { title: c, type: 'string', $id: `/properties/${c}`, displayOrder: i },
        ]),
      );
      return {
        ...out,
        schema: {
          $schema: 'http://json-schema.org/draft-04/schema#',
          type: 'object',
          required: ['key'],
          properties,
        },
      };
    }
    case 'prompt':
    case 'systemPrompt':
      return { ...out, resources: (o.resources ?? []).map((r) => promptAssetJson(kind, o, r)) };
    case 'schedule':
      return {
        ...out,
        state: 'active',
        version: 1,
        start: '2025-01-01T08:00:00.000',
        end: '2025-01-01T17:00:00.000',
      };
    case 'scheduleGroup':
    case 'emergencyGroup':
      return { ...out, state: 'active', version: 1 };
    case 'skill':
    case 'language':
      // `RoutingSkill.version` and `Language.version` are strings in the SDK's models.
      return { ...out, state: 'active', version: '1' };
    case 'group':
      return {
        ...out,
        type: 'official',
        state: 'active',
        version: 1,
        rulesVisible: true,
        visibility: 'public',
      };
    default:
      return out;
  }
}

/** A `User` of the users search. */
export function searchUserJson(u: EmUser): Record<string, unknown> {
  const username = `${u.name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.invalid`;
  return { id: u.id, name: u.name, state: 'active', username, version: 1, selfUri: `/api/v2/users/${u.id}` };
}
