/**
 * What the ledger says when a flow or a deployment is held by another run, and how its lock wait
 * ends when the run is interrupted: exact messages, hints and details, one call each.
 */
import { describe, expect, it } from 'vitest';
import {
  aborted,
  busyError,
  describeHolder,
  lockedError,
  waitAbortably,
} from '../../src/ledger/lock-errors.js';
import type { HeldFlowLock } from '../../src/ledger/types.js';

const lock = (flowKey: string, deploymentId: string, pid: number): HeldFlowLock => ({
  org: 'https://api.example',
  flowKey,
  holder: { pid, host: 'build-7', since: '2030-01-07T09:00:00.000Z', actor: 'ana', deploymentId },
});
const A = lock('inboundcall:A', 'd-1', 41);
const B = lock('inboundcall:B', 'd-2', 42);
const lineA =
  'inboundcall:A is being deployed by deployment d-1 (ana, process 41 on build-7, since 2030-01-07T09:00:00.000Z)';
const lineB =
  'inboundcall:B is being deployed by deployment d-2 (ana, process 42 on build-7, since 2030-01-07T09:00:00.000Z)';
const NO_WAIT_HINT =
  'Run again waiting for it (a lock wait above zero); a lock of a runner that died is released by itself.';
const WAITED_HINT =
  'That deployment is still running; wait longer, or find it with flowgate status. A lock of a runner that died is released by itself.';

describe('LEDGER_LOCKED', () => {
  it('without a wait names every holder, tells to wait, and lists the holders in details', () => {
    const e = lockedError([A, B], 0);
    expect(describeHolder(A)).toBe(lineA);
    expect({ code: e.code, message: e.message, hint: e.hint, details: e.details }).toEqual({
      code: 'LEDGER_LOCKED',
      message: `${lineA}; ${lineB}`,
      hint: NO_WAIT_HINT,
      details: {
        held: [
          { org: 'https://api.example', flowKey: 'inboundcall:A', ...A.holder },
          { org: 'https://api.example', flowKey: 'inboundcall:B', ...B.holder },
        ],
      },
    });
  });

  it('after a wait says how long it waited (rounded to seconds) and tells to wait longer', () => {
    const e = lockedError([A], 1_600);
    expect([e.message, e.hint]).toEqual([`still locked after waiting 2 s: ${lineA}`, WAITED_HINT]);
  });

  it('a wait of 1 ms still counts as a wait', () => {
    const e = lockedError([A], 1);
    expect([e.message, e.hint]).toEqual([`still locked after waiting 0 s: ${lineA}`, WAITED_HINT]);
  });

  it('with no holder known says another deployment holds the flow', () => {
    const e = lockedError([], 0);
    expect([e.message, e.hint, e.details]).toEqual([
      'another deployment holds the flow',
      NO_WAIT_HINT,
      { held: [] },
    ]);
  });
});

describe('LEDGER_BUSY', () => {
  const HINT =
    'Wait for it to finish, or stop that process; a run whose process died is taken over automatically.';

  it('names the process that runs the deployment', () => {
    const e = busyError('d-9', { pid: 77, host: 'ci-3', actor: 'bo', since: '2030-02-01T00:00:00.000Z' });
    expect({ code: e.code, message: e.message, hint: e.hint, details: e.details }).toEqual({
      code: 'LEDGER_BUSY',
      message: 'deployment d-9 is being run by process 77 on ci-3 (bo) since 2030-02-01T00:00:00.000Z',
      hint: HINT,
      details: { holder: { pid: 77, host: 'ci-3', actor: 'bo', since: '2030-02-01T00:00:00.000Z' } },
    });
  });

  it('with no holder row says another session of the ledger runs it', () => {
    const e = busyError('d-9', undefined);
    expect({ message: e.message, hint: e.hint, details: e.details }).toEqual({
      message: 'deployment d-9 is being run by another session of the ledger',
      hint: HINT,
      details: { holder: undefined },
    });
    expect(Object.keys(e.details ?? {})).toEqual(['holder']);
  });
});

describe('waitAbortably', () => {
  const ABORTED = {
    code: 'ABORTED',
    message: 'interrupted while waiting for a flow lock',
    hint: 'Nothing was published by this run.',
  };

  it('aborted() is ABORTED with its message and hint', () => {
    const e = aborted();
    expect({ code: e.code, message: e.message, hint: e.hint }).toEqual(ABORTED);
  });

  it('waits with the given sleep for the given time', async () => {
    const waits: number[] = [];
    await waitAbortably(150, undefined, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    expect(waits).toEqual([150]);
  });

  it('does not sleep at all when the signal has already aborted', async () => {
    const waits: number[] = [];
    const c = new AbortController();
    c.abort();
    await expect(
      waitAbortably(150, c.signal, (ms) => {
        waits.push(ms);
        return Promise.resolve();
      }),
    ).rejects.toMatchObject(ABORTED);
    expect(waits).toEqual([]);
  });

  it('turns a sleep ended by the abort into ABORTED', async () => {
    const c = new AbortController();
    await expect(
      waitAbortably(150, c.signal, () => {
        c.abort();
        return Promise.reject(new Error('sleep aborted'));
      }),
    ).rejects.toMatchObject(ABORTED);
  });

  it('passes on a failure of the sleep itself when nothing aborted', async () => {
    const c = new AbortController();
    await expect(
      waitAbortably(150, c.signal, () => Promise.reject(new Error('clock broke'))),
    ).rejects.toThrow(/^clock broke$/);
  });
});
