/**
 * From the executor's facts to the events people receive (src/deploy/event-bridge.ts): each
 * `DeployEvent` becomes its `DeploymentEvent` type with the deployment's actor and org; an outcome
 * of a step (published, failed, rolled back) carries the step's content hash and what the step's
 * own API calls did, other events carry none. A real hub and a real SQLite ledger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import { EventHub } from '../../src/events/hub.js';
import type { DeploymentEvent } from '../../src/events/model.js';
import type { Ledger } from '../../src/ledger/types.js';
import { deploymentRecord, stepRecord, tempLedger } from '../helpers/ledger-records.js';

const AT = '2030-01-07T08:00:05.000Z';

describe('eventBridge', () => {
  let ledger: Ledger | undefined;
  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
  });

  /** A ledger of deployment d1 (two steps, calls of each and of none) and a bridge into a hub whose events are kept. */
  async function setup() {
    ledger = tempLedger('bridge');
    await ledger.createDeployment(deploymentRecord('d1', { actor: 'ci-client', org: 'https://api.test' }), [
      stepRecord('d1', 0, { contentHash: 'hash-of-step-0' }),
      stepRecord('d1', 1, { contentHash: 'hash-of-step-1' }),
    ]);
    const call = (
      index: number | undefined,
      status: number,
      attempts: number,
      latencyMs: number,
      id?: string,
    ) =>
      ledger!.recordCall({
        deploymentId: 'd1',
        ...(index !== undefined ? { index } : {}),
        at: AT,
        method: 'POST',
        path: '/api/v2/flows/actions/publish',
        status,
        attempts,
        latencyMs,
        ...(id !== undefined ? { correlationId: id } : {}),
      });
    await call(1, 429, 2, 10.4, 'c-1');
    await call(1, 200, 1, 20.4);
    await call(1, 200, 1, 5.4, 'c-2');
    await call(0, 500, 3, 99);
    await call(undefined, 200, 1, 1000, 'c-none');
    const hub = new EventHub();
    const received: DeploymentEvent[] = [];
    hub.onEvent((e) => {
      received.push(e);
    });
    return { bridge: eventBridge(hub, ledger), received };
  }
  const step1 = { index: 1, flowName: 'Flow 1', flowType: 'inboundcall', flowId: 'f-1' };
  const fact = (type: DeployEvent['type'], extra: Partial<DeployEvent> = {}): DeployEvent => ({
    type,
    deploymentId: 'd1',
    at: AT,
    message: `${type} happened`,
    ...extra,
  });

  it("a step's outcome carries its content hash and its own calls: statuses, attempts, correlation ids, latency", async () => {
    const { bridge, received } = await setup();
    for (const type of ['published', 'failed', 'rolled-back'] as const)
      await bridge(fact(type, { step: step1, versionBefore: '1.0', versionAfter: '2.0', result: 'x' }));
    expect(received.map((e) => e.type)).toEqual(['step.published', 'step.failed', 'step.rolled-back']);
    for (const e of received)
      expect(e).toMatchObject({
        time: AT,
        deploymentId: 'd1',
        actor: 'ci-client',
        org: 'https://api.test',
        flow: { id: 'f-1', name: 'Flow 1', type: 'inboundcall' },
        versionBefore: '1.0',
        versionAfter: '2.0',
        contentHash: 'hash-of-step-1',
        result: 'x',
        calls: { statuses: [429, 200, 200], attempts: 4, correlationIds: ['c-1', 'c-2'], latencyMs: 36 },
      });
    expect(received[0]!.message).toBe('published happened');
  });

  it('other facts map to their types and carry no content hash or calls, even with a step', async () => {
    const { bridge, received } = await setup();
    const types: Array<[DeployEvent['type'], string]> = [
      ['planned', 'deployment.planned'],
      ['resumed', 'deployment.resumed'],
      ['scheduled', 'step.waiting'],
      ['waiting', 'step.waiting'],
      ['publishing', 'step.publishing'],
      ['unchanged', 'step.unchanged'],
      ['cancelled', 'step.cancelled'],
      ['rolling-back', 'step.rolling-back'],
      ['interrupted', 'step.interrupted'],
      ['lock-wait', 'deployment.waiting-for-lock'],
      ['completed', 'deployment.completed'],
    ];
    for (const [t] of types) await bridge(fact(t, { step: step1 }));
    expect(received.map((e) => e.type)).toEqual(types.map(([, e]) => e));
    for (const e of received) {
      expect(e.contentHash).toBeUndefined();
      expect(e.calls).toBeUndefined();
    }
  });

  it('an outcome of no step carries no flow, hash or calls', async () => {
    const { bridge, received } = await setup();
    await bridge(fact('failed', { result: 'failed' }));
    expect(received[0]).toMatchObject({ type: 'step.failed', actor: 'ci-client', result: 'failed' });
    expect(received[0]!.flow).toBeUndefined();
    expect(received[0]!.contentHash).toBeUndefined();
    expect(received[0]!.calls).toBeUndefined();
  });

  it('a deployment the ledger does not have: no actor or org, empty; asked once however many events', async () => {
    const { bridge, received } = await setup();
    let asked = 0;
    const getDeployment = ledger!.getDeployment.bind(ledger);
    ledger!.getDeployment = (id) => {
      asked++;
      return getDeployment(id);
    };
    await bridge(fact('planned', { deploymentId: 'elsewhere' }));
    await bridge(fact('completed', { deploymentId: 'elsewhere' }));
    await bridge(fact('planned'));
    await bridge(fact('completed'));
    expect(received.map((e) => [e.deploymentId, e.actor, e.org])).toEqual([
      ['elsewhere', '', ''],
      ['elsewhere', '', ''],
      ['d1', 'ci-client', 'https://api.test'],
      ['d1', 'ci-client', 'https://api.test'],
    ]);
    expect(asked).toBe(2);
  });
});
