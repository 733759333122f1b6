/**
 * Issue 26: the same artifact through dev and prod, gated on what passed before. Two emulator orgs
 * over real HTTP, one ledger (SQLite here, the team's PostgreSQL in the last test); the library's
 * plan, deploy, promote and approve as the CLI calls them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHealthGate } from '../../src/deploy/health-gate.js';
import { rollbackPlan } from '../../src/deploy/rollback-plan.js';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { isFlowgateError } from '../../src/errors.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { openPostgresLedger } from '../../src/ledger/postgres.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { Ledger } from '../../src/ledger/types.js';
import type { SemanticDiff } from '../../src/deploy/diff.js';
import { inboundFlow, publishedVersion, workspace } from '../helpers/deploy.js';
import { flowId, useEmulator } from '../helpers/emulator.js';
import { environments, twoEnvManifest } from '../helpers/environments.js';
import { postgresDatabase } from '../helpers/postgres.js';

const SEED = { randomSeed: 3, flows: [] };

/** The error a promise rejects with (fails when it resolves). */
async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isFlowgateError(e), String(e)).toBe(true);
  return e as Error & { code: string };
}

/** The simulated clocks of both orgs move together: every wait of the health gate is instant. */
function clocks(...emus: RunningEmulator[]) {
  for (const emu of emus) emu.control.setClock({ speed: 0 });
  const now = () => emus[0]!.control.org.now();
  const sleep = (ms: number) => {
    for (const emu of emus) emu.control.setClock({ advanceMs: ms });
    return Promise.resolve();
  };
  return { now, sleep };
}

