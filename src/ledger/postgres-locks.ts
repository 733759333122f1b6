/**
 * Run and flow locks on PostgreSQL: session-level advisory locks, held on one connection of the
 * ledger's own. The server releases them when that session ends, however it ends (a SIGKILLed
 * runner, a lost network), so no lock row ever needs cleaning by hand. Rows in `run_locks` and
 * `flow_locks` only *name* the holder; a row counts only while its session still holds the lock in
 * `pg_locks`.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { FlowgateError } from '../errors.js';
import { aborted, busyError, lockedError } from './lock-errors.js';
import { ledgerError } from './postgres-connection.js';
import { holderFromRow } from './rows.js';
import type { LockStrategy } from './sql-driver.js';
import type { Clock } from '../shared/time.js';
import type { FlowLockHolder, FlowLockOptions, FlowLocks, HeldFlowLock, Holder } from './types.js';

/** A signed 64-bit advisory lock key (as a decimal string) for a namespaced name. */
export function lockKey(...parts: string[]): string {
  const digest = createHash('sha256')
    .update(['flowgate', ...parts].join('\0'))
    .digest();
  return digest.readBigInt64BE(0).toString();
}

/** The row of a lock still held by its session (a row of a session that ended names nobody). */
const HELD_BY_SESSION = `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
  AND l.pid = t.session_pid AND l.objsubid = 1
  AND l.classid::bigint = ((t.lock_key::bigint >> 32) & 4294967295)
  AND l.objid::bigint = (t.lock_key::bigint & 4294967295))`;

const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';

