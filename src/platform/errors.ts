/**
 * Typed errors of the platform client. Every message says what happened and the next step; none
 * carries a token, a secret or an Authorization header (messages and bodies are redacted before
 * the error is built, and `toJSON` exposes only safe fields).
 */
import type { ErrorCode } from '../error-codes.js';
import { FlowgateError } from '../errors.js';

/** The Genesys `ErrorBody` fields flowgate reads (docs/platform-api.md#error-body). */
export interface GenesysErrorBody {
  message?: string;
  code?: string;
  status?: number;
  contextId?: string;
  messageParams?: Record<string, string>;
  details?: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors?: unknown[];
  entityName?: string;
  entityId?: string;
}

/** The request an error belongs to (no headers, no body). */
export interface RequestSummary {
  method: string;
  path: string;
}

/** Scope to grant per permission prefix (docs/platform-api.md#scopes-and-permissions). */
function scopeFor(permission: string): string {
  if (permission.startsWith('analytics:')) return 'analytics:readonly';
  if (permission.startsWith('audits:')) return 'audits:readonly';
  if (permission === 'architect:flow:view' || permission === 'architect:flow:search')
    return 'architect:readonly';
  return 'architect';
}

/** An error response from the Genesys Cloud API. */
export class ApiError extends FlowgateError {
  /** HTTP status. */
  readonly status: number;
  /** The Genesys error code (`architect.flow.locked.by.user`, …). */
  readonly apiCode: string | undefined;
  /** The Genesys `contextId` (= the `ININ-Correlation-Id` header). */
  readonly contextId: string | undefined;
  readonly method: string;
  readonly path: string;
  /** The redacted error body. */
  readonly body: GenesysErrorBody | undefined;
  /** Attempts made, including the last. */
  readonly attempts: number;
  /** Total time waited between attempts, in ms. */
  readonly totalRetryDelayMs: number;

  constructor(
    status: number,
    body: GenesysErrorBody | undefined,
    request: RequestSummary,
    extra: {
      contextId?: string | undefined;
      attempts?: number;
      totalRetryDelayMs?: number;
      retryAfterMs?: number;
      /** Who holds the flow's lock, read from the flow (`lockedUser`/`lockedClient`) after a 409. */
      lockHolder?: string | undefined;
    } = {},
  ) {
    const apiCode = body?.code;
    const text = body?.message ?? `HTTP ${status}`;
    const { code, hint } = describe(status, body, extra);
    super(
      code,
      `${request.method} ${request.path} failed with ${status}${apiCode ? ` ${apiCode}` : ''}: ${text}`,
      {
        hint,
        details: { status, apiCode, contextId: extra.contextId ?? body?.contextId },
      },
    );
    this.name = 'ApiError';
    this.status = status;
    this.apiCode = apiCode;
    this.contextId = extra.contextId ?? body?.contextId;
    this.method = request.method;
    this.path = request.path;
    this.body = body;
    this.attempts = extra.attempts ?? 1;
    this.totalRetryDelayMs = extra.totalRetryDelayMs ?? 0;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      apiCode: this.apiCode,
      contextId: this.contextId,
      method: this.method,
      path: this.path,
      attempts: this.attempts,
      totalRetryDelayMs: this.totalRetryDelayMs,
    };
  }
}

