/**
 * The contract's edges, on SQLite and on a real PostgreSQL: each optional column round-tripped
 * (and absent when it was), exact floating-point latencies, the status filter, the events'
 * sequence numbers after an import, flow lock holders in key order, and what a refused or
 * impossible change of state says.
 */
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPostgresLedger } from '../../src/ledger/postgres.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { SqlDriver } from '../../src/ledger/sql-driver.js';
import type { DeploymentRecord, Ledger, StepPatch, StepRecord } from '../../src/ledger/types.js';
import { postgresDatabase } from '../helpers/postgres.js';

/** Each engine's way to make a fresh database and open connections to it. */
const engines: Array<[string, () => Promise<() => Promise<Ledger>>]> = [
  [
    'sqlite',
    () => {
      const path = join(mkdtempSync(join(tmpdir(), 'flowgate-edges-')), 'l.db');
      return Promise.resolve(() => Promise.resolve(openSqliteLedger(path)));
    },
  ],
  [
    'postgres',
    async () => {
      const db = await postgresDatabase();
      return () => openPostgresLedger({ url: db.url, password: db.password });
    },
  ],
];

const org = 'https://api.example';
const deployment = (id: string, extra: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  id,
  createdAt: '2030-01-01T10:00:00.000Z',
  updatedAt: '2030-01-01T10:00:00.000Z',
  status: 'planned',
  actor: 'ci',
  org,
  atomic: true,
  ...extra,
});
const step = (deploymentId: string, index: number, extra: Partial<StepRecord> = {}): StepRecord => ({
  deploymentId,
  index,
  flowKey: `inboundcall:F${index}`,
  flowName: `F${index}`,
  flowType: 'inboundcall',
  kind: 'import',
  createdFlow: false,
  state: 'planned',
  dependsOn: [],
  updatedAt: '2030-01-01T10:00:00.000Z',
  ...extra,
});
const holder = (deploymentId: string) => ({
  pid: process.pid,
  host: hostname(),
  since: '2030-01-07T09:00:00.000Z',
  actor: 'runner',
  deploymentId,
});
/** The raw rows, for what the Ledger interface does not show (the events' numbering). */
const driverOf = (l: Ledger) => (l as unknown as { db: SqlDriver }).db;

