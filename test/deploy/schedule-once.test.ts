/**
 * One schedule per flow (new-user trial: a second `deploy --schedule-only`, after a Ctrl-C or
 * not, scheduled the same step again). The plan decides it (`deploy/plan-schedules.ts`): the same
 * change at the same time that another deployment of the org already schedules is *unchanged*,
 * naming that deployment; another change of the flow is blocked (`scheduled`). A run that
 * publishes only what is due leaves the rest `scheduled` for run-scheduled (an interrupted deploy
 * becomes the schedule), and a Ctrl-C before a deployment is recorded records nothing. Library
 * over real HTTP against the emulator, real SQLite ledgers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { dueDeployments } from '../../src/deploy/schedules.js';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

const POLL = { intervalMs: 20, maxIntervalMs: 50 };
/** A day ahead of the test's start: never due while it runs. */
const LATER = new Date(Date.now() + 86_400_000).toISOString();
const EVEN_LATER = new Date(Date.now() + 2 * 86_400_000).toISOString();

const manifest = (entries: string) => `version: 1\nflows:\n${entries}`;
const fileEntry = (activateAt?: string) =>
  `  - file: a.yaml\n${activateAt !== undefined ? `    activateAt: ${activateAt}\n` : ''}`;

describe('the plan schedules a flow once', () => {
  const e = useEmulator();

  it('the same content at the same time, already scheduled: unchanged here, naming the deployment', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest(fileEntry(LATER)), 'a.yaml': inboundFlow('Once') });
    const s = librarySession(emu, dir);
    const first = await s.deploy({ scheduleOnly: true, onlyDue: true });
    expect(first.outcome.status).toBe('scheduled');
    const x = first.outcome.deploymentId;

    const plan = await s.plan();
    const step = plan.steps[0]!;
    expect(step.action).toBe('unchanged');
    expect(step.alreadyScheduled).toEqual({ deploymentId: x, status: 'scheduled', activateAt: LATER });
    expect(step.notes).toEqual([
      `already scheduled by deployment ${x} (scheduled, activation at ${LATER}): not scheduled again`,
    ]);
    expect(step.diff).toBeUndefined();
    expect(step.blocked).toEqual([]);
    expect(plan.blocked).toBe(false);
    // Recorded, the step is unchanged: the ledger holds one schedule of the flow.
    const y = await createDeployment(plan, s.ledger, { atomic: true, scheduleOnly: true });
    expect((await s.ledger.steps(y)).map((x) => x.state)).toEqual(['unchanged']);
    expect((await s.ledger.steps(x)).map((x) => x.state)).toEqual(['scheduled']);
    await s.ledger.close();
  });

  it('other content, another time or none: blocked, naming the schedule; a flow no deployment schedules is planned as ever', async () => {
    const emu = e.get();
    // Twice for later; Onward transfers to it (so its step waits for Twice's); Free is due now.
    const files = {
      'a.yaml': inboundFlow('Twice'),
      'b.yaml': inboundFlow('Onward', { transferTo: 'Twice' }),
      'c.yaml': inboundFlow('Free'),
    };
    const entries = (activateAt?: string) => `${fileEntry(activateAt)}  - file: b.yaml\n  - file: c.yaml\n`;
    const dir = workspace({ 'flowgate.yaml': manifest(entries(LATER)), ...files });
    const s = librarySession(emu, dir);
    const first = await s.deploy({ scheduleOnly: true, onlyDue: true });
    const x = first.outcome.deploymentId;
    expect(first.outcome.steps.map((st) => [st.flowName, st.state])).toEqual([
      ['Twice', 'scheduled'],
      ['Onward', 'planned'],
      ['Free', 'published'],
    ]);
    const byName = (p: Awaited<ReturnType<typeof s.plan>>, name: string) =>
      p.steps.find((st) => st.flowName === name)!;

    const again = await s.plan();
    expect(byName(again, 'Onward').action).toBe('unchanged');
    expect(byName(again, 'Onward').notes).toEqual([
      `already scheduled by deployment ${x} (scheduled, after the flows it depends on): not scheduled again`,
    ]);
    expect(byName(again, 'Free').action).toBe('unchanged');
    expect(byName(again, 'Free').alreadyScheduled).toBeUndefined();

    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Twice', { say: 'Changed' }));
    writeFileSync(join(dir, 'b.yaml'), inboundFlow('Onward', { transferTo: 'Twice', say: 'Changed' }));
    writeFileSync(join(dir, 'c.yaml'), inboundFlow('Free', { say: 'Changed' }));
    const changed = await s.plan();
    expect(byName(changed, 'Twice').action).toBe('blocked');
    expect(byName(changed, 'Twice').blocked).toEqual([
      {
        kind: 'scheduled',
        message: `Twice: deployment ${x} already schedules other content of the flow (scheduled, activation at ${LATER}); one schedule per flow: cancel that schedule, or let it publish, before another change of the flow`,
      },
    ]);
    expect(byName(changed, 'Twice').alreadyScheduled).toBeUndefined();
    expect(byName(changed, 'Onward').blocked).toEqual([
      {
        kind: 'scheduled',
        message: `Onward: deployment ${x} already schedules other content of the flow (scheduled, after the flows it depends on); one schedule per flow: cancel that schedule, or let it publish, before another change of the flow`,
      },
    ]);
    expect(byName(changed, 'Free').action).toBe('update');
    expect(byName(changed, 'Free').blocked).toEqual([]);
    expect(changed.blocked).toBe(true);

    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    for (const other of [EVEN_LATER, undefined]) {
      writeFileSync(join(dir, 'flowgate.yaml'), manifest(entries(other)));
      const moved = await s.plan();
      expect(byName(moved, 'Twice').blocked.map((b) => b.kind)).toEqual(['scheduled']);
      expect(byName(moved, 'Onward').action).toBe('unchanged');
      expect(moved.blocked).toBe(true);
    }
    await s.ledger.close();
  });

  it('a version to publish: the same version is already scheduled (a lock in Architect does not block what is not published); the version the org has is unchanged, the schedule noted', async () => {
    const emu = e.get();
    // Sales IVR is locked in Architect by a user of the seed: a publish needs --force-unlock.
    const entry = (version: string) =>
      manifest(
        `  - name: Sales IVR\n    type: inboundcall\n    version: '${version}'\n    activateAt: ${LATER}\n`,
      );
    const dir = workspace({ 'flowgate.yaml': entry('2.0') });
    const s = librarySession(emu, dir);
    const x = (await s.deploy({ scheduleOnly: true, onlyDue: true, forceUnlock: true })).outcome.deploymentId;

    const same = await s.plan();
    expect(same.steps[0]!.action).toBe('unchanged');
    expect(same.steps[0]!.alreadyScheduled?.deploymentId).toBe(x);
    expect(same.steps[0]!.lockedBy).toBe('user Alex Designer');
    expect(same.steps[0]!.blocked).toEqual([]);

    writeFileSync(join(dir, 'flowgate.yaml'), entry('1.0'));
    // 1.0 is what the org publishes now: unchanged, and the schedule publishes 2.0 over it later.
    const current = await s.plan();
    expect(current.steps[0]!.action).toBe('unchanged');
    expect(current.steps[0]!.alreadyScheduled).toBeUndefined();
    expect(current.steps[0]!.notes).toContain(
      `deployment ${x} already schedules version 2.0 (scheduled, activation at ${LATER}): it publishes over what the org has now`,
    );
    expect(current.blocked).toBe(false);
    await s.ledger.close();
  });

  it('content the org already publishes, also scheduled: unchanged as the org has it, not "already scheduled"', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest(fileEntry(LATER)), 'a.yaml': inboundFlow('Both') });
    const s = librarySession(emu, dir);
    // A plan made before the schedule, deployed after it: the org publishes the content now.
    writeFileSync(join(dir, 'now.yaml'), manifest(fileEntry()));
    const early = await s.plan({ manifest: 'now.yaml' });
    const x = (await s.deploy({ scheduleOnly: true, onlyDue: true })).outcome.deploymentId;
    const id = await createDeployment(early, s.ledger, { atomic: true });
    expect((await runDeployment(id, { client: s.client, ledger: s.ledger, poll: POLL })).status).toBe(
      'succeeded',
    );

    const plan = await s.plan();
    expect(plan.steps[0]!.action).toBe('unchanged');
    expect(plan.steps[0]!.alreadyScheduled).toBeUndefined();
    expect(plan.steps[0]!.notes.some((n) => n.includes(`deployment ${x}`))).toBe(false);
    await s.ledger.close();
  });
});

