/**
 * Response shapes checked at the boundary (API.md §2–§5). Loose: unknown fields pass through, so a
 * new API field never breaks flowgate; a missing or mistyped field it relies on does.
 */
import { z } from 'zod';

const Ref = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  selfUri: z.string().optional(),
});

/** `Operation` (API.md §2.5). */
export const OperationSchema = z.looseObject({
  id: z.string(),
  complete: z.boolean().optional(),
  actionName: z.string().optional(),
  actionStatus: z.string().optional(),
  errorMessage: z.string().nullable().optional(),
  errorCode: z.string().nullable().optional(),
  errorDetails: z.array(z.unknown()).nullable().optional(),
  client: Ref.optional(),
  user: Ref.optional(),
});
/** An asynchronous Architect operation. */
export type Operation = z.infer<typeof OperationSchema>;

/** `FlowVersion` (API.md §2.4). */
export const FlowVersionSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  type: z.string().optional(),
  datePublished: z.string().optional(),
  datePublishedEnd: z.string().optional(),
  dateCreated: z.number().optional(),
  createdByClient: Ref.optional(),
});
/** One version of a flow. */
export type FlowVersion = z.infer<typeof FlowVersionSchema>;

/** `Flow` (API.md §2.3). */
export const FlowSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string().optional(),
  description: z.string().optional(),
  division: Ref.optional(),
  active: z.boolean().optional(),
  deleted: z.boolean().optional(),
  lockedUser: Ref.optional(),
  lockedClient: Ref.optional(),
  publishedVersion: FlowVersionSchema.optional(),
  savedVersion: FlowVersionSchema.optional(),
  checkedInVersion: FlowVersionSchema.optional(),
  currentOperation: OperationSchema.optional(),
  selfUri: z.string().optional(),
});
/** A flow. */
export type Flow = z.infer<typeof FlowSchema>;

/** A paged listing (`FlowEntityListing` and its family). */
export function listingSchema<T extends z.ZodType>(entity: T) {
  return z.looseObject({
    entities: z.array(entity).optional(),
    pageSize: z.number().optional(),
    pageNumber: z.number().optional(),
    total: z.number().optional(),
    pageCount: z.number().optional(),
  });
}

/** `RegisterArchitectJobResponse` (API.md §2.7). */
export const RegisterJobSchema = z.looseObject({
  id: z.string(),
  presignedUrl: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** `ArchitectJobStateResponse` (API.md §2.7). */
export const JobStateSchema = z.looseObject({
  id: z.string(),
  status: z.enum(['Registered', 'Started', 'Success', 'Failure']),
  command: z.string().optional(),
  flow: Ref.optional(),
  messages: z
    .array(
      z.looseObject({
        dateTime: z.string().optional(),
        type: z.string().optional(),
        text: z.string().optional(),
      }),
    )
    .optional(),
});
/** An import job's state. */
export type JobState = z.infer<typeof JobStateSchema>;

/** `RegisterArchitectExportJobResponse` (docs/platform-api.md: export jobs). */
export const RegisterExportJobSchema = z.looseObject({
  id: z.string(),
  status: z.string().optional(),
  totalFlows: z.number().optional(),
});

/** `ArchitectExportJobStateResponse` (docs/platform-api.md: export jobs). */
export const ExportJobStateSchema = z.looseObject({
  id: z.string(),
  status: z.enum(['Registered', 'Started', 'Success', 'Failure']),
  command: z.string().optional(),
  downloadUrl: z.string().optional(),
  messages: JobStateSchema.shape.messages,
});
/** An export job's state. */
export type ExportJobState = z.infer<typeof ExportJobStateSchema>;

/** `FlowAggregateQueryResponse` (API.md §3.3). */
export const FlowAggregateResponseSchema = z.looseObject({
  results: z
    .array(
      z.looseObject({
        group: z.record(z.string(), z.string()).optional(),
        data: z
          .array(
            z.looseObject({
              interval: z.string(),
              metrics: z.array(
                z.looseObject({ metric: z.string(), stats: z.record(z.string(), z.number()).optional() }),
              ),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});
/** Flow aggregates. */
export type FlowAggregateResponse = z.infer<typeof FlowAggregateResponseSchema>;

/** `AsyncQueryResponse` (API.md §3.1). */
export const AsyncQueryResponseSchema = z.looseObject({ jobId: z.string() });

/** `AsyncQueryStatus` (API.md §3.1). */
export const AsyncQueryStatusSchema = z.looseObject({
  state: z.enum(['QUEUED', 'PENDING', 'FAILED', 'CANCELLED', 'FULFILLED', 'EXPIRED']),
  errorMessage: z.string().optional(),
});

/** `FlowAsyncAggregateQueryResponse` (API.md §3.1): a page of results and the next cursor. */
export const FlowAsyncAggregatePageSchema = FlowAggregateResponseSchema.extend({
  cursor: z.string().nullable().optional(),
});

/** `AuditLogMessage` (API.md §4.3). */
export const AuditLogMessageSchema = z.looseObject({
  id: z.string(),
  serviceName: z.string().optional(),
  eventDate: z.string().optional(),
  action: z.string().optional(),
  entityType: z.string().optional(),
  entity: Ref.optional(),
  status: z.string().optional(),
  client: Ref.optional(),
  user: Ref.optional(),
});
/** One platform audit entry. */
export type AuditLogMessage = z.infer<typeof AuditLogMessageSchema>;

/** `AuditQueryExecutionStatusResponse` (API.md §4.1). */
export const AuditQueryStatusSchema = z.looseObject({
  id: z.string(),
  state: z.enum(['Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled']),
});

/** `AuditQueryExecutionResultsResponse` (API.md §4.1). */
export const AuditResultsSchema = z.looseObject({
  id: z.string().optional(),
  pageSize: z.number().optional(),
  cursor: z.string().nullable().optional(),
  entities: z.array(AuditLogMessageSchema).optional(),
});

/** `AuditRealtimeQueryResultsResponse` (API.md §4.1). */
export const AuditRealtimeSchema = z.looseObject({
  entities: z.array(AuditLogMessageSchema).optional(),
  pageSize: z.number().optional(),
  pageNumber: z.number().optional(),
  total: z.number().optional(),
  pageCount: z.number().optional(),
});

/** `LimitsEntityListing` (API.md §5). */
export const LimitsSchema = z.looseObject({
  entities: z
    .array(z.looseObject({ key: z.string(), namespace: z.string().optional(), value: z.number() }))
    .optional(),
});

/** `TokenInfo` (API.md §1.1). */
export const TokenInfoSchema = z.looseObject({
  organization: Ref.optional(),
  homeOrganization: Ref.optional(),
  authorizedScope: z.array(z.string()).optional(),
  OAuthClient: Ref.optional(),
});
