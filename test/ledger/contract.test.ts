/**
 * The ledger's contract: what every implementation must do (SQLite now; the PostgreSQL ledger will
 * run this same suite). Real SQLite files, several connections to one file for the concurrency parts.
 */
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/ledger/migrations.js';
import { openPostgresLedger } from '../../src/ledger/postgres.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { postgresDatabase } from '../helpers/postgres.js';
import type { Ledger, StepRecord } from '../../src/ledger/types.js';
import type { Clock } from '../../src/shared/time.js';
import { stepRecord } from '../helpers/ledger-records.js';

/** How a test makes a holder of a run lock die without releasing it. */
type Impl = {
  /** Opens a connection (`now`: the ledger's clock, for the times it stamps). */
  open: (o?: { now?: Clock }) => Promise<Ledger>;
  /** The schema_migrations table as the database holds it. */
  appliedMigrations: () => Promise<Array<{ version: number; name: string }>>;
  /** Takes the run lock as a runner that then dies (its process, or its database session). */
  abandonRun: (deploymentId: string) => Promise<void>;
  /** Takes flow locks as a runner that then dies. */
  abandonFlows: (org: string, keys: string[], deploymentId: string) => Promise<void>;
};

const DEAD_PID = 2 ** 22 + 12345;
const holderOf = (actor: string, deploymentId = 'dx', pid = process.pid) => ({
  pid,
  host: hostname(),
  since: '2026-11-25T10:00:00.000Z',
  actor,
  deploymentId,
});

const implementations: Array<[string, () => Promise<Impl>]> = [
  [
    'sqlite',
    () => {
      const path = join(mkdtempSync(join(tmpdir(), 'flowgate-ledger-')), 'ledger.db');
      const open = (o: { now?: Clock } = {}) => Promise.resolve(openSqliteLedger(path, o));
      return Promise.resolve({
        open,
        appliedMigrations: () => {
          const db = new Database(path, { readonly: true });
          try {
            return Promise.resolve(
              db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{
                version: number;
                name: string;
              }>,
            );
          } finally {
            db.close();
          }
        },
        // A row naming a process that no longer exists, as a SIGKILLed run leaves it.
        abandonRun: async (id) => {
          const l = await open();
          await l.acquire(id, holderOf('ghost', id, DEAD_PID));
          await l.close();
        },
        abandonFlows: async (org, keys, id) => {
          const l = await open();
          await l.lockFlows(org, keys, holderOf('ghost', id, DEAD_PID), { waitMs: 0 });
          await l.close();
        },
      });
    },
  ],
  [
    'postgres',
    async () => {
      const db = await postgresDatabase();
      const open = (o: { now?: Clock } = {}) =>
        openPostgresLedger({ url: db.url, password: db.password, ...o });
      // The session that holds the lock ends without releasing it (a SIGKILLed runner's connection).
      const dieHolding = async (take: (l: Ledger) => Promise<unknown>) => {
        const l = await open();
        await take(l);
        await db.admin(
          `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND a.datname = $1`,
          [db.name],
        );
        await l.close().catch(() => undefined);
      };
      return {
        open,
        appliedMigrations: async () =>
          (await db.admin('SELECT version, name FROM schema_migrations ORDER BY version')).map((r) => ({
            version: Number(r.version),
            name: String(r.name),
          })),
        abandonRun: (id) => dieHolding((l) => l.acquire(id, holderOf('ghost', id))),
        abandonFlows: (org, keys, id) =>
          dieHolding((l) => l.lockFlows(org, keys, holderOf('ghost', id), { waitMs: 0 })),
      };
    },
  ],
];

/** Step `index` of a deployment (`ledger-records.ts`), stamped at this file's moment. */
const step = (deploymentId: string, index: number, extra: Partial<StepRecord> = {}): StepRecord =>
  stepRecord(deploymentId, index, { updatedAt: '2026-11-25T10:00:00.000Z', ...extra });
const deployment = (id: string, createdAt = '2026-11-25T10:00:00.000Z') => ({
  id,
  createdAt,
  updatedAt: createdAt,
  status: 'planned' as const,
  actor: 'ci-client',
  org: 'https://api.example',
  atomic: true,
});

