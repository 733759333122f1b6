/** `prune` through the library, over real HTTP against the emulator (one emulator per test). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { applyPrune } from '../../src/deploy/prune-apply.js';
import { planPrune } from '../../src/deploy/prune.js';
import type { DeploymentEvent } from '../../src/events/model.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { FAST, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { frozenClock, liveFlow as live, manifestOf as manifest } from '../helpers/prune.js';

/** Plans (and with `apply`, applies) a prune of the workspace's manifest. */
async function prune(
  s: ReturnType<typeof librarySession>,
  dir: string,
  o: { mode?: 'delete' | 'deactivate'; apply?: boolean } = {},
) {
  const path = join(dir, 'flowgate.yaml');
  const flows = await loadDeploymentFlows(await loadDeployment(path, {}));
  const plan = await planPrune(
    { org: s.client.endpoints.apiBaseUrl, manifestPath: path, flows, mode: o.mode ?? 'delete' },
    { client: s.client, ledger: s.ledger },
  );
  if (!o.apply) return { plan, events: [] as DeploymentEvent[] };
  const events: DeploymentEvent[] = [];
  const result = await applyPrune(plan, {
    client: s.client,
    ledger: s.ledger,
    actor: 'prune-test',
    emit: (e) => {
      events.push(e);
      return Promise.resolve();
    },
  });
  return { plan, result, events };
}

/** A workspace whose manifest lists a.yaml and b.yaml, both deployed; then the manifest lists only a.yaml. */
async function deployedThenDropped(emu: RunningEmulator, a = inboundFlow('Flow A')) {
  const dir = workspace({
    'flowgate.yaml': manifest('a.yaml', 'b.yaml'),
    'a.yaml': a,
    'b.yaml': inboundFlow('Flow B'),
  });
  const s = librarySession(emu, dir);
  expect((await s.deploy()).outcome.status).toBe('succeeded');
  writeFileSync(join(dir, 'flowgate.yaml'), manifest('a.yaml'));
  return { dir, s };
}

