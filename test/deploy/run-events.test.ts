/**
 * The run's event recorder on its own (deploy/run-events.ts): an event that cannot be recorded is
 * kept as the run's failure and nothing more is sent; the outcomes of steps still in flight then
 * (published, failed, rolled back) are named in the error the run ends with, exactly those.
 */
import { describe, expect, it } from 'vitest';
import { EventRecorder, type RunEvent } from '../../src/deploy/run-events.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import { FlowgateError } from '../../src/errors.js';

const step = (flowName: string) => ({ index: 0, flowName, flowType: 'inboundcall' });
const at = Date.UTC(2026, 11, 2, 9, 30);

/** A recorder whose sink refuses the events listed in `refuse` (by message); what it received. */
function recorder(refuse: (e: DeployEvent) => Error | undefined) {
  const received: DeployEvent[] = [];
  const r = new EventRecorder(
    'd-1',
    () => at,
    (e) => {
      const error = refuse(e);
      if (error) throw error;
      received.push(e);
    },
  );
  return { r, received };
}

const diskFull = () =>
  new FlowgateError('AUDIT_LOG_WRITE', 'the audit log could not be written: ENOSPC', {
    hint: 'Free some disk.',
  });

describe('EventRecorder', () => {
  it('stamps each event with the deployment and the clock, and sends it', async () => {
    const { r, received } = recorder(() => undefined);
    const e: RunEvent = { type: 'publishing', step: step('A'), message: 'A: publishing' };
    await r.emit(e);
    expect(received).toEqual([{ deploymentId: 'd-1', at: '2026-12-02T09:30:00.000Z', ...e }]);
    expect(r.failed).toBe(false);
    expect(() => r.throwIfFailed()).not.toThrow();
    expect(() => r.throwIfFailedAtEnd()).not.toThrow();
  });

  it('after one event fails, nothing more is sent, and the failure is thrown before the next publish', async () => {
    const failure = diskFull();
    let first = true;
    const { r, received } = recorder(() => (first ? ((first = false), failure) : undefined));
    await r.emit({ type: 'planned', message: 'planned' });
    expect(r.failed).toBe(true);
    await r.emit({ type: 'publishing', step: step('A'), message: 'A: publishing' });
    expect(received).toEqual([]);
    expect(() => r.throwIfFailed()).toThrow(failure);
  });

  it('names at the end exactly the outcomes it could not record (published, failed, rolled back)', async () => {
    const { r } = recorder(() => diskFull());
    await r.emit({ type: 'planned', message: 'planned' });
    await r.emit({ type: 'publishing', step: step('A'), message: 'A: publishing' });
    await r.emit({ type: 'published', step: step('A'), message: 'A: published' });
    await r.emit({ type: 'failed', step: step('B'), message: 'B: failed' });
    await r.emit({ type: 'rolled-back', step: step('A'), message: 'A: rolled back' });
    await r.emit({ type: 'failed', message: 'a failure of no step' });
    await r.emit({ type: 'completed', message: 'done', result: 'failed' });
    let thrown: unknown;
    try {
      r.throwIfFailedAtEnd();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(FlowgateError);
    const f = thrown as FlowgateError;
    expect(f.code).toBe('AUDIT_LOG_WRITE');
    expect(f.message).toBe(
      'the audit log could not be written: ENOSPC; outcomes not in the audit log (the ledger has them): A (published), B (failed), A (rolled-back)',
    );
    expect(f.hint).toBe('Free some disk.');
    expect(f.details).toEqual({ unrecorded: ['A (published)', 'B (failed)', 'A (rolled-back)'] });
    expect(f.cause).toBeInstanceOf(FlowgateError);
  });

  it('with no outcome missed, the failure is thrown as it was', async () => {
    const failure = diskFull();
    const { r } = recorder(() => failure);
    await r.emit({ type: 'publishing', step: step('A'), message: 'A: publishing' });
    expect(() => r.throwIfFailedAtEnd()).toThrow(failure);
  });

  it('a failure that is not a FlowgateError is thrown as it was, even with outcomes missed', async () => {
    const failure = new TypeError('sink broke');
    const { r } = recorder(() => failure);
    await r.emit({ type: 'published', step: step('A'), message: 'A: published' });
    expect(() => r.throwIfFailedAtEnd()).toThrow(failure);
  });

  it('a thrown non-error becomes an Error with its text', async () => {
    const r = new EventRecorder(
      'd-1',
      () => at,
      () => {
        throw 'plain text'; // eslint-disable-line @typescript-eslint/only-throw-error
      },
    );
    await r.emit({ type: 'planned', message: 'planned' });
    expect(() => r.throwIfFailed()).toThrow(new Error('plain text'));
  });
});