function describe(
  status: number,
  body: GenesysErrorBody | undefined,
  extra: {
    retryAfterMs?: number;
    attempts?: number;
    totalRetryDelayMs?: number;
    lockHolder?: string | undefined;
  },
): { code: ErrorCode; hint: string } {
  const apiCode = body?.code ?? '';
  const retryAfterMs = extra.retryAfterMs;
  const attempts = extra.attempts ?? 1;
  const waitedMs = extra.totalRetryDelayMs ?? 0;
  switch (status) {
    case 400:
      return {
        code: 'API_BAD_REQUEST',
        hint: 'The request was rejected as malformed; check the values named in the message.',
      };
    case 401:
      return {
        code: 'API_UNAUTHORIZED',
        hint: 'The token was refused even after renewing it: check GENESYSCLOUD_OAUTHCLIENT_ID/SECRET and the region, and that the OAuth client is active.',
      };
    case 403: {
      const perms = extractPermissions(body?.message ?? '');
      const scopes = [...new Set(perms.map(scopeFor))];
      return {
        code: 'API_FORBIDDEN',
        hint:
          perms.length > 0
            ? `Give the OAuth client's role ${apiCode === 'missing.any.permissions' ? 'one of' : 'all of'} the permission(s) ${perms.join(', ')}, and the client the scope ${scopes.join(' or ')}.`
            : 'The OAuth client lacks a permission or scope for this call (architect, architect:readonly, analytics:readonly, audits:readonly).',
      };
    }
    case 404:
      return {
        code: 'API_NOT_FOUND',
        hint:
          apiCode === 'architect.flow.version.missing'
            ? 'That flow version does not exist; list versions with the flow versions call.'
            : 'Check the id or name; the object may be in another division or region.',
      };
    case 405:
      // The delete of a flow someone else has checked out (docs/platform-api.md "Delete").
      if (apiCode === 'architect.flow.cannot.delete.user.does.not.have.lock')
        return {
          code: 'API_LOCKED',
          hint: 'The flow is checked out by someone else in Architect. Ask them to check it in, or force-unlock it (needs architect:flow:unlock), then delete it.',
        };
      return { code: 'API_ERROR', hint: 'See the message and contextId.' };
    case 409:
      if (apiCode === 'architect.dependency.object.in.use') {
        const names = (body?.details ?? [])
          .map((d) => d.entityName)
          .filter((n): n is string => n !== undefined);
        return {
          code: 'API_CONFLICT',
          hint: `Other objects still use it${names.length > 0 ? ` (${names.join(', ')})` : ''}: change them first, or deactivate the flow instead.`,
        };
      }
      if (apiCode === 'architect.flow.locked.by.user') {
        // Not `entityName`: in Genesys error bodies it names the entity (the flow), not the holder.
        const holder = extra.lockHolder ? ` by ${extra.lockHolder}` : '';
        return {
          code: 'API_LOCKED',
          hint: `The flow is locked${holder} in Architect. Ask them to check it in, or force-unlock it (needs architect:flow:unlock).`,
        };
      }
      if (apiCode === 'architect.operation.already.in.progress') {
        return {
          code: 'API_CONFLICT',
          hint: 'Another operation is running on this flow; wait for it to finish and retry.',
        };
      }
      return { code: 'API_CONFLICT', hint: 'The object changed or is in use; read it again and retry.' };
    case 410:
      return { code: 'API_GONE', hint: 'The object was deleted.' };
    case 429:
      return {
        code: 'API_RATE_LIMITED',
        hint: `Still rate-limited after ${attempts} attempt${attempts === 1 ? '' : 's'} and ${(waitedMs / 1000).toFixed(1)} s of waiting${retryAfterMs !== undefined ? `; the server asked for ${Math.ceil(retryAfterMs / 1000)} s more` : ''}: lower the request rate or concurrency, or raise maxRetryAfterMs.`,
      };
    default:
      if (status >= 500)
        return {
          code: 'API_SERVER_ERROR',
          hint: 'Genesys Cloud failed; retry later, and quote the contextId to Genesys support.',
        };
      return { code: 'API_ERROR', hint: 'See the message and contextId.' };
  }
}

/** Permission names in a Genesys 403 message (`[architect:flow:publish, …]` or a bare list). */
export function extractPermissions(message: string): string[] {
  return [...new Set(message.match(/[a-zA-Z]+:[a-zA-Z]+:[a-zA-Z]+(?::[\w-]+)?/g) ?? [])];
}

/**
 * Who holds a flow's lock, from the flow itself (`lockedUser`, `lockedClient`: `Flow` in the SDK's
 * `index.d.ts`), or undefined when nobody does. `me` is this client's id: its own lock is nobody's.
 */
export function lockHolderOf(
  flow: {
    lockedUser?: { id?: string | undefined; name?: string | undefined } | undefined;
    lockedClient?: { id?: string | undefined; name?: string | undefined } | undefined;
  },
  me?: string,
): string | undefined {
  if (flow.lockedUser) return `user ${flow.lockedUser.name ?? flow.lockedUser.id ?? '?'}`;
  if (flow.lockedClient && flow.lockedClient.id !== me)
    return `OAuth client ${flow.lockedClient.name ?? flow.lockedClient.id ?? '?'}`;
  return undefined;
}

/** The same API error with the lock's holder named in its hint. */
export function withLockHolder(e: ApiError, holder: string | undefined): ApiError {
  if (holder === undefined) return e;
  return new ApiError(
    e.status,
    e.body,
    { method: e.method, path: e.path },
    {
      contextId: e.contextId,
      attempts: e.attempts,
      totalRetryDelayMs: e.totalRetryDelayMs,
      lockHolder: holder,
    },
  );
}

