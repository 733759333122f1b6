/**
 * What a run that lost its ledger tells the user (deploy/flow-locks.ts, `ledgerLostError`; README:
 * "the error lists what was recorded as published, what was publishing (in doubt) and what did
 * not start"): the error's code, its message naming the flows of each kind, its hint, the steps in
 * its details, and the last line of the run's progress and audit log. Two real losses: the SQLite
 * file refusing the writes of two publishes while their import jobs run (a trigger in the
 * database stands in for the disk filling at that moment), and every PostgreSQL session cut while
 * a step waits for its activation time, holding the run's flow locks. Library over real HTTP.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { recordCallsIn } from '../../src/deploy/call-context.js';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { ledgerLostError } from '../../src/deploy/flow-locks.js';
import { planDeployment } from '../../src/deploy/plan.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import { openPostgresLedger } from '../../src/ledger/postgres.js';
import type { Ledger } from '../../src/ledger/types.js';
import { publishesOf } from '../helpers/deploy.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { postgresDatabase } from '../helpers/postgres.js';
import { auditedSession, flowsWorkspace } from '../helpers/run-facts.js';

const HINT =
  'When the ledger is back, run the deployment again: it resumes, asks the org about the steps in doubt, and publishes nothing twice.';

/** The error a run ends with, as the caller catches it. */
interface LostError {
  code?: string;
  message?: string;
  hint?: string;
  details?: unknown;
  cause?: { code?: string; message: string };
}