for (const [name, database] of engines) {
  describe(`ledger edges: ${name}`, () => {
    const open = async () => (await database())();

    it('a run that wants flows another run holds is told first of the first held flow in key order', async () => {
      const connect = await database();
      const other = await connect();
      const me = await connect();
      const held = await other.lockFlows(org, ['inboundcall:C', 'inboundcall:B'], holder('d-other'), {
        waitMs: 0,
      });
      const e = (await me
        .lockFlows(org, ['inboundcall:C', 'inboundcall:B', 'inboundcall:A'], holder('d-me'), { waitMs: 0 })
        .catch((x: unknown) => x)) as { code: string; details: { held: Array<{ flowKey: string }> } };
      expect([e.code, e.details.held[0]?.flowKey]).toEqual(['LEDGER_LOCKED', 'inboundcall:B']);
      expect(await me.flowLockHolders(org, ['inboundcall:A'])).toEqual([]);
      await held.release();
      await other.close();
      await me.close();
    });

    it('reads back a deployment exactly: its manifest, env, plan hash and atomic false; absent ones absent', async () => {
      const l = await open();
      const full = deployment('d-full', {
        env: 'prod',
        manifest: 'flows/manifest.yaml',
        atomic: false,
        planHash: 'ph1',
      });
      const bare = deployment('d-bare', { createdAt: '2030-01-01T09:00:00.000Z' });
      await l.createDeployment(full, []);
      await l.createDeployment(bare, []);
      expect(await l.getDeployment('d-full')).toStrictEqual(full);
      const back = await l.getDeployment('d-bare');
      expect(back).toEqual(bare);
      expect(
        Object.keys(back ?? {}).filter((k) => k === 'planHash' || k === 'gates' || k === 'purpose'),
      ).toEqual([]);
      expect([back?.manifest, back?.env]).toEqual([undefined, undefined]);
      await l.close();
    });

    it('reads back every optional column of a step as written', async () => {
      const l = await open();
      const full = step('d1', 0, {
        flowId: 'fid',
        targetVersion: '4.0',
        previousVersion: '3.0',
        publishedVersion: '4.0',
        health: 'healthy',
        operationBefore: 'op-b',
        operationId: 'op-1',
        jobId: 'job-1',
        error: 'boom',
        state: 'failed',
      });
      await l.createDeployment(deployment('d1'), [full, step('d1', 1)]);
      const [a, b] = await l.steps('d1');
      expect(a).toEqual(full);
      expect(b).toEqual(step('d1', 1));
      await l.close();
    });

    it('reads back a call with its step index and latency exactly, and without an index as none', async () => {
      const l = await open();
      await l.createDeployment(deployment('d1'), []);
      const call = {
        deploymentId: 'd1',
        index: 3,
        at: '2030-01-01T10:00:01.000Z',
        method: 'POST',
        path: '/api/v2/flows/jobs',
        status: 202,
        attempts: 2,
        latencyMs: 1234.56789,
        correlationId: 'c-1',
        error: undefined,
      };
      const bare = {
        ...call,
        index: undefined,
        at: '2030-01-01T10:00:02.000Z',
        latencyMs: 0.1,
        correlationId: undefined,
      };
      await l.recordCall(call);
      await l.recordCall(bare);
      expect(await l.calls('d1')).toEqual([call, bare]);
      const [, second] = await l.calls('d1');
      expect('index' in (second ?? {}) && second?.index).toBe(undefined);
      await l.close();
    });

    it('lists only the deployments in the given statuses', async () => {
      const l = await open();
      await l.createDeployment(deployment('d-a', { createdAt: '2030-01-01T10:00:00.000Z' }), []);
      await l.createDeployment(deployment('d-b', { createdAt: '2030-01-01T11:00:00.000Z' }), []);
      await l.createDeployment(deployment('d-c', { createdAt: '2030-01-01T12:00:00.000Z' }), []);
      await l.setStatus('d-b', 'succeeded');
      await l.setStatus('d-c', 'failed');
      const ids = async (status?: DeploymentRecord['status'][]) =>
        (await l.listDeployments(status ? { status } : {})).map((d) => d.id);
      expect(await ids(['succeeded'])).toEqual(['d-b']);
      expect(await ids(['failed', 'planned'])).toEqual(['d-c', 'd-a']);
      expect(await ids()).toEqual(['d-c', 'd-b', 'd-a']);
      await l.close();
    });

    it('latest steps of no kinds or no states are none', async () => {
      const l = await open();
      await l.createDeployment(deployment('d1'), [step('d1', 0, { state: 'published' })]);
      expect(await l.latestSteps(org, [], ['published'])).toEqual([]);
      expect(await l.latestSteps(org, ['import'], [])).toEqual([]);
      expect((await l.latestSteps(org, ['import'], ['published'])).map((s) => s.flowKey)).toEqual([
        'inboundcall:F0',
      ]);
      await l.close();
    });

    it("history of one flow holds that flow's steps, history of all every flow's", async () => {
      const l = await open();
      await l.createDeployment(deployment('d1'), [
        step('d1', 0, { updatedAt: '2030-01-01T10:00:00.000Z' }),
        step('d1', 1, { updatedAt: '2030-01-01T11:00:00.000Z' }),
      ]);
      expect((await l.history('inboundcall:F0')).map((s) => [s.flowKey, s.status])).toEqual([
        ['inboundcall:F0', 'planned'],
      ]);
      expect((await l.history()).map((s) => s.flowKey)).toEqual(['inboundcall:F1', 'inboundcall:F0']);
      expect((await l.history(undefined, 1)).map((s) => s.flowKey)).toEqual(['inboundcall:F1']);
      await l.close();
    });

    it('names the holders of flows in key order, however they are asked for', async () => {
      const l = await open();
      const locks = await l.lockFlows(
        org,
        ['inboundcall:C', 'inboundcall:A', 'inboundcall:B', 'inboundcall:A'],
        holder('d1'),
        { waitMs: 0 },
      );
      expect(
        (
          await l.flowLockHolders(org, ['inboundcall:C', 'inboundcall:B', 'inboundcall:A', 'inboundcall:C'])
        ).map((h) => h.flowKey),
      ).toEqual(['inboundcall:A', 'inboundcall:B', 'inboundcall:C']);
      await locks.release();
      await l.close();
    });

    it("numbers an imported deployment's events per step and in all, and goes on from there", async () => {
      const l = await open();
      const at = '2030-01-01T10:00:00.000Z';
      const ev = (index: number, from: StepRecord['state'] | null, to: StepRecord['state']) => ({
        deploymentId: 'd1',
        index,
        at,
        from,
        to,
      });
      expect(
        await l.importDeployment({
          deployment: deployment('d1'),
          steps: [step('d1', 0, { state: 'publishing' }), step('d1', 1)],
          events: [ev(0, null, 'planned'), ev(1, null, 'planned'), ev(0, 'planned', 'publishing')],
          calls: [],
        }),
      ).toBe(true);
      await l.transition('d1', 0, 'published');
      expect(
        await driverOf(l).query(
          'SELECT idx, seq, ord FROM step_events WHERE deployment_id = ? ORDER BY ord',
          ['d1'],
        ),
      ).toEqual([
        { idx: 0, seq: 1, ord: 1 },
        { idx: 1, seq: 1, ord: 2 },
        { idx: 0, seq: 2, ord: 3 },
        { idx: 0, seq: 3, ord: 4 },
      ]);
      await l.close();
    });

    it('refuses a change the table does not allow, naming where the step may go', async () => {
      const l = await open();
      await l.createDeployment(deployment('d1'), [
        step('d1', 0, { state: 'published' }),
        step('d1', 1, { state: 'unchanged' }),
        step('d1', 2, { state: 'publishing' }),
      ]);
      await expect(l.transition('d1', 2, 'planned')).rejects.toMatchObject({
        hint: 'The step stays publishing. From publishing a step may become: publishing, published, failed, blocked.',
      });
      await expect(l.transition('d1', 0, 'publishing')).rejects.toMatchObject({
        code: 'LEDGER_TRANSITION',
        message: 'deployment d1, step 0 (F0): a step published cannot become publishing',
        hint: 'The step stays published. From published a step may become: rolled-back.',
        details: { deploymentId: 'd1', index: 0, from: 'published', to: 'publishing' },
      });
      await expect(l.transition('d1', 1, 'published')).rejects.toMatchObject({
        code: 'LEDGER_TRANSITION',
        message: 'deployment d1, step 1 (F1): a step unchanged cannot become published',
        hint: 'The step stays unchanged. From unchanged a step may become: nothing (it is final).',
      });
      await l.close();
    });

    it('says LEDGER_WRITE for a step the deployment does not have', async () => {
      const l = await open();
      await l.createDeployment(deployment('d1'), [step('d1', 0)]);
      await expect(l.transition('d1', 9, 'publishing')).rejects.toMatchObject({
        code: 'LEDGER_WRITE',
        message: 'deployment d1 has no step 9',
      });
      await l.close();
    });

    it('ignores a patch field that is not a column', async () => {
      const l = await open();
      await l.createDeployment(deployment('d1'), [step('d1', 0)]);
      const patch = { flowId: 'fid', flowName: 'renamed' } as StepPatch;
      const s = await l.transition('d1', 0, 'publishing', patch);
      expect([s.flowId, s.flowName, s.state]).toEqual(['fid', 'F0', 'publishing']);
      await l.close();
    });
  });
}