export class PostgresLocks implements LockStrategy {
  private session: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  /** Set when the session ended while it held locks: they are gone. */
  private lost: Error | undefined;
  /** The server process of each session (what `pg_locks.pid` shows). */
  private readonly pids = new WeakMap<pg.Client, number>();
  /** Statements on the session, one at a time. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: pg.Pool,
    private readonly newClient: () => pg.Client,
    private readonly now: Clock,
  ) {}

  async acquireRun(deploymentId: string, holder: Holder): Promise<{ release(): Promise<void> }> {
    const key = lockKey('run', deploymentId);
    const s = await this.connect();
    const got = await this.onSession((c) =>
      c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]),
    );
    if (!got.rows[0]?.ok) {
      const r = (
        await this.pool.query(`SELECT * FROM run_locks t WHERE deployment_id = $1 AND ${HELD_BY_SESSION}`, [
          deploymentId,
        ])
      ).rows[0] as Record<string, unknown> | undefined;
      throw busyError(deploymentId, r ? holderFromRow(r) : undefined);
    }
    await this.onSession(async (c) => {
      await c.query('DELETE FROM run_locks WHERE deployment_id = $1', [deploymentId]);
      await c.query(
        'INSERT INTO run_locks (deployment_id, pid, host, actor, since, lock_key, session_pid) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [deploymentId, holder.pid, holder.host, holder.actor, holder.since, key, this.backendPid(s)],
      );
    });
    return {
      release: async () => {
        if (this.session !== s) return; // the session ended: the server released the lock
        await this.onSession(async (c) => {
          await c.query('DELETE FROM run_locks WHERE deployment_id = $1 AND session_pid = $2', [
            deploymentId,
            this.backendPid(s),
          ]);
          await c.query('SELECT pg_advisory_unlock($1)', [key]);
        }).catch(() => undefined);
      },
    };
  }

  async lockFlows(
    org: string,
    keys: string[],
    holder: FlowLockHolder,
    o: FlowLockOptions,
  ): Promise<FlowLocks> {
    const s = await this.connect();
    const deadline = this.now() + o.waitMs;
    const taken: string[] = [];
    let waited = false;
    const giveBack = () =>
      this.onSession(async (c) => {
        for (const k of taken) await c.query('SELECT pg_advisory_unlock($1)', [lockKey('flow', org, k)]);
      }).catch(() => undefined);
    try {
      for (const flowKey of keys) {
        const key = lockKey('flow', org, flowKey);
        const got = await this.onSession((c) =>
          c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]),
        );
        if (!got.rows[0]?.ok) {
          const held = await this.holders(org, [flowKey]);
          const remaining = deadline - this.now();
          if (o.waitMs <= 0 || remaining <= 0) throw lockedError(held, o.waitMs);
          if (!waited) await o.onWait?.(held);
          waited = true;
          await this.waitFor(key, deadline, o.signal).catch(async (e: unknown) => {
            throw (e as { code?: string }).code === LOCK_NOT_AVAILABLE
              ? lockedError(await this.holders(org, [flowKey]), o.waitMs)
              : e;
          });
        }
        taken.push(flowKey);
      }
      await this.onSession(async (c) => {
        for (const flowKey of keys)
          await c.query(
            `INSERT INTO flow_locks (org, flow_key, deployment_id, pid, host, actor, since, lock_key, session_pid)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (org, flow_key) DO UPDATE SET deployment_id = EXCLUDED.deployment_id, pid = EXCLUDED.pid,
               host = EXCLUDED.host, actor = EXCLUDED.actor, since = EXCLUDED.since, lock_key = EXCLUDED.lock_key,
               session_pid = EXCLUDED.session_pid`,
            [
              org,
              flowKey,
              holder.deploymentId,
              holder.pid,
              holder.host,
              holder.actor,
              holder.since,
              lockKey('flow', org, flowKey),
              this.backendPid(s),
            ],
          );
      });
    } catch (e) {
      await giveBack();
      throw e;
    }
    return {
      waited,
      check: async () => {
        if (this.lost || this.session !== s) throw this.lostError();
        await this.onSession((c) => c.query('SELECT 1')).catch(() => {
          throw this.lostError();
        });
      },
      release: async () => {
        if (this.session !== s) return;
        await this.onSession(async (c) => {
          await c.query('DELETE FROM flow_locks WHERE org = $1 AND flow_key = ANY($2) AND session_pid = $3', [
            org,
            keys,
            this.backendPid(s),
          ]);
        }).catch(() => undefined);
        await giveBack();
      },
    };
  }

  async holders(org: string, keys: string[]): Promise<HeldFlowLock[]> {
    if (keys.length === 0) return [];
    try {
      const rows = (
        await this.pool.query(
          `SELECT * FROM flow_locks t WHERE org = $1 AND flow_key = ANY($2) AND ${HELD_BY_SESSION} ORDER BY flow_key`,
          [org, keys],
        )
      ).rows as Array<Record<string, unknown>>;
      return rows.map((r) => ({ org, flowKey: String(r.flow_key), holder: holderFromRow(r) }));
    } catch (e) {
      throw ledgerError(e, 'read');
    }
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.end().catch(() => undefined);
  }

  /** Blocks on the lock until it is free or the deadline passes; the signal cancels the wait. */
  private async waitFor(key: string, deadline: number, signal: AbortSignal | undefined): Promise<void> {
    const s = this.session!;
    const cancel = () => {
      void this.pool.query('SELECT pg_cancel_backend($1)', [this.backendPid(s)]).catch(() => undefined);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (signal?.aborted) throw aborted();
      await this.onSession(async (c) => {
        // lock_timeout bounds the wait on the server; it applies to advisory locks too.
        await c.query(`SET lock_timeout = ${Math.max(1, Math.ceil(deadline - this.now()))}`);
        try {
          await c.query('SELECT pg_advisory_lock($1)', [key]);
        } finally {
          await c.query('SET lock_timeout = 0').catch(() => undefined);
        }
      });
    } catch (e) {
      if ((e as { code?: string }).code === QUERY_CANCELED || signal?.aborted) throw aborted();
      throw e;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  private lostError(): FlowgateError {
    return new FlowgateError(
      'LEDGER_UNAVAILABLE',
      `the ledger connection that held this run's flow locks was lost${this.lost ? `: ${this.lost.message}` : ''}`,
      {
        hint: 'No new step was started. When the server is back, run the deployment again: it resumes, and steps in doubt are checked against the org first.',
      },
    );
  }

  private connect(): Promise<pg.Client> {
    if (this.session) return Promise.resolve(this.session);
    this.connecting ??= (async () => {
      const c = this.newClient();
      const onEnd = (e?: Error) => {
        if (this.session === c) {
          this.lost = e ?? new Error('the server closed the connection');
          this.session = undefined;
        }
      };
      c.on('error', onEnd);
      c.on('end', () => onEnd());
      try {
        await c.connect();
        const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        this.pids.set(c, Number(rows[0]?.pid));
      } catch (e) {
        throw ledgerError(e, 'write');
      } finally {
        this.connecting = undefined;
      }
      this.session = c;
      this.lost = undefined;
      return c;
    })();
    return this.connecting;
  }

  private backendPid(c: pg.Client): number {
    return this.pids.get(c) ?? -1;
  }

  private onSession<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      const c = await this.connect();
      try {
        return await fn(c);
      } catch (e) {
        if (
          (e as { code?: string }).code === LOCK_NOT_AVAILABLE ||
          (e as { code?: string }).code === QUERY_CANCELED
        )
          throw e;
        throw ledgerError(e, 'write');
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