describe('a run that lost its ledger says what is known of each step', () => {
  const e = useEmulator();

  it('SQLite refuses two steps that are publishing: they are in doubt, not "not started"; the resume publishes nothing twice', async () => {
    const emu = e.get();
    const names = ['Lost A', 'Lost B', 'Lost C', 'Lost D', 'Lost E'];
    // E transfers to C: it waits for C, and never starts; A to D start together.
    const dir = flowsWorkspace(names, { transfers: { 'Lost E': 'Lost C' } });
    const s = auditedSession(emu, dir);
    const id = await createDeployment(await s.plan(), s.ledger, { atomic: true });
    const db = new Database(join(dir, 'ledger.db'));
    db.exec(`CREATE TRIGGER full BEFORE UPDATE ON steps
      WHEN NEW.state = 'published' AND NEW.flow_name IN ('Lost C', 'Lost D')
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);

    const failure = (await s.run(id, { concurrency: 4 }).catch((x: unknown) => x)) as LostError;

    expect(failure.code).toBe('LEDGER_WRITE');
    expect(failure.message).toBe(
      `deployment ${id} stopped starting steps, the ledger cannot be written (the ledger could not record a change: database or disk is full). ` +
        'Recorded as published: 2: Lost A, Lost B; in doubt (publishing when the ledger went away): 2: Lost C, Lost D; not started: 1',
    );
    expect(failure.hint).toBe(HINT);
    expect(failure.cause).toMatchObject({
      code: 'LEDGER_WRITE',
      message: 'the ledger could not record a change: database or disk is full',
    });
    expect(failure.details).toEqual({
      deploymentId: id,
      steps: [
        { flow: 'Lost A', state: 'published', publishedVersion: '1.0' },
        { flow: 'Lost B', state: 'published', publishedVersion: '1.0' },
        { flow: 'Lost C', state: 'publishing', publishedVersion: undefined },
        { flow: 'Lost D', state: 'publishing', publishedVersion: undefined },
        { flow: 'Lost E', state: 'planned', publishedVersion: undefined },
      ],
    });
    // The org did publish the two in doubt; nothing started after the loss.
    expect(names.map((n) => publishesOf(emu, n))).toEqual([1, 1, 1, 1, 0]);
    const { actor, org } = s.who;
    expect(s.audit(id).at(-1)).toEqual({
      type: 'deployment.completed',
      deploymentId: id,
      actor,
      org,
      result: 'interrupted',
      message: `deployment ${id}: stopped, the ledger is unreachable`,
    });

    // Space again: the resume asks the org about C and D, and publishes only E.
    db.exec('DROP TRIGGER full');
    db.close();
    const outcome = await s.run(id, { concurrency: 4 });
    await s.close();
    expect(outcome.status).toBe('succeeded');
    expect(names.map((n) => publishesOf(emu, n))).toEqual([1, 1, 1, 1, 1]);
  });

  it('PostgreSQL cut while a step waits for its window: the waiting step did not start, and the resume finishes once', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const now = () => emu.control.org.now();
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const activateAt = new Date(now() + 60_000).toISOString();
    const names = ['Window A', 'Window B', 'Window C'];
    const dir = flowsWorkspace(names, {
      transfers: { 'Window C': 'Window B' },
      entry: { 'Window B': `    activateAt: ${activateAt}\n` },
    });
    const db = await postgresDatabase();
    const holder: { ledger?: Ledger } = {};
    const { client } = clientFor(emu, { onCall: recordCallsIn(() => holder.ledger) });
    const ledger = await openPostgresLedger({ url: db.url, password: db.password });
    holder.ledger = ledger;
    const deployment = await loadDeployment(join(dir, 'flowgate.yaml'), {});
    const plan = await planDeployment(deployment, {
      client,
      ledger,
      loaded: await loadDeploymentFlows(deployment),
      exportPoll: { intervalMs: 10, sleep: advance, now },
    });
    const id = await createDeployment(plan, ledger, { atomic: true, now });
    const facts: DeployEvent[] = [];
    const options = {
      client,
      concurrency: 1,
      now,
      poll: { intervalMs: 20, sleep: advance, now },
      onEvent: (x: DeployEvent) => void facts.push(x),
    };

    const failure = (await runDeployment(id, {
      ...options,
      ledger,
      // While B waits for its window, every session of the ledger's database ends.
      sleep: async (ms) => {
        expect(await db.cutConnections()).toBeGreaterThan(0);
        await advance(ms);
      },
    }).catch((x: unknown) => x)) as LostError;

    expect(failure.code).toBe('LEDGER_UNAVAILABLE');
    expect(failure.cause?.code).toBe('LEDGER_UNAVAILABLE');
    expect(failure.cause?.message).toMatch(/^the ledger connection that held this run's flow locks was lost/);
    expect(failure.message).toBe(
      `deployment ${id} stopped starting steps, the ledger cannot be written (${failure.cause!.message}). ` +
        'Recorded as published: 1: Window A; in doubt (publishing when the ledger went away): 0; not started: 2',
    );
    expect(failure.message).not.toContain(db.password);
    expect(failure.hint).toBe(HINT);
    expect(failure.details).toEqual({
      deploymentId: id,
      steps: [
        { flow: 'Window A', state: 'published', publishedVersion: '1.0' },
        { flow: 'Window B', state: 'waiting', publishedVersion: undefined },
        { flow: 'Window C', state: 'planned', publishedVersion: undefined },
      ],
    });
    expect(facts.at(-1)).toMatchObject({
      type: 'completed',
      result: 'interrupted',
      message: `deployment ${id}: stopped, the ledger is unreachable`,
    });
    expect(names.map((n) => publishesOf(emu, n))).toEqual([1, 0, 0]);
    await ledger.close().catch(() => undefined);

    const again = await openPostgresLedger({ url: db.url, password: db.password });
    holder.ledger = again;
    const outcome = await runDeployment(id, { ...options, ledger: again, sleep: advance });
    expect(outcome.status).toBe('succeeded');
    expect(names.map((n) => publishesOf(emu, n))).toEqual([1, 1, 1]);
    await again.close();
  });

  it("a cause that is not the ledger's own error is reported as LEDGER_UNAVAILABLE; empty kinds name no flow", () => {
    const error = ledgerLostError('d-1', new Error('socket hang up'), []);
    expect(error).toMatchObject({
      code: 'LEDGER_UNAVAILABLE',
      message:
        'deployment d-1 stopped starting steps, the ledger cannot be written (socket hang up). ' +
        'Recorded as published: 0; in doubt (publishing when the ledger went away): 0; not started: 0',
      hint: HINT,
      details: { deploymentId: 'd-1', steps: [] },
    });
  });
});
