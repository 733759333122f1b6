/**
 * Issue 20 §1 in the library, on a frozen emulator clock: which platform publish is flowgate's is
 * decided by identity (the flow and the acting client), and time only among one actor's publishes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, readAuditLog } from '../../src/events/audit-log.js';
import { EventHub } from '../../src/events/hub.js';
import { reconcile } from '../../src/events/reconcile.js';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import { DEFAULT_SEED_PATH, readSeed } from '../../src/emulator/server.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';

const seed = readSeed(DEFAULT_SEED_PATH);
const OPS = { id: 'ops-script', secret: 'ops-script-demo-secret' };
seed.clients = [...(seed.clients ?? []), { ...OPS, permissions: ['*'], scopes: ['architect'] }];

describe('reconcile pairs publishes by identity', () => {
  const e = useEmulator({ seed });

  it('flowgate’s publish and another client’s 58 s later: only the other is outside, at its own time', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const since = new Date(emu.control.org.now() - 1000);
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Paired By Client'),
    });
    const s = librarySession(emu, dir);
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    const hub = new EventHub({ auditLog: log });
    await s.deploy({
      onEvent: eventBridge(hub, s.ledger),
      now: () => emu.control.org.now(),
      poll: { intervalMs: 20, sleep: advance },
    });
    await hub.close();
    const id = emu.control.state().flows.find((f) => f.name === 'Paired By Client')!.id;
    emu.control.setClock({ advanceMs: 58_000 });
    const { client: ops } = clientFor(emu, { credentials: { clientId: OPS.id, clientSecret: OPS.secret } });
    const poll = { intervalMs: 10, sleep: advance };
    await ops.flows.followOperation(id, await ops.flows.publish(id), poll);
    const theirs = emu.control.state().audits.find((a) => a.action === 'Publish' && a.clientId === OPS.id)!;
    const found = await reconcile(s.client, readAuditLog(log.path), {
      since,
      until: new Date(emu.control.org.now() + 1000),
      poll,
    });
    expect(found).toMatchObject({ platformPublishes: 2, localPublishes: 1, missing: [] });
    expect(found.outside).toEqual([
      { flowId: id, flowName: 'Paired By Client', at: theirs.eventDate, by: `client ${OPS.id}` },
    ]);
  });

  it("without an end, reads to the platform's now: a publish two days ahead of this machine is found", async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    emu.control.setClock({ advanceMs: 2 * 86_400_000 });
    const since = new Date(emu.control.org.now() - 1000);
    const id = emu.control.state().flows[0]!.id;
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const poll = { intervalMs: 10, sleep: advance };
    const { client: ops } = clientFor(emu, { credentials: { clientId: OPS.id, clientSecret: OPS.secret } });
    await ops.flows.followOperation(id, await ops.flows.publish(id), poll);
    // A fresh client: it has heard nothing from the platform yet, so it knows no platform clock.
    const { client } = clientFor(emu);
    const found = await reconcile(client, [], { since, poll });
    expect(found.platformPublishes).toBe(1);
    expect(found.outside).toMatchObject([{ flowId: id, by: `client ${OPS.id}` }]);
    const end = Date.parse(found.interval.split('/')[1]!);
    expect(end).toBeGreaterThan(emu.control.org.now());
    expect(end).toBeLessThan(emu.control.org.now() + 10 * 60_000);
  });
});
