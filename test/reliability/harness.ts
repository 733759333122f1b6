/**
 * The reliability suite's deployment under faults: N flows already published once, then deployed
 * again with new content (not atomic, so each flow ends on its own) through the library, with the
 * audit log, a signed webhook to a local receiver and a dead-letter file, against one emulator.
 * `verdict` then checks the three records against each other: every flow published exactly once
 * or reported failed with its true state; the ledger, the audit log and the emulator's audit
 * records agree.
 */
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { recordCallsIn } from '../../src/deploy/call-context.js';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import { createDeployment, runDeployment, type RunOutcome } from '../../src/deploy/executor.js';
import { planDeployment } from '../../src/deploy/plan.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { AuditLog } from '../../src/events/audit-log.js';
import { EventHub } from '../../src/events/hub.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { Ledger, StepRecord } from '../../src/ledger/types.js';
import { clientFor } from '../helpers/emulator.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';

/** Whether `npm run test:stress` runs (full sizes). */
export const STRESS = process.env.FLOWGATE_STRESS === '1';

/** A local webhook receiver; `down` answers nothing (the port is closed). */
export async function receiver(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Names of the flows of a matrix run. */
export const flowNames = (n: number) =>
  Array.from({ length: n }, (_, i) => `Matrix Flow ${String(i).padStart(2, '0')}`);

/** A workspace of n flows saying `say`. */
export function matrixWorkspace(n: number, say: string): string {
  const files: Record<string, string> = {
    'flowgate.yaml': `version: 1\npolicy:\n  maxFlows: 1000\nflows:\n${flowNames(n)
      .map((_, i) => `  - file: f${i}.yaml\n`)
      .join('')}`,
  };
  flowNames(n).forEach((name, i) => (files[`f${i}.yaml`] = inboundFlow(name, { say })));
  return workspace(files);
}

/** Options of one faulted run. */
export interface FaultedRun {
  emu: RunningEmulator;
  flows: number;
  /** Called with every fact the executor reports (mid-run faults are injected here). */
  onFact?: (e: DeployEvent) => void | Promise<void>;
  /** The audit log path (a symlink to /dev/full fills the disk). */
  auditLogPath?: (dir: string) => string;
  /**
   * After the deployment is recorded, the ledger gets only this many more pages: the disk is
   * full mid-run (SQLite's page cap gives the same "database or disk is full" as a full disk).
   */
  ledgerRoomPages?: number;
  webhookUrl?: string;
  secret?: string;
}

/** What one faulted run left. */
export interface RunResult {
  dir: string;
  ledgerPath: string;
  auditPath: string;
  deadLetterPath: string;
  deploymentId: string;
  outcome?: RunOutcome;
  error?: { code?: string | undefined; message: string };
  publishesBefore: Map<string, number>;
  steps: StepRecord[];
}

/** Successful publishes per flow name in the emulator's audit records. */
export function orgPublishes(emu: RunningEmulator): Map<string, number> {
  const state = emu.control.state();
  const names = new Map(state.flows.map((f) => [f.id, f.name]));
  const out = new Map<string, number>();
  for (const a of state.audits)
    if (a.action === 'Publish' && a.status === 'SUCCESS') {
      const name = names.get(a.entityId) ?? '?';
      out.set(name, (out.get(name) ?? 0) + 1);
    }
  return out;
}

/** Deploys the flows once without faults (the state every faulted run starts from). */
export async function publishOnce(emu: RunningEmulator, flows: number): Promise<void> {
  const dir = matrixWorkspace(flows, 'first');
  const ledger = openSqliteLedger(join(dir, 'ledger.db'));
  const { client } = clientFor(emu);
  const deployment = await loadDeployment(join(dir, 'flowgate.yaml'));
  const plan = await planDeployment(deployment, {
    client,
    ledger,
    loaded: await loadDeploymentFlows(deployment),
  });
  const id = await createDeployment(plan, ledger, { atomic: false });
  const out = await runDeployment(id, { client, ledger, poll: { intervalMs: 10, maxIntervalMs: 20 } });
  if (out.status !== 'succeeded') throw new Error(`setup deployment: ${out.status}`);
  await ledger.close();
}

/** Runs the second deployment under whatever faults the emulator has; never throws. */
export async function faultedRun(o: FaultedRun): Promise<RunResult> {
  const dir = matrixWorkspace(o.flows, 'second');
  const ledgerPath = join(dir, 'ledger.db');
  const auditPath = o.auditLogPath?.(dir) ?? join(dir, 'audit.jsonl');
  const deadLetterPath = join(dir, 'dead-letter.jsonl');
  const holder: { ledger?: Ledger } = {};
  const { client } = clientFor(o.emu, {
    onCall: recordCallsIn(() => holder.ledger),
    // A stalled response is given up after a second and the request tried again.
    timeoutMs: 1000,
  });
  let ledger = openSqliteLedger(ledgerPath);
  holder.ledger = ledger;
  const hub = new EventHub({
    auditLog: new AuditLog(auditPath),
    webhooks: o.webhookUrl
      ? [{ url: o.webhookUrl, secret: o.secret ?? 'matrix-webhook-secret', format: 'json' }]
      : [],
    deadLetterPath,
    deliveryBudgetMs: 5000,
  });
  let bridge = eventBridge(hub, ledger);
  const publishesBefore = orgPublishes(o.emu);
  const result: RunResult = {
    dir,
    ledgerPath,
    auditPath,
    deadLetterPath,
    deploymentId: '',
    publishesBefore,
    steps: [],
  };
  try {
    const deployment = await loadDeployment(join(dir, 'flowgate.yaml'));
    const plan = await planDeployment(deployment, {
      client,
      ledger,
      loaded: await loadDeploymentFlows(deployment),
    });
    result.deploymentId = await createDeployment(plan, ledger, { atomic: false });
    if (o.ledgerRoomPages !== undefined) {
      // Closing checkpoints the journal: the file's size is then its page count.
      await ledger.close();
      const pages = Math.ceil(statSync(ledgerPath).size / 4096);
      ledger = openSqliteLedger(ledgerPath, { maxPageCount: pages + o.ledgerRoomPages });
      holder.ledger = ledger;
      bridge = eventBridge(hub, ledger);
    }
    result.outcome = await runDeployment(result.deploymentId, {
      client,
      ledger,
      concurrency: 4,
      poll: { intervalMs: 10, maxIntervalMs: 20 },
      onEvent: async (e) => {
        await bridge(e);
        await o.onFact?.(e);
      },
    });
  } catch (e) {
    result.error = { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  await hub.close();
  try {
    result.steps = await ledger.steps(result.deploymentId);
  } catch {
    // a full ledger can still be read; a broken one leaves the steps to the caller
  }
  await ledger.close().catch(() => undefined);
  return result;
}

/** Audit-log lines (parsed). */
export function auditEntries(path: string): Array<{ type: string; flow?: { name: string } }> {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { event: { type: string; flow?: { name: string } } }).event);
  } catch {
    return [];
  }
}

