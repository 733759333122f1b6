/**
 * New-user trial: `flowgate history "Main IVR" --limit 3` said `no deployment of Main IVR` while
 * the ledger held 11 Main IVR steps, because the limit was applied to every flow's steps before
 * the filter. The limit counts the named flow's steps; an unknown name gets the closest names
 * the ledger knows (real SQLite ledger, real CLI child processes).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { StepRecord } from '../../src/ledger/types.js';
import { workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';

/** A ledger whose newest 60 steps are other flows', after 11 steps of Main IVR. */
async function busyLedger(dir: string): Promise<void> {
  mkdirSync(join(dir, '.flowgate'), { recursive: true });
  const ledger = openSqliteLedger(join(dir, '.flowgate', 'ledger.db'));
  const step = (deploymentId: string, index: number, name: string, minute: number): StepRecord => ({
    deploymentId,
    index,
    flowKey: `inboundcall:${name.toLowerCase()}`,
    flowName: name,
    flowType: 'inboundcall',
    kind: 'import',
    previousVersion: '1.0',
    publishedVersion: '2.0',
    createdFlow: false,
    state: 'published',
    dependsOn: [],
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  });
  for (let i = 0; i < 71; i++) {
    const id = `d-${String(i).padStart(3, '0')}`;
    const at = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
    await ledger.createDeployment(
      {
        id,
        createdAt: at,
        updatedAt: at,
        status: 'succeeded',
        actor: 'ci',
        org: 'https://api.example.test',
        atomic: true,
      },
      [step(id, 0, i < 11 ? 'Main IVR' : `Other Flow ${i}`, i)],
    );
  }
  await ledger.close();
}

describe('flowgate history <flow> (child processes)', () => {
  it('--limit counts the flow’s own steps, the default too', async () => {
    const dir = workspace({});
    await busyLedger(dir);
    const three = await runCli(['history', 'Main IVR', '--limit', '3', '--json'], { cwd: dir });
    expect(three.code, three.stderr).toBe(0);
    const steps = (JSON.parse(three.stdout) as { steps: Array<{ flowName: string; deploymentId: string }> })
      .steps;
    expect(steps.map((s) => [s.flowName, s.deploymentId])).toEqual([
      ['Main IVR', 'd-010'],
      ['Main IVR', 'd-009'],
      ['Main IVR', 'd-008'],
    ]);
    const all = await runCli(['history', 'Main IVR'], { cwd: dir });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(12); // header + 11 rows
  });

  it('an unknown flow name suggests the closest names the ledger knows', async () => {
    const dir = workspace({});
    await busyLedger(dir);
    const r = await runCli(['history', 'Main IRV'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('no deployment of Main IRV in the ledger; did you mean Main IVR?\n');
  });
});
