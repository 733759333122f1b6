/**
 * What plan, deploy, rollback, history, status and the schedule commands share: the manifest and
 * its flows (through the library's `loadDeployment`), the ledger, and a client whose every call
 * inside a deployment is recorded in the ledger.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedDeployment } from '../config/deployment.js';
import { ConfigError } from '../errors.js';
import { recordCallsIn } from '../deploy/call-context.js';
import type { LoadedFlow } from '../flow/load.js';
import type { ResolvedLedger } from '../config/ledger-location.js';
import type { Ledger } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { deploymentOverrides } from './commands/validate.js';
import type { CliIo } from './io.js';
import type { DeployInputFlags, LedgerFlags } from './options.js';
import { cliPlatformClient } from './platform-client.js';

/** The ledger's default place, beside the work: `.flowgate/ledger.db`. */
export const DEFAULT_LEDGER = join('.flowgate', 'ledger.db');

/** Where the command's ledger is (`--ledger`, `FLOWGATE_LEDGER_URL`, the manifest, the default). */
export async function ledgerLocation(
  flags: LedgerFlags,
  deployment?: LoadedDeployment,
): Promise<ResolvedLedger> {
  const { resolveLedger } = await import('../config/ledger-location.js');
  return resolveLedger({
    flag: flags.ledger,
    manifest: deployment?.manifest
      ? {
          file: deployment.manifest.path,
          path: deployment.manifest.ledgerPath,
          url: deployment.manifest.ledgerUrl,
          urlAt: deployment.manifest.ledgerUrlAt,
          passwordFile: deployment.manifest.ledgerPasswordFile,
        }
      : undefined,
    env: process.env,
    defaultPath: DEFAULT_LEDGER,
  });
}

/**
 * The ledger for a command that only reads it (`history`, `status`, `schedule`, `adoption
 * --deployment`): a SQLite ledger that does not exist reads as empty and is not created.
 */
export async function readLedger(flags: LedgerFlags): Promise<Ledger> {
  const where = await ledgerLocation(flags);
  const { openLedger } = await import('../ledger/open.js');
  if (where.kind === 'sqlite' && !existsSync(where.path)) {
    // A ledger named on the command line that is not there is a mistyped path, not an empty
    // history; the default one is absent until the first deployment.
    if (flags.ledger !== undefined)
      throw new ConfigError('LEDGER_OPEN', `no ledger at ${where.path}`, {
        hint: 'Check the path; without --ledger the default ledger (.flowgate/ledger.db) is read.',
      });
    return openLedger({ kind: 'sqlite', path: ':memory:' });
  }
  return openLedger(where);
}

/** An open ledger and client. */
export interface LedgerSession {
  ledger: Ledger;
  client: PlatformClient;
  close(): Promise<void>;
}

/** Opens the ledger (`--ledger`, the manifest's, or the default) and a client that records into it. */
export async function openLedgerSession(
  io: CliIo,
  flags: LedgerFlags,
  deployment?: LoadedDeployment,
): Promise<LedgerSession> {
  const [{ openLedger }, where] = await Promise.all([
    import('../ledger/open.js'),
    ledgerLocation(flags, deployment),
  ]);
  // The client records into the ledger; the ledger opens after the client (credentials first).
  const holder: { ledger?: Ledger } = {};
  const { client } = cliPlatformClient(io, {
    org: deployment?.manifest?.org,
    manifest: deployment?.manifest?.path,
    onCall: recordCallsIn(() => holder.ledger),
  });
  const ledger = await openLedger(where);
  holder.ledger = ledger;
  return { ledger, client, close: () => ledger.close() };
}

/** A ledger session with the manifest's deployment and its flows loaded. */
export type DeploySession = LedgerSession & { deployment: LoadedDeployment; loaded: LoadedFlow[] };

/** The manifest's deployment, its flows loaded, and a ledger session. */
export async function openDeploySession(io: CliIo, flags: DeployInputFlags): Promise<DeploySession> {
  const { loadDeployment, loadDeploymentFlows } = await import('../config/deployment.js');
  const deployment = await loadDeployment(flags.manifest, {
    ...deploymentOverrides([], flags),
    ...(flags.env !== undefined ? { env: flags.env } : {}),
    manifestOnly: true,
  });
  const loaded = await loadDeploymentFlows(deployment);
  return { ...(await openLedgerSession(io, flags, deployment)), deployment, loaded };
}