/**
 * The checks every run must pass, as a list of broken promises (empty when all hold): per flow,
 * the org published it exactly once more and the ledger and the audit log say published, or the
 * org did not publish it and both say failed (or not started, when the run stopped).
 */
export function verdict(emu: RunningEmulator, r: RunResult, steps: StepRecord[] = r.steps): string[] {
  const broken: string[] = [];
  const after = orgPublishes(emu);
  const audit = auditEntries(r.auditPath);
  for (const s of steps) {
    const more = (after.get(s.flowName) ?? 0) - (r.publishesBefore.get(s.flowName) ?? 0);
    const logged = audit.filter((e) => e.flow?.name === s.flowName).map((e) => e.type);
    if (s.state === 'published') {
      if (more !== 1) broken.push(`${s.flowName}: ledger says published, the org published it ${more} times`);
      // A step in flight when the audit log failed: its intent is in the log (written before the
      // publish), and the run's error names the outcome the log could not take.
      const namedByError =
        r.error?.code === 'AUDIT_LOG_WRITE' && r.error.message.includes(`${s.flowName} (published)`);
      if (!logged.includes('step.published') && !(namedByError && logged.includes('step.publishing')))
        broken.push(`${s.flowName}: published but no step.published in the audit log`);
    } else if (s.state === 'failed') {
      if (more !== 0)
        broken.push(`${s.flowName}: ledger says failed, but the org published it ${more} times`);
      if (logged.includes('step.published'))
        broken.push(`${s.flowName}: failed, yet the audit log says published`);
      if (!s.error) broken.push(`${s.flowName}: failed without a reason`);
    } else if (s.state === 'publishing') {
      if (more > 1) broken.push(`${s.flowName}: in doubt, and the org published it ${more} times`);
    } else if (more !== 0) broken.push(`${s.flowName}: ${s.state}, but the org published it ${more} times`);
  }
  return broken;
}

/** The mode of a file (for the 0600 checks). */
export const modeOf = (path: string) => statSync(path).mode & 0o777;

/**
 * A real, tiny filesystem (tmpfs of `kb` KiB) that fills up like a disk: writes past it fail with
 * ENOSPC. Needs the right to mount (root, as in CI); says so clearly otherwise.
 */
export function smallDisk(kb: number): { dir: string; release(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(
      `the full-disk scenario mounts a ${kb} KiB tmpfs and could not (run as root): ${String((e as { stderr?: Buffer }).stderr ?? e)}`,
      { cause: e },
    );
  }
  return {
    dir,
    release: () => {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        // already gone
      }
    },
  };
}
