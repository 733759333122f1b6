/** What every route module receives: the app, the org, and the helpers routes share. */
import type { Context, Hono } from 'hono';
import type { IncomingMessage } from 'node:http';
import { OrgRuleError, EmulatorHttpError } from '../errors.js';
import type { FaultDecision } from '../faults.js';
import type { EmulatedOrg } from '../org.js';
import { requirePermissions, type Requirement } from '../permissions.js';
import type { EmActor, EmClient } from '../types.js';

/** Hono's environment of the emulator app. */
export type Env = {
  Bindings: { incoming?: IncomingMessage };
  Variables: { correlationId: string; client: EmClient; actor: EmActor; decisions: FaultDecision[] };
};

/** A `/api/v2` handler: the request, the authenticated client and the actor it acts as. */
export type Handler = (c: Context<Env>, client: EmClient, actor: EmActor) => Response | Promise<Response>;

/** One implemented operation (for the contract suite's coverage check). */
export interface RouteSpec {
  method: string;
  /** OpenAPI path template, e.g. `/api/v2/flows/{flowId}`. */
  path: string;
  requirement: Requirement;
}

/** The shared context of the route modules. */
export interface RouteContext {
  app: Hono<Env>;
  org: EmulatedOrg;
  /** Registers an API operation with its permission requirement. */
  api: (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    requirement: Requirement,
    handler: Handler,
  ) => void;
}

/** Any of these permissions. */
export const ANY = (...permissions: string[]): Requirement => ({ type: 'ANY', permissions });
/** All of these permissions. */
export const ALL = (...permissions: string[]): Requirement => ({ type: 'ALL', permissions });
/** No permission needed. */
export const NONE: Requirement = { type: 'NO', permissions: [] };

/** Builds the route context over an app and an org; `routes` collects every registered operation. */
export function routeContext(app: Hono<Env>, org: EmulatedOrg, routes: RouteSpec[]): RouteContext {
  return {
    app,
    org,
    api: (method, path, requirement, handler) => {
      routes.push({ method, path, requirement });
      app.on(method, path.replace(/\{(\w+)\}/g, ':$1'), async (c) => {
        const client = c.get('client');
        requirePermissions(client, requirement);
        return handler(c, client, c.get('actor'));
      });
    },
  };
}

/** The JSON object body of a request, or 400. */
export async function jsonBody(c: Context<Env>): Promise<Record<string, unknown>> {
  try {
    const body = (await c.req.json()) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    throw new EmulatorHttpError(400, 'bad.request', [], {
      message: 'The request body must be a JSON object.',
    });
  }
}

/**
 * An array query parameter, in either form the platform takes: repeated (`type=a&type=b`) or
 * comma-joined (`type=a,b`, as the official JavaScript SDK sends every array: `ApiClient.serialize`
 * joins arrays with `,` in purecloud-platform-client-v2).
 */
export function queryList(c: Context<Env>, name: string): string[] {
  return (c.req.queries(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Turns a domain error of the org into its HTTP error; other errors pass through. */
export function httpErrorOf(e: unknown): EmulatorHttpError | undefined {
  if (e instanceof EmulatorHttpError) return e;
  if (e instanceof OrgRuleError) return new EmulatorHttpError(statusOf(e), e.code, e.params, e.extra);
  return undefined;
}

function statusOf(e: OrgRuleError): number {
  switch (e.kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'not-found':
      return 404;
    case 'not-allowed':
      return 405;
    case 'conflict':
      return 409;
    case 'gone':
      return 410;
  }
}
