/**
 * Losing the team ledger mid-deployment: the run stops starting steps, says what it knows of each
 * one, and a later run resumes it without publishing anything twice. Two real losses: every
 * session of the database cut (the locks go with them), and the PostgreSQL server stopped.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { recordCallsIn } from '../../src/deploy/call-context.js';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { planDeployment } from '../../src/deploy/plan.js';
import { openPostgresLedger } from '../../src/ledger/postgres.js';
import type { Ledger } from '../../src/ledger/types.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { inboundFlow, publishesOf, workspace } from '../helpers/deploy.js';
import { postgresDatabase } from '../helpers/postgres.js';
import { startPostgres } from '../helpers/postgres-server.js';

const names = Array.from({ length: 6 }, (_, i) => `Loss Flow ${i}`);
const manifest = () => {
  const files: Record<string, string> = {
    'flowgate.yaml': `version: 1\nflows:\n${names.map((_, i) => `  - file: f${i}.yaml\n`).join('')}`,
  };
  names.forEach((n, i) => (files[`f${i}.yaml`] = inboundFlow(n)));
  return workspace(files);
};

describe('the ledger lost mid-deployment', () => {
  const e = useEmulator({ settings: { operationDelayMs: 10, jobDelayMs: 10 } });

  const scenarios: Array<
    [
      string,
      () => Promise<{
        url: string;
        password: string;
        lose: () => Promise<void>;
        restore: () => Promise<void>;
        done: () => void;
      }>,
    ]
  > = [
    [
      'every session of the database cut',
      async () => {
        const db = await postgresDatabase();
        return {
          url: db.url,
          password: db.password,
          lose: async () => {
            expect(await db.cutConnections()).toBeGreaterThan(0);
          },
          restore: () => Promise.resolve(),
          done: () => undefined,
        };
      },
    ],
    [
      'the PostgreSQL server stopped',
      async () => {
        const server = await startPostgres();
        return {
          url: server.url,
          password: server.password,
          lose: () => Promise.resolve(server.stopImmediately()),
          restore: () => Promise.resolve(server.start()),
          done: () => server.stop(),
        };
      },
    ],
  ];

  for (const [name, make] of scenarios)
    it(`${name}: no new step starts, the error says what is known, and the next run finishes it exactly once`, async () => {
      const emu = e.get();
      const target = await make();
      try {
        const dir = manifest();
        const holder: { ledger?: Ledger } = {};
        const { client } = clientFor(emu, { onCall: recordCallsIn(() => holder.ledger) });
        const ledger = await openPostgresLedger({ url: target.url, password: target.password });
        holder.ledger = ledger;
        const deployment = await loadDeployment(join(dir, 'flowgate.yaml'), {});
        const plan = await planDeployment(deployment, {
          client,
          ledger,
          loaded: await loadDeploymentFlows(deployment),
        });
        const id = await createDeployment(plan, ledger, { atomic: true });
        let published = 0;
        const run = runDeployment(id, {
          client,
          ledger,
          concurrency: 1,
          poll: { intervalMs: 10, maxIntervalMs: 20 },
          // The loss happens right after the second flow is recorded as published.
          onEvent: async (ev) => {
            if (ev.type === 'published' && ++published === 2) await target.lose();
          },
        });
        const failure = (await run.then(
          () => undefined,
          (err: unknown) => err,
        )) as { code?: string; message?: string; details?: { steps: Array<{ state: string }> } };
        expect(failure?.code).toBe('LEDGER_UNAVAILABLE');
        expect(failure.message).toMatch(/stopped starting steps/);
        expect(failure.message).toMatch(/Recorded as published: 2: Loss Flow 0, Loss Flow 1/);
        expect(failure.message).not.toContain(target.password);
        // Nothing after the loss was published.
        expect(names.map((n) => publishesOf(emu, n))).toEqual([1, 1, 0, 0, 0, 0]);
        await ledger.close().catch(() => undefined);

        await target.restore();
        const again = await openPostgresLedger({ url: target.url, password: target.password });
        holder.ledger = again;
        expect((await again.getDeployment(id))?.status).toBe('running');
        const outcome = await runDeployment(id, {
          client,
          ledger: again,
          poll: { intervalMs: 10, maxIntervalMs: 20 },
        });
        expect(outcome.status).toBe('succeeded');
        expect(names.map((n) => publishesOf(emu, n))).toEqual([1, 1, 1, 1, 1, 1]);
        await again.close();
      } finally {
        target.done();
      }
    });
});
