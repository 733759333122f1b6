/**
 * How a flow execution ends, as the platform reports it in the `exitReason` dimension of the flow
 * aggregates (docs/platform-api.md#aggregate-query lists `exitReason` among the `groupBy` dimensions). The values are the
 * official SDK's enum (`FlowEndDetailEventTopicFlowEndEvent.ExitReasonEnum` in
 * `MyPureCloud/platform-client-sdk-java`); `AnalyticsFlow.exitReason` documents `DISCONNECT` as an
 * example. Shared by the manifest (which reasons a health signal counts), adoption (the default
 * signals) and the emulator (which simulates them).
 */

/** Every exit reason the platform documents. */
export const EXIT_REASONS = [
  'DISCONNECT',
  'FLOW_DISCONNECT',
  'FLOW_ERROR_DISCONNECT',
  'TRANSFER',
  'SESSION_EXPIRE_DISCONNECT',
  'RECOGNITION_FAILURE_DISCONNECT',
  'RECOGNITION_FAILURE_EXIT',
  'USER_EXIT',
  'FLOW_EXIT',
  'FLOW_ERROR_EXIT',
] as const;

/** One exit reason. */
export type ExitReason = (typeof EXIT_REASONS)[number];

/**
 * The reasons that end the conversation inside the flow: the caller hanging up (`DISCONNECT`), the
 * flow's own Disconnect, an error's, an expired session, recognition that failed for good. These
 * executions are the ones `tFlowDisconnect` counts; every other one leaves the flow (`tFlowExit`).
 */
export const DISCONNECT_REASONS: readonly ExitReason[] = EXIT_REASONS.filter((r) => r.endsWith('DISCONNECT'));

/** The reasons that say something went wrong: the health gate's default `exits` signal counts them. */
export const ERROR_EXIT_REASONS: readonly ExitReason[] = [
  'FLOW_ERROR_DISCONNECT',
  'FLOW_ERROR_EXIT',
  'RECOGNITION_FAILURE_DISCONNECT',
  'RECOGNITION_FAILURE_EXIT',
];

/** True for a reason that ends the conversation inside the flow. */
export function isDisconnect(reason: string): boolean {
  return (DISCONNECT_REASONS as readonly string[]).includes(reason);
}
