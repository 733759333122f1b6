/**
 * The ledger, written once in portable SQL over a {@link SqlDriver}: SQLite and PostgreSQL run the
 * same statements, so the contract suite proves the same behaviour on both. Every state change and
 * its event commit in one transaction.
 */
import { FlowgateError } from '../errors.js';
import {
  approvalFromRow,
  callFromRow,
  deploymentFromRow,
  eventFromRow,
  JOINED_DEPLOYMENT_COLUMNS,
  joinedDeploymentFromRow,
  PATCH_COLUMNS,
  stepFromRow,
  stepToRow,
} from './rows.js';
import type { Query, SqlDriver } from './sql-driver.js';
import { assertTransition } from './step-states.js';
import type {
  ApprovalRecord,
  CallRow,
  DeploymentBundle,
  DeploymentRecord,
  DeploymentStatus,
  FlowLockHolder,
  FlowLockOptions,
  FlowLocks,
  HeldFlowLock,
  Holder,
  Ledger,
  StepEvent,
  StepPatch,
  StepKind,
  StepRecord,
  StepState,
  StepWithDeployment,
} from './types.js';
import { isoNow, systemClock, type Clock } from '../shared/time.js';

const STEP_COLUMNS = Object.keys(
  stepToRow({
    deploymentId: '',
    index: 0,
    flowKey: '',
    flowName: '',
    flowType: '',
    kind: 'publish',
    createdFlow: false,
    state: 'planned',
    dependsOn: [],
    updatedAt: '',
  }),
);
const INSERT_STEP = `INSERT INTO steps (${STEP_COLUMNS.join(', ')}) VALUES (${STEP_COLUMNS.map(() => '?').join(', ')})`;
const INSERT_EVENT =
  'INSERT INTO step_events (deployment_id, idx, seq, at, from_state, to_state, detail, ord) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const INSERT_CALL = `INSERT INTO calls (deployment_id, idx, at, method, path, status, attempts, latency_ms, correlation_id, error)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The ledger over a driver. */
export class SqlLedger implements Ledger {
  constructor(
    private readonly db: SqlDriver,
    private readonly now: Clock = systemClock,
  ) {}

  async createDeployment(d: DeploymentRecord, steps: StepRecord[]): Promise<void> {
    await this.db.transaction(async (q) => {
      await insertDeployment(q, d);
      for (const s of steps) {
        await q(INSERT_STEP, Object.values(stepToRow(s)));
        await this.event(q, s.deploymentId, s.index, null, s.state, 'planned');
      }
    });
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const [r] = await this.db.query('SELECT * FROM deployments WHERE id = ?', [id]);
    return r ? deploymentFromRow(r) : undefined;
  }

  async listDeployments(
    options: { status?: DeploymentStatus[]; limit?: number } = {},
  ): Promise<DeploymentRecord[]> {
    const where = options.status?.length
      ? `WHERE status IN (${options.status.map(() => '?').join(', ')})`
      : '';
    const rows = await this.db.query(
      `SELECT * FROM deployments ${where} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...(options.status ?? []), options.limit ?? 50],
    );
    return rows.map(deploymentFromRow);
  }

  async setStatus(id: string, status: DeploymentStatus): Promise<void> {
    await this.db.transaction((q) =>
      q('UPDATE deployments SET status = ?, updated_at = ? WHERE id = ?', [status, this.stamp(), id]),
    );
  }

  async steps(deploymentId: string): Promise<StepRecord[]> {
    const rows = await this.db.query('SELECT * FROM steps WHERE deployment_id = ? ORDER BY idx', [
      deploymentId,
    ]);
    return rows.map(stepFromRow);
  }

  transition(
    deploymentId: string,
    index: number,
    to: StepState,
    patch: StepPatch = {},
    detail?: string,
  ): Promise<StepRecord> {
    return this.db.transaction(async (q) => {
      const before = await step(q, deploymentId, index);
      // Refused inside the transaction: nothing of a change the table forbids is recorded.
      assertTransition(before, before.state, to);
      await this.update(q, deploymentId, index, patch, to);
      await this.event(q, deploymentId, index, before.state, to, detail);
      return step(q, deploymentId, index);
    });
  }

  async note(deploymentId: string, index: number, patch: StepPatch, detail: string): Promise<void> {
    await this.db.transaction(async (q) => {
      const before = await step(q, deploymentId, index);
      await this.update(q, deploymentId, index, patch, before.state);
      await this.event(q, deploymentId, index, before.state, before.state, detail);
    });
  }

  async events(deploymentId: string): Promise<StepEvent[]> {
    const rows = await this.db.query(
      // The order of recording: `at` alone ties within a millisecond; rows from before
      // migration 5 have no `ord` and keep the old order, before every later row.
      'SELECT * FROM step_events WHERE deployment_id = ? ORDER BY COALESCE(ord, 0), at, idx, seq',
      [deploymentId],
    );
    return rows.map(eventFromRow);
  }

  async recordCall(c: CallRow): Promise<void> {
    await this.db.transaction((q) => q(INSERT_CALL, callValues(c)));
  }

  async calls(deploymentId: string): Promise<CallRow[]> {
    const rows = await this.db.query('SELECT * FROM calls WHERE deployment_id = ? ORDER BY at', [
      deploymentId,
    ]);
    return rows.map(callFromRow);
  }

  async lastPublished(flowKey: string, org?: string): Promise<(StepRecord & { at: string }) | undefined> {
    const [r] = await this.db.query(
      `SELECT s.* FROM steps s JOIN deployments d ON d.id = s.deployment_id
       WHERE s.flow_key = ? AND s.state = 'published' AND s.kind IN ('import', 'publish')
       ${org === undefined ? '' : 'AND d.org = ?'}
       ORDER BY s.updated_at DESC LIMIT 1`,
      org === undefined ? [flowKey] : [flowKey, org],
    );
    return r ? { ...stepFromRow(r), at: String(r.updated_at) } : undefined;
  }

  async latestSteps(
    org: string,
    kinds: readonly StepKind[],
    states: readonly StepState[],
  ): Promise<StepWithDeployment[]> {
    if (kinds.length === 0 || states.length === 0) return [];
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
    // ROW_NUMBER is standard SQL (both engines have it); ties on the stamp fall to the newer
    // deployment, then the later step, so the answer is one row per flow whatever the stamps.
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT s.*, ${JOINED_DEPLOYMENT_COLUMNS}, ROW_NUMBER() OVER (
           PARTITION BY s.flow_key ORDER BY s.updated_at DESC, d.created_at DESC, d.id DESC, s.idx DESC
         ) AS rn
         FROM steps s JOIN deployments d ON d.id = s.deployment_id
         WHERE d.org = ? AND s.kind IN (${marks(kinds.length)}) AND s.state IN (${marks(states.length)})
       ) x WHERE rn = 1 ORDER BY flow_key`,
      [org, ...kinds, ...states],
    );
    return rows.map((r) => ({ ...stepFromRow(r), deployment: joinedDeploymentFromRow(r) }));
  }

