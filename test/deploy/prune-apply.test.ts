/**
 * `applyPrune` (deploy/prune-apply.ts) in process, over real HTTP against the emulator: Ctrl-C
 * before a flow and between a delete's attempts, a flow deleted by someone else after the plan,
 * a prune where one flow goes and another is refused (partial), nothing to record, and the events'
 * words. The CLI's child processes covered most of this, which Stryker cannot see (BENCHMARKS.md,
 * `prune`).
 */
import { describe, expect, it } from 'vitest';
import { applyPrune, type PruneApplyOptions } from '../../src/deploy/prune-apply.js';
import type { PrunePlan } from '../../src/deploy/prune.js';
import { finishUnfinishedPrunes } from '../../src/deploy/prune-resume.js';
import type { DeploymentEvent } from '../../src/events/model.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { useEmulator } from '../helpers/emulator.js';
import { inboundFlow } from '../helpers/deploy.js';
import { deployedThenListing, deployElsewhere, frozenClock, liveFlow as live } from '../helpers/prune.js';

/** Flows A, B and C deployed; the manifest then lists only A (so B and C are pruned). */
async function twoDropped(emu: RunningEmulator) {
  const { s, path, plan } = await deployedThenListing(
    emu,
    { 'a.yaml': inboundFlow('Flow A'), 'b.yaml': inboundFlow('Flow B'), 'c.yaml': inboundFlow('Flow C') },
    ['a.yaml'],
  );
  const events: DeploymentEvent[] = [];
  const apply = (p: PrunePlan, o: Partial<PruneApplyOptions> = {}) =>
    applyPrune(p, {
      client: s.client,
      ledger: s.ledger,
      actor: 'prune-test',
      emit: (e) => {
        events.push(e);
        return Promise.resolve();
      },
      ...o,
    });
  return { s, path, plan, apply, events };
}

