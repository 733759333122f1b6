/**
 * Adds the org-object listings flowgate reads before a publish (issue 25) to
 * `spec/genesys/openapi-current-reconstructed.json`: each operation's path, its permission
 * requirement, and its response model with every model it reaches, converted from the official
 * JavaScript SDK's typings (`purecloud-platform-client-v2/index.d.ts`, `namespace Models`:
 * properties without `?` are required). Definitions already in the file are kept as they are.
 *
 * Permissions are the Terraform provider's data-source documentation ("Permissions and Scopes",
 * github.com/MyPureCloud/terraform-provider-genesyscloud docs/data-sources/*.md); see
 * docs/platform-api.md "Org objects".
 *
 * Run: `node --import tsx scripts/spec/org-objects.ts`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const SPEC = 'spec/genesys/openapi-current-reconstructed.json';

interface Op {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  response: string;
  body?: string;
  permissions: { type: 'ALL' | 'ANY'; permissions: string[] } | undefined;
}

const ALL = (...permissions: string[]) => ({ type: 'ALL' as const, permissions });
const ANY = (...permissions: string[]) => ({ type: 'ANY' as const, permissions });

/** The operations (SDK method names as operation ids). */
const OPS: Op[] = [
  // Not an org object: the consumers of a flow, for `flowgate prune` (issue 24; docs/platform-api.md
  // "Dependency tracking", permission from the Terraform provider's docs/data-sources/knowledge_*.md).
  {
    method: 'get',
    path: '/api/v2/architect/dependencytracking/consumingresources',
    operationId: 'getArchitectDependencytrackingConsumingresources',
    summary: 'Get resources that consume a given Dependency Tracking object',
    response: 'ConsumingResourcesEntityListing',
    permissions: ALL('architect:dependencyTracking:view'),
  },
  {
    method: 'get',
    path: '/api/v2/routing/queues',
    operationId: 'getRoutingQueues',
    summary: 'Get list of queues.',
    response: 'QueueEntityListing',
    permissions: ALL('routing:queue:view'),
  },
  {
    method: 'get',
    path: '/api/v2/integrations',
    operationId: 'getIntegrations',
    summary: 'List integrations',
    response: 'IntegrationEntityListing',
    permissions: ALL('integrations:integration:view'),
  },
  {
    method: 'get',
    path: '/api/v2/integrations/actions',
    operationId: 'getIntegrationsActions',
    summary: 'Retrieves all actions associated with filters passed in via query param.',
    response: 'ActionEntityListing',
    permissions: ANY('integrations:action:view', 'bridge:actions:view'),
  },
  {
    method: 'get',
    path: '/api/v2/flows/datatables',
    operationId: 'getFlowsDatatables',
    summary: 'Retrieve a list of datatables for the org',
    response: 'DataTablesDomainEntityListing',
    permissions: ALL('architect:datatable:view'),
  },
  {
    method: 'get',
    path: '/api/v2/architect/prompts',
    operationId: 'getArchitectPrompts',
    summary: 'Get a pageable list of user prompts',
    response: 'PromptEntityListing',
    permissions: ALL('architect:userPrompt:view'),
  },
  {
    method: 'get',
    path: '/api/v2/architect/prompts/{promptId}/resources',
    operationId: 'getArchitectPromptResources',
    summary: 'Get a pageable list of user prompt resources',
    response: 'PromptAssetEntityListing',
    permissions: ALL('architect:userPrompt:view'),
  },
  {
    method: 'get',
    path: '/api/v2/architect/systemprompts',
    operationId: 'getArchitectSystemprompts',
    summary: 'Get System Prompts',
    response: 'SystemPromptEntityListing',
    permissions: ALL('architect:systemPrompt:view'),
  },
  {
    method: 'get',
    path: '/api/v2/architect/schedules',
    operationId: 'getArchitectSchedules',
    summary: 'Get a list of schedules.',
    response: 'ScheduleEntityListing',
    permissions: ALL('routing:schedule:view'),
  },
  {
    method: 'get',
    path: '/api/v2/architect/schedulegroups',
    operationId: 'getArchitectSchedulegroups',
    summary: 'Get a list of schedule groups.',
    response: 'ScheduleGroupEntityListing',
    permissions: ALL('routing:scheduleGroup:view'),
  },
  {
    method: 'get',
    path: '/api/v2/architect/emergencygroups',
    operationId: 'getArchitectEmergencygroups',
    summary: 'Get a list of emergency groups.',
    response: 'EmergencyGroupListing',
    permissions: ALL('routing:emergencyGroup:view'),
  },
  {
    method: 'get',
    path: '/api/v2/routing/skills',
    operationId: 'getRoutingSkills',
    summary: 'Get the list of routing skills.',
    response: 'SkillEntityListing',
    permissions: ALL('routing:skill:view'),
  },
  {
    method: 'get',
    path: '/api/v2/routing/languages',
    operationId: 'getRoutingLanguages',
    summary: 'Get the list of supported languages.',
    response: 'LanguageEntityListing',
    permissions: undefined,
  },
  {
    method: 'get',
    path: '/api/v2/routing/wrapupcodes',
    operationId: 'getRoutingWrapupcodes',
    summary: 'Get list of wrapup codes.',
    response: 'WrapupCodeEntityListing',
    permissions: ALL('routing:wrapupCode:view'),
  },
  {
    method: 'post',
    path: '/api/v2/users/search',
    operationId: 'postUsersSearch',
    summary: 'Search users',
    response: 'UsersSearchResponse',
    body: 'UserSearchRequest',
    permissions: undefined,
  },
  {
    method: 'post',
    path: '/api/v2/groups/search',
    operationId: 'postGroupsSearch',
    summary: 'Search groups',
    response: 'GroupsSearchResponse',
    body: 'GroupSearchRequest',
    permissions: undefined,
  },
];

