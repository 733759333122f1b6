/**
 * The embedded ledger: SQLite through better-sqlite3 (12.x: 13 needs Node 22), WAL journal with
 * `synchronous=FULL`, so a committed state change survives SIGKILL and power loss alike; a busy
 * timeout lets several flowgate processes share one file.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { FlowgateError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import {
  callFromRow,
  deploymentFromRow,
  eventFromRow,
  PATCH_COLUMNS,
  stepFromRow,
  stepToRow,
} from './rows.js';
import type {
  CallRow,
  DeploymentRecord,
  DeploymentStatus,
  Holder,
  Ledger,
  StepPatch,
  StepRecord,
  StepState,
} from './types.js';

type Db = BetterSqlite3.Database;

/** Opens (and migrates) the SQLite ledger at `path`; `:memory:` for a throwaway one. */
export function openSqliteLedger(path: string, options: { now?: () => Date } = {}): Ledger {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // better-sqlite3 is CommonJS and native: loaded on first use, not at start-up.
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    db = new Database(path, { timeout: 10_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    throw new FlowgateError('LEDGER_OPEN', `cannot open the ledger ${path}: ${(e as Error).message}`, {
      hint: 'Check that the folder is writable and the disk has space; set ledger.path in the manifest to move it.',
      cause: e,
    });
  }
  migrate(db);
  return settled(new SqliteLedger(db, options.now ?? (() => new Date())));
}

/**
 * better-sqlite3 is synchronous: a failing statement throws at once. Callers of an asynchronous
 * interface expect a rejected promise instead (`.catch`, `expect().rejects`), so every method is
 * wrapped to turn a throw into a rejection.
 */
function settled(impl: Ledger): Ledger {
  const out: Record<string, unknown> = {};
  const proto = Object.getPrototypeOf(impl) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(proto)) {
    const method = proto[key];
    if (key === 'constructor' || typeof method !== 'function') continue;
    out[key] = (...args: unknown[]) => {
      try {
        return Promise.resolve((method as (...a: unknown[]) => unknown).apply(impl, args));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
  }
  return out as unknown as Ledger;
}

function migrate(db: Db): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  // IMMEDIATE: two processes opening a new ledger at once apply each migration once.
  db.transaction(() => {
    const done = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const s of m.statements) db.exec(s);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }
  }).immediate();
}

