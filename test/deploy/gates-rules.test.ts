/**
 * The gates (deploy/gates.ts) judged in process on a real SQLite ledger holding the deployments an
 * environment had: which of a plan's flows are judged (imports that deploy an artifact from a
 * file, nothing else), what counts as passed in an environment (published there, by a deployment
 * of that environment that is not a rollback, and not rolled back since), the health verdict, the
 * approvals (each actor once), the counts in words, and the refusal with its hint and details.
 * Stryker found most of this reached only by the CLI's child processes (BENCHMARKS.md, `gates`).
 */
import { describe, expect, it } from 'vitest';
import { assertGatesMet, evaluateGates, gatesMet, gateSummaries } from '../../src/deploy/gates.js';
import type { DeploymentPlan, GateResult, PlannedStep } from '../../src/deploy/types.js';
import type { DeploymentRecord, Ledger, StepRecord } from '../../src/ledger/types.js';
import { deploymentRecord, stepRecord, tempLedger } from '../helpers/ledger-records.js';

const ORG = 'https://api.mypurecloud.ie';
const HASH = 'cd'.repeat(32);
const art = (n: number) => `${n}`.repeat(64);

const planned = (i: number, extra: Partial<PlannedStep> = {}): PlannedStep => ({
  index: i,
  manifestIndex: i,
  kind: 'import',
  action: 'update',
  flowName: `Flow ${i}`,
  flowType: 'inboundcall',
  flowKey: `inboundcall:Flow ${i}`,
  blocked: [],
  notes: [],
  dependsOn: [],
  artifactHash: art(i),
  sourceFile: `flows/f${i}.yaml`,
  ...extra,
});

const plan = (steps: PlannedStep[], extra: Partial<DeploymentPlan> = {}): DeploymentPlan => ({
  org: ORG,
  actor: 'ci',
  env: 'prod',
  steps,
  order: steps.map((s) => s.index),
  validation: { files: [], errors: 0, warnings: 0 } as unknown as DeploymentPlan['validation'],
  blocked: false,
  planHash: HASH,
  ...extra,
});

let seq = 0;
/** A deployment of `env` holding one step of plan step `i`, as the ledger records it. */
async function deployed(
  l: Ledger,
  env: string,
  i: number,
  step: Partial<StepRecord> = {},
  d: Partial<DeploymentRecord> = {},
): Promise<string> {
  const id = `dep-${seq++}`;
  const at = new Date(Date.parse('2030-01-01T00:00:00Z') + seq * 60_000).toISOString();
  await l.createDeployment(deploymentRecord(id, { org: ORG, env, actor: 'ci', ...d }, at), [
    stepRecord(id, 0, {
      flowKey: `inboundcall:Flow ${i}`,
      flowName: `Flow ${i}`,
      state: 'published',
      updatedAt: at,
      artifactHash: art(i),
      sourceFile: `flows/f${i}.yaml`,
      ...step,
    }),
  ]);
  return id;
}

const ledger = () => tempLedger('gates');
const reasons = (g: GateResult) => g.missing.map((m) => `${m.flowName}: ${m.reason}`);

describe('evaluateGates: passed', () => {
  it('judges only imports that deploy an artifact from a file, and counts them in words', async () => {
    const l = ledger();
    const steps = [
      planned(0),
      planned(1, { action: 'unchanged' }),
      planned(2, { kind: 'publish' }),
      planned(3, { artifactHash: undefined }),
      planned(4, { sourceFile: undefined }),
      planned(5),
    ];
    const [gate] = await evaluateGates(plan(steps), { passed: ['test'] }, l);
    expect(gate).toMatchObject({ gate: 'passed', env: 'test', met: false, detail: '0 of 2 flows' });
    expect(reasons(gate!)).toEqual(['Flow 0: never deployed to test', 'Flow 5: never deployed to test']);
    expect(gate!.missing[0]!.file).toBe('flows/f0.yaml');
  });

  it('passed means published there by a deployment of that environment that is not a rollback', async () => {
    const l = ledger();
    await deployed(l, 'test', 0);
    await deployed(l, 'staging', 1);
    await deployed(l, 'test', 2, {}, { purpose: 'rollback' });
    const failed = await deployed(l, 'test', 3, { state: 'failed' });
    const [gate] = await evaluateGates(plan([0, 1, 2, 3].map((i) => planned(i))), { passed: ['test'] }, l);
    expect(gate!.detail).toBe('1 of 4 flows');
    expect(reasons(gate!)).toEqual([
      'Flow 1: never deployed to test',
      // Published to test only by a rollback: not passed (its words are the content check's).
      expect.stringMatching(/^Flow 2: /),
      `Flow 3: its deployment to test (${failed}) ended failed`,
    ]);
  });

  it('a flow rolled back in that org since is not passed; another content of the file is named', async () => {
    const l = ledger();
    const first = await deployed(l, 'test', 0);
    const back = await deployed(l, 'test', 0, { artifactHash: undefined }, { purpose: 'rollback' });
    await deployed(l, 'test', 1, { artifactHash: art(9) });
    const [gate] = await evaluateGates(plan([planned(0), planned(1)]), { passed: ['test'] }, l);
    expect(reasons(gate!)).toEqual([
      expect.stringMatching(
        new RegExp(`^Flow 0: rolled back in test after its deployment ${first} \\(by ${back} at .+\\)$`),
      ),
      `Flow 1: the content changed since its deployment to test (test has artifact ${art(9).slice(0, 12)}…, this is ${art(1).slice(0, 12)}…)`,
    ]);
  });

  it('a rollback that failed, or was cancelled, rolled nothing back: the flow still passed', async () => {
    const l = ledger();
    await deployed(l, 'test', 0);
    await deployed(l, 'test', 0, { artifactHash: undefined, state: 'failed' }, { purpose: 'rollback' });
    await deployed(l, 'test', 0, { artifactHash: undefined, state: 'cancelled' }, { purpose: 'rollback' });
    const [gate] = await evaluateGates(plan([planned(0)]), { passed: ['test'] }, l);
    expect(gate).toMatchObject({ met: true, detail: '1 of 1 flow', missing: [] });
  });
});

