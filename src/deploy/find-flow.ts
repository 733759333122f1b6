/**
 * The one flow a command line names: its id, `type:name`, or a name with the type given apart
 * (`flowgate diff "<flow>" --type …`). The platform allows one name per type, so a name alone may
 * name several flows: that is an error listing them, never the first one the org lists.
 */
import { ConfigError } from '../errors.js';
import { plural } from '../shared/plural.js';
import type { Flow } from '../platform/schemas.js';
import { closestNames } from './closest-names.js';

/** A flow as named: `flow` is an id, `type:name` or a name; `type` (any case) chooses by type, and then `flow` is a name or id as written. */
export interface FlowRef {
  flow: string;
  type?: string | undefined;
}

/** Where a flow is looked for, for the errors' words. */
export interface FindContext {
  /** The org's name in messages (an environment's); default `the org`. */
  orgLabel?: string | undefined;
  /** Added to an error's `details`: what the caller was asked for besides the flow (its versions). */
  details?: Record<string, unknown> | undefined;
}

/**
 * The flow of `flows` that `ref` names (an id first: it is unique).
 * @throws {ConfigError} `FLOW_AMBIGUOUS` when the name is several flows' (each with its type and
 * id in the message, `details.matches`); `FLOW_NOT_FOUND` when it is none's (the closest names,
 * and the same name's other types, in the hint).
 */
export function findFlow(flows: readonly Flow[], ref: FlowRef, context: FindContext = {}): Flow {
  const byId = flows.find((f) => f.id === ref.flow);
  if (byId) return byId;
  const { type, name } = typeAndName(ref);
  const matches = flows
    .filter((f) => f.name === name && (type === undefined || typeOf(f) === type))
    .sort((a, b) => compareText(typeOf(a), typeOf(b)));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw flowAmbiguous(name, matches, context);
  throw flowNotFound(ref, name, type, flows, context);
}

/** The type and name `ref` gives: `--type` and the name as written, else `type:name`, else a name. */
function typeAndName(ref: FlowRef): { type: string | undefined; name: string } {
  if (ref.type !== undefined) return { type: ref.type.toLowerCase(), name: ref.flow };
  if (!ref.flow.includes(':')) return { type: undefined, name: ref.flow };
  const [type, name] = ref.flow.split(/:(.*)/s) as [string, string];
  return { type: type.toLowerCase(), name };
}

const typeOf = (f: Flow) => (f.type ?? '?').toLowerCase();
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function flowAmbiguous(name: string, matches: readonly Flow[], context: FindContext): ConfigError {
  const listed = matches.map((f) => `${typeOf(f)} (id ${f.id})`).join(', ');
  const named = matches.map((f) => `${typeOf(f)}:${name}`);
  return new ConfigError(
    'FLOW_AMBIGUOUS',
    `${context.orgLabel ?? 'the org'} has ${plural(matches.length, 'flow')} named '${name}': ${listed}`,
    {
      hint: `Name one with its type (${named.join(' or ')}) or by its id.`,
      details: {
        ...context.details,
        flow: name,
        matches: matches.map((f) => ({ type: typeOf(f), id: f.id })),
      },
    },
  );
}

function flowNotFound(
  ref: FlowRef,
  name: string,
  type: string | undefined,
  flows: readonly Flow[],
  context: FindContext,
): ConfigError {
  // The same name of another type first: the likeliest meaning of a type given wrong.
  const sameName = flows.filter((f) => f.name === name).sort((a, b) => compareText(typeOf(a), typeOf(b)));
  const close = [
    ...sameName,
    ...closestNames(
      name,
      flows.map((f) => f.name),
    ).map((n) => flows.find((x) => x.name === n)!),
  ].map((f) => `${typeOf(f)}:${f.name}`);
  const what = ref.type !== undefined ? `${type} flow '${ref.flow}'` : `flow '${ref.flow}'`;
  return new ConfigError('FLOW_NOT_FOUND', `${context.orgLabel ?? 'the org'} has no ${what}`, {
    hint:
      close.length > 0
        ? `Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?`
        : `A flow is named by its name, type:name (inboundcall:Main IVR) or id; the org has ${plural(flows.length, 'flow')}.`,
    details: {
      ...context.details,
      flow: ref.flow,
      ...(type !== undefined ? { type } : {}),
      ...(close.length > 0 ? { closest: close } : {}),
    },
  });
}
