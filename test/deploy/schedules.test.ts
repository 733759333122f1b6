/**
 * The ledger's decisions about whole deployments (`src/deploy/schedules.ts`), on a real SQLite
 * ledger: which to resume, which are due, cancelling a schedule, a status's outcome.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cancelSchedule,
  deploymentOutcome,
  dueDeployments,
  pendingSchedules,
  scheduledSteps,
  unfinishedDeployments,
} from '../../src/deploy/schedules.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { DeploymentRecord, DeploymentStatus, StepRecord } from '../../src/ledger/types.js';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

function ledger() {
  return openSqliteLedger(join(mkdtempSync(join(tmpdir(), 'flowgate-schedules-')), 'l.db'));
}

const deployment = (
  id: string,
  status: DeploymentStatus,
  createdAt: string,
  extra: Partial<DeploymentRecord> = {},
): DeploymentRecord => ({
  id,
  createdAt,
  updatedAt: createdAt,
  status,
  actor: 'ci',
  org: 'https://api.one',
  manifest: '/w/flowgate.yaml',
  atomic: true,
  ...extra,
});
const step = (deploymentId: string, index: number, extra: Partial<StepRecord> = {}): StepRecord => ({
  deploymentId,
  index,
  flowKey: `inboundcall:f${index}`,
  flowName: `f${index}`,
  flowType: 'inboundcall',
  kind: 'publish',
  createdFlow: false,
  state: 'scheduled',
  dependsOn: [],
  updatedAt: at(-60),
  ...extra,
});

describe('deployment decisions of the library', () => {
  it('resumes the unfinished deployments of this manifest and org only, oldest first', async () => {
    const l = ledger();
    await l.createDeployment(deployment('old', 'interrupted', at(-30)), [
      step('old', 0, { state: 'planned' }),
    ]);
    await l.createDeployment(deployment('new', 'running', at(-20)), [step('new', 0, { state: 'planned' })]);
    await l.createDeployment(deployment('done', 'succeeded', at(-25)), [
      step('done', 0, { state: 'planned' }),
    ]);
    await l.createDeployment(deployment('other-org', 'running', at(-10), { org: 'https://api.two' }), []);
    await l.createDeployment(deployment('other-manifest', 'running', at(-5), { manifest: '/x.yaml' }), []);
    expect(await unfinishedDeployments(l, { manifest: '/w/flowgate.yaml', org: 'https://api.one' })).toEqual([
      'old',
      'new',
    ]);
    await l.close();
  });

  it("run-scheduled's deployments: this org's, with a scheduled step due, oldest first", async () => {
    const l = ledger();
    await l.createDeployment(deployment('later', 'scheduled', at(-30)), [
      step('later', 0, { activateAt: at(5) }),
    ]);
    await l.createDeployment(deployment('due', 'scheduled', at(-20)), [
      step('due', 0, { activateAt: at(10) }),
      step('due', 1, { activateAt: at(-1) }),
    ]);
    await l.createDeployment(deployment('now', 'scheduled', at(-10)), [step('now', 0)]);
    await l.createDeployment(deployment('elsewhere', 'scheduled', at(-5), { org: 'https://api.two' }), [
      step('elsewhere', 0),
    ]);
    expect(await dueDeployments(l, 'https://api.one', NOW)).toEqual({ due: ['due', 'now'], scheduled: 3 });
    expect((await scheduledSteps(l)).map((s) => [s.deployment, s.activateAt])).toEqual([
      ['elsewhere', null],
      ['now', null],
      ['due', at(10)],
      ['due', at(-1)],
      ['later', at(5)],
    ]);
    await l.close();
  });

  it('cancelling a schedule cancels its scheduled steps, once; an unknown or unscheduled one is DEPLOY_NOT_FOUND', async () => {
    const l = ledger();
    await l.createDeployment(deployment('s', 'scheduled', at(-30)), [
      step('s', 0, { state: 'unchanged' }),
      step('s', 1, { activateAt: at(5) }),
    ]);
    await l.createDeployment(deployment('done', 'succeeded', at(-40)), [
      step('done', 0, { state: 'published' }),
    ]);
    expect(await cancelSchedule(l, 's')).toBe('cancelled');
    expect((await l.steps('s')).map((x) => x.state)).toEqual(['unchanged', 'cancelled']);
    expect((await l.getDeployment('s'))?.status).toBe('cancelled');
    // Asked again: nothing more, said so.
    expect(await cancelSchedule(l, 's')).toBe('already-cancelled');
    expect((await l.steps('s')).map((x) => x.state)).toEqual(['unchanged', 'cancelled']);
    await expect(cancelSchedule(l, 'done')).rejects.toMatchObject({
      code: 'DEPLOY_NOT_FOUND',
      message: 'deployment done is succeeded, not scheduled: nothing to cancel',
    });
    await expect(cancelSchedule(l, 'nope')).rejects.toMatchObject({
      code: 'DEPLOY_NOT_FOUND',
      message: 'no scheduled deployment nope',
    });
    await expect(cancelSchedule(l, undefined)).rejects.toMatchObject({ code: 'DEPLOY_NOT_FOUND' });
    await l.close();
  });

  it("the org's schedules of flows: a scheduled deployment's steps not started; an interrupted or running one's held for their time; never a prune's, another org's or an ended one's", async () => {
    const l = ledger();
    await l.createDeployment(deployment('sched', 'scheduled', at(-50)), [
      step('sched', 0, { activateAt: at(60) }),
      // Waiting for the flow it depends on: run-scheduled publishes it after.
      step('sched', 1, { state: 'planned' }),
      step('sched', 2, { state: 'unchanged' }),
      step('sched', 3, { state: 'published' }),
    ]);
    await l.createDeployment(deployment('cut', 'interrupted', at(-40)), [
      step('cut', 0, { state: 'waiting', activateAt: at(60) }),
      step('cut', 1, { activateAt: at(60) }),
      // A deploy's step not started: that deployment's resume publishes it, not a schedule.
      step('cut', 2, { state: 'planned' }),
      step('cut', 3, { state: 'publishing' }),
    ]);
    await l.createDeployment(deployment('now', 'running', at(-30)), [
      step('now', 0, { state: 'waiting', activateAt: at(60) }),
      step('now', 1, { state: 'planned' }),
    ]);
    await l.createDeployment(deployment('prune', 'interrupted', at(-25), { purpose: 'prune' }), [
      step('prune', 0, { state: 'planned', kind: 'delete' }),
      step('prune', 1),
    ]);
    await l.createDeployment(deployment('two', 'scheduled', at(-20), { org: 'https://api.two' }), [
      step('two', 0),
    ]);
    for (const ended of ['succeeded', 'cancelled', 'failed', 'partial', 'rolled-back', 'planned'] as const)
      await l.createDeployment(deployment(ended, ended, at(-10)), [step(ended, 0)]);
    const pending = await pendingSchedules(l, 'https://api.one');
    expect(pending.map((p) => [p.deploymentId, p.status, p.step.index, p.step.state])).toEqual([
      ['now', 'running', 0, 'waiting'],
      ['cut', 'interrupted', 0, 'waiting'],
      ['cut', 'interrupted', 1, 'scheduled'],
      ['sched', 'scheduled', 0, 'scheduled'],
      ['sched', 'scheduled', 1, 'planned'],
    ]);
    expect(pending[3]!.step).toMatchObject({ flowKey: 'inboundcall:f0', activateAt: at(60) });
    expect(await pendingSchedules(l, 'https://api.three')).toEqual([]);
    await l.close();
  });

  it("a deployment's status as an outcome: the README's exit-code sentence", () => {
    const all: DeploymentStatus[] = [
      'planned',
      'scheduled',
      'running',
      'succeeded',
      'failed',
      'partial',
      'rolled-back',
      'interrupted',
      'cancelled',
    ];
    expect(Object.fromEntries(all.map((s) => [s, deploymentOutcome(s)]))).toEqual({
      planned: 'failure',
      scheduled: 'success',
      running: 'failure',
      succeeded: 'success',
      failed: 'failure',
      partial: 'partial',
      'rolled-back': 'failure',
      interrupted: 'interrupted',
      cancelled: 'failure',
    });
  });
});
