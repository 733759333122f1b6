/**
 * What the demo's steps share: the CLI's streams and environment pointed at one of its in-process
 * emulator orgs (as a CI job of that environment has its own credentials), and one deployment or
 * promotion of a manifest there, planned, printed, run and reported as `deploy` and `promote` do.
 */
import { join } from 'node:path';
import type { DeploymentPlan } from '../../deploy/types.js';
import type { RunOutcome } from '../../deploy/executor.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { FlowgateError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { openDeploySession } from '../deploy-session.js';
import { formatPlanPretty } from '../output/format-plan.js';
import { cliEvents } from '../event-hub.js';
import { finish } from './finish.js';

/** What {@link demoDeploy} does besides planning and running. */
export interface DemoDeployOptions {
  /** The manifest's environment. */
  env: string;
  /** Promote what passed in this environment (`flowgate promote --from`) instead of the files. */
  promoteFrom?: string | undefined;
  /** Print the plan (default: yes, unless `--json`). */
  showPlan?: boolean;
  /** Print the report on stdout (default: yes). */
  report?: boolean;
}

/** A deployment run, or refused before anything was recorded (its plan blocked, a gate unmet). */
export type DemoDeployResult =
  | { plan: DeploymentPlan; refused: FlowgateError }
  | { plan: DeploymentPlan; outcome: RunOutcome; code: number };

/** The refusals {@link demoDeploy} hands back instead of throwing: the lessons the demo shows. */
const REFUSALS = new Set(['DEPLOY_BLOCKED', 'GATE_UNMET']);

/** The CLI's streams with the credentials and base URL of one emulator org. */
export function orgIo(io: CliIo, emu: RunningEmulator): CliIo {
  return {
    ...io,
    env: {
      ...io.env,
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
      GENESYSCLOUD_REGION: undefined,
      GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE: undefined,
    },
  };
}

/** Plans (printing the plan and its diffs) and runs one deployment of a manifest to `emu`. */
export async function demoDeploy(
  emu: RunningEmulator,
  manifest: string,
  dir: string,
  io: CliIo,
  json: boolean,
  o: DemoDeployOptions,
): Promise<DemoDeployResult> {
  const [{ createDeployment, runDeployment }, { planDeployment }, { promotionPlan }] = await Promise.all([
    import('../../deploy/executor.js'),
    import('../../deploy/plan.js'),
    import('../../deploy/promotion.js'),
  ]);
  const session = await openDeploySession(orgIo(io, emu), {
    manifest,
    env: o.env,
    ledger: join(dir, 'ledger.db'),
    set: [],
    forceUnlock: false,
    overwriteDrift: false,
  });
  try {
    const using = { client: session.client, ledger: session.ledger };
    const plan =
      o.promoteFrom === undefined
        ? await planDeployment(session.deployment, { ...using, loaded: session.loaded })
        : await promotionPlan(session.deployment, { ...using, from: o.promoteFrom });
    if (!json && o.showPlan !== false) io.err(`${formatPlanPretty(plan, io.errColors)}\n`);
    let id: string;
    try {
      id = await createDeployment(plan, session.ledger, { atomic: true });
    } catch (e) {
      if (e instanceof FlowgateError && REFUSALS.has(e.code)) return { plan, refused: e };
      throw e;
    }
    const events = cliEvents(io, session.ledger, session.deployment.manifest?.events, !json);
    let outcome;
    try {
      outcome = await runDeployment(id, { ...using, onEvent: events.onEvent });
    } finally {
      await events.close();
    }
    if (!json) io.err('\n');
    const quiet: CliIo = { ...io, out: () => undefined };
    const code = await finish(outcome, session.ledger, o.report === false ? quiet : io, json);
    return { plan, outcome, code };
  } finally {
    await session.close();
  }
}

/** The outcome of a deployment the demo expects to run: a refusal is the error it is. */
export function deployed(r: DemoDeployResult): { outcome: RunOutcome; code: number } {
  if ('refused' in r) throw r.refused;
  return r;
}