for (const [name, make] of implementations) {
  describe(`ledger contract: ${name}`, () => {
    it('creates a deployment with its steps, and reads them back exactly', async () => {
      const l = await (await make()).open();
      await l.createDeployment(deployment('d1'), [
        step('d1', 0, {
          content: 'inboundCall:\n  name: x\n',
          contentHash: 'abc',
          activateAt: '2026-12-01T05:00:00.000Z',
          dependsOn: [],
        }),
        step('d1', 1, { dependsOn: [0] }),
      ]);
      const steps = await l.steps('d1');
      expect(steps).toHaveLength(2);
      expect(steps[0]).toMatchObject({
        content: 'inboundCall:\n  name: x\n',
        contentHash: 'abc',
        activateAt: '2026-12-01T05:00:00.000Z',
        state: 'planned',
        createdFlow: false,
      });
      expect(steps[1]!.dependsOn).toEqual([0]);
      expect(await l.getDeployment('d1')).toMatchObject({
        id: 'd1',
        status: 'planned',
        atomic: true,
        actor: 'ci-client',
      });
      expect(await l.getDeployment('nope')).toBeUndefined();
      await l.close();
    });

    it('every transition is recorded as an event with its detail, fields change with it', async () => {
      const l = await (await make()).open();
      await l.createDeployment(deployment('d2'), [step('d2', 0)]);
      await l.transition('d2', 0, 'publishing', { operationBefore: 'op-0' }, 'publishing');
      await l.note('d2', 0, { jobId: 'job-1' }, 'job registered');
      const done = await l.transition(
        'd2',
        0,
        'published',
        { publishedVersion: '4.0', flowId: 'f-1', createdFlow: true },
        'published',
      );
      expect(done).toMatchObject({
        state: 'published',
        publishedVersion: '4.0',
        jobId: 'job-1',
        operationBefore: 'op-0',
        createdFlow: true,
      });
      const events = await l.events('d2');
      expect(events.map((e) => [e.from, e.to, e.detail])).toEqual([
        [null, 'planned', 'planned'],
        ['planned', 'publishing', 'publishing'],
        ['publishing', 'publishing', 'job registered'],
        ['publishing', 'published', 'published'],
      ]);
      await l.close();
    });

    it('refuses a change of state the transition table does not allow, and records nothing of it', async () => {
      // A clock that never moves: every event shares one millisecond, and still reads back in the
      // order it was recorded (step 1's `planned` before step 0's `cancelled`).
      const l = await (await make()).open({ now: () => Date.parse('2026-11-25T10:00:00.000Z') });
      await l.createDeployment(deployment('dt'), [step('dt', 0), step('dt', 1)]);
      await l.transition('dt', 0, 'cancelled', {}, 'a flow it depends on failed');
      // A cancelled step never publishes; a step not started has nothing to roll back.
      await expect(l.transition('dt', 0, 'publishing', { operationBefore: 'op-9' })).rejects.toMatchObject({
        code: 'LEDGER_TRANSITION',
        details: { deploymentId: 'dt', index: 0, from: 'cancelled', to: 'publishing' },
      });
      await expect(l.transition('dt', 1, 'rolled-back')).rejects.toMatchObject({ code: 'LEDGER_TRANSITION' });
      const steps = await l.steps('dt');
      expect(steps.map((s) => [s.state, s.operationBefore])).toEqual([
        ['cancelled', undefined],
        ['planned', undefined],
      ]);
      expect((await l.events('dt')).map((e) => [e.index, e.from, e.to])).toEqual([
        [0, null, 'planned'],
        [1, null, 'planned'],
        [0, 'planned', 'cancelled'],
      ]);
      await l.close();
    });

    it('lastPublished and history find a flow across deployments, newest first', async () => {
      // The ledger's clock moves a second per stamp: every change has its own updated_at.
      let t = Date.parse('2026-11-25T10:00:00.000Z');
      const l = await (await make()).open({ now: () => (t += 1000) });
      await l.createDeployment(deployment('d3', '2026-11-25T10:00:00.000Z'), [
        step('d3', 0, { contentHash: 'old' }),
      ]);
      await l.transition('d3', 0, 'published', { publishedVersion: '1.0' });
      await l.createDeployment(deployment('d4', '2026-11-25T11:00:00.000Z'), [
        step('d4', 0, { contentHash: 'new' }),
      ]);
      await l.transition('d4', 0, 'published', { publishedVersion: '2.0' });
      await l.createDeployment(deployment('d5', '2026-11-25T12:00:00.000Z'), [
        step('d5', 0, { contentHash: 'failed' }),
      ]);
      await l.transition('d5', 0, 'failed', { error: 'boom' });
      expect((await l.lastPublished('inboundcall:Flow 0'))?.contentHash).toBe('new');
      expect(await l.lastPublished('inboundcall:Nothing')).toBeUndefined();
      const history = await l.history('inboundcall:Flow 0');
      expect(history.map((h) => h.deploymentId)).toEqual(['d5', 'd4', 'd3']);
      expect((await l.listDeployments({ limit: 2 })).map((d) => d.id)).toEqual(['d5', 'd4']);
      await l.setStatus('d5', 'failed');
      expect((await l.listDeployments({ status: ['failed'] })).map((d) => d.id)).toEqual(['d5']);
      // By name or key, the limit counting that flow's steps; the names for "did you mean".
      await l.createDeployment(deployment('d6', '2026-11-25T13:00:00.000Z'), [step('d6', 1), step('d6', 2)]);
      expect((await l.flowHistory('Flow 0', 2)).map((h) => h.deploymentId)).toEqual(['d5', 'd4']);
      expect((await l.flowHistory('inboundcall:Flow 0', 1)).map((h) => h.deploymentId)).toEqual(['d5']);
      expect(await l.flowHistory('Flow 9')).toEqual([]);
      expect(await l.flowNames()).toEqual(['Flow 0', 'Flow 1', 'Flow 2']);
      await l.close();
    });

    it('artifacts, health verdicts, plan hashes, gates and approvals (issue 26): by artifact, by file and environment, rollbacks after', async () => {
      const l = await (await make()).open();
      const artifact = {
        artifactHash: 'a1',
        valuesHash: 'v1',
        source: 'x: {{ k }}\n',
        sourceFile: 'flows/a.yaml',
      };
      const gates = [{ gate: 'passed dev', met: true, detail: '1 of 1 flows' }];
      await l.createDeployment({ ...deployment('g1', '2026-11-25T10:00:00.000Z'), env: 'dev' }, [
        step('g1', 0, artifact),
      ]);
      await l.createDeployment(
        {
          ...deployment('g2', '2026-11-25T11:00:00.000Z'),
          env: 'prod',
          org: 'https://prod',
          planHash: 'p'.repeat(64),
          gates,
        },
        [step('g2', 0, { ...artifact, valuesHash: 'v2' })],
      );
      await l.createDeployment(
        { ...deployment('g3', '2026-11-25T12:00:00.000Z'), purpose: 'rollback' as const },
        [step('g3', 0)],
      );
      await l.transition('g1', 0, 'published');
      await l.note('g1', 0, { health: 'insufficient' }, 'health (look 3 of 3): insufficient');
      expect((await l.steps('g1'))[0]).toMatchObject({ ...artifact, health: 'insufficient' });
      expect(await l.getDeployment('g2')).toMatchObject({ planHash: 'p'.repeat(64), gates });
      const byArtifact = await l.artifactSteps('a1', 'flows/a.yaml');
      expect(byArtifact.map((s) => [s.deploymentId, s.deployment.env, s.valuesHash])).toEqual([
        ['g2', 'prod', 'v2'],
        ['g1', 'dev', 'v1'],
      ]);
      expect(await l.artifactSteps('a1', 'flows/other.yaml')).toEqual([]);
      expect((await l.fileSteps('flows/a.yaml', 'dev')).map((s) => s.deploymentId)).toEqual(['g1']);
      const after = await l.rollbacksSince(
        'https://api.example',
        'inboundcall:Flow 0',
        '2026-11-25T10:00:00.000Z',
      );
      expect(after.map((s) => [s.deploymentId, s.deployment.purpose])).toEqual([['g3', 'rollback']]);
      expect(
        await l.rollbacksSince('https://api.example', 'inboundcall:Flow 0', '2026-11-25T12:00:00.000Z'),
      ).toEqual([]);
      await l.recordApproval({
        id: 'a-1',
        planHash: 'p'.repeat(64),
        actor: 'alice',
        at: '2026-11-25T10:30:00.000Z',
        note: 'CAB-1',
      });
      await l.recordApproval({
        id: 'a-2',
        planHash: 'p'.repeat(64),
        env: 'prod',
        deploymentId: 'g2',
        actor: 'bob',
        at: '2026-11-25T10:31:00.000Z',
      });
      expect(await l.approvals('p'.repeat(64))).toEqual([
        {
          id: 'a-1',
          planHash: 'p'.repeat(64),
          env: undefined,
          deploymentId: undefined,
          actor: 'alice',
          at: '2026-11-25T10:30:00.000Z',
          note: 'CAB-1',
        },
        {
          id: 'a-2',
          planHash: 'p'.repeat(64),
          env: 'prod',
          deploymentId: 'g2',
          actor: 'bob',
          at: '2026-11-25T10:31:00.000Z',
          note: undefined,
        },
      ]);
      expect(await l.approvals('q'.repeat(64))).toEqual([]);
      await l.close();
    });

    it('records API calls against their step', async () => {
      const l = await (await make()).open();
      await l.createDeployment(deployment('d6'), [step('d6', 0)]);
      await l.recordCall({
        deploymentId: 'd6',
        index: 0,
        at: '2026-11-25T10:00:01.000Z',
        method: 'POST',
        path: '/api/v2/flows/jobs',
        status: 200,
        attempts: 2,
        latencyMs: 12.5,
        correlationId: 'c-1',
      });
      await l.recordCall({
        deploymentId: 'd6',
        at: '2026-11-25T10:00:00.000Z',
        method: 'GET',
        path: '/api/v2/flows',
        status: 429,
        attempts: 1,
        latencyMs: 3,
        error: 'API_RATE_LIMITED',
      });
      const calls = await l.calls('d6');
      expect(
        calls.map((c) => [c.index, c.status, c.attempts, c.latencyMs, c.correlationId, c.error]),
      ).toEqual([
        [undefined, 429, 1, 3, undefined, 'API_RATE_LIMITED'],
        [0, 200, 2, 12.5, 'c-1', undefined],
      ]);
      await l.close();
    });

    it('one holder at a time per deployment, naming the holder; a dead holder is taken over', async () => {
      const impl = await make();
      const a = await impl.open();
      const b = await impl.open(); // a second connection, as a second process would have
      await a.createDeployment(deployment('d7'), [step('d7', 0)]);
      const held = await a.acquire('d7', {
        pid: process.pid,
        host: hostname(),
        since: 'now',
        actor: 'runner-1',
      });
      await expect(
        b.acquire('d7', { pid: process.ppid, host: hostname(), since: 'later', actor: 'runner-2' }),
      ).rejects.toMatchObject({
        code: 'LEDGER_BUSY',
        message: expect.stringContaining(`process ${process.pid} on ${hostname()} (runner-1)`),
      });
      await held.release();
      const mine = await b.acquire('d7', {
        pid: process.pid,
        host: hostname(),
        since: 'later',
        actor: 'runner-2',
      });
      await mine.release();
      // A holder that died (a SIGKILLed run) does not block anyone.
      await impl.abandonRun('d7');
      const taken = await b.acquire('d7', {
        pid: process.pid,
        host: hostname(),
        since: 'now',
        actor: 'runner-3',
      });
      await taken.release();
      await a.close();
      await b.close();
    });

    it('flow locks: all or none, per org; the second run fails at once naming the holder; other flows go ahead', async () => {
      const impl = await make();
      const a = await impl.open();
      const b = await impl.open();
      const org = 'https://api.mypurecloud.com';
      const held = await a.lockFlows(org, ['inboundcall:B', 'inboundcall:A'], holderOf('runner-1', 'd-a'), {
        waitMs: 0,
      });
      expect(held.waited).toBe(false);
      await expect(
        b.lockFlows(org, ['inboundcall:C', 'inboundcall:B'], holderOf('runner-2', 'd-b', process.ppid), {
          waitMs: 0,
        }),
      ).rejects.toMatchObject({
        code: 'LEDGER_LOCKED',
        message: expect.stringContaining(
          `inboundcall:B is being deployed by deployment d-a (runner-1, process ${process.pid} on ${hostname()}`,
        ),
      });
      // All or none: C was not kept by the failed attempt.
      expect(
        (await b.flowLockHolders(org, ['inboundcall:A', 'inboundcall:B', 'inboundcall:C'])).map((h) => [
          h.flowKey,
          h.holder.deploymentId,
        ]),
      ).toEqual([
        ['inboundcall:A', 'd-a'],
        ['inboundcall:B', 'd-a'],
      ]);
      // Different flows, or the same flow in another org, go ahead at once.
      const other = await b.lockFlows(org, ['inboundcall:C'], holderOf('runner-2', 'd-b', process.ppid), {
        waitMs: 0,
      });
      const otherOrg = await b.lockFlows(
        'https://api.mypurecloud.ie',
        ['inboundcall:A'],
        holderOf('runner-2', 'd-c', process.ppid),
        { waitMs: 0 },
      );
      await held.release();
      const after = await b.lockFlows(org, ['inboundcall:B'], holderOf('runner-2', 'd-b', process.ppid), {
        waitMs: 0,
      });
      expect(await a.flowLockHolders(org, ['inboundcall:A'])).toEqual([]);
      await Promise.all([other.release(), otherOrg.release(), after.release()]);
      await a.close();
      await b.close();
    });

    it('a run waiting for a flow gets it when the holder releases, and knows it waited', async () => {
      const impl = await make();
      const a = await impl.open();
      const b = await impl.open();
      const org = 'https://api.example';
      const held = await a.lockFlows(org, ['inboundcall:A'], holderOf('runner-1', 'd-a'), { waitMs: 0 });
      const told: string[] = [];
      const second = await b.lockFlows(org, ['inboundcall:A'], holderOf('runner-2', 'd-b', process.ppid), {
        waitMs: 120_000,
        // The holder finishes once the second run is known to wait: no sleeps, no timing.
        onWait: async (h) => {
          told.push(...h.map((x) => `${x.flowKey} ${x.holder.deploymentId} ${x.holder.actor}`));
          await held.release();
        },
      });
      expect(told).toEqual(['inboundcall:A d-a runner-1']);
      expect(second.waited).toBe(true);
      expect((await a.flowLockHolders(org, ['inboundcall:A']))[0]?.holder.deploymentId).toBe('d-b');
      await second.check();
      await second.release();
      await a.close();
      await b.close();
    });

    it('a wait ends with LEDGER_LOCKED after its timeout, and with ABORTED when cancelled', async () => {
      const impl = await make();
      const a = await impl.open();
      const b = await impl.open();
      const org = 'https://api.example';
      const held = await a.lockFlows(org, ['inboundcall:A'], holderOf('runner-1', 'd-a'), { waitMs: 0 });
      await expect(
        b.lockFlows(org, ['inboundcall:A'], holderOf('runner-2', 'd-b', process.ppid), { waitMs: 300 }),
      ).rejects.toMatchObject({
        code: 'LEDGER_LOCKED',
        message: expect.stringContaining('still locked after waiting'),
      });
      const stop = new AbortController();
      await expect(
        b.lockFlows(org, ['inboundcall:A'], holderOf('runner-2', 'd-b', process.ppid), {
          waitMs: 120_000,
          signal: stop.signal,
          onWait: () => stop.abort(),
        }),
      ).rejects.toMatchObject({ code: 'ABORTED' });
      // The holder is untouched by both.
      expect((await b.flowLockHolders(org, ['inboundcall:A']))[0]?.holder.deploymentId).toBe('d-a');
      await held.release();
      await a.close();
      await b.close();
    });

    it('flow locks of a runner that died hold nothing', async () => {
      const impl = await make();
      const org = 'https://api.example';
      await impl.abandonFlows(org, ['inboundcall:A', 'inboundcall:B'], 'd-dead');
      const b = await impl.open();
      expect(await b.flowLockHolders(org, ['inboundcall:A', 'inboundcall:B'])).toEqual([]);
      const mine = await b.lockFlows(org, ['inboundcall:A'], holderOf('runner-2', 'd-b'), { waitMs: 0 });
      await mine.release();
      await b.close();
    });

    it('lastPublished is scoped to an org when asked (one team ledger, several orgs)', async () => {
      const l = await (await make()).open();
      await l.createDeployment({ ...deployment('dev1'), org: 'https://dev' }, [
        step('dev1', 0, { flowId: 'f-dev' }),
      ]);
      await l.transition('dev1', 0, 'published', { publishedVersion: '9.0' });
      await l.createDeployment({ ...deployment('prod1'), org: 'https://prod' }, [
        step('prod1', 0, { flowId: 'f-prod' }),
      ]);
      await l.transition('prod1', 0, 'published', { publishedVersion: '2.0' });
      expect((await l.lastPublished('inboundcall:Flow 0', 'https://dev'))?.flowId).toBe('f-dev');
      expect((await l.lastPublished('inboundcall:Flow 0', 'https://prod'))?.flowId).toBe('f-prod');
      expect(await l.lastPublished('inboundcall:Flow 0', 'https://other')).toBeUndefined();
      await l.close();
    });

    it('latestSteps: the newest step of each flow in one org, of the kinds and states asked; a prune step is no publish', async () => {
      const l = await (await make()).open();
      await l.createDeployment({ ...deployment('a1', '2026-11-25T10:00:00.000Z'), org: 'https://dev' }, [
        step('a1', 0, { flowId: 'old' }),
        step('a1', 1),
      ]);
      await l.transition('a1', 0, 'published');
      await l.transition('a1', 1, 'published');
      await l.createDeployment({ ...deployment('a2', '2026-11-25T11:00:00.000Z'), org: 'https://dev' }, [
        step('a2', 0, { flowId: 'new' }),
      ]);
      await l.transition('a2', 0, 'published');
      await l.createDeployment({ ...deployment('other', '2026-11-25T12:00:00.000Z'), org: 'https://prod' }, [
        step('other', 2),
      ]);
      await l.transition('other', 2, 'published');
      const published = await l.latestSteps('https://dev', ['import', 'publish'], ['published']);
      expect(published.map((s) => [s.flowKey, s.deploymentId, s.flowId])).toEqual([
        ['inboundcall:Flow 0', 'a2', 'new'],
        ['inboundcall:Flow 1', 'a1', undefined],
      ]);
      expect(published[0]!.deployment.org).toBe('https://dev');
      await l.createDeployment(
        { ...deployment('p1', '2026-11-25T13:00:00.000Z'), org: 'https://dev', purpose: 'prune' },
        [step('p1', 0, { kind: 'delete' })],
      );
      await l.transition('p1', 0, 'publishing');
      await l.transition('p1', 0, 'published');
      expect((await l.getDeployment('p1'))?.purpose).toBe('prune');
      expect(
        (await l.latestSteps('https://dev', ['delete'], ['published'])).map((s) => s.deploymentId),
      ).toEqual(['p1']);
      expect((await l.lastPublished('inboundcall:Flow 0', 'https://dev'))?.deploymentId).toBe('a2');
      expect(await l.latestSteps('https://dev', [], ['published'])).toEqual([]);
      await l.close();
    });

    it('imports a deployment with its whole history once (ledger migrate)', async () => {
      const source = openSqliteLedger(join(mkdtempSync(join(tmpdir(), 'flowgate-src-')), 'l.db'));
      await source.createDeployment(deployment('m1'), [step('m1', 0), step('m1', 1, { dependsOn: [0] })]);
      await source.transition('m1', 0, 'publishing', {}, 'publishing');
      await source.transition('m1', 0, 'published', { publishedVersion: '3.0', flowId: 'f-1' }, 'published');
      await source.recordCall({
        deploymentId: 'm1',
        index: 0,
        at: '2026-11-25T10:00:01.000Z',
        method: 'POST',
        path: '/api/v2/flows/actions/publish',
        status: 200,
        attempts: 1,
        latencyMs: 12.3,
      });
      await source.setStatus('m1', 'partial');
      const approval = {
        id: 'a-m',
        planHash: 'c'.repeat(64),
        actor: 'alice',
        at: '2026-11-25T10:00:02.000Z',
      };
      await source.recordApproval(approval);
      const target = await (await make()).open();
      const { copyLedger } = await import('../../src/ledger/copy.js');
      expect(await copyLedger(source, target)).toEqual({
        copied: 1,
        skipped: 0,
        steps: 2,
        events: 4,
        calls: 1,
        approvals: 1,
      });
      expect(await copyLedger(source, target)).toMatchObject({ copied: 0, skipped: 1, approvals: 0 });
      expect(await target.approvals('c'.repeat(64))).toMatchObject([approval]);
      expect(await target.getDeployment('m1')).toEqual(await source.getDeployment('m1'));
      expect(await target.steps('m1')).toEqual(await source.steps('m1'));
      expect(await target.events('m1')).toEqual(await source.events('m1'));
      expect(await target.calls('m1')).toEqual(await source.calls('m1'));
      expect((await target.lastPublished('inboundcall:Flow 0'))?.publishedVersion).toBe('3.0');
      await source.close();
      await target.close();
    });

    it('migrations are versioned and applied once, also when several open a new ledger at once', async () => {
      const impl = await make();
      const many = await Promise.all(Array.from({ length: 4 }, () => impl.open()));
      // Each version recorded once, in order, exactly the versions the code knows.
      expect(await impl.appliedMigrations()).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
      await many[0]!.createDeployment(deployment('d8'), [step('d8', 0)]);
      // One schema for all four: what one wrote, every other reads back as written.
      for (const l of many) expect(await l.getDeployment('d8')).toEqual(deployment('d8'));
      await Promise.all(many.map((l) => l.close()));
      const again = await impl.open();
      await again.close();
      expect(await impl.appliedMigrations()).toHaveLength(MIGRATIONS.length);
    });
  });
}
