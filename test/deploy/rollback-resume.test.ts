/**
 * A rollback interrupted mid-import (library, against the emulator): it ends `interrupted` with
 * its import job recorded; `unfinishedRollbacks` finds it, the resumed run asks the org about
 * that job (no new job, one publish), and `rollbackCovers` says the same rollback asked again is
 * this one, so it is not planned twice.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { rollbackCovers, rollbackPlan } from '../../src/deploy/rollback-plan.js';
import { unfinishedRollbacks } from '../../src/deploy/schedules.js';
import { inboundFlow, librarySession, publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

describe('an interrupted rollback, resumed', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('finishes from its recorded import job, publishing once; the same rollback asked again is covered', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n',
      'a.yaml': inboundFlow('Back A', { say: 'One' }),
      'b.yaml': inboundFlow('Back B'),
    });
    const s = librarySession(emu, dir);
    const first = await s.deploy();
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Back A', { say: 'Two' }));
    const second = await s.deploy();
    const org = s.client.endpoints.apiBaseUrl;
    const id = await createDeployment(await rollbackPlan('Back A', s.ledger, s.client), s.ledger, {
      atomic: false,
    });
    emu.control.setClock({ speed: 0 }); // the job never ends: the import is surely in flight
    const abort = new AbortController();
    const uploads = emu.control.requests().filter((r) => r.method === 'PUT').length;
    const run = runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      signal: abort.signal,
      poll: { intervalMs: 5, maxIntervalMs: 10 },
    });
    while (emu.control.requests().filter((r) => r.method === 'PUT').length === uploads)
      await new Promise((r) => setImmediate(r));
    abort.abort(new Error('interrupted'));
    expect((await run).status).toBe('interrupted');
    const [inDoubt] = await s.ledger.steps(id);
    expect(inDoubt).toMatchObject({ state: 'publishing', jobId: expect.any(String) as string });
    expect(await unfinishedRollbacks(s.ledger, org)).toEqual([id]);
    expect(await unfinishedRollbacks(s.ledger, 'https://api.other.example')).toEqual([]);

    emu.control.setClock({ speed: 1 });
    const registered = emu.control
      .requests()
      .filter((r) => r.method === 'POST' && r.path === '/api/v2/flows/jobs').length;
    const resumed = await runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      poll: { intervalMs: 5, maxIntervalMs: 10 },
    });
    expect(resumed.status).toBe('succeeded');
    expect(
      emu.control.requests().filter((r) => r.method === 'POST' && r.path === '/api/v2/flows/jobs').length,
    ).toBe(registered);
    expect(publishesOf(emu, 'Back A')).toBe(3);
    expect(publishedVersion(emu, 'Back A')).toBe('3.0');
    expect(await unfinishedRollbacks(s.ledger, org)).toEqual([]);

    const done = { id, steps: resumed.steps };
    expect(await rollbackCovers(done, 'Back A', s.ledger)).toBe(true);
    expect(await rollbackCovers(done, id, s.ledger)).toBe(true);
    // The second deployment published only Back A's change (Back B unchanged): covered.
    expect(await rollbackCovers(done, second.outcome.deploymentId, s.ledger)).toBe(true);
    // The first created both flows: nothing of it to restore, so nothing of it is covered.
    expect(await rollbackCovers(done, first.outcome.deploymentId, s.ledger)).toBe(false);
    expect(await rollbackCovers(done, 'Back B', s.ledger)).toBe(false);
    await s.ledger.close();
  });

  it('Ctrl-C while the flow is read: nothing is sent after it, the step stays planned, the run interrupted', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Early A', { say: 'One' }),
    });
    const s = librarySession(emu, dir);
    await s.deploy();
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Early A', { say: 'Two' }));
    await s.deploy();
    const id = await createDeployment(await rollbackPlan('Early A', s.ledger, s.client), s.ledger, {
      atomic: false,
    });
    const jobs = () =>
      emu.control.requests().filter((r) => r.method === 'POST' && r.path === '/api/v2/flows/jobs').length;
    const before = jobs();
    const abort = new AbortController();
    // Ctrl-C right after the step said it publishes: its first request (reading the flow) is under way.
    const outcome = await runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      signal: abort.signal,
      onEvent: (ev) => {
        if (ev.type === 'publishing') abort.abort(new Error('interrupted'));
      },
    });
    expect(outcome.status).toBe('interrupted');
    expect(jobs()).toBe(before);
    expect((await s.ledger.steps(id))[0]!.state).toBe('planned');
    const notes = (await s.ledger.events(id)).map((x) => x.detail);
    expect(notes).toContain('interrupted: the outcome is checked when the run resumes');
    await s.ledger.close();
  });
});
