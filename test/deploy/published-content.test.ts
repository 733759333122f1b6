/**
 * Issue 18 §1 at the library level: the hash the ledger records is the hash of the text the
 * emulator received, for any value; a text with a substitution left never leaves the process; a
 * failed atomic deployment cleans up a flow its import created under another name.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { assertFinalContent, contentHash } from '../../src/deploy/content.js';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { planDeployment } from '../../src/deploy/plan.js';
import { isFlowgateError } from '../../src/errors.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';

const FLOW = inboundFlow('{{ flow_name }}', { say: '"{{ greeting }}"' });
const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

describe('the content deployed is the content validated', () => {
  const e = useEmulator();

  it('property: for any values, the ledger records the hash of exactly what the org received', async () => {
    const emu = e.get();
    // The org's clock moves only when a poll waits: twelve deployments take as long on a loaded
    // machine as on an idle one (they outlasted the 30 s test time-out beside a mutation run).
    emu.control.setClock({ speed: 0 });
    const poll = {
      intervalMs: 20,
      maxIntervalMs: 5_000,
      sleep: (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve()),
      now: () => emu.control.org.now(),
    };
    const dir = workspace({ 'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n', 'f.yaml': FLOW });
    const { client } = clientFor(emu);
    const ledger = openSqliteLedger(join(dir, 'ledger.db'));
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _-]{0,20}[A-Za-z0-9]$/);
    const greeting = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
    let run = 0;
    let deployed = 0;
    await fc.assert(
      fc.asyncProperty(name, greeting, async (n, g) => {
        const flowName = `${n} ${run++}`;
        const deployment = await loadDeployment(join(dir, 'flowgate.yaml'), {
          values: { flow_name: flowName, greeting: g },
        });
        const loaded = await loadDeploymentFlows(deployment);
        const plan = await planDeployment(deployment, { client, ledger, loaded, exportPoll: poll });
        if (plan.blocked) return; // a value that cannot stand there is reported, not deployed
        deployed++;
        const id = await createDeployment(plan, ledger, { atomic: true });
        const outcome = await runDeployment(id, {
          client,
          ledger,
          poll,
        });
        expect(outcome.status).toBe('succeeded');
        const uploads = emu.control.state().flows.find((f) => f.name === flowName)!.versions;
        const received = uploads.at(-1)!.configuration as string;
        const step = (await ledger.steps(id))[0]!;
        expect(step.contentHash).toBe(sha(received));
        expect(received).toBe(step.content);
        expect(received).not.toMatch(/\{\{|__flow_name__|__greeting__/);
      }),
      { numRuns: 12 },
    );
    expect(deployed).toBeGreaterThan(6);
    await ledger.close();
  });

  it('a text still holding a token, or not the text planned, is refused before any request', () => {
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return isFlowgateError(err) ? `${err.code}: ${err.message}` : String(err);
      }
      return 'accepted';
    };
    expect(refused(() => assertFinalContent('F', 'name: "{{ flow_name }}"', undefined))).toMatch(
      /^CONTENT_NOT_FINAL: .*flow_name/,
    );
    expect(refused(() => assertFinalContent('F', 'name: A', contentHash('name: B')))).toMatch(
      /^CONTENT_NOT_FINAL/,
    );
    expect(refused(() => assertFinalContent('F', undefined, undefined))).toMatch(/^CONTENT_NOT_FINAL/);
    expect(refused(() => assertFinalContent('F', 'name: A', contentHash('name: A')))).toBe('accepted');
  });

  it('an import that created a flow under another name fails, and atomic rollback deactivates it', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': FLOW,
    });
    const { client } = clientFor(emu);
    const ledger = openSqliteLedger(join(dir, 'ledger.db'));
    const deployment = await loadDeployment(join(dir, 'flowgate.yaml'), {
      values: { flow_name: 'IVR-Main', greeting: 'Hi' },
    });
    const plan = await planDeployment(deployment, {
      client,
      ledger,
      loaded: await loadDeploymentFlows(deployment),
    });
    // What the old plan did: a text that names another flow than the one validated.
    const wrong = plan.steps[0]!.content!.replace('IVR-Main', '__flow_name__');
    plan.steps[0]!.content = wrong;
    plan.steps[0]!.contentHash = contentHash(wrong);
    const id = await createDeployment(plan, ledger, { atomic: true });
    const outcome = await runDeployment(id, { client, ledger, poll: { intervalMs: 20, maxIntervalMs: 50 } });
    const stray = emu.control.state().flows.find((f) => f.name === '__flow_name__');
    expect(stray).toMatchObject({ name: '__flow_name__', active: false });
    expect(outcome.status).toBe('rolled-back');
    const step = (await ledger.steps(id))[0]!;
    expect(step.error).toMatch(/published a flow named '__flow_name__'/);
    expect(step.flowId).toBe(stray!.id);
    await ledger.close();
  });
});
