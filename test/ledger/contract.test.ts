/**
 * The ledger's contract: what every implementation must do (SQLite now; the PostgreSQL ledger will
 * run this same suite). Real SQLite files, several connections to one file for the concurrency parts.
 */
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { Ledger, StepRecord } from '../../src/ledger/types.js';

const implementations: Array<[string, () => { open: () => Ledger }]> = [
  [
    'sqlite',
    () => {
      const path = join(mkdtempSync(join(tmpdir(), 'flowgate-ledger-')), 'ledger.db');
      return { open: () => openSqliteLedger(path) };
    },
  ],
];

const step = (deploymentId: string, index: number, extra: Partial<StepRecord> = {}): StepRecord => ({
  deploymentId,
  index,
  flowKey: `inboundcall:Flow ${index}`,
  flowName: `Flow ${index}`,
  flowType: 'inboundcall',
  kind: 'import',
  createdFlow: false,
  state: 'planned',
  dependsOn: [],
  updatedAt: '2026-11-25T10:00:00.000Z',
  ...extra,
});
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
      const l = make().open();
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
      const l = make().open();
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

    it('lastPublished and history find a flow across deployments, newest first', async () => {
      const l = make().open();
      await l.createDeployment(deployment('d3', '2026-11-25T10:00:00.000Z'), [
        step('d3', 0, { contentHash: 'old' }),
      ]);
      await l.transition('d3', 0, 'published', { publishedVersion: '1.0' });
      await new Promise((r) => setTimeout(r, 5)); // distinct updated_at
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
      await l.close();
    });

    it('records API calls against their step', async () => {
      const l = make().open();
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
      const impl = make();
      const a = impl.open();
      const b = impl.open(); // a second connection, as a second process would have
      await a.createDeployment(deployment('d7'), [step('d7', 0)]);
      const held = await a.acquire('d7', {
        pid: process.pid,
        host: hostname(),
        since: 'now',
        actor: 'runner-1',
      });
      await expect(
        b.acquire('d7', { pid: process.pid + 1, host: hostname(), since: 'later', actor: 'runner-2' }),
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
      // A holder whose process is gone (a SIGKILLed run) does not block anyone.
      await a.acquire('d7', { pid: 2 ** 22 + 12345, host: hostname(), since: 'dead', actor: 'ghost' });
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

    it('migrations are versioned and applied once, also when several open a new ledger at once', async () => {
      const impl = make();
      const many = Array.from({ length: 4 }, () => impl.open());
      await many[0]!.createDeployment(deployment('d8'), [step('d8', 0)]);
      for (const l of many) expect(await l.getDeployment('d8')).toBeDefined();
      await Promise.all(many.map((l) => l.close()));
    });
  });
}