  async history(flowKey?: string, limit = 50): Promise<Array<StepRecord & { status: DeploymentStatus }>> {
    const rows = await this.db.query(
      `SELECT s.*, d.status AS deployment_status FROM steps s JOIN deployments d ON d.id = s.deployment_id
       ${flowKey ? 'WHERE s.flow_key = ?' : ''} ORDER BY s.updated_at DESC, s.idx DESC LIMIT ?`,
      [...(flowKey ? [flowKey] : []), limit],
    );
    return rows.map((r) => ({
      ...stepFromRow(r),
      status: String(r.deployment_status) as DeploymentStatus,
    }));
  }

  async flowHistory(flow: string, limit = 50): Promise<Array<StepRecord & { status: DeploymentStatus }>> {
    const rows = await this.db.query(
      `SELECT s.*, d.status AS deployment_status FROM steps s JOIN deployments d ON d.id = s.deployment_id
       WHERE s.flow_key = ? OR s.flow_name = ? OR s.flow_id = ? ORDER BY s.updated_at DESC, s.idx DESC LIMIT ?`,
      [flow, flow, flow, limit],
    );
    return rows.map((r) => ({
      ...stepFromRow(r),
      status: String(r.deployment_status) as DeploymentStatus,
    }));
  }

  async flowNames(): Promise<string[]> {
    const rows = await this.db.query('SELECT DISTINCT flow_name FROM steps ORDER BY flow_name', []);
    return rows.map((r) => String(r.flow_name));
  }

  acquire(deploymentId: string, holder: Holder): Promise<{ release(): Promise<void> }> {
    return this.db.locks.acquireRun(deploymentId, holder);
  }

  lockFlows(
    org: string,
    flowKeys: string[],
    holder: FlowLockHolder,
    options: FlowLockOptions,
  ): Promise<FlowLocks> {
    // One order for every run: two runs that want overlapping flows cannot deadlock.
    const keys = [...new Set(flowKeys)].sort();
    return this.db.locks.lockFlows(org, keys, holder, options);
  }

  flowLockHolders(org: string, flowKeys: string[]): Promise<HeldFlowLock[]> {
    return this.db.locks.holders(org, [...new Set(flowKeys)].sort());
  }

  artifactSteps(artifactHash: string, sourceFile: string): Promise<StepWithDeployment[]> {
    return this.joined('s.artifact_hash = ? AND s.source_file = ?', [artifactHash, sourceFile], 500);
  }

  fileSteps(sourceFile: string, env: string, limit = 50): Promise<StepWithDeployment[]> {
    return this.joined('s.source_file = ? AND d.env = ?', [sourceFile, env], limit);
  }

