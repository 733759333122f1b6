/**
 * A deployment learns what other deployments of the same ledger did between its plan and its
 * run, even when it never waited for a lock (deploy/flow-locks.ts, `replanAfterOthers`; issue
 * 20 §3: four runners deploying one commit published each flow four times). Stryker found no
 * test of the path without a wait (BENCHMARKS.md, mutation testing of `deploy/flow-locks.ts`).
 * Library over real HTTP against the emulator.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { inboundFlow, librarySession, publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

const POLL = { intervalMs: 20, maxIntervalMs: 50 };

describe('what other deployments did before this one ran', () => {
  const e = useEmulator();

  it('content another deployment published after this plan is unchanged here: published once, not twice', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Shared', { say: 'one' }),
    });
    const s = librarySession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    writeFileSync(join(dir, 'f.yaml'), inboundFlow('Shared', { say: 'two' }));
    // Two runners plan the same commit; the first deploys it to the end before the second starts.
    const first = await createDeployment(await s.plan(), s.ledger, { atomic: false });
    const second = await createDeployment(await s.plan(), s.ledger, { atomic: false });
    expect((await runDeployment(first, { client: s.client, ledger: s.ledger, poll: POLL })).status).toBe(
      'succeeded',
    );
    const before = publishesOf(emu, 'Shared');
    const version = publishedVersion(emu, 'Shared');

    const outcome = await runDeployment(second, { client: s.client, ledger: s.ledger, poll: POLL });

    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[0]).toMatchObject({ flowName: 'Shared', state: 'unchanged' });
    expect(publishesOf(emu, 'Shared')).toBe(before);
    expect(publishedVersion(emu, 'Shared')).toBe(version);
    const events = await s.ledger.events(second);
    expect(events.find((x) => x.to === 'unchanged')?.detail).toBe(
      `deployment ${first} published this content (version ${version}) after this one was planned`,
    );
  });

  it('so is content another deployment published between this plan and this deployment being made', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Early', { say: 'one' }),
    });
    const s = librarySession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    writeFileSync(join(dir, 'f.yaml'), inboundFlow('Early', { say: 'two' }));
    const laterPlan = await s.plan();
    const first = await createDeployment(await s.plan(), s.ledger, { atomic: false });
    expect((await runDeployment(first, { client: s.client, ledger: s.ledger, poll: POLL })).status).toBe(
      'succeeded',
    );
    const before = publishesOf(emu, 'Early');
    // Made from the older plan only now: the other publish is older than this deployment.
    const second = await createDeployment(laterPlan, s.ledger, { atomic: false });

    const outcome = await runDeployment(second, { client: s.client, ledger: s.ledger, poll: POLL });

    expect(outcome.steps[0]).toMatchObject({ flowName: 'Early', state: 'unchanged' });
    expect(publishesOf(emu, 'Early')).toBe(before);
  });
});
