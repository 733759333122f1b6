/**
 * What a step checks against the org (README: a publish and an import are verified; locks are
 * respected whoever holds them). The org is changed at exact moments by a proxy in front of the
 * emulator, between the answer that starts the work and the client's next look: another user
 * publishes another version, or an Architect session of another OAuth client takes the lock.
 * Library over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { createPlatformClient } from '../../src/platform/client.js';
import { resolveBaseUrl } from '../../src/platform/regions.js';
import { cutProxy, type CutProxy, type HeldAnswer } from '../helpers/cut-proxy.js';
import { inboundFlow, librarySession, publishedVersion, workspace } from '../helpers/deploy.js';
import { flowId, useEmulator } from '../helpers/emulator.js';

const POLL = { intervalMs: 20, maxIntervalMs: 50 };
const OUTSIDE = { kind: 'user' as const, id: 'u-outside', name: 'Architect User' };

/** Someone in Architect publishes a version of the flow, to completion. */
function publishOutside(emu: RunningEmulator, id: string, version: string): void {
  emu.control.setClock({ advanceMs: 60_000 }); // whatever runs now completes first
  const flow = emu.control.state().flows.find((f) => f.id === id)!;
  emu.control.org.publish(flow, version, OUTSIDE);
  emu.control.setClock({ advanceMs: 60_000 });
}

describe('a step is verified against the org', () => {
  const e = useEmulator();
  let proxy: CutProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** A deploy session whose calls pass through a proxy that runs `onAnswer` once, at the first match. */
  async function sessionWith(
    emu: RunningEmulator,
    dir: string,
    match: (a: HeldAnswer) => boolean,
    act: () => void,
  ) {
    let done = false;
    proxy = await cutProxy(emu.url, (a) => {
      if (!done && match(a)) {
        done = true;
        act();
      }
      return 'relay';
    });
    return librarySession({ ...emu, url: proxy.url }, dir);
  }

  it('a publish the org reports done, while the org publishes another version, fails and says which', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const id = flowId(emu, 'Main IVR');
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n",
    });
    // Our publish of 1.0 is accepted; before we look again, another user publishes 2.0 over it.
    const s = await sessionWith(
      emu,
      dir,
      (a) => a.method === 'POST' && a.path === '/api/v2/flows/actions/publish',
      () => publishOutside(emu, id, '2.0'),
    );
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const { outcome } = await s.deploy({ poll: { ...POLL, sleep: advance } });
    expect(publishedVersion(emu, 'Main IVR')).toBe('2.0');
    expect(outcome.steps[0]!.state).not.toBe('published');
    // It names both versions: the one published and the one flowgate meant.
    expect(outcome.steps[0]!.error).toMatch(/Main IVR: .*version 1\.0 .*2\.0 whose content is not 1\.0's/);
  });

  it('an import job that succeeds while the org still publishes the previous version fails', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Main IVR', { say: 'New greeting' }),
    });
    const id = flowId(emu, 'Main IVR');
    const previous = publishedVersion(emu, 'Main IVR')!;
    // The job runs to Success; what the org publishes then is the version before (as when a job
    // checks the flow in without publishing it).
    const s = await sessionWith(
      emu,
      dir,
      (a) => a.method === 'PUT' && a.path.startsWith('/__emulator/uploads/'),
      () => publishOutside(emu, id, previous),
    );
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const { outcome } = await s.deploy({ atomic: false, poll: { ...POLL, sleep: advance } });
    expect(publishedVersion(emu, 'Main IVR')).toBe(previous);
    expect(outcome.status).toBe('failed');
    expect(outcome.steps[0]!.state).toBe('failed');
    expect(outcome.steps[0]!.error).toContain(
      `the import job of Main IVR succeeded, but the org publishes version ${previous}, the one before`,
    );
  });
});

describe('a lock held by another OAuth client stops the step', () => {
  const e = useEmulator();

  /** An Architect session of the seed's editor client takes the flow's lock (after the plan). */
  async function editorCheckout(emu: RunningEmulator, id: string): Promise<void> {
    const editor = createPlatformClient({
      credentials: { clientId: 'editor-client', clientSecret: 'editor-demo' },
      endpoints: resolveBaseUrl(emu.url),
    });
    await editor.flows.checkout(id);
  }

  const cases = [
    {
      kind: 'a publish step',
      manifest: "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n",
      files: {},
    },
    {
      kind: 'an import step',
      manifest: 'version: 1\nflows:\n  - file: f.yaml\n',
      files: { 'f.yaml': inboundFlow('Main IVR', { say: 'New greeting' }) },
    },
  ];
  for (const c of cases)
    it(`${c.kind}: nothing is sent to the flow; --force-unlock takes the lock and says whose it was`, async () => {
      const emu = e.get();
      const dir = workspace({ 'flowgate.yaml': c.manifest, ...c.files });
      const s = librarySession(emu, dir);
      const before = publishedVersion(emu, 'Main IVR');
      const id = flowId(emu, 'Main IVR');
      const planned = await createDeployment(await s.plan(), s.ledger, { atomic: false });
      await editorCheckout(emu, id);
      emu.control.clearRequests();

      const outcome = await runDeployment(planned, { client: s.client, ledger: s.ledger, poll: POLL });
      expect(outcome.status).toBe('failed');
      expect(outcome.steps[0]!.error).toContain(
        'Main IVR is locked in Architect by OAuth client Flow editor',
      );
      const sent = emu.control.requests().filter((r) => r.method !== 'GET' && r.path !== '/oauth/token');
      expect(sent).toEqual([]);
      expect(publishedVersion(emu, 'Main IVR')).toBe(before);

      const forced = await s.deploy({ forceUnlock: true, poll: POLL });
      expect(forced.outcome.status).toBe('succeeded');
      const notes = (await s.ledger.events(forced.outcome.deploymentId)).map((x) => x.detail);
      expect(notes).toContain(
        'force-unlocking: the lock was held by OAuth client Flow editor without publish',
      );
    });
});
