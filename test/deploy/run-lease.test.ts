/**
 * The run lease (deploy/run-lease.ts), one function at a time against a real SQLite ledger with a
 * virtual clock: what it holds (the deployment, and exactly the flows the run may still publish or
 * roll back), who it says holds them, how long it waits for a flow another deployment holds and
 * what it tells while waiting, what a deployment that never started becomes when it cannot get
 * its flows, and that it lets everything go, on success, on failure, and after the ledger is lost.
 * Stryker found 2 of 14 of its valid mutants killed by the run tests (BENCHMARKS.md, `loop`).
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCK_WAIT_MS, takeRunLease, type LeaseOptions } from '../../src/deploy/run-lease.js';
import { EventRecorder } from '../../src/deploy/run-events.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import type { DeploymentRecord, Ledger, StepRecord, StepState } from '../../src/ledger/types.js';
import { deploymentRecord, stepRecord, tempLedger } from '../helpers/ledger-records.js';
import { virtualClock, type VirtualClock } from '../helpers/virtual-clock.js';

const ORG = 'https://api.mypurecloud.ie';
const START = Date.parse('2030-01-07T09:00:00Z');
const START_ISO = new Date(START).toISOString();

const step = (deploymentId: string, index: number, state: StepState, extra: Partial<StepRecord> = {}) =>
  stepRecord(deploymentId, index, { state, ...extra });

const deployment = (id: string, status: DeploymentRecord['status'] = 'planned') =>
  deploymentRecord(id, { status, org: ORG });

interface Bench {
  ledger: Ledger;
  clock: VirtualClock;
  events: DeployEvent[];
  recorder: (id: string) => EventRecorder;
  options: (extra?: Partial<LeaseOptions>) => LeaseOptions;
}

function bench(): Bench {
  const clock = virtualClock(START);
  const ledger = tempLedger('lease', { now: clock.now, sleep: clock.sleep });
  const events: DeployEvent[] = [];
  return {
    ledger,
    clock,
    events,
    recorder: (id) => new EventRecorder(id, clock.now, (e) => void events.push(e)),
    options: (extra = {}) => ({ ledger, now: clock.now, ...extra }),
  };
}

/** Steps in every state a lease decides on: four it locks, three it leaves. */
const mixedSteps = (id: string): StepRecord[] => [
  step(id, 0, 'planned'),
  step(id, 1, 'waiting'),
  step(id, 2, 'publishing'),
  step(id, 3, 'published'),
  step(id, 4, 'unchanged'),
  step(id, 5, 'failed'),
  step(id, 6, 'rolled-back'),
];
const allKeys = [0, 1, 2, 3, 4, 5, 6].map((i) => `inboundcall:Flow ${i}`);

/** Another deployment's run holding `keys`, as a second runner on this host would. */
async function otherRunHolds(b: Bench, keys: string[]): Promise<void> {
  await b.ledger.createDeployment(deployment('other'), []);
  await b.ledger.lockFlows(
    ORG,
    keys,
    {
      pid: process.ppid,
      host: 'runner-2',
      since: '2030-01-07T08:30:00.000Z',
      actor: 'other-client',
      deploymentId: 'other',
    },
    { waitMs: 0 },
  );
}

