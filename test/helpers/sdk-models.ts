/**
 * The official JavaScript SDK's models as a checker: `index.d.ts` of purecloud-platform-client-v2
 * declares every model as an interface of `namespace Models` (the SDK itself returns the parsed
 * JSON as it is, so its typings are its contract). A response conforms when every field it carries
 * is declared with a matching type and every field the typings require is there.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const sdkDir = dirname(require.resolve('purecloud-platform-client-v2/package.json'));

/** The SDK's version (for messages). */
export const sdkVersion = (
  JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')) as { version: string }
).version;

interface Field {
  optional: boolean;
  type: ts.TypeNode;
}

let models: Map<string, Map<string, Field>> | undefined;

/** The interfaces of `namespace Models`, parsed once. */
function modelTable(): Map<string, Map<string, Field>> {
  if (models) return models;
  const file = join(sdkDir, 'index.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  models = new Map();
  for (const statement of source.statements) {
    if (!ts.isModuleDeclaration(statement) || statement.name.getText(source) !== 'Models') continue;
    const body = statement.body;
    if (!body || !ts.isModuleBlock(body)) continue;
    for (const item of body.statements) {
      if (!ts.isInterfaceDeclaration(item)) continue;
      const fields = new Map<string, Field>();
      for (const m of item.members)
        if (ts.isPropertySignature(m) && m.type)
          fields.set(ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(source), {
            optional: m.questionToken !== undefined,
            type: m.type,
          });
      models.set(item.name.text, fields);
    }
  }
  return models;
}

/** The name a type reference stands for (`Models.Flow` → `Flow`, `Array` → `Array`). */
function refName(node: ts.TypeReferenceNode): string {
  const n = node.typeName;
  return ts.isIdentifier(n) ? n.text : n.right.text;
}

function checkType(value: unknown, type: ts.TypeNode, path: string, out: string[]): void {
  switch (type.kind) {
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return;
    case ts.SyntaxKind.StringKeyword:
      if (typeof value !== 'string') out.push(`${path}: ${JSON.stringify(value)} is not a string`);
      return;
    case ts.SyntaxKind.NumberKeyword:
      if (typeof value !== 'number') out.push(`${path}: ${JSON.stringify(value)} is not a number`);
      return;
    case ts.SyntaxKind.BooleanKeyword:
      if (typeof value !== 'boolean') out.push(`${path}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case ts.SyntaxKind.ObjectKeyword:
      if (typeof value !== 'object' || value === null) out.push(`${path}: not an object`);
      return;
  }
  if (ts.isArrayTypeNode(type)) return checkArray(value, type.elementType, path, out);
  if (ts.isUnionTypeNode(type)) {
    const tries = type.types.map((t) => {
      const p: string[] = [];
      checkType(value, t, path, p);
      return p;
    });
    if (!tries.some((p) => p.length === 0)) out.push(...tries[0]!);
    return;
  }
  if (ts.isLiteralTypeNode(type)) {
    const lit = type.literal;
    const want = ts.isStringLiteral(lit) ? lit.text : lit.getText();
    if (String(value) !== want) out.push(`${path}: ${JSON.stringify(value)} is not ${want}`);
    return;
  }
  if (ts.isTypeLiteralNode(type)) {
    // `{ [key: string]: string; }`: a map.
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push(`${path}: not an object`);
      return;
    }
    if (index) for (const [k, v] of Object.entries(value)) checkType(v, index.type, `${path}.${k}`, out);
    return;
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = refName(type);
    if (name === 'Array') return checkArray(value, type.typeArguments![0]!, path, out);
    if (name === 'Date') {
      if (typeof value !== 'string') out.push(`${path}: not a date string`);
      return;
    }
    if (name === 'Record' || name === 'object') return;
    checkModel(value, name, path, out);
    return;
  }
  out.push(`${path}: the checker does not know the type ${ts.SyntaxKind[type.kind]}`);
}

function checkArray(value: unknown, element: ts.TypeNode, path: string, out: string[]): void {
  if (!Array.isArray(value)) {
    out.push(`${path}: not an array`);
    return;
  }
  value.forEach((v, i) => checkType(v, element, `${path}[${i}]`, out));
}

function checkModel(value: unknown, name: string, path: string, out: string[]): void {
  const fields = modelTable().get(name);
  if (!fields) {
    out.push(`${path}: Models.${name} is not in the SDK's typings`);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push(`${path}: not an object (Models.${name})`);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    const field = fields.get(key);
    if (!field) out.push(`${path}.${key}: not a field of Models.${name}`);
    // JSON null stands for an absent optional field (the platform sends some, docs/platform-api.md#operations).
    else if (!(v === null && field.optional)) checkType(v, field.type, `${path}.${key}`, out);
  }
  for (const [key, field] of fields)
    if (!field.optional && record[key] === undefined)
      out.push(`${path}.${key}: required by Models.${name}, missing`);
}

/** Problems of a value against a model of the SDK (empty when it conforms). */
export function sdkModelProblems(value: unknown, model: string): string[] {
  const out: string[] = [];
  checkModel(value, model, model, out);
  return out;
}

/** Whether the SDK's typings declare a model. */
export function hasSdkModel(model: string): boolean {
  return modelTable().has(model);
}
