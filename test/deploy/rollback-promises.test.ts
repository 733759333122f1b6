/**
 * What an atomic rollback promises (README, docs/ARCHITECTURE.md): flows are put back in the
 * reverse order of their publishing; each goes back to what the org published when its step ran
 * (also when another deployment published it while this one waited for its lock); and a run
 * holds the locks of the flows it may still roll back, so no other run touches them meanwhile.
 * Library over real HTTP against the emulator; the order is read from the org's own audit trail.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, librarySession, publishedVersion, workspace } from '../helpers/deploy.js';
import { flowId, useEmulator } from '../helpers/emulator.js';

const POLL = { intervalMs: 20, maxIntervalMs: 50 };

/** The text of the version the org publishes now. */
function publishedText(emu: RunningEmulator, name: string): unknown {
  const flow = emu.control.state().flows.find((f) => f.name === name && !f.deleted)!;
  return flow.versions.find((v) => v.id === publishedVersion(emu, name))?.configuration;
}

/** Names of the flows the org published successfully, in the order it did, from audit entry `from` on. */
function publishOrder(emu: RunningEmulator, from: number): string[] {
  return emu.control
    .state()
    .audits.slice(from)
    .filter((a) => a.action === 'Publish' && a.status === 'SUCCESS')
    .map((a) => a.entityName);
}

/** A manifest of import files, then a publish of Authenticate Caller 1.0 (made to fail). */
const manifest = (files: string[]) =>
  `version: 1\ndeploy:\n  concurrency: 1\nflows:\n${files.map((f) => `  - file: ${f}\n`).join('')}` +
  "  - name: Authenticate Caller\n    type: commonmodule\n    version: '1.0'\n";

describe('atomic rollback', () => {
  const e = useEmulator();

  it('puts the flows back newest first: the reverse order of their publishing', async () => {
    const emu = e.get();
    const names = ['Order A', 'Order B', 'Order C'];
    const files = names.map((_, i) => `f${i}.yaml`);
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n${files.map((f) => `  - file: ${f}\n`).join('')}`,
      ...Object.fromEntries(names.map((n, i) => [files[i]!, inboundFlow(n, { say: 'first' })])),
    });
    const s = librarySession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    names.forEach((n, i) => writeFileSync(join(dir, files[i]!), inboundFlow(n, { say: 'second' })));
    writeFileSync(join(dir, 'flowgate.yaml'), manifest(files));
    emu.control.failPublishes(flowId(emu, 'Authenticate Caller'), 1);
    const from = emu.control.state().audits.length;
    const events: DeployEvent[] = [];
    const { outcome } = await s.deploy({ concurrency: 1, onEvent: (x) => void events.push(x) });

    expect(outcome.status).toBe('rolled-back');
    // Published A, B, C (the fourth failed), then put back C, B, A.
    expect(publishOrder(emu, from)).toEqual([...names, ...[...names].reverse()]);
    expect(events.filter((x) => x.type === 'rolled-back').map((x) => x.step?.flowName)).toEqual(
      [...names].reverse(),
    );
    for (const n of names) expect(publishedText(emu, n)).toBe(inboundFlow(n, { say: 'first' }));
  });

  it('after waiting for another deployment, a rollback returns to what that one published', async () => {
    const emu = e.get();
    const text = (say: string) => inboundFlow('Contended', { say });
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': text('base'),
    });
    const s = librarySession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    // Both planned now, while the org publishes "base" (1.0).
    writeFileSync(join(dir, 'f.yaml'), text('first runner'));
    const first = await createDeployment(await s.plan(), s.ledger, { atomic: true });
    writeFileSync(join(dir, 'f.yaml'), text('second runner'));
    writeFileSync(join(dir, 'flowgate.yaml'), manifest(['f.yaml']));
    const second = await createDeployment(await s.plan(), s.ledger, { atomic: true });

    // The first runner holds the flow and is held at its publish until the second one waits.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const firstHolds = new Promise<void>((r) => (holding = r));
    const firstRun = runDeployment(first, {
      client: s.client,
      ledger: s.ledger,
      poll: POLL,
      onEvent: (x) => {
        if (x.type !== 'publishing') return;
        holding();
        return held;
      },
    });
    await firstHolds;
    emu.control.failPublishes(flowId(emu, 'Authenticate Caller'), 1);
    const secondRun = runDeployment(second, {
      client: s.client,
      ledger: s.ledger,
      poll: POLL,
      concurrency: 1,
      lockWaitMs: 60_000,
      onEvent: (x) => (x.type === 'lock-wait' ? release() : undefined),
    });
    expect((await firstRun).status).toBe('succeeded');
    expect(publishedText(emu, 'Contended')).toBe(text('first runner'));
    const outcome = await secondRun;

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.steps[0]).toMatchObject({ flowName: 'Contended', state: 'rolled-back' });
    // Back on what the org published when the step ran: the first runner's, not "base".
    expect(publishedText(emu, 'Contended')).toBe(text('first runner'));
  });

  it('a resumed run holds the locks of the flows it already published: no other run may deploy them', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest(['a.yaml']),
      'a.yaml': inboundFlow('Held A', { say: 'first' }),
    });
    const s = librarySession(emu, dir);
    // The run is interrupted (Ctrl-C) once A is published; Authenticate Caller is left to do.
    const stop = new AbortController();
    const plan = await s.plan();
    const id = await createDeployment(plan, s.ledger, { atomic: true });
    const interrupted = await runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      poll: POLL,
      concurrency: 1,
      signal: stop.signal,
      onEvent: (x) => (x.type === 'published' ? stop.abort() : undefined),
    });
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.steps.map((x) => x.state)).toEqual(['published', 'planned']);

    // Another runner wants A while the resumed run is at its next publish (which then fails).
    const other = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Held A', { say: 'other runner' }),
    });
    const o = librarySession(emu, other, join(dir, 'ledger.db'));
    const otherId = await createDeployment(await o.plan(), o.ledger, { atomic: true });
    let otherRun: Promise<unknown> | undefined;
    emu.control.failPublishes(flowId(emu, 'Authenticate Caller'), 1);
    const resumed = await runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      poll: POLL,
      onEvent: (x) => {
        if (x.type !== 'publishing' || otherRun) return;
        otherRun = runDeployment(otherId, {
          client: o.client,
          ledger: o.ledger,
          poll: POLL,
          lockWaitMs: 0,
        }).then(
          () => 'ran',
          (err: { code?: string; message?: string }) => `${err.code}: ${err.message}`,
        );
        return otherRun.then(() => undefined);
      },
    });
    expect(await otherRun).toMatch(new RegExp(`^LEDGER_LOCKED: .*${id}`));
    expect(resumed.status).toBe('rolled-back');
    expect(publishedVersion(emu, 'Held A')).toBeUndefined();
  });
});