/** The request never produced a response (DNS, reset, refused). */
export class NetworkError extends FlowgateError {
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  constructor(request: RequestSummary, cause: unknown, attempts: number, outcomeUnknown = false) {
    super(
      outcomeUnknown ? 'NETWORK_OUTCOME_UNKNOWN' : 'NETWORK_ERROR',
      `${request.method} ${request.path}: no response after ${attempts} attempt${attempts === 1 ? '' : 's'} (${causeText(cause)})`,
      {
        hint: outcomeUnknown
          ? 'The request changes state and may have taken effect; check the flow before retrying.'
          : 'Check the network and the region or base URL.',
        cause: causeText(cause),
      },
    );
    this.name = 'NetworkError';
    this.method = request.method;
    this.path = request.path;
    this.attempts = attempts;
  }
}

/** An attempt or the whole call ran out of time. */
export class TimeoutError extends FlowgateError {
  constructor(request: RequestSummary, what: 'attempt' | 'deadline', ms: number) {
    super(
      'TIMEOUT',
      `${request.method} ${request.path}: ${what === 'attempt' ? 'no response within' : 'gave up after the deadline of'} ${ms} ms`,
      {
        hint:
          what === 'attempt'
            ? 'Check the network; the per-attempt timeout (timeoutMs) may be too short for this call.'
            : 'Retry later, or allow a longer overall deadline (deadlineMs).',
      },
    );
    this.name = 'TimeoutError';
  }
}

/** The token endpoint refused the client credentials. */
export class AuthError extends FlowgateError {
  readonly status: number;
  constructor(status: number, oauthError: string | undefined, loginUrl: string) {
    super(
      'AUTH_FAILED',
      `the token request to ${loginUrl}/oauth/token failed with ${status}${oauthError ? ` (${oauthError})` : ''}`,
      {
        hint: 'Check GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET (or the secret file) and GENESYSCLOUD_REGION; the client must use the Client Credentials grant.',
        details: { status, oauthError },
      },
    );
    this.name = 'AuthError';
    this.status = status;
  }
}

/**
 * A 3xx answer, not followed (`http/send.ts`): a followed redirect would carry the token, the
 * client secret or an upload to a host no check approved. No endpoint flowgate calls redirects.
 */
export class RedirectError extends FlowgateError {
  readonly status: number;
  constructor(request: RequestSummary, status: number, toOrigin: string | undefined) {
    super(
      'HTTP_REDIRECT',
      `${request.method} ${request.path} answered ${status}, a redirect${toOrigin ? ` to ${toOrigin}` : ''}: not followed`,
      {
        hint: 'Check the region or base URL: the Platform API, its token endpoint and presigned uploads never redirect, so a redirect means a proxy or a wrong host is in between.',
        details: { status, toOrigin },
      },
    );
    this.name = 'RedirectError';
    this.status = status;
  }
}

/** A response did not have the shape docs/platform-api.md documents. */
export class ResponseShapeError extends FlowgateError {
  constructor(request: RequestSummary, problem: string) {
    super('API_RESPONSE_SHAPE', `${request.method} ${request.path} returned an unexpected body: ${problem}`, {
      hint: 'The API may have changed; report this with the contextId.',
    });
    this.name = 'ResponseShapeError';
  }
}

/** An asynchronous operation (publish, checkin) or import job ended in failure. */
export class OperationFailedError extends FlowgateError {
  readonly errorCode: string | undefined;
  readonly errorDetails: unknown[];
  constructor(
    what: string,
    errorCode: string | undefined,
    message: string | undefined,
    errorDetails: unknown[] = [],
  ) {
    super(
      'OPERATION_FAILED',
      `${what} failed${errorCode ? ` with ${errorCode}` : ''}${message ? `: ${message}` : ''}`,
      {
        hint: 'Fix what the error names (missing dependencies, variables) and publish again.',
        details: { errorCode, errorDetails },
      },
    );
    this.name = 'OperationFailedError';
    this.errorCode = errorCode;
    this.errorDetails = errorDetails;
  }
}

/**
 * An import job that ended in `Failure`, with its messages' texts and whether they are the
 * transient kind a new job may get past (`job-failure.ts`).
 */
export class JobFailedError extends OperationFailedError {
  readonly jobId: string;
  readonly texts: string[];
  readonly transient: boolean;
  constructor(
    jobId: string,
    texts: string[],
    messages: unknown[],
    transient: boolean,
    /** What kind of job: `import job` or `export job`. */
    kind = 'import job',
  ) {
    super(`${kind} ${jobId}`, undefined, texts.join('; ') || 'no message', messages);
    this.name = 'JobFailedError';
    this.jobId = jobId;
    this.texts = texts;
    this.transient = transient;
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = (inner as { code?: string } | undefined)?.code ?? (cause as { code?: string }).code;
    return code ? `${cause.message}: ${code}` : cause.message;
  }
  return String(cause);
}