describe('takeRunLease: what it holds', () => {
  it('holds exactly the flows the run may still publish or roll back, in the name of this process', async () => {
    const b = bench();
    await b.ledger.createDeployment(deployment('d1'), mixedSteps('d1'));

    const lease = await takeRunLease(
      await b.ledger.getDeployment('d1').then((d) => d!),
      b.options(),
      b.recorder('d1'),
    );

    const held = await b.ledger.flowLockHolders(ORG, allKeys);
    expect(held.map((h) => h.flowKey).sort()).toEqual(allKeys.slice(0, 4));
    const holder = {
      pid: process.pid,
      host: hostname(),
      since: new Date(START).toISOString(),
      actor: 'ci-client',
    };
    for (const h of held) expect(h.holder).toEqual({ ...holder, deploymentId: 'd1' });
    expect(lease.flowLocks.waited).toBe(false);
    expect(b.events).toEqual([]);
    await lease.release();
  });

  it('holds the deployment itself: a second run of it is refused until the lease is released', async () => {
    const b = bench();
    await b.ledger.createDeployment(deployment('d1'), [step('d1', 0, 'planned')]);
    const lease = await takeRunLease(deployment('d1'), b.options(), b.recorder('d1'));

    await expect(takeRunLease(deployment('d1'), b.options(), b.recorder('d1'))).rejects.toMatchObject({
      code: 'LEDGER_BUSY',
    });
    await lease.release();

    expect(await b.ledger.flowLockHolders(ORG, allKeys)).toEqual([]);
    const again = await takeRunLease(deployment('d1'), b.options(), b.recorder('d1'));
    expect((await b.ledger.flowLockHolders(ORG, allKeys)).map((h) => h.flowKey)).toEqual([
      'inboundcall:Flow 0',
    ]);
    await again.release();
  });

  it('with onlyDue, holds the steps due now and those already published, not those due later', async () => {
    const b = bench();
    const later = new Date(START + 3_600_000).toISOString();
    const earlier = new Date(START - 60_000).toISOString();
    const steps = [
      step('d1', 0, 'scheduled', { activateAt: later }),
      step('d1', 1, 'scheduled', { activateAt: earlier }),
      step('d1', 2, 'published'),
    ];
    await b.ledger.createDeployment(deployment('d1', 'running'), steps);

    const due = await takeRunLease(
      deployment('d1', 'running'),
      b.options({ onlyDue: true }),
      b.recorder('d1'),
    );
    expect((await b.ledger.flowLockHolders(ORG, allKeys)).map((h) => h.flowKey).sort()).toEqual([
      'inboundcall:Flow 1',
      'inboundcall:Flow 2',
    ]);
    await due.release();

    const all = await takeRunLease(
      deployment('d1', 'running'),
      b.options({ onlyDue: false }),
      b.recorder('d1'),
    );
    expect(await b.ledger.flowLockHolders(ORG, allKeys)).toHaveLength(3);
    await all.release();
  });

  it('release lets go quietly when the ledger is already gone (the server let the locks go)', async () => {
    const b = bench();
    await b.ledger.createDeployment(deployment('d1'), [step('d1', 0, 'planned')]);
    const lease = await takeRunLease(deployment('d1'), b.options(), b.recorder('d1'));
    await b.ledger.close();
    await expect(lease.release()).resolves.toBeUndefined();
  });
});

