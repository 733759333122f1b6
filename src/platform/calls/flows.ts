/**
 * Architect flow calls (docs/platform-api.md#flows): list, find, get, versions, configuration, and the actions
 * publish, checkin, checkout, unlock, revert, deactivate, delete, plus following an `Operation` to its end.
 */
import { idSegment, versionSegment } from './ids.js';
import { FlowgateError } from '../../errors.js';
import { ApiError, lockHolderOf, OperationFailedError, withLockHolder } from '../errors.js';
import { pollUntil, type PollOptions } from '../poll.js';
import type { RequestFn } from '../request.js';
import {
  FlowSchema,
  FlowVersionSchema,
  listingSchema,
  OperationSchema,
  type Flow,
  type FlowVersion,
  type Operation,
} from '../schemas.js';

const FlowListing = listingSchema(FlowSchema);
const VersionListing = listingSchema(FlowVersionSchema);

/** Filters of the flow list (the `type` query parameter is lowercase, docs/platform-api.md#flow-list-query). */
export interface FlowListFilter {
  name?: string;
  type?: string | readonly string[];
  /** Page size. @default 100 */
  pageSize?: number;
}

/** Options for following an operation (`timeoutMs` defaults to 10 minutes). */
export type FollowOptions = PollOptions;

/** Architect flow calls. */
export function flowCalls(request: RequestFn) {
  const lowerTypes = (t: FlowListFilter['type']): string[] | undefined =>
    t === undefined ? undefined : (typeof t === 'string' ? [t] : [...t]).map((x) => x.toLowerCase());
  /**
   * A 409 `architect.flow.locked.by.user` names no holder (its `entityName` is the flow's): the
   * flow's `lockedUser`/`lockedClient` does, so the error's hint is built from a read of the flow.
   */
  const namingLockHolder = async <T>(flowId: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409 || e.apiCode !== 'architect.flow.locked.by.user')
        throw e;
      const flow = await api.get(flowId).catch(() => undefined);
      throw flow ? withLockHolder(e, lockHolderOf(flow)) : e;
    }
  };
  /** The actions that answer with the flow (docs/platform-api.md#flow-endpoints). */
  const flowAction = (
    action: 'checkout' | 'unlock' | 'revert' | 'deactivate',
    flowId: string,
  ): Promise<Flow> =>
    namingLockHolder(flowId, async () => {
      const { data } = await request('POST', `/api/v2/flows/actions/${action}`, {
        query: { flow: idSegment('flow', flowId) },
        schema: FlowSchema,
        idempotent: true,
      });
      return data;
    });
  const api = {
    /** One page of flows. */
    async listPage(filter: FlowListFilter = {}, pageNumber = 1) {
      return request('GET', '/api/v2/flows', {
        query: {
          name: filter.name,
          type: lowerTypes(filter.type),
          pageSize: filter.pageSize ?? 100,
          pageNumber,
        },
        schema: FlowListing,
      });
    },

    /** Every flow matching the filter, across all pages. */
    async list(filter: FlowListFilter = {}): Promise<Flow[]> {
      const out: Flow[] = [];
      for (let page = 1; ; page++) {
        const { data } = await api.listPage(filter, page);
        out.push(...(data.entities ?? []));
        const pageCount = data.pageCount ?? 1;
        if (page >= pageCount || (data.entities ?? []).length === 0) return out;
      }
    },

    /** The flow with exactly this name and type, if any (the `name` filter also matches substrings). */
    async findByName(name: string, type: string): Promise<Flow | undefined> {
      const flows = await api.list({ name, type });
      return flows.find((f) => f.name === name && (f.type ?? '').toLowerCase() === type.toLowerCase());
    },

    /** One flow. */
    async get(flowId: string): Promise<Flow> {
      return (await request('GET', `/api/v2/flows/${idSegment('flow', flowId)}`, { schema: FlowSchema }))
        .data;
    },

    /** Every version of a flow. */
    async versions(flowId: string): Promise<FlowVersion[]> {
      const out: FlowVersion[] = [];
      for (let page = 1; ; page++) {
        const { data } = await request('GET', `/api/v2/flows/${idSegment('flow', flowId)}/versions`, {
          query: { pageNumber: page, pageSize: 100 },
          schema: VersionListing,
        });
        out.push(...(data.entities ?? []));
        if (page >= (data.pageCount ?? 1) || (data.entities ?? []).length === 0) return out;
      }
    },

    /**
     * The configuration of one version (opaque JSON, docs/platform-api.md#flow-endpoints): what a rollback checks it
     * restored, since a republished or re-imported version may carry a new id.
     */
    async versionConfiguration(flowId: string, versionId: string): Promise<unknown> {
      return (
        await request<unknown>(
          'GET',
          `/api/v2/flows/${idSegment('flow', flowId)}/versions/${versionSegment(versionId)}/configuration`,
        )
      ).data;
    },

    /** The latest saved configuration (opaque JSON). */
    async latestConfiguration(flowId: string): Promise<unknown> {
      return (await request<unknown>('GET', `/api/v2/flows/${idSegment('flow', flowId)}/latestconfiguration`))
        .data;
    },

    /**
     * Starts a publish (asynchronous; no body, `flow` and `version` in the query, docs/platform-api.md#flow-endpoints).
     * If the outcome of an attempt is unknown (network error, 5xx), the flow is read back before
     * resending: a new PUBLISH operation means the earlier attempt took effect, so it is not sent twice.
     */
    async publish(flowId: string, version?: string): Promise<Operation> {
      const before = await api.get(flowId);
      const beforeOp = before.currentOperation?.id;
      return namingLockHolder(flowId, async () => {
        const { data } = await request('POST', '/api/v2/flows/actions/publish', {
          query: { flow: idSegment('flow', flowId), version },
          schema: OperationSchema,
          confirmEffect: async () => {
            const after = await api.get(flowId);
            const op = after.currentOperation;
            return op && op.id !== beforeOp && op.actionName === 'PUBLISH' ? op : undefined;
          },
        });
        return data;
      });
    },

    /** Checks the flow in (asynchronous). */
    checkin(flowId: string): Promise<Operation> {
      return namingLockHolder(flowId, async () => {
        const { data } = await request('POST', '/api/v2/flows/actions/checkin', {
          query: { flow: idSegment('flow', flowId) },
          schema: OperationSchema,
        });
        return data;
      });
    },

    /** Checks the flow out (locks it for this client). Idempotent for the lock holder. */
    checkout: (flowId: string): Promise<Flow> => flowAction('checkout', flowId),

    /** Force-unlocks the flow (needs `architect:flow:unlock`). */
    unlock: (flowId: string): Promise<Flow> => flowAction('unlock', flowId),

    /** Drops saved changes. */
    revert: (flowId: string): Promise<Flow> => flowAction('revert', flowId),

    /** Deactivates the flow. */
    deactivate: (flowId: string): Promise<Flow> => flowAction('deactivate', flowId),

    /**
     * Deletes the flow (`DELETE /api/v2/flows/{flowId}`, no body; docs/platform-api.md "Delete").
     * Refused with 405 `architect.flow.cannot.delete.user.does.not.have.lock` (API_LOCKED) while
     * someone else holds its lock, 409 `architect.dependency.object.in.use` (API_CONFLICT) while
     * another object depends on it; 404/410 when the org no longer has it.
     */
    async delete(flowId: string): Promise<void> {
      await request('DELETE', `/api/v2/flows/${idSegment('flow', flowId)}`);
    },

    /**
     * Polls the flow's `currentOperation` with backoff until it completes; resolves with the
     * operation on SUCCESS, throws {@link OperationFailedError} on FAILURE. Pass the `Operation`
     * that publish or checkin returned (or just its id).
     */
    async followOperation(
      flowId: string,
      operation: string | Operation,
      options: FollowOptions = {},
    ): Promise<Operation> {
      const operationId = typeof operation === 'string' ? operation : operation.id;
      const actionName = typeof operation === 'string' ? undefined : operation.actionName;
      const op = await pollUntil(
        async () => {
          const current = (await api.get(flowId)).currentOperation;
          if (!current?.complete) return undefined;
          if (current.id === operationId) return current;
          // The real API's operation ids are not documented to be stable between the publish
          // response and currentOperation (docs/platform-api.md#operations, UNCONFIRMED): a completed operation of the
          // same action that replaced ours is taken as its outcome; anything else is not ours.
          return actionName !== undefined && current.actionName === actionName ? current : undefined;
        },
        options,
        600_000,
        () =>
          new FlowgateError(
            'OPERATION_TIMEOUT',
            `operation ${operationId} on flow ${flowId} did not complete in time`,
            {
              hint: 'Check the flow in Architect; the operation may still finish.',
            },
          ),
      );
      if (op.actionStatus === 'SUCCESS') return op;
      throw new OperationFailedError(
        `${op.actionName ?? 'operation'} of flow ${flowId}`,
        op.errorCode ?? undefined,
        op.errorMessage ?? undefined,
        op.errorDetails ?? [],
      );
    },
  };
  return api;
}
