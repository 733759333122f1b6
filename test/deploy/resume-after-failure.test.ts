/**
 * A deployment resumed after its runner died with a step already failed (SIGKILL between the
 * failure and the end of the run): the resume counts that failure, so an atomic deployment rolls
 * back and publishes nothing more, and never ends `succeeded` with a failed flow. A step in doubt
 * whose dependency failed is never cancelled (the ledger refuses it): the run ends without a crash.
 * Library over real HTTP against the emulator; the ledger written as the dead runner left it.
 */
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { inboundFlow, librarySession, publishedVersion, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

const POLL = { intervalMs: 20, maxIntervalMs: 50 };
const manifest = 'version: 1\ndeploy:\n  concurrency: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n';

describe('resuming a deployment with a failed step', () => {
  const e = useEmulator();

  it.each([true, false])(
    'atomic %s: the earlier failure counts; nothing more is published',
    async (atomic) => {
      const emu = e.get();
      const dir = workspace({
        'flowgate.yaml': manifest,
        'a.yaml': inboundFlow(`Resume A ${atomic}`),
        'b.yaml': inboundFlow(`Resume B ${atomic}`),
      });
      const s = librarySession(emu, dir);
      const id = await createDeployment(await s.plan(), s.ledger, { atomic });
      // What the dead runner left: the first step failed before it sent anything, the rest planned.
      await s.ledger.transition(id, 0, 'failed', { error: 'API_FORBIDDEN: 403' }, 'failed');
      const outcome = await runDeployment(id, { client: s.client, ledger: s.ledger, poll: POLL });
      expect(outcome.status).not.toBe('succeeded');
      if (atomic) {
        // Atomic, but nothing had published: nothing to roll back, the deployment failed.
        expect(outcome.status).toBe('failed');
        expect(outcome.steps.map((x) => x.state)).toEqual(['failed', 'cancelled']);
        expect(publishedVersion(emu, `Resume B ${atomic}`)).toBeUndefined();
      } else {
        // Not atomic: the independent flow still goes out, and the deployment is partial.
        expect(outcome.status).toBe('partial');
        expect(outcome.steps.map((x) => x.state)).toEqual(['failed', 'published']);
      }
    },
  );

  it('a step in doubt whose dependency failed is left for the org to settle, not cancelled', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest,
      'a.yaml': inboundFlow('Doubt Target'),
      'b.yaml': inboundFlow('Doubt Caller', { transferTo: 'Doubt Target' }),
    });
    const s = librarySession(emu, dir);
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: false });
    const steps = await s.ledger.steps(id);
    const target = steps.find((x) => x.flowName === 'Doubt Target')!;
    const caller = steps.find((x) => x.flowName === 'Doubt Caller')!;
    expect(caller.dependsOn).toEqual([target.index]);
    await s.ledger.transition(id, target.index, 'failed', {}, 'failed');
    await s.ledger.transition(id, caller.index, 'publishing', {}, 'publishing');
    const outcome = await runDeployment(id, { client: s.client, ledger: s.ledger, poll: POLL });
    expect(outcome.status).toBe('failed');
    const after = new Map(outcome.steps.map((x) => [x.flowName, x.state]));
    expect(after.get('Doubt Caller')).toBe('publishing');
    expect(after.get('Doubt Target')).toBe('failed');
  });
});