describe('applyPrune', () => {
  const e = useEmulator();

  it('Ctrl-C before it starts: nothing is sent, each step cancelled, the prune interrupted', async () => {
    const emu = e.get();
    const { s, plan, apply, events } = await twoDropped(emu);
    const requests = emu.control.requests().length;
    const result = await apply(await plan(), { signal: AbortSignal.abort() });
    expect(result.status).toBe('interrupted');
    expect(result.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual([
      'Flow B cancelled',
      'Flow C cancelled',
    ]);
    expect(
      emu.control
        .requests()
        .slice(requests)
        .filter((r) => r.method !== 'GET'),
    ).toEqual([]);
    const steps = await s.ledger.steps(result.deploymentId!);
    expect(steps.map((x) => x.state)).toEqual(['cancelled', 'cancelled']);
    const history = await s.ledger.events(result.deploymentId!);
    expect(history.at(-1)!.detail).toBe('the prune stopped before it (Ctrl-C)');
    expect((await s.ledger.getDeployment(result.deploymentId!))!.status).toBe('interrupted');
    expect(events.map((x) => `${x.type} ${x.message}`)).toEqual([
      'deployment.planned prune: 2 flows',
      'deployment.completed prune interrupted',
    ]);
    expect(events[1]!.result).toBe('interrupted');
  });

  it('Ctrl-C between the attempts of a delete refused as in use: in doubt, settled by the next prune', async () => {
    const emu = e.get();
    const { s, path, plan, apply, events } = await twoDropped(emu);
    const p = await plan();
    // Flow D, deployed by someone else, transfers to Flow B after the plan: B's delete is refused.
    await deployElsewhere(emu, { 'd.yaml': inboundFlow('Flow D', { transferTo: 'Flow B' }) });
    const ctrlC = new AbortController();
    const result = await apply(p, { ...frozenClock(emu, () => ctrlC.abort()), signal: ctrlC.signal });
    expect(result.status).toBe('interrupted');
    expect(result.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual([
      'Flow B interrupted',
      'Flow C cancelled',
    ]);
    expect(result.items[0]!.error).toBe(
      'interrupted between attempts: the next prune asks the org whether it happened',
    );
    const steps = await s.ledger.steps(result.deploymentId!);
    expect(steps.map((x) => x.state)).toEqual(['publishing', 'cancelled']);
    expect(events.map((x) => x.type)).toEqual([
      'deployment.planned',
      'step.interrupted',
      'deployment.completed',
    ]);
    expect(events[1]).toMatchObject({ message: 'Flow B: interrupted', result: 'interrupted' });
    expect(live(emu, 'Flow B')).toBeDefined();

    const [finished] = await finishUnfinishedPrunes(s.ledger, s.client, {
      manifest: path,
      org: s.client.endpoints.apiBaseUrl,
    });
    expect(finished).toMatchObject({
      deploymentId: result.deploymentId,
      was: 'interrupted',
      status: 'cancelled',
      settled: [{ flowName: 'Flow B', kind: 'delete', happened: false }],
    });
    const [b] = await s.ledger.steps(result.deploymentId!);
    expect(b).toMatchObject({
      state: 'failed',
      error: 'not deleted: the org still has it (the prune stopped)',
    });
  });

  it('one flow deleted, another refused (locked): partial, the refusal recorded with its code', async () => {
    const emu = e.get();
    const { s, plan, apply, events } = await twoDropped(emu);
    emu.control.lockByUser(live(emu, 'Flow C')!.id, 'Someone Else');
    const result = await apply(await plan(), frozenClock(emu));
    expect(result.status).toBe('partial');
    expect(result.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual([
      'Flow B deleted',
      'Flow C failed',
    ]);
    expect(result.items[1]!.error).toMatch(/^API_LOCKED: /);
    const [, c] = await s.ledger.steps(result.deploymentId!);
    expect(c).toMatchObject({ state: 'failed', error: result.items[1]!.error });
    expect((await s.ledger.events(result.deploymentId!)).at(-1)!.detail).toBe('delete refused');
    expect(events.map((x) => `${x.type} ${x.result ?? ''}`)).toEqual([
      'deployment.planned ',
      'step.deleted deleted',
      'step.failed failed',
      'deployment.completed partial',
    ]);
    expect(events[1]).toMatchObject({
      actor: 'prune-test',
      org: s.client.endpoints.apiBaseUrl,
      deploymentId: result.deploymentId,
      message: 'Flow B deleted',
      flow: { name: 'Flow B', type: 'inboundcall', id: result.items[0]!.flowId },
    });
    expect(events[2]!.message).toBe(`Flow C: ${result.items[1]!.error}`);
    expect(events[0]!.flow).toBeUndefined();
  });

  it('every flow refused: failed', async () => {
    const emu = e.get();
    const { plan, apply } = await twoDropped(emu);
    emu.control.lockByUser(live(emu, 'Flow B')!.id, 'Someone Else');
    emu.control.lockByUser(live(emu, 'Flow C')!.id, 'Someone Else');
    const result = await apply(await plan(), frozenClock(emu));
    expect(result.status).toBe('failed');
  });

  it('a flow deleted by someone else after the plan: its delete answers 404, gone, recorded done', async () => {
    const emu = e.get();
    const { s, plan, apply, events } = await twoDropped(emu);
    const p = await plan();
    await s.client.flows.delete(live(emu, 'Flow B')!.id);
    const result = await apply(p);
    expect(result.status).toBe('succeeded');
    expect(result.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual(['Flow B gone', 'Flow C deleted']);
    const history = (await s.ledger.events(result.deploymentId!)).filter((x) => x.index === 0);
    expect(history.map((x) => `${x.from} → ${x.to}: ${x.detail}`).slice(-2)).toEqual([
      'planned → publishing: delete sent',
      'publishing → published: the org no longer has it',
    ]);
    expect(events[1]).toMatchObject({
      type: 'step.unchanged',
      message: 'Flow B: the org no longer has it',
      result: 'gone',
    });
  });

  it('--deactivate: a flow already inactive is left alone; with nothing else to do, nothing is recorded', async () => {
    const emu = e.get();
    const { s, plan, apply, events } = await twoDropped(emu);
    await s.client.flows.deactivate(live(emu, 'Flow B')!.id);
    await s.client.flows.deactivate(live(emu, 'Flow C')!.id);
    const p = await plan('deactivate');
    expect(p.items.map((i) => `${i.flowName} ${i.action}: ${i.reason}`)).toEqual([
      'Flow B inactive: already inactive',
      'Flow C inactive: already inactive',
    ]);
    const result = await apply(p);
    expect(result.status).toBe('succeeded');
    expect('deploymentId' in result).toBe(false);
    expect(result.items.map((i) => i.outcome)).toEqual(['inactive', 'inactive']);
    expect(events).toEqual([]);
    // In delete mode an inactive flow is deleted like any other.
    expect((await plan('delete')).items.map((i) => i.action)).toEqual(['delete', 'delete']);
  });

  it('--deactivate: the deactivated step and its event', async () => {
    const emu = e.get();
    const { s, plan, apply, events } = await twoDropped(emu);
    const result = await apply(await plan('deactivate'));
    expect(result.items.map((i) => i.outcome)).toEqual(['deactivated', 'deactivated']);
    const history = (await s.ledger.events(result.deploymentId!)).filter((x) => x.index === 0);
    expect(history.map((x) => x.detail).slice(-2)).toEqual(['deactivate sent', 'deactivated']);
    expect(events[1]).toMatchObject({
      type: 'step.deactivated',
      message: 'Flow B deactivated',
      result: 'deactivated',
    });
  });

  it('records the prune as a deployment of its own: its id, not atomic, a kept flow blocked with why', async () => {
    const emu = e.get();
    const { s, plan, apply, events } = await twoDropped(emu);
    await deployElsewhere(emu, { 'd.yaml': inboundFlow('Flow D', { transferTo: 'Flow C' }) });
    const p = await plan();
    expect(p.items.map((i) => `${i.flowName} ${i.action}`)).toEqual(['Flow B delete', 'Flow C keep']);
    const result = await apply(p);
    expect(result.deploymentId).toMatch(/^d-\d{14}-[0-9a-f]{8}$/);
    expect(result.status).toBe('succeeded');
    expect('error' in result.items[0]!).toBe(false);
    const d = await s.ledger.getDeployment(result.deploymentId!);
    expect(d).toMatchObject({ atomic: false, purpose: 'prune', actor: 'prune-test' });
    const steps = await s.ledger.steps(result.deploymentId!);
    expect(steps.map((x) => `${x.flowName} ${x.kind} ${x.state} ${String(x.createdFlow)}`)).toEqual([
      'Flow B delete published false',
      'Flow C delete blocked false',
    ]);
    expect(steps[0]!.error).toBeUndefined();
    expect(steps[1]!.error).toBe("still used by 'Flow D' (dependency tracking)");
    expect(events.map((x) => `${x.type}: ${x.message}`)).toEqual([
      'deployment.planned: prune: 2 flows',
      'step.deleted: Flow B deleted',
      "step.kept: Flow C kept: still used by 'Flow D' (dependency tracking)",
      'deployment.completed: prune succeeded',
    ]);
    expect(events[2]!.result).toBe('kept');
  });

  it('a shorter in-use budget is kept to; one refused attempt is said in the singular, with the ledger note', async () => {
    const emu = e.get();
    const { s, plan, apply, events } = await twoDropped(emu);
    const p = await plan();
    await deployElsewhere(emu, { 'd.yaml': inboundFlow('Flow D', { transferTo: 'Flow B' }) });
    const waits: number[] = [];
    const short = await apply(p, { ...frozenClock(emu, (ms) => waits.push(ms)), inUseRetryMs: 2000 });
    expect(waits).toEqual([500, 1000, 500]);
    expect(short.items[0]!.error).toBe(
      'still in use after 4 attempts over 2 s (409 architect.dependency.object.in.use): Flow D',
    );
    // The same plan again (made before Flow D): a budget of nothing allows one attempt.
    const once = await apply(p, { ...frozenClock(emu), inUseRetryMs: 0 });
    expect(once.items[0]!.error).toBe(
      'still in use after 1 attempt over 0 s (409 architect.dependency.object.in.use): Flow D',
    );
    const history = (await s.ledger.events(once.deploymentId!)).filter((x) => x.index === 0);
    expect(history.at(-1)).toMatchObject({ to: 'blocked', detail: 'kept: still in use' });
    expect(events.filter((x) => x.type === 'step.kept').at(-1)!.message).toBe(
      `Flow B kept: ${once.items[0]!.error}`,
    );
  });

  it('a wait that Ctrl-C rejects ends in doubt; a wait that fails otherwise is not swallowed', async () => {
    const emu = e.get();
    const { plan, apply } = await twoDropped(emu);
    const p = await plan();
    await deployElsewhere(emu, { 'd.yaml': inboundFlow('Flow D', { transferTo: 'Flow B' }) });
    const ctrlC = new AbortController();
    const rejecting = (ms: number, signal?: AbortSignal) => {
      void ms;
      ctrlC.abort();
      return Promise.reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const result = await apply(p, {
      now: () => emu.control.org.now(),
      sleep: rejecting,
      signal: ctrlC.signal,
    });
    expect(result.items.map((i) => i.outcome)).toEqual(['interrupted', 'cancelled']);
    const broken = () => Promise.reject(new Error('the timer broke'));
    await expect(apply(p, { now: () => emu.control.org.now(), sleep: broken })).rejects.toThrow(
      'the timer broke',
    );
  });

  it('Ctrl-C before it: a kept flow stays kept (blocked with why), not cancelled', async () => {
    const emu = e.get();
    const { s, plan, apply } = await twoDropped(emu);
    await deployElsewhere(emu, { 'd.yaml': inboundFlow('Flow D', { transferTo: 'Flow C' }) });
    const result = await apply(await plan(), { signal: AbortSignal.abort() });
    expect(result.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual([
      'Flow B cancelled',
      'Flow C kept',
    ]);
    expect((await s.ledger.steps(result.deploymentId!)).map((x) => x.state)).toEqual([
      'cancelled',
      'blocked',
    ]);
  });

  it('a flow the org has no record of at all (404, not 410) is gone too', async () => {
    const emu = e.get();
    const { plan, apply } = await twoDropped(emu);
    const p = await plan();
    const flows = emu.control.state().flows;
    flows.splice(flows.indexOf(live(emu, 'Flow B')!), 1);
    const result = await apply(p);
    expect(result.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual(['Flow B gone', 'Flow C deleted']);
  });

  it('--deactivate: one deactivated and one refused is partial', async () => {
    const emu = e.get();
    const { plan, apply } = await twoDropped(emu);
    emu.control.lockByUser(live(emu, 'Flow C')!.id, 'Someone Else');
    const result = await apply(await plan('deactivate'), frozenClock(emu));
    expect(result.items.map((i) => i.outcome)).toEqual(['deactivated', 'failed']);
    expect(result.status).toBe('partial');
  });

  it('a delete still in use names every consumer the refusal lists; its event says kept', async () => {
    const emu = e.get();
    const { plan, apply, events } = await twoDropped(emu);
    const p = await plan();
    await deployElsewhere(emu, {
      'd.yaml': inboundFlow('Flow D', { transferTo: 'Flow B' }),
      'e.yaml': inboundFlow('Flow E', { transferTo: 'Flow B' }),
    });
    const kept = await apply(p, { ...frozenClock(emu), inUseRetryMs: 0 });
    expect(kept.items[0]!.error).toMatch(/\): (Flow D, Flow E|Flow E, Flow D)$/);
    expect(events.filter((x) => x.type === 'step.kept').map((x) => x.result)).toEqual(['kept']);
  });
});
