/**
 * Two emulator orgs (dev and prod) behind one manifest's environments and one ledger: the
 * library's plan, deploy, promote and approve as the CLI calls them, each against the org of the
 * environment it names.
 */
import { join } from 'node:path';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { approvePlan } from '../../src/deploy/approvals.js';
import { recordCallsIn } from '../../src/deploy/call-context.js';
import { createDeployment, runDeployment, type RunOutcome } from '../../src/deploy/executor.js';
import { planDeployment } from '../../src/deploy/plan.js';
import { promotionPlan } from '../../src/deploy/promotion.js';
import type { DeploymentPlan } from '../../src/deploy/types.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { Ledger } from '../../src/ledger/types.js';
import type { PlatformClient } from '../../src/platform/client.js';
import { clientFor } from './emulator.js';

/** A manifest with `dev` and `prod` environments on two emulators; `prod` carries `requires`. */
export function twoEnvManifest(
  dev: RunningEmulator,
  prod: RunningEmulator,
  requires: string,
  flows = '  - file: a.yaml\n',
): string {
  return `version: 1
environments:
  dev:
    org: { baseUrl: '${dev.url}' }
    substitutions: { greeting: Hello from dev }
  prod:
    org: { baseUrl: '${prod.url}' }
    substitutions: { greeting: Hello from prod }
    requires: ${requires}
flows:
${flows}`;
}

/** A simulated clock for the run and its polling (the emulator's, moved by `sleep`). */
export interface Clock {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The library's commands over one ledger, each environment against its own emulator. */
export function environments(dir: string, ledger: Ledger, orgs: Record<string, RunningEmulator>) {
  const clients: Record<string, PlatformClient> = {};
  for (const [env, emu] of Object.entries(orgs))
    clients[env] = clientFor(emu, { onCall: recordCallsIn(() => ledger) }).client;
  const manifest = join(dir, 'flowgate.yaml');
  const poll = { intervalMs: 20, maxIntervalMs: 50 };
  const load = async (env: string) => {
    const deployment = await loadDeployment(manifest, { env, manifestOnly: true });
    return { deployment, loaded: await loadDeploymentFlows(deployment) };
  };
  const plan = async (env: string): Promise<DeploymentPlan> => {
    const { deployment, loaded } = await load(env);
    return planDeployment(deployment, { client: clients[env]!, ledger, loaded });
  };
  const run = async (env: string, p: DeploymentPlan, extra: Clock = {}): Promise<RunOutcome> => {
    const id = await createDeployment(p, ledger, { atomic: true, ...(extra.now ? { now: extra.now } : {}) });
    return runDeployment(id, { client: clients[env]!, ledger, poll: { ...poll, ...extra }, ...extra });
  };
  return {
    clients,
    plan,
    deploy: async (env: string, extra: Clock = {}) => run(env, await plan(env), extra),
    promotePlan: async (from: string, to: string) =>
      promotionPlan((await load(to)).deployment, { from, client: clients[to]!, ledger }),
    promote: async (from: string, to: string) =>
      run(to, await promotionPlan((await load(to)).deployment, { from, client: clients[to]!, ledger })),
    approve: (target: string, actor: string) => approvePlan(ledger, target, { actor }),
  };
}
