/**
 * The emulator's dependency-tracking lag (`settings.dependencyLagMs`): a deleted flow still counts
 * as a consumer for that long in simulated time, in the listing and in the delete's 409, as the
 * platform's asynchronously built data does. Set over HTTP; real requests.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/platform/errors.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

describe('dependency tracking lags behind a delete', () => {
  const e = useEmulator();

  it('a consumer deleted less than dependencyLagMs ago still keeps what it used; then it does not', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n',
      'a.yaml': inboundFlow('Lag A', { transferTo: 'Lag B' }),
      'b.yaml': inboundFlow('Lag B'),
    });
    const s = librarySession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    const res = await fetch(`${emu.url}/__emulator/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dependencyLagMs: 5000 }),
    });
    expect(await res.json()).toEqual({ republishOldVersion: 'in-place', dependencyLagMs: 5000 });
    emu.control.setClock({ speed: 0 });
    const id = (name: string) => emu.control.state().flows.find((f) => f.name === name && !f.deleted)!.id;
    const a = id('Lag A');
    const b = id('Lag B');
    await s.client.flows.delete(a);
    const consumers = () => s.client.dependencies.consumingResources(b, 'INBOUNDCALLFLOW');
    expect(await consumers()).toMatchObject([{ id: a, name: 'Lag A', deleted: true }]);
    const refused = await s.client.flows.delete(b).catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 409, apiCode: 'architect.dependency.object.in.use' });
    emu.control.setClock({ advanceMs: 4999 });
    expect(await s.client.flows.delete(b).catch((x: { status: number }) => x.status)).toBe(409);
    emu.control.setClock({ advanceMs: 1 });
    expect(await consumers()).toEqual([]);
    await s.client.flows.delete(b);
    expect(emu.control.state().flows.find((f) => f.id === b)!.deleted).toBe(true);
  });
});
