/**
 * Ledger rows as a test writes them directly (a deployment and its steps, without a plan), and a
 * SQLite ledger in a folder of its own, for tests of what reads the ledger.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { DeploymentRecord, Ledger, StepRecord } from '../../src/ledger/types.js';

/** A new SQLite ledger file in a temporary folder named after `prefix`. */
export function tempLedger(prefix: string, options: Parameters<typeof openSqliteLedger>[1] = {}): Ledger {
  return openSqliteLedger(join(mkdtempSync(join(tmpdir(), `flowgate-${prefix}-`)), 'ledger.db'), options);
}

/** A deployment to `org` recorded at `at`, succeeded and atomic unless `extra` says otherwise. */
export function deploymentRecord(
  id: string,
  extra: Partial<DeploymentRecord> = {},
  at = '2030-01-07T08:00:00.000Z',
): DeploymentRecord {
  return {
    id,
    createdAt: at,
    updatedAt: at,
    status: 'succeeded',
    actor: 'ci-client',
    org: 'https://api.mypurecloud.ie',
    atomic: true,
    ...extra,
  };
}

/** Step `index` of a deployment: an import of inbound-call flow `Flow <index>`, planned. */
export function stepRecord(deploymentId: string, index: number, extra: Partial<StepRecord> = {}): StepRecord {
  return {
    deploymentId,
    index,
    flowKey: `inboundcall:Flow ${index}`,
    flowName: `Flow ${index}`,
    flowType: 'inboundcall',
    kind: 'import',
    createdFlow: false,
    state: 'planned',
    dependsOn: [],
    updatedAt: '2030-01-07T08:00:00.000Z',
    ...extra,
  };
}
