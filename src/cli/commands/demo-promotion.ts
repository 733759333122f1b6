/**
 * The demo's last step (issue 26): `flowgate promote --from dev --to prod` against a second org
 * started in-process beside the first. The manifest's `prod` requires `{ passed: [dev],
 * approvals: 1 }`, and its values name a queue the prod org lacks at first (issue 25's lesson), so
 * the promotion is refused twice before it deploys: blocked by the missing queue (which an admin
 * then creates; here the emulator's control), then by the missing approval (which is recorded as
 * `flowgate approve` records it). The third attempt deploys exactly the artifacts dev published,
 * with prod's values (README: From dev to prod).
 */
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '../../emulator/server.js';
import type { FlowgateError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { terminalSafe as safe } from '../output/encode.js';
import { runApprove } from './approve.js';
import { deployed, demoDeploy, orgIo, type DemoDeployResult } from './demo-deploy.js';

/** The package's folder: the demo's flows are shown as `examples/demo/flows/…`. */
const PACKAGE = fileURLToPath(new URL('../../../', import.meta.url));

/** The queue prod's values name, in the division of the flow that uses it (the seed's Support). */
const PROD_QUEUE = { name: 'Support-Prod', division: 'Support' };

/** Who approves, and why: as a CI job passes the change ticket's approver (`--as`). */
const APPROVER = { as: 'cab:sam.supervisor', note: 'CAB-1024: the Main IVR change' };

/** Promotes what passed in dev to prod, showing both refusals first; the exit code of the deployment. */
export async function promoteToProd(
  prod: RunningEmulator,
  manifest: string,
  dir: string,
  io: CliIo,
  json: boolean,
): Promise<number> {
  const say = (text: string) => {
    if (!json) io.err(text);
  };
  const attempt = (showPlan: boolean) =>
    demoDeploy(prod, manifest, dir, io, json, { env: 'prod', promoteFrom: 'dev', showPlan });
  say(
    `\nPromotion to prod, a second org on ${prod.url} (in this process): flowgate promote --from dev --to prod\ndeploys what passed in dev, with prod's values; prod requires { passed: [dev], approvals: 1 }.\n\n`,
  );

  const blocked = await attempt(false);
  if (!('refused' in blocked)) return blocked.code;
  say(`1. refused, the plan is blocked:\n${refusal(blocked.refused)}${missingObjects(blocked)}`);
  prod.control.addObject('queue', PROD_QUEUE);
  say(`   An admin creates queue ${PROD_QUEUE.name} in prod (here: the emulator's control).\n\n`);

  const unapproved = await attempt(false);
  if (!('refused' in unapproved)) return unapproved.code;
  say(`2. refused by prod's gates:\n${refusal(unapproved.refused)}\n`);
  const hash = unapproved.plan.planHash!;
  say(`3. flowgate approve ${hash} --env prod --as ${APPROVER.as} --note '${APPROVER.note}'\n   `);
  const prodIo = orgIo(io, prod);
  await runApprove(
    { target: hash, ...APPROVER, manifest, env: 'prod', ledger: join(dir, 'ledger.db'), json: false },
    { ...prodIo, out: json ? () => undefined : (text) => io.err(text) },
  );

  say('\n4. promote again: the plan against what prod publishes, its gates met, then the deployment:\n\n');
  const { code, outcome } = deployed(await attempt(true));
  const artifacts = outcome.steps
    .filter((s) => s.state === 'published' && s.artifactHash !== undefined)
    .map((s) => `${safe(s.flowName)} ${s.artifactHash!.slice(0, 12)}`);
  say(`\nprod publishes the artifacts dev published (${artifacts.join(', ')}), with prod's values.\n`);
  return code;
}

/** `   error [CODE] message`, as the CLI prints an error. */
function refusal(e: FlowgateError): string {
  return `   error [${e.code}] ${safe(e.message)}\n`;
}

/** The missing-object findings of a blocked plan, each where its flow names the object. */
function missingObjects(r: DemoDeployResult): string {
  return r.plan.validation.diagnostics
    .filter((d) => d.code === 'missing-object')
    .map((d) => `   ${relative(PACKAGE, d.file)}:${d.line}:${d.column}: ${safe(d.message)}\n`)
    .join('');
}
