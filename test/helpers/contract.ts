/**
 * The API definition as a checker: every `/api/v2` response the emulator gives in any test is
 * validated against spec/genesys/openapi-current-reconstructed.json (Ajv), and every error body must
 * carry a real error code (spec/genesys/openapi-official-2018-subset.json).
 */
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ObservedResponse } from '../../src/emulator/app.js';

const Ajv = AjvModule.default ?? AjvModule;
const addFormats = addFormatsModule.default ?? addFormatsModule;

type Spec = {
  paths: Record<string, Record<string, { responses: Record<string, { schema?: { $ref?: string } }> }>>;
  definitions: object;
};
/** The reconstructed current API definition. */
export const spec = JSON.parse(
  readFileSync('spec/genesys/openapi-current-reconstructed.json', 'utf8'),
) as Spec;
const official = JSON.parse(
  readFileSync('spec/genesys/openapi-official-2018-subset.json', 'utf8'),
) as unknown;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'api', definitions: spec.definitions });

/** Every error code the official definition lists, plus the normalized 429 code of 2021 (docs/platform-api.md#rate-limits). */
export const officialCodes = new Set<string>(['too.many.requests.retry.after']);
JSON.stringify(official, (key: string, value: unknown): unknown => {
  if (key === 'x-inin-error-codes' && typeof value === 'object' && value !== null)
    for (const c of Object.keys(value)) officialCodes.add(c);
  return value;
});

// Templates with fewer parameters first: `/flows/divisionviews` before `/flows/{flowId}`.
const templates = Object.keys(spec.paths)
  .map((t) => ({
    t,
    params: (t.match(/\{/g) ?? []).length,
    re: new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`),
  }))
  .sort((a, b) => a.params - b.params);

/** The path template of a concrete path, if the definition has one. */
export function templateOf(method: string, path: string): string | undefined {
  return templates.find((x) => x.re.test(path) && spec.paths[x.t]?.[method.toLowerCase()])?.t;
}

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/** Problems with one response (empty when it conforms). */
export function contractProblems(r: ObservedResponse): string[] {
  const template = templateOf(r.method, r.path);
  if (!template) return [`${r.method} ${r.path}: not in the API definition`];
  const op = spec.paths[template]![r.method.toLowerCase()]!;
  const res = r.status < 300 ? (op.responses['200'] ?? op.responses.default) : op.responses['4xx/5xx'];
  const schema = res?.schema;
  if (r.status === 204 || (schema === undefined && r.status < 300)) return [];
  if (!schema) return [`${r.method} ${template} ${r.status}: no schema`];
  const key = schema.$ref ?? JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate)
    compiled.set(key, (validate = ajv.compile(schema.$ref ? { $ref: `api${schema.$ref}` } : schema)));
  const problems: string[] = [];
  if (!validate(r.body))
    problems.push(`${r.method} ${template} ${r.status}: ${ajv.errorsText(validate.errors)}`);
  if (r.status >= 400) {
    const code = (r.body as { code?: string } | undefined)?.code;
    if (!code || !officialCodes.has(code))
      problems.push(`${r.method} ${template} ${r.status}: '${code ?? ''}' is not a real error code`);
  }
  return problems;
}