describe('takeRunLease: a flow another deployment holds', () => {
  it('waits the default 15 minutes, saying once whom it waits for, then fails naming the holder', async () => {
    const b = bench();
    await otherRunHolds(b, ['inboundcall:Flow 0']);
    await b.ledger.createDeployment(deployment('d1'), [step('d1', 0, 'planned'), step('d1', 1, 'planned')]);

    const failure = takeRunLease(deployment('d1'), b.options(), b.recorder('d1'));

    await expect(failure).rejects.toMatchObject({
      code: 'LEDGER_LOCKED',
      message: expect.stringContaining(`still locked after waiting ${DEFAULT_LOCK_WAIT_MS / 1000} s`),
    });
    expect(DEFAULT_LOCK_WAIT_MS).toBe(15 * 60_000);
    expect(b.clock.now() - START).toBe(DEFAULT_LOCK_WAIT_MS);
    expect(b.events).toEqual([
      {
        deploymentId: 'd1',
        at: new Date(START).toISOString(),
        type: 'lock-wait',
        message:
          'waiting for inboundcall:Flow 0 (deployment other by other-client on runner-2 since 2030-01-07T08:30:00.000Z)',
      },
    ]);
  });

  it('names every flow it waits for, and waits as long as it is told', async () => {
    const b = bench();
    await otherRunHolds(b, ['inboundcall:Flow 0', 'inboundcall:Flow 1']);
    await b.ledger.createDeployment(deployment('d1'), [step('d1', 0, 'planned'), step('d1', 1, 'planned')]);

    await expect(
      takeRunLease(deployment('d1'), b.options({ lockWaitMs: 60_000 }), b.recorder('d1')),
    ).rejects.toMatchObject({
      code: 'LEDGER_LOCKED',
      message: expect.stringContaining('still locked after waiting 60 s'),
    });
    expect(b.clock.now() - START).toBe(60_000);
    expect(b.events.map((e) => e.message)).toEqual([
      'waiting for inboundcall:Flow 0 (deployment other by other-client on runner-2 since 2030-01-07T08:30:00.000Z), ' +
        'inboundcall:Flow 1 (deployment other by other-client on runner-2 since 2030-01-07T08:30:00.000Z)',
    ]);
  });

  it('a deployment that never started is recorded as cancelled, with the reason on each step not started', async () => {
    const b = bench();
    await otherRunHolds(b, ['inboundcall:Flow 0']);
    await b.ledger.createDeployment(deployment('d1'), [
      step('d1', 0, 'planned'),
      step('d1', 1, 'waiting'),
      step('d1', 2, 'unchanged'),
    ]);

    const error = await takeRunLease(deployment('d1'), b.options({ lockWaitMs: 0 }), b.recorder('d1')).then(
      () => new Error('taken'),
      (e: unknown) => e as Error,
    );

    expect(error).toMatchObject({ code: 'LEDGER_LOCKED' });
    expect((await b.ledger.getDeployment('d1'))?.status).toBe('cancelled');
    expect((await b.ledger.steps('d1')).map((s) => s.state)).toEqual(['cancelled', 'cancelled', 'unchanged']);
    const cancelled = (await b.ledger.events('d1')).filter((e) => e.to === 'cancelled');
    expect(cancelled.map((e) => [e.index, e.detail])).toEqual([
      [0, error.message],
      [1, error.message],
    ]);
    // Its own deployment lock is let go: another process may take the deployment.
    const taken = await b.ledger.acquire('d1', {
      pid: process.ppid,
      host: 'runner-3',
      since: START_ISO,
      actor: 'x',
    });
    await taken.release();
  });

  it('a deployment already running is left as it was: its steps are for the next run', async () => {
    const b = bench();
    await otherRunHolds(b, ['inboundcall:Flow 1']);
    await b.ledger.createDeployment(deployment('d1', 'running'), [
      step('d1', 0, 'published'),
      step('d1', 1, 'planned'),
    ]);

    await expect(
      takeRunLease(deployment('d1', 'running'), b.options({ lockWaitMs: 0 }), b.recorder('d1')),
    ).rejects.toMatchObject({ code: 'LEDGER_LOCKED' });

    expect((await b.ledger.getDeployment('d1'))?.status).toBe('running');
    expect((await b.ledger.steps('d1')).map((s) => s.state)).toEqual(['published', 'planned']);
  });

  it('an abort while waiting is not a lock refusal: the deployment stays planned, and its lock is let go', async () => {
    const b = bench();
    await otherRunHolds(b, ['inboundcall:Flow 0']);
    await b.ledger.createDeployment(deployment('d1'), [step('d1', 0, 'planned')]);
    const abort = new AbortController();
    const recorder = new EventRecorder('d1', b.clock.now, () => abort.abort(new Error('interrupted')));

    const error = await takeRunLease(deployment('d1'), b.options({ signal: abort.signal }), recorder).catch(
      (e: unknown) => e,
    );

    expect(error).not.toMatchObject({ code: 'LEDGER_LOCKED' });
    expect((await b.ledger.getDeployment('d1'))?.status).toBe('planned');
    expect((await b.ledger.steps('d1')).map((s) => s.state)).toEqual(['planned']);
    // The deployment itself is free again: taking it fails on the flow, not on the deployment.
    await expect(
      takeRunLease(deployment('d1'), b.options({ lockWaitMs: 0 }), b.recorder('d1')),
    ).rejects.toMatchObject({
      code: 'LEDGER_LOCKED',
    });
  });
});