  rollbacksSince(org: string, flowKey: string, after: string): Promise<StepWithDeployment[]> {
    return this.joined(
      "d.org = ? AND s.flow_key = ? AND d.purpose = 'rollback' AND d.created_at > ?",
      [org, flowKey, after],
      500,
    );
  }

  async recordApproval(a: ApprovalRecord): Promise<void> {
    await this.db.transaction((q) =>
      q(
        'INSERT INTO approvals (id, plan_hash, env, deployment_id, actor, at, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [a.id, a.planHash, a.env ?? null, a.deploymentId ?? null, a.actor, a.at, a.note ?? null],
      ),
    );
  }

  async approvals(planHash?: string): Promise<ApprovalRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM approvals ${planHash === undefined ? '' : 'WHERE plan_hash = ?'} ORDER BY at, id`,
      planHash === undefined ? [] : [planHash],
    );
    return rows.map(approvalFromRow);
  }

  importDeployment(b: DeploymentBundle): Promise<boolean> {
    return this.db.transaction(async (q) => {
      const [exists] = await q('SELECT id FROM deployments WHERE id = ?', [b.deployment.id]);
      if (exists) return false;
      await insertDeployment(q, b.deployment);
      for (const s of b.steps) await q(INSERT_STEP, Object.values(stepToRow(s)));
      const seq = new Map<number, number>();
      for (const [i, e] of b.events.entries()) {
        const n = (seq.get(e.index) ?? 0) + 1;
        seq.set(e.index, n);
        await q(INSERT_EVENT, [e.deploymentId, e.index, n, e.at, e.from, e.to, e.detail ?? null, i + 1]);
      }
      for (const c of b.calls) await q(INSERT_CALL, callValues(c));
      return true;
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Steps joined with their deployments, newest deployment first. */
  private async joined(where: string, values: unknown[], limit: number): Promise<StepWithDeployment[]> {
    const rows = await this.db.query(
      `SELECT s.*, ${JOINED_DEPLOYMENT_COLUMNS} FROM steps s JOIN deployments d ON d.id = s.deployment_id
       WHERE ${where} ORDER BY d.created_at DESC, d.id DESC, s.idx LIMIT ?`,
      [...values, limit],
    );
    return rows.map((r) => ({ ...stepFromRow(r), deployment: joinedDeploymentFromRow(r) }));
  }

  private stamp(): string {
    return isoNow(this.now);
  }

  private async update(
    q: Query,
    deploymentId: string,
    index: number,
    patch: StepPatch,
    state: StepState,
  ): Promise<void> {
    const sets = ['state = ?', 'updated_at = ?'];
    const at = this.stamp();
    const values: unknown[] = [state, at];
    for (const [k, v] of Object.entries(patch)) {
      const col = PATCH_COLUMNS[k];
      if (!col) continue;
      sets.push(`${col} = ?`);
      values.push(typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null));
    }
    await q(`UPDATE steps SET ${sets.join(', ')} WHERE deployment_id = ? AND idx = ?`, [
      ...values,
      deploymentId,
      index,
    ]);
    await q('UPDATE deployments SET updated_at = ? WHERE id = ?', [at, deploymentId]);
  }

  private async event(
    q: Query,
    deploymentId: string,
    index: number,
    from: StepState | null,
    to: StepState,
    detail?: string,
  ): Promise<void> {
    const [r] = await q(
      `SELECT COALESCE(MAX(CASE WHEN idx = ? THEN seq END), 0) + 1 AS n, COALESCE(MAX(ord), 0) + 1 AS o
         FROM step_events WHERE deployment_id = ?`,
      [index, deploymentId],
    );
    const values = [deploymentId, index, Number(r?.n ?? 1), this.stamp(), from, to, detail ?? null];
    await q(INSERT_EVENT, [...values, Number(r?.o ?? 1)]);
  }
}

async function step(q: Query, deploymentId: string, index: number): Promise<StepRecord> {
  const [r] = await q('SELECT * FROM steps WHERE deployment_id = ? AND idx = ?', [deploymentId, index]);
  if (!r) throw new FlowgateError('LEDGER_WRITE', `deployment ${deploymentId} has no step ${index}`);
  return stepFromRow(r);
}

async function insertDeployment(q: Query, d: DeploymentRecord): Promise<void> {
  await q(
    `INSERT INTO deployments (id, created_at, updated_at, status, actor, org, env, manifest, atomic, purpose, plan_hash, gates)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      d.id,
      d.createdAt,
      d.updatedAt,
      d.status,
      d.actor,
      d.org,
      d.env ?? null,
      d.manifest ?? null,
      d.atomic ? 1 : 0,
      d.purpose ?? null,
      d.planHash ?? null,
      d.gates ? JSON.stringify(d.gates) : null,
    ],
  );
}

function callValues(c: CallRow): unknown[] {
  return [
    c.deploymentId,
    c.index ?? null,
    c.at,
    c.method,
    c.path,
    c.status,
    c.attempts,
    c.latencyMs,
    c.correlationId ?? null,
    c.error ?? null,
  ];
}