describe('gates and promotion across two orgs', () => {
  const dev = useEmulator({ seed: SEED });
  const prod = useEmulator({ seed: SEED });

  const setUp = (requires: string, ledger?: Ledger) => {
    const dir = workspace({
      'flowgate.yaml': twoEnvManifest(dev.get(), prod.get(), requires),
      'a.yaml': inboundFlow('Gate IVR', { say: '"{{ greeting }}"' }),
    });
    const l = ledger ?? openSqliteLedger(join(dir, 'ledger.db'));
    return { dir, ledger: l, env: environments(dir, l, { dev: dev.get(), prod: prod.get() }) };
  };

  it('records the artifact; prod deploys what passed in dev: same artifact, other values', async () => {
    const { env, ledger } = setUp('{ passed: [dev] }');
    const inDev = await env.deploy('dev');
    expect(inDev.status).toBe('succeeded');
    const plan = await env.plan('prod');
    expect(plan.gates).toEqual([
      { gate: 'passed', env: 'dev', met: true, detail: '1 of 1 flow', missing: [] },
    ]);
    const inProd = await env.deploy('prod');
    expect(inProd.status).toBe('succeeded');
    const [d] = await ledger.steps(inDev.deploymentId);
    const [p] = await ledger.steps(inProd.deploymentId);
    expect(p!.artifactHash).toMatch(/^[0-9a-f]{64}$/);
    expect(p!.artifactHash).toBe(d!.artifactHash);
    expect(p!.valuesHash).not.toBe(d!.valuesHash);
    expect(p!.contentHash).not.toBe(d!.contentHash);
    expect(p!.sourceFile).toBe('a.yaml');
    expect(p!.content).toContain('Hello from prod');
    expect(p!.source).toContain('{{ greeting }}');
    expect((await ledger.getDeployment(inProd.deploymentId))!.gates).toEqual([
      { gate: 'passed dev', met: true, detail: '1 of 1 flow' },
    ]);
  });

  it('refuses prod before dev, naming the flow, the environment and the reason; nothing recorded', async () => {
    const { env, ledger } = setUp('{ passed: [dev] }');
    const plan = await env.plan('prod');
    expect(plan.gates?.[0]).toMatchObject({
      met: false,
      missing: [{ flowName: 'Gate IVR', file: 'a.yaml', reason: 'never deployed to dev' }],
    });
    const e = await refusal(env.deploy('prod'));
    expect(e.code).toBe('GATE_UNMET');
    expect(e.message).toBe(
      'the deployment to prod is refused by its gates: passed dev: Gate IVR (a.yaml): never deployed to dev',
    );
    expect(await ledger.listDeployments()).toEqual([]);
    expect(publishedVersion(prod.get(), 'Gate IVR')).toBeUndefined();
  });

  it('refuses when the content changed since the dev deployment (layout and comments do not count)', async () => {
    const { env, dir } = setUp('{ passed: [dev] }');
    await env.deploy('dev');
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: '"{{ greeting }}, again"' }));
    const e = await refusal(env.deploy('prod'));
    expect(e.code).toBe('GATE_UNMET');
    expect(e.message).toMatch(
      /Gate IVR \(a\.yaml\): the content changed since its deployment to dev \(dev has artifact [0-9a-f]{12}…, this is [0-9a-f]{12}…\)/,
    );
    // Layout and comments are not content: the same change, reformatted, still passed.
    writeFileSync(
      join(dir, 'a.yaml'),
      `# reformatted\n${inboundFlow('Gate IVR', { say: "'{{ greeting }}'" }).replace(/\n/g, '  \n')}`,
    );
    expect((await env.plan('prod')).gates?.[0]?.met).toBe(true);
  });

  it('refuses when dev rolled the artifact back afterwards; promotes again once it passes again', async () => {
    const { env, dir, ledger } = setUp('{ passed: [dev] }');
    await env.deploy('dev');
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: '"{{ greeting }}, two"' }));
    const second = await env.deploy('dev');
    const back = await rollbackPlan(second.deploymentId, ledger, env.clients.dev!);
    const id = await createDeployment(back, ledger, { atomic: false });
    expect((await runDeployment(id, { client: env.clients.dev!, ledger })).status).toBe('succeeded');
    const e = await refusal(env.deploy('prod'));
    expect(e.message).toContain(
      `passed dev: Gate IVR (a.yaml): rolled back in dev after its deployment ${second.deploymentId} (by ${id} at `,
    );
    // Deployed to dev again (a later deployment than the rollback), it passes.
    expect((await env.deploy('dev')).status).toBe('succeeded');
    expect((await env.deploy('prod')).status).toBe('succeeded');
  });

  it('refuses an atomic dev deployment that rolled back itself', async () => {
    const { env } = setUp('{ passed: [dev] }');
    dev.get().control.addFault({ path: '/api/v2/flows/jobs', method: 'POST', status: 400, times: 100 });
    expect((await env.deploy('dev')).status).not.toBe('succeeded');
    const e = await refusal(env.deploy('prod'));
    expect(e.message).toMatch(
      /Gate IVR \(a\.yaml\): its deployment to dev \(d-[^)]+\) ended (failed|rolled-back)/,
    );
  });

  it('healthy: true refuses an insufficient verdict and a flow never watched; accepts a healthy one', async () => {
    const { env, dir, ledger } = setUp('{ passed: [dev], healthy: true }');
    const { now, sleep } = clocks(dev.get(), prod.get());
    await env.deploy('dev', { now, sleep });
    // A new flow has no earlier version: the health gate did not watch it.
    expect((await refusal(env.deploy('prod', { now, sleep }))).message).toContain(
      'healthy in dev: Gate IVR (a.yaml): no health verdict in dev',
    );
    const id = flowId(dev.get(), 'Gate IVR');
    const gate = { windowMs: 60 * 60_000, looks: 3 };
    // No calls at all: too few executions to tell.
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: '"{{ greeting }}, two"' }));
    const quiet = await env.deploy('dev', { now, sleep });
    const [verdict] = await runHealthGate(quiet.deploymentId, gate, {
      client: env.clients.dev!,
      ledger,
      now,
      sleep,
    });
    expect(verdict!.verdict.verdict).toBe('insufficient');
    expect((await refusal(env.deploy('prod', { now, sleep }))).message).toMatch(
      /healthy in dev: Gate IVR \(a\.yaml\): the health gate in dev \(d-[^)]+\) ended insufficient, not healthy/,
    );
    // Callers as before, for long enough: healthy.
    dev.get().control.setTraffic({ flowId: id, arrivalsPerMinute: 60 });
    await sleep(2 * 60 * 60_000);
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: '"{{ greeting }}, three"' }));
    const busy = await env.deploy('dev', { now, sleep });
    const [ok] = await runHealthGate(busy.deploymentId, gate, {
      client: env.clients.dev!,
      ledger,
      now,
      sleep,
    });
    expect(ok!.verdict.verdict).toBe('healthy');
    expect((await env.deploy('prod', { now, sleep })).status).toBe('succeeded');
  });

  it('approvals: refused without, deployed with one; an approval of an earlier plan does not count', async () => {
    const { env, dir, ledger } = setUp('{ passed: [dev], approvals: 1 }');
    await env.deploy('dev');
    const plan = await env.plan('prod');
    expect(plan.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.gates?.[1]).toMatchObject({
      gate: 'approvals',
      met: false,
      detail: `0 of 1 approval of plan ${plan.planHash!.slice(0, 12)}…`,
    });
    const e = await refusal(env.deploy('prod'));
    expect(e.code).toBe('GATE_UNMET');
    expect(e.message).toContain(`approvals: plan ${plan.planHash}: 1 more approval needed`);
    expect((e as unknown as { hint: string }).hint).toContain(`flowgate approve ${plan.planHash}`);
    // Approving the dev deployment approves dev's plan, not prod's.
    await env.approve((await ledger.listDeployments())[0]!.id, 'release-manager');
    expect((await refusal(env.deploy('prod'))).code).toBe('GATE_UNMET');
    const approval = await env.approve(plan.planHash!, 'release-manager');
    expect(approval).toMatchObject({ planHash: plan.planHash, actor: 'release-manager' });
    expect((await env.plan('prod')).gates?.[1]).toMatchObject({
      met: true,
      detail: expect.stringContaining('1 of 1 approval'),
    });
    // The plan changes (prod's value): the approval was of the earlier plan.
    const manifest = join(dir, 'flowgate.yaml');
    writeFileSync(
      manifest,
      twoEnvManifest(dev.get(), prod.get(), '{ passed: [dev], approvals: 1 }').replace(
        'Hello from prod',
        'Welcome',
      ),
    );
    const changed = await env.plan('prod');
    expect(changed.planHash).not.toBe(plan.planHash);
    expect(changed.gates?.[0]?.met).toBe(true);
    expect(changed.gates?.[1]?.met).toBe(false);
    expect((await refusal(env.deploy('prod'))).code).toBe('GATE_UNMET');
    await env.approve(changed.planHash!, 'release-manager');
    const done = await env.deploy('prod');
    expect(done.status).toBe('succeeded');
    expect((await ledger.getDeployment(done.deploymentId))!.planHash).toBe(changed.planHash);
  });

  it('counts each approver once', async () => {
    const { env } = setUp('{ approvals: 2 }');
    const plan = await env.plan('prod');
    await env.approve(plan.planHash!, 'alice');
    await env.approve(plan.planHash!, 'alice');
    expect((await env.plan('prod')).gates?.[0]).toMatchObject({
      met: false,
      detail: expect.stringContaining('1 of 2 approvals'),
    });
    await env.approve(plan.planHash!, 'bob');
    expect((await env.deploy('prod')).status).toBe('succeeded');
  });

  it('an approval names a plan hash or a deployment, nothing else', async () => {
    const { env } = setUp('{ approvals: 1 }');
    const e = await refusal(env.approve('d-nope', 'alice'));
    expect(e.code).toBe('APPROVE_TARGET');
    expect(e.message).toBe("'d-nope' is neither a deployment of the ledger nor a plan hash (64 hex digits)");
  });

  it('promote deploys what passed in dev, not the working tree, with prod values and the diff against prod', async () => {
    const { env, dir, ledger } = setUp('{ passed: [dev] }');
    await env.deploy('dev');
    // Edited after the dev deployment and never deployed: not what promote takes.
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: '"{{ greeting }}, untested"' }));
    const plan = await env.promotePlan('dev', 'prod');
    expect(plan).toMatchObject({ promotedFrom: 'dev', env: 'prod' });
    expect(plan.steps[0]!.content).toContain('Hello from prod');
    expect(plan.steps[0]!.content).not.toContain('untested');
    expect(plan.steps[0]!.diff).toBe('new');
    expect(plan.gates?.[0]?.met).toBe(true);
    const first = await env.promote('dev', 'prod');
    expect(first.status).toBe('succeeded');
    // The next change passes dev; promote shows what changes against what prod publishes.
    const second = await env.deploy('dev');
    const next = await env.promotePlan('dev', 'prod');
    expect(next.steps[0]!.action).toBe('update');
    const diff = next.steps[0]!.diff as SemanticDiff;
    expect(diff.fieldsChanged.length).toBeGreaterThan(0);
    expect(next.steps[0]!.content).toContain('Hello from prod, untested');
    expect((await env.promote('dev', 'prod')).status).toBe('succeeded');
    expect(publishedVersion(prod.get(), 'Gate IVR')).toBe('2.0');
    const [promoted] = await ledger.steps((await ledger.listDeployments({ limit: 1 }))[0]!.id);
    expect(promoted!.artifactHash).toBe((await ledger.steps(second.deploymentId))[0]!.artifactHash);
  });

  it('promote refuses what dev rolled back, what dev never published, and an unknown environment', async () => {
    const { env, dir, ledger } = setUp('{ passed: [dev] }');
    expect((await refusal(env.promotePlan('dev', 'prod'))).message).toBe(
      'nothing to promote from dev to prod for a.yaml: no deployment to dev published it',
    );
    const unknown = await refusal(env.promotePlan('dve', 'prod'));
    expect(unknown.code).toBe('CONFIG_ENV');
    expect(unknown.message).toMatch(/has no environment 'dve'; did you mean 'dev'\?$/);
    await env.deploy('dev');
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: '"{{ greeting }}, two"' }));
    const second = await env.deploy('dev');
    const back = await rollbackPlan(second.deploymentId, ledger, env.clients.dev!);
    await runDeployment(await createDeployment(back, ledger, { atomic: false }), {
      client: env.clients.dev!,
      ledger,
    });
    const e = await refusal(env.promote('dev', 'prod'));
    expect(e.code).toBe('GATE_UNMET');
    expect(e.message).toContain(
      `Gate IVR (a.yaml): rolled back in dev after its deployment ${second.deploymentId}`,
    );
    expect(publishedVersion(prod.get(), 'Gate IVR')).toBeUndefined();
  });

  it('on the shared PostgreSQL ledger: dev, an approval, promote to prod; a rollback in dev then refuses', async () => {
    const db = await postgresDatabase();
    const ledger = await openPostgresLedger({ url: db.url, password: db.password });
    try {
      const { env, dir } = setUp('{ passed: [dev], approvals: 1 }', ledger);
      const inDev = await env.deploy('dev');
      const plan = await env.promotePlan('dev', 'prod');
      expect(plan.gates?.map((g) => g.met)).toEqual([true, false]);
      await env.approve(plan.planHash!, 'release-manager');
      const inProd = await env.promote('dev', 'prod');
      expect(inProd.status).toBe('succeeded');
      expect((await ledger.steps(inProd.deploymentId))[0]!.artifactHash).toBe(
        (await ledger.steps(inDev.deploymentId))[0]!.artifactHash,
      );
      expect(await ledger.approvals(plan.planHash)).toMatchObject([
        { actor: 'release-manager', env: undefined },
      ]);
      writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: '"{{ greeting }}, two"' }));
      const second = await env.deploy('dev');
      const back = await rollbackPlan(second.deploymentId, ledger, env.clients.dev!);
      await runDeployment(await createDeployment(back, ledger, { atomic: false }), {
        client: env.clients.dev!,
        ledger,
      });
      expect((await refusal(env.promote('dev', 'prod'))).message).toContain('rolled back in dev');
    } finally {
      await ledger.close();
    }
  });
});
