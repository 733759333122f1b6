/**
 * `flowgate approve <deployment | plan-hash> [--note …] [--as …]`: records an approval of a plan
 * in the ledger (the library's `approvePlan`) and in the audit log (`approval.recorded`). The
 * approver is the OAuth client of the credentials, or the CI's identity given with `--as`. The
 * event's org is the approved deployment's, else the org of the environment the approval is for.
 */
import { existsSync } from 'node:fs';
import type { LoadedDeployment } from '../../config/deployment.js';
import { DEFAULT_MANIFEST } from '../../config/defaults.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { ledgerLocation } from '../deploy-session.js';
import { cliEvents } from '../event-hub.js';
import { terminalSafe as safe } from '../output/encode.js';
import { cliPlatformClient } from '../platform-client.js';
import { endpointsOf } from '../../platform/credentials.js';
import { manifestEndpoint } from '../../platform/endpoint-trust.js';
import type { LedgerFlags } from '../options.js';

/** `flowgate approve`'s options. */
export interface ApproveOptions extends LedgerFlags {
  /** A plan hash or a deployment id. */
  target: string;
  note?: string | undefined;
  /** The CI's identity, in place of the credentials' OAuth client. */
  as?: string | undefined;
  manifest?: string | undefined;
  env?: string | undefined;
  json: boolean;
}

/** Records the approval; exit 0. */
export async function runApprove(opts: ApproveOptions, io: CliIo): Promise<number> {
  const { target } = opts;
  const deployment = await manifestOf(opts);
  const manifest = deployment?.manifest;
  const actor = opts.as !== undefined && opts.as !== '' ? opts.as : await credentialsActor(io, deployment);
  const [{ openLedger }, { approvePlan }, { newEvent }] = await Promise.all([
    import('../../ledger/open.js'),
    import('../../deploy/approvals.js'),
    import('../../events/model.js'),
  ]);
  const ledger = await openLedger(await ledgerLocation(opts, deployment));
  try {
    const approval = await approvePlan(ledger, target, {
      actor,
      note: opts.note,
      env: manifest?.env,
    });
    const org =
      (approval.deploymentId !== undefined
        ? (await ledger.getDeployment(approval.deploymentId))?.org
        : undefined) ?? environmentOrg(io, deployment);
    const events = cliEvents(io, ledger, manifest?.events, false);
    await events.hub.emit(
      newEvent({
        type: 'approval.recorded',
        time: approval.at,
        deploymentId: approval.deploymentId ?? '',
        actor: approval.actor,
        org: org ?? '',
        result: 'approved',
        message: `plan ${approval.planHash} approved by ${approval.actor}${approval.note ? `: ${approval.note}` : ''}${org === undefined ? NO_ORG : ''}`,
        approval: { id: approval.id, planHash: approval.planHash, env: approval.env, note: approval.note },
      }),
    );
    await events.close();
    if (opts.json) io.out(`${JSON.stringify({ schemaVersion: 1, approval }, null, 2)}\n`);
    else
      io.out(
        `approved plan ${approval.planHash}${approval.env ? ` (${safe(approval.env)})` : ''} as ${safe(approval.actor)} (${approval.id})\n`,
      );
    return ExitCode.Ok;
  } finally {
    await ledger.close();
  }
}

/** Why an approval of a bare plan hash may name no org (the hash binds one, but cannot be read back). */
const NO_ORG =
  " (no org: a plan hash does not say its org, and neither --env's org in the manifest nor GENESYSCLOUD_BASE_URL or GENESYSCLOUD_REGION names one)";

/**
 * The org of the environment the approval is for, as a client of this command would reach it (the
 * environment's variables, else the manifest's org for `--env`): the API base URL that plans and
 * deployments record as their org. No credentials needed (`--as` sends nothing).
 */
function environmentOrg(io: CliIo, deployment: LoadedDeployment | undefined): string | undefined {
  return endpointsOf(io.env, manifestEndpoint(io.env, deployment?.manifest?.org))?.apiBaseUrl;
}

/** The manifest (`-m`, or ./flowgate.yaml when there is one) for its ledger, events and org. */
async function manifestOf(opts: ApproveOptions): Promise<LoadedDeployment | undefined> {
  const path =
    opts.manifest !== undefined ? opts.manifest : existsSync(DEFAULT_MANIFEST) ? DEFAULT_MANIFEST : undefined;
  if (path === undefined) return undefined;
  const { loadDeployment } = await import('../../config/deployment.js');
  return loadDeployment(path, opts.env !== undefined ? { env: opts.env } : {});
}

/** The OAuth client id the credentials log in as (the actor deployments record). */
async function credentialsActor(io: CliIo, deployment: LoadedDeployment | undefined): Promise<string> {
  const { client, settings } = cliPlatformClient(io, {
    org: deployment?.manifest?.org,
    manifest: deployment?.manifest?.path,
  });
  return (await client.org.tokenInfo()).OAuthClient?.id ?? settings.credentials.clientId;
}
