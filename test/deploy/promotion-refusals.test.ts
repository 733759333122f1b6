/**
 * What promotion (deploy/promotion.ts) refuses, and its words: a source that is the target or not
 * an environment (with the known ones), files the source never published (each named, `it` or
 * `them`, with what to do), and which of the source's deployments count as published there (not a
 * failed one, not a rollback). Two emulator orgs over real HTTP, one SQLite ledger. Stryker found
 * these reached only by the CLI's child processes (BENCHMARKS.md, `gates`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployment } from '../../src/config/deployment.js';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { promotionPlan } from '../../src/deploy/promotion.js';
import { rollbackPlan } from '../../src/deploy/rollback-plan.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { environments, twoEnvManifest } from '../helpers/environments.js';

const SEED = { randomSeed: 3, flows: [] };

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('promotion was planned; a refusal was expected');
    },
    (e: unknown) => e as { code: string; message: string; hint?: string },
  );

describe('promotion refuses', () => {
  const dev = useEmulator({ seed: SEED });
  const prod = useEmulator({ seed: SEED });

  const setUp = (files: Record<string, string> = { 'a.yaml': inboundFlow('Gate IVR') }) => {
    const flows = Object.keys(files)
      .map((f) => `  - file: ${f}\n`)
      .join('');
    const dir = workspace({
      'flowgate.yaml': twoEnvManifest(dev.get(), prod.get(), '{ passed: [dev] }', flows),
      ...files,
    });
    const ledger = openSqliteLedger(join(dir, 'ledger.db'));
    return { dir, ledger, env: environments(dir, ledger, { dev: dev.get(), prod: prod.get() }) };
  };

  it('a promotion to the environment it comes from', async () => {
    const { env } = setUp();
    expect(await refusal(env.promotePlan('prod', 'prod'))).toMatchObject({
      code: 'CONFIG_ENV',
      message: "promotion from 'prod' to itself",
      hint: 'Promote from one environment of the manifest to another, such as test to prod.',
    });
  });

  it('a source that is no environment of the manifest, naming the known ones', async () => {
    const { env, dir } = setUp();
    expect(await refusal(env.promotePlan('staging', 'prod'))).toMatchObject({
      code: 'CONFIG_ENV',
      message: `the manifest ${join(dir, 'flowgate.yaml')} has no environment 'staging'`,
      hint: 'Known: dev, prod.',
    });
  });

  it('files the source never published, each named, with what to do', async () => {
    const { env } = setUp({ 'a.yaml': inboundFlow('Flow A'), 'b.yaml': inboundFlow('Flow B') });
    expect(await refusal(env.promotePlan('dev', 'prod'))).toMatchObject({
      code: 'PROMOTE_NOTHING',
      message: 'nothing to promote from dev to prod for a.yaml, b.yaml: no deployment to dev published them',
      hint: 'Deploy to dev first: promotion takes only what was published there.',
    });
  });

  it('a failed deployment to the source is not published there', async () => {
    const { env } = setUp();
    dev.get().control.failNextJob("Unable to resolve the queue 'Sales' in the flow 'Gate IVR'.");
    expect((await env.deploy('dev')).status).toBe('failed');
    expect(await refusal(env.promotePlan('dev', 'prod'))).toMatchObject({
      code: 'PROMOTE_NOTHING',
      message: 'nothing to promote from dev to prod for a.yaml: no deployment to dev published it',
    });
  });

  it("a rollback's publish in the source is not what passed there: the deployment before it is", async () => {
    const { env, ledger, dir } = setUp();
    const first = await env.deploy('dev');
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: 'Second' }));
    const second = await env.deploy('dev');
    const back = await rollbackPlan(second.deploymentId, ledger, env.clients.dev!);
    const rolledBack = await runDeployment(await createDeployment(back, ledger, { atomic: false }), {
      client: env.clients.dev!,
      ledger,
    });
    expect(rolledBack.status).toBe('succeeded');

    const plan = await env.promotePlan('dev', 'prod');

    // The newest non-rollback publish of the file in dev is the second deployment's.
    const [secondStep] = await ledger.steps(second.deploymentId);
    expect(plan.steps[0]!.artifactHash).toBe(secondStep!.artifactHash);
    expect(plan.steps[0]!.content).toContain('Second');
    expect(first.status).toBe('succeeded');
  });
});

describe("promotion's plan", () => {
  const dev = useEmulator({ seed: SEED });
  const prod = useEmulator({ seed: SEED });

  const setUp = (requires: string) => {
    const dir = workspace({
      'flowgate.yaml': twoEnvManifest(dev.get(), prod.get(), requires),
      'a.yaml': inboundFlow('Gate IVR'),
    });
    const ledger = openSqliteLedger(join(dir, 'ledger.db'));
    const env = environments(dir, ledger, { dev: dev.get(), prod: prod.get() });
    const load = () => loadDeployment(join(dir, 'flowgate.yaml'), { env: 'prod', manifestOnly: true });
    return { ledger, env, load, dir };
  };
  const gateNames = (p: { gates?: Array<{ gate: string; env?: string | undefined }> | undefined }) =>
    (p.gates ?? []).map((g) => `${g.gate}${g.env === undefined ? '' : ` ${g.env}`}`);

  it('requires the source even when the target names no passed environment', async () => {
    const none = setUp('{ approvals: 0 }');
    await none.env.deploy('dev');
    const p = await none.env.promotePlan('dev', 'prod');
    expect(gateNames(p)).toEqual(['passed dev']);
    expect(p.gates![0]).toMatchObject({ met: true });
    expect(p.promotedFrom).toBe('dev');
  });

  it('the source named by the target already is judged once', async () => {
    const named = setUp('{ passed: [dev] }');
    await named.env.deploy('dev');
    expect(gateNames(await named.env.promotePlan('dev', 'prod'))).toEqual(['passed dev']);
  });

  it('a flow locked in the target is blocked, unless the promotion forces the unlock', async () => {
    const { ledger, env, load, dir } = setUp('{ passed: [dev] }');
    await env.deploy('dev');
    await env.deploy('prod');
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: 'Second' }));
    await env.deploy('dev');
    const target = prod
      .get()
      .control.state()
      .flows.find((f) => f.name === 'Gate IVR')!;
    prod.get().control.lockByUser(target.id, 'Someone Else');
    const client = env.clients.prod!;
    const plain = await promotionPlan(await load(), { from: 'dev', client, ledger });
    expect(plain.steps[0]).toMatchObject({ action: 'blocked', lockedBy: 'user Someone Else' });
    expect(plain.steps[0]!.blocked).toEqual([
      { kind: 'locked', message: 'locked in Architect by user Someone Else' },
    ]);
    expect(plain.blocked).toBe(true);
    const forced = await promotionPlan(await load(), { from: 'dev', client, ledger, forceUnlock: true });
    expect(forced.blocked).toBe(false);
    expect(forced.steps[0]).toMatchObject({ action: 'update', forceUnlock: true, blocked: [] });
  });
});