/** Whether a process of this host is alive (signal 0 checks without touching it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class SqliteLedger implements Ledger {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  private write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      if (e instanceof FlowgateError) throw e;
      throw new FlowgateError(
        'LEDGER_WRITE',
        `the ledger could not record a change: ${(e as Error).message}`,
        {
          hint: 'Nothing further was started. Free disk space or fix permissions, then resume with deploy --resume.',
          cause: e,
        },
      );
    }
  }

  createDeployment(d: DeploymentRecord, steps: StepRecord[]): Promise<void> {
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO deployments (id, created_at, updated_at, status, actor, org, env, manifest, atomic)
           VALUES (@id, @created_at, @updated_at, @status, @actor, @org, @env, @manifest, @atomic)`,
        )
        .run({
          id: d.id,
          created_at: d.createdAt,
          updated_at: d.updatedAt,
          status: d.status,
          actor: d.actor,
          org: d.org,
          env: d.env ?? null,
          manifest: d.manifest ?? null,
          atomic: d.atomic ? 1 : 0,
        });
      const insert = this.db.prepare(
        `INSERT INTO steps (${Object.keys(stepToRow(steps[0] ?? emptyStep())).join(', ')})
         VALUES (${Object.keys(stepToRow(steps[0] ?? emptyStep()))
           .map((k) => `@${k}`)
           .join(', ')})`,
      );
      for (const s of steps) {
        insert.run(stepToRow(s));
        this.event(s.deploymentId, s.index, null, s.state, 'planned');
      }
    });
    return Promise.resolve();
  }

  getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM deployments WHERE id = ?').get(id) as
      Record<string, unknown> | undefined;
    return Promise.resolve(r ? deploymentFromRow(r) : undefined);
  }

  listDeployments(
    options: { status?: DeploymentStatus[]; limit?: number } = {},
  ): Promise<DeploymentRecord[]> {
    const where = options.status?.length
      ? `WHERE status IN (${options.status.map(() => '?').join(', ')})`
      : '';
    const rows = this.db
      .prepare(`SELECT * FROM deployments ${where} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...(options.status ?? []), options.limit ?? 50) as Array<Record<string, unknown>>;
    return Promise.resolve(rows.map(deploymentFromRow));
  }

  setStatus(id: string, status: DeploymentStatus): Promise<void> {
    this.write(() =>
      this.db
        .prepare('UPDATE deployments SET status = ?, updated_at = ? WHERE id = ?')
        .run(status, this.now().toISOString(), id),
    );
    return Promise.resolve();
  }

  steps(deploymentId: string): Promise<StepRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM steps WHERE deployment_id = ? ORDER BY idx')
      .all(deploymentId) as Array<Record<string, unknown>>;
    return Promise.resolve(rows.map(stepFromRow));
  }

  transition(
    deploymentId: string,
    index: number,
    to: StepState,
    patch: StepPatch = {},
    detail?: string,
  ): Promise<StepRecord> {
    return Promise.resolve(
      this.write(() => {
        const before = this.step(deploymentId, index);
        this.update(deploymentId, index, { ...patch }, to);
        this.event(deploymentId, index, before.state, to, detail);
        return this.step(deploymentId, index);
      }),
    );
  }

  note(deploymentId: string, index: number, patch: StepPatch, detail: string): Promise<void> {
    this.write(() => {
      const before = this.step(deploymentId, index);
      this.update(deploymentId, index, patch, before.state);
      this.event(deploymentId, index, before.state, before.state, detail);
    });
    return Promise.resolve();
  }

  private step(deploymentId: string, index: number): StepRecord {
    const r = this.db
      .prepare('SELECT * FROM steps WHERE deployment_id = ? AND idx = ?')
      .get(deploymentId, index) as Record<string, unknown> | undefined;
    if (!r) throw new FlowgateError('LEDGER_WRITE', `deployment ${deploymentId} has no step ${index}`);
    return stepFromRow(r);
  }

  private update(deploymentId: string, index: number, patch: StepPatch, state: StepState): void {
    const sets = ['state = @state', 'updated_at = @updated_at'];
    const values: Record<string, unknown> = {
      state,
      updated_at: this.now().toISOString(),
      d: deploymentId,
      i: index,
    };
    for (const [k, v] of Object.entries(patch)) {
      const col = PATCH_COLUMNS[k];
      if (!col) continue;
      sets.push(`${col} = @${col}`);
      values[col] = typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null);
    }
    this.db.prepare(`UPDATE steps SET ${sets.join(', ')} WHERE deployment_id = @d AND idx = @i`).run(values);
    this.db
      .prepare('UPDATE deployments SET updated_at = ? WHERE id = ?')
      .run(values.updated_at, deploymentId);
  }

  private event(
    deploymentId: string,
    index: number,
    from: StepState | null,
    to: StepState,
    detail?: string,
  ): void {
    const seq = (
      this.db
        .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM step_events WHERE deployment_id = ? AND idx = ?')
        .get(deploymentId, index) as { n: number }
    ).n;
    this.db
      .prepare(
        'INSERT INTO step_events (deployment_id, idx, seq, at, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(deploymentId, index, seq, this.now().toISOString(), from, to, detail ?? null);
  }

  events(deploymentId: string) {
    const rows = this.db
      .prepare('SELECT * FROM step_events WHERE deployment_id = ? ORDER BY at, idx, seq')
      .all(deploymentId) as Array<Record<string, unknown>>;
    return Promise.resolve(rows.map(eventFromRow));
  }

  recordCall(c: CallRow): Promise<void> {
    this.write(() =>
      this.db
        .prepare(
          `INSERT INTO calls (deployment_id, idx, at, method, path, status, attempts, latency_ms, correlation_id, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
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
        ),
    );
    return Promise.resolve();
  }

  calls(deploymentId: string): Promise<CallRow[]> {
    const rows = this.db
      .prepare('SELECT * FROM calls WHERE deployment_id = ? ORDER BY at')
      .all(deploymentId) as Array<Record<string, unknown>>;
    return Promise.resolve(rows.map(callFromRow));
  }

  lastPublished(flowKey: string): Promise<(StepRecord & { at: string }) | undefined> {
    const r = this.db
      .prepare(
        `SELECT * FROM steps WHERE flow_key = ? AND state = 'published' ORDER BY updated_at DESC LIMIT 1`,
      )
      .get(flowKey) as Record<string, unknown> | undefined;
    return Promise.resolve(r ? { ...stepFromRow(r), at: String(r.updated_at) } : undefined);
  }

  history(flowKey?: string, limit = 50) {
    const rows = this.db
      .prepare(
        `SELECT s.*, d.status AS deployment_status FROM steps s JOIN deployments d ON d.id = s.deployment_id
         ${flowKey ? 'WHERE s.flow_key = ?' : ''} ORDER BY s.updated_at DESC, s.idx DESC LIMIT ?`,
      )
      .all(...(flowKey ? [flowKey] : []), limit) as Array<Record<string, unknown>>;
    return Promise.resolve(
      rows.map((r) => ({ ...stepFromRow(r), status: String(r.deployment_status) as DeploymentStatus })),
    );
  }

  acquire(deploymentId: string, holder: Holder): Promise<{ release(): Promise<void> }> {
    this.write(() => {
      const r = this.db.prepare('SELECT * FROM run_locks WHERE deployment_id = ?').get(deploymentId) as
        { pid: number; host: string; actor: string; since: string } | undefined;
      if (r) {
        const dead = r.host === holder.host && !alive(r.pid);
        if (!dead)
          throw new FlowgateError(
            'LEDGER_BUSY',
            `deployment ${deploymentId} is being run by process ${r.pid} on ${r.host} (${r.actor}) since ${r.since}`,
            {
              hint: 'Wait for it to finish, or stop that process; a run whose process died is taken over automatically.',
              details: { holder: r },
            },
          );
        this.db.prepare('DELETE FROM run_locks WHERE deployment_id = ?').run(deploymentId);
      }
      this.db
        .prepare('INSERT INTO run_locks (deployment_id, pid, host, actor, since) VALUES (?, ?, ?, ?, ?)')
        .run(deploymentId, holder.pid, holder.host, holder.actor, holder.since);
    });
    return Promise.resolve({
      release: () => {
        this.write(() =>
          this.db
            .prepare('DELETE FROM run_locks WHERE deployment_id = ? AND pid = ?')
            .run(deploymentId, holder.pid),
        );
        return Promise.resolve();
      },
    });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

function emptyStep(): StepRecord {
  return {
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
  };
}
