/**
 * Issue 21 §3: an import job that Archy could not run (the transient failure the Terraform provider
 * retries: "could not find the flow with id" with "exit code: 107" / "Archy failed") is followed by
 * a new job, bounded, with backoff, each attempt a note on the step; a job that failed on the
 * flow's content is never retried. Over HTTP against the emulator, its failures set through
 * `POST /__emulator/job-failure`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { isTransientJobFailure } from '../../src/platform/job-failure.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { served, useEmulator } from '../helpers/emulator.js';

const manifest = 'version: 1\nflows:\n  - file: a.yaml\n';

/** Sets the next job failures through the emulator's HTTP control. */
async function failJobs(emu: RunningEmulator, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emu.url}/__emulator/job-failure`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

/** Waits taken by the step (simulated: the clock moves instead), and the options that record them. */
function simulatedWaits(emu: RunningEmulator) {
  const waits: number[] = [];
  const now = () => emu.control.org.now();
  const sleep = (ms: number) => (waits.push(ms), emu.control.setClock({ advanceMs: ms }), Promise.resolve());
  return { waits, run: { now, poll: { intervalMs: 20, sleep, now } } };
}

const notesOf = async (s: ReturnType<typeof librarySession>, id: string) =>
  (await s.ledger.events(id)).map((x) => x.detail ?? '');

describe('transient import-job failures', () => {
  const e = useEmulator();

  it('the rule is the Terraform provider’s, exactly', () => {
    expect(
      isTransientJobFailure(["could not find the flow with id 'x'", 'Archy failed with exit code: 107']),
    ).toBe(true);
    expect(
      isTransientJobFailure(["Exception info: could not find the flow with id 'x'", 'exit code: 107']),
    ).toBe(true);
    expect(isTransientJobFailure(['Archy failed: exit code: 107'])).toBe(false); // no lookup failure
    expect(isTransientJobFailure(["could not find the flow with id 'x'"])).toBe(false); // no Archy exit
    expect(isTransientJobFailure(['Error parsing the flow file at line 3, column 1: bad'])).toBe(false);
  });

  it('a transient failure is retried with a new job after a backoff; the step publishes exactly once', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    await failJobs(emu, { transient: true });
    const dir = workspace({ 'flowgate.yaml': manifest, 'a.yaml': inboundFlow('Retried Flow') });
    const s = librarySession(emu, dir);
    const { waits, run } = simulatedWaits(emu);
    const { outcome } = await s.deploy(run);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[0]).toMatchObject({ state: 'published', publishedVersion: '1.0' });
    expect(served(emu, /^\/api\/v2\/flows\/jobs$/, 'POST')).toHaveLength(2);
    expect(publishesOf(emu, 'Retried Flow')).toBe(1);
    const flow = emu.control.state().flows.find((f) => f.name === 'Retried Flow')!;
    expect(flow.versions.map((v) => v.id)).toEqual(['1.0']);
    // The provider's backoff: 15 s × the attempt, before the second job.
    expect(waits).toContain(15_000);
    const notes = await notesOf(s, outcome.deploymentId);
    expect(notes.filter((n) => n.startsWith('import attempt 1 of 5: import job '))).toHaveLength(1);
    expect(notes.find((n) => n.startsWith('import attempt'))).toMatch(
      /failed transiently .*a new job in 15 s$/,
    );
    expect(notes.filter((n) => n === 'import job registered')).toHaveLength(2);
  });

  it('a job that failed on the flow’s content is not retried', async () => {
    const emu = e.get();
    await failJobs(emu, { message: "Unable to resolve the queue 'Sales' in the flow 'Content Flow'." });
    const dir = workspace({ 'flowgate.yaml': manifest, 'a.yaml': inboundFlow('Content Flow') });
    const s = librarySession(emu, dir);
    const { outcome } = await s.deploy(simulatedWaits(emu).run);
    expect(outcome.status).toBe('failed'); // nothing published: nothing to roll back
    expect(outcome.steps[0]!.error).toContain("Unable to resolve the queue 'Sales'");
    expect(served(emu, /^\/api\/v2\/flows\/jobs$/, 'POST')).toHaveLength(1);
    expect((await notesOf(s, outcome.deploymentId)).some((n) => n.startsWith('import attempt'))).toBe(false);
  });

  it('the attempts are bounded: after five transient failures the step fails with the platform’s words', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    await failJobs(emu, { transient: true, times: 5 });
    const dir = workspace({ 'flowgate.yaml': manifest, 'a.yaml': inboundFlow('Unlucky Flow') });
    const s = librarySession(emu, dir);
    const { waits, run } = simulatedWaits(emu);
    const { outcome } = await s.deploy(run);
    expect(outcome.status).toBe('failed'); // nothing published: nothing to roll back
    expect(outcome.steps[0]!.error).toContain('could not find the flow with id');
    expect(served(emu, /^\/api\/v2\/flows\/jobs$/, 'POST')).toHaveLength(5);
    expect(publishesOf(emu, 'Unlucky Flow')).toBe(0);
    expect(waits.filter((w) => w >= 15_000)).toEqual([15_000, 30_000, 45_000, 60_000]);
    const notes = await notesOf(s, outcome.deploymentId);
    expect(notes.filter((n) => n.startsWith('import attempt'))).toHaveLength(5);
    expect(notes.some((n) => n.startsWith('import attempt 5 of 5') && n.endsWith('no attempt left'))).toBe(
      true,
    );
  });

  it('a resumed step whose job had failed transiently registers a new job, counting the attempt', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const dir = workspace({ 'flowgate.yaml': manifest, 'a.yaml': inboundFlow('Resumed Flow') });
    const s = librarySession(emu, dir);
    const { run } = simulatedWaits(emu);
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: true });
    // What a run killed while its job failed leaves: the step publishing with the job's id.
    await failJobs(emu, { transient: true });
    const job = await s.client.jobs.register();
    await s.client.jobs.upload(job.presignedUrl, job.headers ?? {}, (await s.ledger.steps(id))[0]!.content!);
    emu.control.setClock({ advanceMs: 1_000 });
    await s.ledger.transition(id, 0, 'publishing', {}, 'registering an import job');
    await s.ledger.note(id, 0, { jobId: job.id }, 'import job registered');
    await s.ledger.setStatus(id, 'running');
    const outcome = await runDeployment(id, { client: s.client, ledger: s.ledger, ...run });
    expect(outcome.status).toBe('succeeded');
    expect(publishesOf(emu, 'Resumed Flow')).toBe(1);
    const notes = await notesOf(s, id);
    expect(
      notes.some((n) => n.startsWith(`import attempt 1 of 5: import job ${job.id} failed transiently`)),
    ).toBe(true);
  });

  it('a transient failure after which the org publishes another version is not retried', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const dir = workspace({ 'flowgate.yaml': manifest, 'a.yaml': inboundFlow('Moving Flow') });
    const s = librarySession(emu, dir);
    const { run } = simulatedWaits(emu);
    expect((await s.deploy(run)).outcome.status).toBe('succeeded');
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Moving Flow', { say: 'Changed' }));
    await failJobs(emu, { transient: true });
    // Someone publishes another version (9.0, in Architect) while the job runs.
    let moved = false;
    const sleep = (ms: number) => {
      emu.control.setClock({ advanceMs: ms });
      if (!moved) {
        moved = true;
        const f = emu.control.state().flows.find((x) => x.name === 'Moving Flow')!;
        f.versions.push({ ...f.versions[0]!, id: '9.0', type: 'PUBLISH' });
        f.publications.at(-1)!.end = emu.control.org.now();
        f.publications.push({ versionId: '9.0', start: emu.control.org.now() });
      }
      return Promise.resolve();
    };
    const { outcome } = await s.deploy({ ...run, poll: { ...run.poll, sleep } });
    expect(outcome.steps[0]!.state).toBe('failed');
    expect(outcome.steps[0]!.error).toContain('the org now publishes version 9.0 of Moving Flow');
    expect(served(emu, /^\/api\/v2\/flows\/jobs$/, 'POST')).toHaveLength(2); // the first deploy's and this one
  });
});