describe('evaluateGates: healthy and approvals', () => {
  it('healthy judges the flows that passed, each verdict in words; only when asked', async () => {
    const l = ledger();
    await deployed(l, 'test', 0, { health: 'healthy' });
    const d1 = await deployed(l, 'test', 1, { health: 'insufficient' });
    const d2 = await deployed(l, 'test', 2);
    const steps = [0, 1, 2, 3].map((i) => planned(i));
    const gates = await evaluateGates(plan(steps), { passed: ['test'], healthy: true }, l);
    expect(gates.map((g) => [g.gate, g.met, g.detail])).toEqual([
      ['passed', false, '3 of 4 flows'],
      ['healthy', false, '1 of 3 flows'],
    ]);
    expect(reasons(gates[1]!)).toEqual([
      `Flow 1: the health gate in test (${d1}) ended insufficient, not healthy`,
      `Flow 2: no health verdict in test (${d2}): the health gate did not watch it (a new flow has no earlier version to compare with)`,
    ]);
    expect(await evaluateGates(plan(steps), { passed: ['test'], healthy: false }, l)).toHaveLength(1);
  });

  it('approvals count each actor once, name them, and say how many more are needed', async () => {
    const l = ledger();
    const none = await evaluateGates(plan([]), { approvals: 2 }, l);
    expect(none).toEqual([
      {
        gate: 'approvals',
        met: false,
        detail: `0 of 2 approvals of plan ${HASH.slice(0, 12)}…`,
        missing: [
          {
            flowName: `plan ${HASH}`,
            reason: '2 more approvals needed (an approval of an earlier plan does not count)',
          },
        ],
      },
    ]);
    for (const actor of ['alice', 'alice', 'bob'])
      await l.recordApproval({ id: `a-${seq++}`, planHash: HASH, actor, at: '2030-01-01T00:00:00.000Z' });
    await l.recordApproval({
      id: `a-${seq++}`,
      planHash: 'ef'.repeat(32),
      actor: 'carol',
      at: '2030-01-01T00:00:00.000Z',
    });
    const [three] = await evaluateGates(plan([]), { approvals: 3 }, l);
    expect(three).toMatchObject({
      met: false,
      detail: `2 of 3 approvals of plan ${HASH.slice(0, 12)}… (alice, bob)`,
    });
    expect(three!.missing[0]!.reason).toMatch(/^1 more approval needed/);
    expect((await evaluateGates(plan([]), { approvals: 2 }, l))[0]).toMatchObject({ met: true, missing: [] });
    expect(await evaluateGates(plan([]), { approvals: 0 }, l)).toEqual([]);
  });
});

describe('the verdict', () => {
  const unmetPassed: GateResult = {
    gate: 'passed',
    env: 'test',
    met: false,
    detail: '0 of 1 flow',
    missing: [{ flowName: 'Main', file: 'main.yaml', reason: 'never deployed to test' }],
  };
  const unmetApprovals: GateResult = {
    gate: 'approvals',
    met: false,
    detail: '0 of 1 approval of plan x',
    missing: [],
  };
  const met: GateResult = { gate: 'healthy', env: 'test', met: true, detail: '1 of 1 flow', missing: [] };

  it('met when every gate is, and a plan without gates has none to meet', () => {
    expect(gatesMet({})).toBe(true);
    expect(gatesMet({ gates: [met] })).toBe(true);
    expect(gatesMet({ gates: [met, unmetPassed] })).toBe(false);
    expect(() => assertGatesMet(plan([], { gates: [met] }))).not.toThrow();
  });

  it('the refusal names each flow and its reason, a gate without flows by its detail, with the details', () => {
    const p = plan([], { gates: [met, unmetPassed] });
    expect(() => assertGatesMet(p)).toThrow(
      expect.objectContaining({
        code: 'GATE_UNMET',
        message:
          'the deployment to prod is refused by its gates: passed test: Main (main.yaml): never deployed to test',
        hint: 'Deploy these flows to the required environments first (promote deploys what passed there), then run again.',
        details: { env: 'prod', planHash: HASH, unmet: [unmetPassed] },
      }),
    );
    const q = plan([], { env: undefined, planHash: undefined, gates: [unmetPassed, unmetApprovals] });
    expect(() => assertGatesMet(q)).toThrow(
      expect.objectContaining({
        message:
          'the deployment to this environment is refused by its gates: passed test: Main (main.yaml): never deployed to test; approvals: 0 of 1 approval of plan x',
        hint: 'Record the approvals of this plan (flowgate approve <plan hash>), then run again.',
      }),
    );
  });

  it('summaries as a deployment records them', () => {
    expect(gateSummaries(undefined)).toBeUndefined();
    expect(gateSummaries([])).toBeUndefined();
    expect(gateSummaries([unmetPassed, met, unmetApprovals])).toEqual([
      { gate: 'passed test', met: false, detail: '0 of 1 flow' },
      { gate: 'healthy in test', met: true, detail: '1 of 1 flow' },
      { gate: 'approvals', met: false, detail: '0 of 1 approval of plan x' },
    ]);
  });
});
