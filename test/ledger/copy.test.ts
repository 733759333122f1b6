/**
 * `ledger migrate`'s copy between two real SQLite ledgers: every deployment however many there
 * are (more than a listing's default page), oldest first, with its progress told, and only what
 * is new when copied again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyLedger } from '../../src/ledger/copy.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { DeploymentBundle, Ledger } from '../../src/ledger/types.js';

const fresh = () => openSqliteLedger(join(mkdtempSync(join(tmpdir(), 'flowgate-copy-')), 'l.db'));
/** Deployment n was created n minutes after 10:00 (so d-00 is the oldest). */
const id = (n: number) => `d-${String(n).padStart(2, '0')}`;
const createdAt = (n: number) => new Date(Date.parse('2030-01-01T10:00:00.000Z') + n * 60_000).toISOString();

/** The real target, with the ids it was asked to import, in order. */
function recording(to: Ledger): { ledger: Ledger; imported: string[] } {
  const imported: string[] = [];
  const ledger = new Proxy(to, {
    get(target, prop, receiver) {
      if (prop === 'importDeployment')
        return (b: DeploymentBundle) => {
          imported.push(b.deployment.id);
          return target.importDeployment(b);
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { ledger, imported };
}

describe('copyLedger', () => {
  it('copies all 51 deployments oldest first, telling its progress, and then only new ones', async () => {
    const from = fresh();
    for (let n = 0; n < 51; n++)
      await from.createDeployment(
        {
          id: id(n),
          createdAt: createdAt(n),
          updatedAt: createdAt(n),
          status: 'succeeded',
          actor: 'ci',
          org: 'https://api.example',
          atomic: true,
        },
        [],
      );
    const to = fresh();
    const { ledger, imported } = recording(to);
    const progress: Array<[number, number]> = [];
    const first = await copyLedger(from, ledger, (done, total) => progress.push([done, total]));
    expect(first).toEqual({ copied: 51, skipped: 0, steps: 0, events: 0, calls: 0, approvals: 0 });
    expect(imported).toEqual(Array.from({ length: 51 }, (_, n) => id(n)));
    expect(progress).toEqual(Array.from({ length: 51 }, (_, n) => [n + 1, 51]));
    expect((await to.listDeployments({ limit: 100 })).length).toBe(51);
    expect(await copyLedger(from, to)).toEqual({
      copied: 0,
      skipped: 51,
      steps: 0,
      events: 0,
      calls: 0,
      approvals: 0,
    });
    await from.close();
    await to.close();
  });
});
