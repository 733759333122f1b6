/**
 * The emulator's `republishOldVersion` setting (issue 21 §1): what a publish of a version older
 * than the checked-in one does, set by the seed, the start options or `POST /__emulator/settings`.
 * Over HTTP; every `/api/v2` response is checked against the API definition.
 */
import { describe, expect, it } from 'vitest';
import { clientFor, FAST, flowId, useEmulator } from '../helpers/emulator.js';
import type { RunningEmulator } from '../../src/emulator/server.js';

async function publishOld(emu: RunningEmulator, version: string) {
  const { client } = clientFor(emu);
  const id = flowId(emu, 'Main IVR');
  emu.control.setClock({ speed: 0 });
  const op = await client.flows.publish(id, version).catch((e: unknown) => e);
  if (op instanceof Error) return { error: op, flow: await client.flows.get(id) };
  emu.control.setClock({ advanceMs: FAST.operationDelayMs + 10 });
  const flow = await client.flows.get(id);
  const config = async (v: string) => client.flows.versionConfiguration(id, v);
  return { flow, config };
}

describe('republishOldVersion', () => {
  const e = useEmulator();

  it('in-place (the default): the old version is published again as it is', async () => {
    const emu = e.get();
    const { flow } = await publishOld(emu, '1.0');
    expect(flow.publishedVersion?.id).toBe('1.0');
    expect(flow.checkedInVersion?.id).toBe('3.0');
  });

  it('new-version (set over HTTP): a new version with the old configuration is checked in and published', async () => {
    const emu = e.get();
    const res = await fetch(`${emu.url}/__emulator/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ republishOldVersion: 'new-version' }),
    });
    expect(await res.json()).toEqual({ republishOldVersion: 'new-version', dependencyLagMs: 0 });
    const { flow, config } = await publishOld(emu, '1.0');
    expect(flow.publishedVersion?.id).toBe('4.0');
    expect(flow.checkedInVersion?.id).toBe('4.0');
    expect(await config!('4.0')).toEqual(await config!('1.0'));
    // The checked-in version itself publishes as always.
    const again = await publishOld(emu, '4.0');
    expect(again.flow.publishedVersion?.id).toBe('4.0');
  });

  it('refuse: 400 invalid.value naming the version and the one that can be published', async () => {
    const emu = e.get();
    emu.control.setRepublishOldVersion('refuse');
    const { error, flow } = await publishOld(emu, '2.0');
    expect(error).toMatchObject({
      status: 400,
      apiCode: 'invalid.value',
      body: { messageParams: { value: '2.0', field: 'version', allowedValues: '3.0' } },
    });
    expect(flow.publishedVersion?.id).toBe('3.0');
  });

  it('a bad setting is refused with the field named', async () => {
    const res = await fetch(`${e.get().url}/__emulator/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ republishOldVersion: 'sometimes' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('republishOldVersion');
  });
});

describe('republishOldVersion from the seed', () => {
  const e = useEmulator({
    seed: {
      settings: { republishOldVersion: 'refuse' },
      flows: [{ name: 'Main IVR', type: 'INBOUNDCALL', versions: [{ publishedHoursAgo: 2 }, {}] }],
    },
  });

  it('a seed can start the org refusing old versions', async () => {
    const emu = e.get();
    // 1.0 is published, 2.0 checked in: 1.0 is old once 2.0 is published.
    expect((await publishOld(emu, '2.0')).flow.publishedVersion?.id).toBe('2.0');
    expect((await publishOld(emu, '1.0')).error).toMatchObject({ status: 400 });
  });
});
