/**
 * Approvals (deploy/approvals.ts) on a real SQLite ledger: what a target may be (a whole plan hash
 * or a deployment that recorded one; a shortened hash is refused at once, with where to find the
 * whole one), the environment an approval is for, and that nothing is recorded for a refused
 * target. Stryker found these reached only by the CLI's child processes (BENCHMARKS.md, `gates`).
 */
import { describe, expect, it } from 'vitest';
import { approvePlan, checkApprovalTarget } from '../../src/deploy/approvals.js';
import { deploymentRecord, tempLedger } from '../helpers/ledger-records.js';

const HASH = 'ab'.repeat(32);
const AT = Date.parse('2030-01-07T09:00:00Z');
const ledger = () => tempLedger('approvals');
const deployment = deploymentRecord;

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string; hint?: string };
  }
  return undefined;
};

describe('checkApprovalTarget', () => {
  it.each(['a', 'ab12', 'AB12CD', `${'f'.repeat(63)}`, 'ab12cd…', 'ab12cd34ef56…'])(
    'a shortened hash %s is refused, saying where the whole one is',
    (target) => {
      expect(thrown(() => checkApprovalTarget(target))).toEqual(
        expect.objectContaining({
          code: 'APPROVE_TARGET',
          message: `'${target}' is a shortened plan hash: an approval binds the whole hash (64 hex digits)`,
          hint: "The plan prints the whole hash on its gates line and in its JSON ('planHash').",
        }),
      );
    },
  );

  it.each([HASH, 'd-20300107-0001', 'ab12cdz', '', '…', 'xyz…'])('%s may be a target', (target) => {
    expect(thrown(() => checkApprovalTarget(target))).toBeUndefined();
  });
});

describe('approvePlan', () => {
  it('a whole plan hash is approved as given, for the environment given, by whom and when', async () => {
    const l = ledger();
    const a = await approvePlan(l, HASH, { actor: 'alice', note: 'looks right', env: 'prod', now: () => AT });
    expect(a).toEqual({
      id: expect.stringMatching(/^a-[0-9a-f-]{36}$/) as string,
      planHash: HASH,
      env: 'prod',
      deploymentId: undefined,
      actor: 'alice',
      at: '2030-01-07T09:00:00.000Z',
      note: 'looks right',
    });
    expect(await l.approvals(HASH)).toEqual([
      expect.objectContaining({ id: a.id, env: 'prod', actor: 'alice' }),
    ]);
  });

  it("a deployment's plan is approved for its environment, unless one is given", async () => {
    const l = ledger();
    await l.createDeployment(deployment('dep-one', { planHash: HASH, env: 'test' }), []);
    expect(await approvePlan(l, 'dep-one', { actor: 'bob', now: () => AT })).toMatchObject({
      planHash: HASH,
      env: 'test',
      deploymentId: 'dep-one',
    });
    expect(await approvePlan(l, 'dep-one', { actor: 'bob', env: 'prod', now: () => AT })).toMatchObject({
      env: 'prod',
    });
  });

  it('a deployment that recorded no plan hash, or a target that is neither, is refused and nothing is recorded', async () => {
    const l = ledger();
    await l.createDeployment(deployment('old'), []);
    await expect(approvePlan(l, 'old', { actor: 'bob' })).rejects.toMatchObject({
      code: 'APPROVE_TARGET',
      message: 'deployment old recorded no plan hash',
      hint: 'It was made before flowgate recorded plan hashes: approve the plan hash that flowgate plan prints.',
    });
    await expect(approvePlan(l, 'no-such-thing', { actor: 'bob' })).rejects.toMatchObject({
      code: 'APPROVE_TARGET',
      message: "'no-such-thing' is neither a deployment of the ledger nor a plan hash (64 hex digits)",
      hint: "Approve the plan hash the environment's plan prints, or a deployment id the ledger's history lists.",
    });
    await expect(approvePlan(l, 'abc…', { actor: 'bob' })).rejects.toMatchObject({ code: 'APPROVE_TARGET' });
    expect(await l.approvals()).toEqual([]);
  });
});
