/**
 * The run's event recorder. Every fact goes to `onEvent` and is awaited; an event that cannot be
 * recorded (the audit log is unwritable) stops the deployment before its next publish, since
 * nothing is published without its record. Outcomes of steps already in flight then are named
 * in the error the run ends with.
 */
import { FlowgateError, isFlowgateError } from '../errors.js';
import type { StepRecord } from '../ledger/types.js';
import type { DeployEvent } from './types.js';

/** An event as the run states it: the recorder adds the deployment and the time. */
export type RunEvent = Omit<DeployEvent, 'deploymentId' | 'at'>;

/** Records a run's events; remembers the first failure. */
export class EventRecorder {
  private failure: Error | undefined;
  /** Outcomes the events could not record (steps already in flight when the log failed). */
  private readonly unrecorded: string[] = [];

  constructor(
    private readonly deploymentId: string,
    private readonly now: () => number,
    private readonly onEvent?: (e: DeployEvent) => void | Promise<void>,
  ) {}

  /** Whether an event failed to record. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Records an event; never throws (a failure is kept and stops the run's next publish). */
  async emit(e: RunEvent): Promise<void> {
    if (this.failure === undefined)
      try {
        await this.onEvent?.({
          deploymentId: this.deploymentId,
          at: new Date(this.now()).toISOString(),
          ...e,
        });
        return;
      } catch (err) {
        this.failure = err instanceof Error ? err : new Error(String(err));
      }
    if (e.step && (e.type === 'published' || e.type === 'failed' || e.type === 'rolled-back'))
      this.unrecorded.push(`${e.step.flowName} (${e.type})`);
  }

  /** Throws the failure, if any, as it was: before a publish. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Throws the failure naming the outcomes it could not record: the ledger has them, and the
   * audit log has each one's `step.publishing` (written before its publish), so nothing is lost
   * silently; `flowgate audit reconcile` shows them against the platform's own records.
   */
  throwIfFailedAtEnd(): void {
    const failure = this.failure;
    if (failure === undefined) return;
    if (this.unrecorded.length === 0 || !isFlowgateError(failure)) throw failure;
    throw new FlowgateError(
      failure.code,
      `${failure.message}; outcomes not in the audit log (the ledger has them): ${this.unrecorded.join(', ')}`,
      {
        ...(failure.hint ? { hint: failure.hint } : {}),
        cause: failure,
        details: { unrecorded: this.unrecorded },
      },
    );
  }
}

/** The step as events name it. */
export function stepInfo(s: StepRecord): NonNullable<DeployEvent['step']> {
  return { index: s.index, flowName: s.flowName, flowType: s.flowType, flowId: s.flowId };
}