type Schema = Record<string, unknown>;

const require = createRequire(import.meta.url);
const sdkDir = dirname(require.resolve('purecloud-platform-client-v2/package.json'));
const dts = join(sdkDir, 'index.d.ts');
const source = ts.createSourceFile(dts, readFileSync(dts, 'utf8'), ts.ScriptTarget.Latest, false);
const interfaces = new Map<string, ts.InterfaceDeclaration>();
for (const st of source.statements)
  if (
    ts.isModuleDeclaration(st) &&
    st.name.getText(source) === 'Models' &&
    st.body &&
    ts.isModuleBlock(st.body)
  )
    for (const item of st.body.statements)
      if (ts.isInterfaceDeclaration(item)) interfaces.set(item.name.text, item);

/** A TypeScript type of the typings as a swagger 2 schema; `need` collects referenced models. */
function schemaOf(t: ts.TypeNode, need: Set<string>): Schema {
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.ObjectKeyword:
    case ts.SyntaxKind.AnyKeyword:
      return { type: 'object' };
  }
  if (ts.isArrayTypeNode(t)) return { type: 'array', items: schemaOf(t.elementType, need) };
  if (ts.isTypeLiteralNode(t)) {
    const index = t.members.find(ts.isIndexSignatureDeclaration);
    return index?.type
      ? { type: 'object', additionalProperties: schemaOf(index.type, need) }
      : { type: 'object' };
  }
  if (ts.isTypeReferenceNode(t)) {
    const n = t.typeName;
    const name = ts.isIdentifier(n) ? n.text : n.right.text;
    if (name === 'Array' && t.typeArguments?.[0])
      return { type: 'array', items: schemaOf(t.typeArguments[0], need) };
    if (interfaces.has(name)) {
      need.add(name);
      return { $ref: `#/definitions/${name}` };
    }
  }
  return {};
}

/** The definition of one model of the typings. */
function definitionOf(name: string, need: Set<string>): Schema {
  const decl = interfaces.get(name);
  if (!decl) throw new Error(`no model ${name} in ${dts}`);
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const key = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(source);
    properties[key] = schemaOf(m.type, need);
    if (!m.questionToken) required.push(key);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, Schema>;
  'x-reconstructed-from': Record<string, unknown>;
};
const need = new Set<string>();
for (const op of OPS) {
  need.add(op.response);
  if (op.body) need.add(op.body);
  const entry: Record<string, unknown> = {
    summary: op.summary,
    operationId: op.operationId,
    parameters: op.body
      ? [{ in: 'body', name: 'body', required: true, schema: { $ref: `#/definitions/${op.body}` } }]
      : [],
    responses: {
      '200': { description: 'successful operation', schema: { $ref: `#/definitions/${op.response}` } },
      '4xx/5xx': { description: 'error', schema: { $ref: '#/definitions/ErrorBody' } },
    },
    security: [{ 'PureCloud OAuth': [] }],
    'x-reconstructed-from': 'purecloud-platform-client-v2 index.d.ts (scripts/spec/org-objects.ts)',
  };
  if (op.permissions) entry['x-inin-requires-permissions'] = op.permissions;
  spec.paths[op.path] = { ...spec.paths[op.path], [op.method]: entry };
}
const done = new Set(Object.keys(spec.definitions));
while (need.size > 0) {
  const name = need.values().next().value!;
  need.delete(name);
  if (done.has(name)) continue;
  done.add(name);
  spec.definitions[name] = definitionOf(name, need);
}
// Kept in name order, as the file has them.
spec.definitions = Object.fromEntries(
  Object.entries(spec.definitions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
spec['x-reconstructed-from'].orgObjectsFrom =
  'npm purecloud-platform-client-v2 index.d.ts via scripts/spec/org-objects.ts (paths of issue 25)';
writeFileSync(SPEC, `${JSON.stringify(spec, null, 2)}\n`);
process.stdout.write(`${OPS.length} operations; ${done.size} definitions\n`);
