/**
 * Genesys `ErrorBody` responses with the real codes and message templates
 * (`x-inin-error-codes` of the official 2018 swagger, docs/platform-api.md#architect-error-codes and docs/platform-api.md#error-body).
 */

/** A Genesys error body. */
export interface ErrorBodyJson {
  message: string;
  code: string;
  status: number;
  /** The template with `{name}` placeholders, on parameterised messages only. */
  messageWithParams?: string;
  messageParams: Record<string, string>;
  contextId: string;
  details: Array<Record<string, string>>;
  errors: unknown[];
  entityId?: string;
  entityName?: string;
}

/** Messages of the codes the emulator uses. */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  'bad.request': 'The request could not be understood by the server due to malformed syntax.',
  'invalid.value': 'Value [%s] is not valid for field type [%s]. Allowable values are: %s',
  'invalid.date': 'Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ',
  'authentication.required': 'No authentication bearer token specified in authorization header.',
  'bad.credentials': 'Invalid login credentials.',
  'missing.permissions':
    'Unable to perform the requested action. You are missing the following permission(s): %s',
  'missing.any.permissions':
    'Unable to perform the requested action. You must have at least one of the following permissions assigned: %s',
  'not.found': 'The requested resource was not found.',
  'architect.flow.not.found': 'Could not find flow with specified ID.',
  'architect.flow.version.missing': 'Specified flow version is missing.',
  'architect.flow.data.missing': 'Flow version data content is missing.',
  'architect.flow.locked.by.user': 'Flow is locked by another user.',
  'architect.flow.not.locked.by.user': 'Flow is not locked by requesting user.',
  'architect.operation.already.in.progress': 'An operation is already in progress on the object.',
  'architect.flow.cannot.checkin.missing.config':
    'Flow cannot be checked in because there is no saved configuration.',
  'architect.flow.cannot.publish.missing.dependencies':
    'Flow version cannot be published due to having one or more missing dependencies.',
  'architect.flow.already.exists': 'A flow of the specified type with the specified name already exists.',
  'architect.flow.validate.failed.missing.name': 'Failed to validate flow due to missing name.',
  'architect.flow.deleted': 'Flow has been deleted.',
  'architect.flow.cannot.delete.user.does.not.have.lock':
    'Flow cannot be deleted because it is locked by another user.',
  'architect.dependency.object.in.use': 'The object cannot be deleted because other objects depend on it.',
  'flow.no.config.available': 'Flow has no saved or checked-in configuration.',
  'too.many.requests.retry.after': 'Rate limit exceeded the maximum. Retry the request in [%s] seconds',
  'internal.server.error':
    'The server encountered an unexpected condition which prevented it from fulfilling the request.',
  'service.unavailable':
    'Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).',
  'request.timeout': 'The request timed out.',
  'unsupported.media.type':
    'Unsupported Media Type - Unsupported or incorrect media type, such as an incorrect Content-Type value in the header.',
};

/**
 * The names of the parameters of the parameterised messages. Platform error bodies carry the
 * template as `messageWithParams` with `{name}` placeholders and the values in `messageParams`
 * (a 409 body quoted in MyPureCloud/terraform-provider-genesyscloud,
 * `genesyscloud/business_rules_decision_table/decision_table_bulk_ghost_guard_unit_test.go`:
 * `"messageWithParams":"Duplicate decision table rows found {duplicateRows}"`,
 * `"messageParams":{"duplicateRows":"[…]"}`). The names are the emulator's own: no public source
 * shows those of these codes. The normalized 429 body (docs/platform-api.md#rate-limits) has neither field.
 */
export const MESSAGE_PARAM_NAMES: Readonly<Record<string, readonly string[]>> = {
  'invalid.value': ['value', 'field', 'allowedValues'],
  'missing.permissions': ['permissions'],
  'missing.any.permissions': ['permissions'],
};

/** The code the emulator answers for a bare status (faults). */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad.request';
    case 401:
      return 'bad.credentials';
    case 404:
      return 'not.found';
    case 429:
      return 'too.many.requests.retry.after';
    // The official definition lists no 502 code; a gateway failure reads as unavailable.
    case 502:
    case 503:
      return 'service.unavailable';
    case 504:
      return 'request.timeout';
    default:
      return 'internal.server.error';
  }
}

/** An error the route handlers throw; the app turns it into an `ErrorBody` response. */
export class EmulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: string[] = [],
    readonly extra: {
      entityId?: string;
      entityName?: string;
      details?: Array<Record<string, string>>;
      headers?: Record<string, string>;
      message?: string;
    } = {},
  ) {
    super(code);
  }
}

/** Fills the `%s` of a template. */
export function render(template: string, params: readonly string[]): string {
  let i = 0;
  return template.replace(/%s/g, () => params[i++] ?? '');
}

/** Builds an `ErrorBody`. */
export function errorBody(e: EmulatorHttpError, contextId: string): ErrorBodyJson {
  const template = ERROR_MESSAGES[e.code] ?? e.code;
  const names = MESSAGE_PARAM_NAMES[e.code];
  const body: ErrorBodyJson = {
    message: e.extra.message ?? render(template, e.params),
    code: e.code,
    status: e.status,
    messageParams: {},
    contextId,
    details: e.extra.details ?? [],
    errors: [],
  };
  if (names && e.extra.message === undefined) {
    let i = 0;
    body.messageWithParams = template.replace(/%s/g, () => `{${names[i++] ?? `param${i}`}}`);
    names.forEach((name, k) => (body.messageParams[name] = e.params[k] ?? ''));
  }
  if (e.extra.entityId !== undefined) body.entityId = e.extra.entityId;
  if (e.extra.entityName !== undefined) body.entityName = e.extra.entityName;
  return body;
}

/** What kind of rule an org operation broke; the HTTP layer chooses the status. */
export type RuleKind = 'invalid' | 'unauthenticated' | 'not-found' | 'not-allowed' | 'conflict' | 'gone';

/**
 * A domain error of the emulated org: the platform's error code and parameters, without HTTP.
 * The routes map it to a response (`routes/context.ts`).
 */
export class OrgRuleError extends Error {
  constructor(
    readonly kind: RuleKind,
    readonly code: string,
    readonly params: string[] = [],
    readonly extra: EmulatorHttpError['extra'] = {},
  ) {
    super(code);
  }
}