describe('a run that publishes only what is due leaves the rest scheduled', () => {
  const e = useEmulator();

  it('a deploy interrupted while it waited, run again for what is due: the deployment and its step scheduled, found by run-scheduled when due', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest(fileEntry(LATER)), 'a.yaml': inboundFlow('Waited') });
    const s = librarySession(emu, dir);
    const abort = new AbortController();
    const { outcome } = await s.deploy({
      signal: abort.signal,
      onEvent: (ev) => {
        if (ev.type === 'waiting') abort.abort(new Error('interrupted'));
      },
    });
    expect(outcome.status).toBe('interrupted');
    expect(outcome.steps.map((x) => x.state)).toEqual(['waiting']);

    const again = await runDeployment(outcome.deploymentId, {
      client: s.client,
      ledger: s.ledger,
      onlyDue: true,
      poll: POLL,
    });
    expect(again.status).toBe('scheduled');
    expect(again.steps.map((x) => x.state)).toEqual(['scheduled']);
    const events = await s.ledger.events(outcome.deploymentId);
    expect(events.at(-1)).toMatchObject({
      from: 'waiting',
      to: 'scheduled',
      detail: `left for run-scheduled: activation at ${LATER}`,
    });
    expect(publishesOf(emu, 'Waited')).toBe(0);
    const org = s.client.endpoints.apiBaseUrl;
    expect(await dueDeployments(s.ledger, org, Date.now())).toEqual({ due: [], scheduled: 1 });
    expect(await dueDeployments(s.ledger, org, Date.parse(LATER))).toEqual({
      due: [outcome.deploymentId],
      scheduled: 1,
    });
    await s.ledger.close();
  });

  it('a step due, and a step planned after it with a time ahead: published, and left scheduled', async () => {
    const emu = e.get();
    const past = new Date(Date.now() - 60_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': manifest(
        `  - file: a.yaml\n    activateAt: ${past}\n  - file: b.yaml\n    activateAt: ${LATER}\n`,
      ),
      'a.yaml': inboundFlow('Due Now'),
      'b.yaml': inboundFlow('Due Later'),
    });
    const s = librarySession(emu, dir);
    // Recorded as a deploy would (planned), run as run-scheduled runs: only what is due.
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: false });
    const outcome = await runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      onlyDue: true,
      poll: POLL,
    });
    expect(outcome.status).toBe('scheduled');
    expect(outcome.steps.map((x) => [x.flowName, x.state])).toEqual([
      ['Due Now', 'published'],
      ['Due Later', 'scheduled'],
    ]);
    expect(publishesOf(emu, 'Due Now')).toBe(1);
    await s.ledger.close();
  });
});

describe('Ctrl-C before a deployment is recorded', () => {
  const e = useEmulator();

  it('records nothing: ABORTED', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest(fileEntry(LATER)), 'a.yaml': inboundFlow('Never') });
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    const abort = new AbortController();
    abort.abort(new Error('interrupted'));
    await expect(
      createDeployment(plan, s.ledger, { atomic: true, scheduleOnly: true, signal: abort.signal }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
      message: 'interrupted before the deployment was recorded: nothing was recorded or published',
    });
    expect(await s.ledger.listDeployments()).toEqual([]);
    // Not aborted: recorded.
    const id = await createDeployment(plan, s.ledger, {
      atomic: true,
      scheduleOnly: true,
      signal: new AbortController().signal,
    });
    expect((await s.ledger.listDeployments()).map((d) => d.id)).toEqual([id]);
    await s.ledger.close();
  });
});