describe('prune against the emulator', () => {
  const e = useEmulator();

  it('lists a flow the manifest dropped (dry run: nothing changes); --apply deletes it, records a prune deployment and audit events; then nothing is left to list', async () => {
    const emu = e.get();
    const { dir, s } = await deployedThenDropped(emu);
    const dry = await prune(s, dir);
    expect(dry.plan.items).toMatchObject([{ flowName: 'Flow B', action: 'delete', consumers: [] }]);
    expect(live(emu, 'Flow B')).toBeDefined();

    const { result, events } = await prune(s, dir, { apply: true });
    expect(result!.status).toBe('succeeded');
    expect(result!.items).toMatchObject([{ flowName: 'Flow B', outcome: 'deleted' }]);
    expect(live(emu, 'Flow B')).toBeUndefined();
    expect(live(emu, 'Flow A')).toBeDefined();
    const d = await s.ledger.getDeployment(result!.deploymentId!);
    expect(d).toMatchObject({ purpose: 'prune', status: 'succeeded' });
    const [step] = await s.ledger.steps(d!.id);
    expect(step).toMatchObject({ kind: 'delete', state: 'published', flowName: 'Flow B' });
    expect((await s.ledger.calls(d!.id)).map((c) => `${c.method} ${c.status}`)).toContain('DELETE 204');
    expect(events.map((x) => x.type)).toEqual(['deployment.planned', 'step.deleted', 'deployment.completed']);
    // The delete is not a publish: plan's memory of Flow A is intact, and Flow B is not listed again.
    expect(await s.ledger.lastPublished('inboundcall:Flow B')).toMatchObject({ kind: 'import' });
    expect((await prune(s, dir)).plan.items).toEqual([]);
  });

  it('--deactivate deactivates instead of deleting', async () => {
    const emu = e.get();
    const { dir, s } = await deployedThenDropped(emu);
    const { result } = await prune(s, dir, { mode: 'deactivate', apply: true });
    expect(result!.items).toMatchObject([{ flowName: 'Flow B', outcome: 'deactivated' }]);
    expect(live(emu, 'Flow B')).toMatchObject({ active: false });
    expect((await s.ledger.steps(result!.deploymentId!))[0]).toMatchObject({ kind: 'deactivate' });
  });

  it('keeps a flow another flow still transfers to: named by the manifest, or by dependency tracking for a flow flowgate never deployed', async () => {
    const emu = e.get();
    const { dir, s } = await deployedThenDropped(emu, inboundFlow('Flow A', { transferTo: 'Flow B' }));
    const first = await prune(s, dir, { apply: true });
    expect(first.result!.items).toMatchObject([{ flowName: 'Flow B', outcome: 'kept' }]);
    expect(first.plan.items[0]!.consumers.map((c) => `${c.name} (${c.source})`)).toEqual([
      'Flow A (dependency tracking)',
    ]);
    expect(first.plan.items[0]!.reason).toContain("still used by 'Flow A'");
    expect((await s.ledger.steps(first.result!.deploymentId!))[0]).toMatchObject({ state: 'blocked' });
    expect(live(emu, 'Flow B')).toBeDefined();

    // Flow A stops transferring; Flow C, deployed by someone else (another ledger), starts.
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Flow A'));
    await s.deploy();
    const other = workspace({
      'flowgate.yaml': manifest('c.yaml'),
      'c.yaml': inboundFlow('Flow C', { transferTo: 'Flow B' }),
    });
    await librarySession(emu, other).deploy();
    const second = await prune(s, dir);
    expect(second.plan.items).toMatchObject([
      { flowName: 'Flow B', action: 'keep', consumers: [{ name: 'Flow C', source: 'dependency tracking' }] },
    ]);
  });

  it('flows that only each other use go together, the caller first', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest('a.yaml', 'b.yaml', 'k.yaml'),
      'a.yaml': inboundFlow('Flow A', { transferTo: 'Flow B' }),
      'b.yaml': inboundFlow('Flow B'),
      'k.yaml': inboundFlow('Flow K'),
    });
    const s = librarySession(emu, dir);
    await s.deploy();
    writeFileSync(join(dir, 'flowgate.yaml'), manifest('k.yaml'));
    const { result } = await prune(s, dir, { apply: true });
    expect(result!.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual([
      'Flow A deleted',
      'Flow B deleted',
    ]);
  });

  it('a flow the org no longer has is reported and recorded, not an error', async () => {
    const emu = e.get();
    const { dir, s } = await deployedThenDropped(emu);
    await s.client.flows.delete(live(emu, 'Flow B')!.id);
    const { plan, result } = await prune(s, dir, { apply: true });
    expect(plan.items).toMatchObject([{ flowName: 'Flow B', action: 'gone' }]);
    expect(result).toMatchObject({ status: 'succeeded', items: [{ outcome: 'gone' }] });
    expect((await s.ledger.steps(result!.deploymentId!))[0]).toMatchObject({ state: 'unchanged' });
    expect((await prune(s, dir)).plan.items).toEqual([]);
  });

  it('a renamed flow (same file, new name) is a rename that prune leaves alone', async () => {
    const emu = e.get();
    const { dir, s } = await deployedThenDropped(emu);
    writeFileSync(join(dir, 'flowgate.yaml'), manifest('a.yaml', 'b.yaml'));
    writeFileSync(join(dir, 'b.yaml'), inboundFlow('Flow B2'));
    const { plan, result } = await prune(s, dir, { apply: true });
    expect(plan.items).toMatchObject([
      { flowName: 'Flow B', action: 'rename', renamedTo: { name: 'Flow B2', type: 'inboundcall' } },
    ]);
    expect(plan.items[0]!.reason).toContain('rename it in Architect first');
    expect(result).toMatchObject({ items: [{ outcome: 'renamed' }] });
    expect(result!.deploymentId).toBeUndefined();
    expect(live(emu, 'Flow B')).toBeDefined();
  });

  it("another org's history in a shared ledger is not this org's: nothing of it is listed", async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest('b.yaml'), 'b.yaml': inboundFlow('Flow B') });
    const ledgerPath = join(dir, 'team.db');
    const other = await startEmulator({ settings: FAST });
    try {
      const there = librarySession(other, dir, ledgerPath);
      await there.deploy();
      await there.ledger.close();
      writeFileSync(join(dir, 'flowgate.yaml'), manifest('a.yaml'));
      writeFileSync(join(dir, 'a.yaml'), inboundFlow('Flow A'));
      const here = librarySession(emu, dir, ledgerPath);
      await here.deploy();
      expect((await prune(here, dir)).plan.items).toEqual([]);
      await here.ledger.close();
    } finally {
      await other.stop();
    }
  });

  /** The emulator's clock, frozen, moved only by the prune's waits (each recorded). */
  const simulatedTime = (emu: RunningEmulator) => {
    const waits: number[] = [];
    return { waits, ...frozenClock(emu, (ms) => waits.push(ms)) };
  };

  it('a delete refused as in use while dependency tracking lags (its consumer deleted a moment before) is tried again until it goes', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest('a.yaml', 'b.yaml', 'k.yaml'),
      'a.yaml': inboundFlow('Flow A', { transferTo: 'Flow B' }),
      'b.yaml': inboundFlow('Flow B'),
      'k.yaml': inboundFlow('Flow K'),
    });
    const s = librarySession(emu, dir);
    await s.deploy();
    writeFileSync(join(dir, 'flowgate.yaml'), manifest('k.yaml'));
    // The platform still counts Flow A, deleted first, as Flow B's consumer for 5 s.
    emu.control.setDependencyLag(5_000);
    const path = join(dir, 'flowgate.yaml');
    const flows = await loadDeploymentFlows(await loadDeployment(path, {}));
    const plan = await planPrune(
      { org: s.client.endpoints.apiBaseUrl, manifestPath: path, flows, mode: 'delete' },
      { client: s.client, ledger: s.ledger },
    );
    const time = simulatedTime(emu);
    const waited: string[] = [];
    const result = await applyPrune(plan, {
      client: s.client,
      ledger: s.ledger,
      actor: 'prune-test',
      ...time,
      onInUse: (w) => waited.push(`${w.item.flowName} attempt ${w.attempt}, again in ${w.delayMs} ms`),
    });
    expect(result.items.map((i) => `${i.flowName} ${i.outcome}`)).toEqual([
      'Flow A deleted',
      'Flow B deleted',
    ]);
    expect(result.status).toBe('succeeded');
    expect(time.waits).toEqual([500, 1000, 2000, 4000]);
    expect(waited[0]).toBe('Flow B attempt 1, again in 500 ms');
    expect(live(emu, 'Flow B')).toBeUndefined();
    const calls = (await s.ledger.calls(result.deploymentId!)).filter((c) => c.index === 1);
    expect(calls.map((c) => c.status)).toEqual([409, 409, 409, 409, 204]);
    // Each attempt is written before it is sent; the step ends published (deleted).
    const events = (await s.ledger.events(result.deploymentId!)).filter((x) => x.index === 1);
    expect(events.map((x) => `${x.from} → ${x.to}`)).toEqual([
      'null → planned',
      'planned → publishing',
      'publishing → publishing',
      'publishing → publishing',
      'publishing → publishing',
      'publishing → publishing',
      'publishing → published',
    ]);
    expect(events[2]!.detail).toMatch(
      /^delete attempt 2: still in use \(409 architect\.dependency\.object\.in\.use\) after 0\.5 s/,
    );
  });

  it('a flow still in use when the retries end (30 s: a consumer published meanwhile) is kept, and the ledger says so; the next prune lists it again', async () => {
    const emu = e.get();
    const { dir, s } = await deployedThenDropped(emu);
    const path = join(dir, 'flowgate.yaml');
    const flows = await loadDeploymentFlows(await loadDeployment(path, {}));
    const plan = await planPrune(
      { org: s.client.endpoints.apiBaseUrl, manifestPath: path, flows, mode: 'delete' },
      { client: s.client, ledger: s.ledger },
    );
    expect(plan.items).toMatchObject([{ action: 'delete' }]);
    const other = workspace({
      'flowgate.yaml': manifest('c.yaml'),
      'c.yaml': inboundFlow('Flow C', { transferTo: 'Flow B' }),
    });
    await librarySession(emu, other).deploy();
    const time = simulatedTime(emu);
    const events: DeploymentEvent[] = [];
    const result = await applyPrune(plan, {
      client: s.client,
      ledger: s.ledger,
      actor: 'prune-test',
      ...time,
      emit: (x) => {
        events.push(x);
        return Promise.resolve();
      },
    });
    // Bounded: 0.5 s doubling to 10 s, the last wait cut to end at 30 s.
    expect(time.waits).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 4500]);
    expect(time.waits.reduce((a, b) => a + b, 0)).toBe(30_000);
    expect(result).toMatchObject({ status: 'succeeded', items: [{ flowName: 'Flow B', outcome: 'kept' }] });
    expect(result.items[0]!.error).toMatch(
      /^still in use after 8 attempts over 30 s \(409 architect\.dependency\.object\.in\.use\): Flow C$/,
    );
    const [step] = await s.ledger.steps(result.deploymentId!);
    expect(step).toMatchObject({ state: 'blocked', kind: 'delete' });
    expect(step!.error).toContain('kept: still in use after 8 attempts over 30 s');
    const history = (await s.ledger.events(result.deploymentId!)).map((x) => `${x.from} → ${x.to}`);
    expect(history.at(-1)).toBe('publishing → blocked');
    expect((await s.ledger.calls(result.deploymentId!)).map((c) => c.status)).toEqual(Array(8).fill(409));
    expect(events.map((x) => x.type)).toEqual(['deployment.planned', 'step.kept', 'deployment.completed']);
    expect(live(emu, 'Flow B')).toBeDefined();
    // Nothing lost: the next prune lists it again.
    expect((await prune(s, dir)).plan.items).toMatchObject([{ flowName: 'Flow B', action: 'keep' }]);
  });

  it('another refusal (the flow locked by someone else) is not tried again: failed at once', async () => {
    const emu = e.get();
    const { dir, s } = await deployedThenDropped(emu);
    emu.control.lockByUser(live(emu, 'Flow B')!.id, 'Someone Else');
    const path = join(dir, 'flowgate.yaml');
    const flows = await loadDeploymentFlows(await loadDeployment(path, {}));
    const plan = await planPrune(
      { org: s.client.endpoints.apiBaseUrl, manifestPath: path, flows, mode: 'delete' },
      { client: s.client, ledger: s.ledger },
    );
    const time = simulatedTime(emu);
    const result = await applyPrune(plan, {
      client: s.client,
      ledger: s.ledger,
      actor: 'prune-test',
      ...time,
    });
    expect(result).toMatchObject({ status: 'failed', items: [{ outcome: 'failed' }] });
    expect(time.waits).toEqual([]);
    expect((await s.ledger.calls(result.deploymentId!)).map((c) => c.status)).toEqual([405]);
  });
});
