/**
 * Issue 20 §1: `audit reconcile` blamed the wrong publish. flowgate published a flow, someone else
 * published it again straight through the API 58 s later, and reconcile called flowgate's publish
 * "outside flowgate" (a later platform publish within 60 s took its place). Records pair by
 * identity (the flow and the acting client); the outside publish is named with its own time and
 * actor. Real CLI child processes against an emulator in this process, its clock moved with the
 * documented control.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { clientFor, emulatorEnv, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { DEFAULT_SEED_PATH, readSeed } from '../../src/emulator/server.js';

// The example org, plus a second client that may publish: a colleague's script, not the pipeline.
const seed = readSeed(DEFAULT_SEED_PATH);
const OPS = { id: 'ops-script', secret: 'ops-script-demo-secret' };
seed.clients = [
  ...(seed.clients ?? []),
  { ...OPS, name: 'Ops script', permissions: ['*'], scopes: ['architect'] },
];

describe('flowgate audit reconcile (child processes)', () => {
  const e = useEmulator({ seed, settings: { auditQueryDelayMs: 20 } });

  it('a publish by another client 58 s after flowgate’s is the one outside flowgate, with its own time and actor', async () => {
    const emu = e.get();
    const since = new Date(emu.control.org.now() - 60_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Reconcile Pairing'),
    });
    const deploy = await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir });
    expect(deploy.code, deploy.stderr).toBe(0);
    const flow = emu.control.state().flows.find((f) => f.name === 'Reconcile Pairing')!;
    const ours = emu.control.state().audits.filter((a) => a.action === 'Publish' && a.entityId === flow.id);
    expect(ours).toHaveLength(1);

    // 58 s later on the org's clock (POST /__emulator/clock, README: the emulator's controls) …
    const moved = await fetch(`${emu.url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: Date.parse(ours[0]!.eventDate) + 58_000 - emu.control.org.now() }),
    });
    expect(moved.status).toBe(200);
    // … the ops script publishes the same flow straight through the API.
    const { client: ops } = clientFor(emu, { credentials: { clientId: OPS.id, clientSecret: OPS.secret } });
    await ops.flows.followOperation(flow.id, await ops.flows.publish(flow.id), { intervalMs: 20 });
    const theirs = emu.control
      .state()
      .audits.filter((a) => a.action === 'Publish' && a.entityId === flow.id && a.clientId === OPS.id);
    expect(theirs).toHaveLength(1);
    const gap = Date.parse(theirs[0]!.eventDate) - Date.parse(ours[0]!.eventDate);
    expect(gap).toBeGreaterThanOrEqual(58_000);
    expect(gap).toBeLessThan(60_000);

    const json = await runCli(['audit', 'reconcile', '--since', since, '--json'], {
      env: emulatorEnv(emu),
      cwd: dir,
    });
    expect(json.code, json.stderr).toBe(3);
    const report = JSON.parse(json.stdout) as {
      outside: unknown[];
      missing: unknown[];
      localPublishes: number;
    };
    expect(report).toMatchObject({ localPublishes: 1, missing: [] });
    expect(report.outside).toEqual([
      { flowId: flow.id, flowName: 'Reconcile Pairing', at: theirs[0]!.eventDate, by: `client ${OPS.id}` },
    ]);

    const text = await runCli(['audit', 'reconcile', '--since', since], { env: emulatorEnv(emu), cwd: dir });
    expect(text.code).toBe(3);
    const lines = text.stdout.split('\n').filter((l) => l.startsWith('outside flowgate'));
    expect(lines).toEqual([
      `outside flowgate  ${theirs[0]!.eventDate}  Reconcile Pairing (${flow.id}) by client ${OPS.id}`,
    ]);
    expect(text.stdout).not.toContain(ours[0]!.eventDate);
  });
});
