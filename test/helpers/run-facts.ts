/**
 * What a user reads of a run: the progress facts (`onEvent`, printed line by line by the CLI) and
 * the audit log they go to (the real hub and the executor's bridge, as `flowgate deploy` wires
 * them), for a library deploy session against an emulator.
 */
import { join } from 'node:path';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import { runDeployment, type RunOptions } from '../../src/deploy/executor.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { AuditLog, readAuditLog } from '../../src/events/audit-log.js';
import { EventHub } from '../../src/events/hub.js';
import type { DeploymentEvent } from '../../src/events/model.js';
import { inboundFlow, librarySession, workspace } from './deploy.js';

/**
 * A manifest of one inbound-call flow file per name (`f0.yaml`, …): `say` is what each flow says,
 * `transfers` the flow each one transfers to (a dependency), `entry` more lines of a flow's item.
 */
export function flowsWorkspace(
  names: string[],
  o: { say?: string; transfers?: Record<string, string>; entry?: Record<string, string> } = {},
): string {
  const items = names.map((n, i) => `  - file: f${i}.yaml\n${o.entry?.[n] ?? ''}`).join('');
  return workspace({
    'flowgate.yaml': `version: 1\nflows:\n${items}`,
    ...Object.fromEntries(
      names.map((n, i) => {
        const transferTo = o.transfers?.[n];
        return [
          `f${i}.yaml`,
          inboundFlow(n, { ...(o.say ? { say: o.say } : {}), ...(transferTo ? { transferTo } : {}) }),
        ];
      }),
    ),
  });
}

/** An audit-log event without what changes from run to run (its id, time, calls and content hash). */
export interface LoggedFact {
  type: DeploymentEvent['type'];
  deploymentId: string;
  actor: string;
  org: string;
  flow?: string;
  versionBefore?: string;
  versionAfter?: string;
  result?: string;
  message: string;
}

/** The parts of an audit-log event a test compares exactly. */
export function logged(e: DeploymentEvent): LoggedFact {
  return {
    type: e.type,
    deploymentId: e.deploymentId,
    actor: e.actor,
    org: e.org,
    ...(e.flow ? { flow: e.flow.name } : {}),
    ...(e.versionBefore !== undefined ? { versionBefore: e.versionBefore } : {}),
    ...(e.versionAfter !== undefined ? { versionAfter: e.versionAfter } : {}),
    ...(e.result !== undefined ? { result: e.result } : {}),
    message: e.message,
  };
}

/**
 * A library deploy session whose runs record every fact: `facts` as the executor told them,
 * `audit()` as the audit log holds them. `run` runs a recorded deployment with both wired in.
 */
export function auditedSession(emu: RunningEmulator, dir: string) {
  const s = librarySession(emu, dir);
  const auditPath = join(dir, 'audit.jsonl');
  const hub = new EventHub({ auditLog: new AuditLog(auditPath), webhooks: [] });
  const bridge = eventBridge(hub, s.ledger);
  const facts: DeployEvent[] = [];
  const onEvent = async (e: DeployEvent) => {
    facts.push(e);
    await bridge(e);
  };
  const run = (
    id: string,
    o: Partial<RunOptions> & { also?: (e: DeployEvent) => void | Promise<void> } = {},
  ) => {
    const { also, ...rest } = o;
    return runDeployment(id, {
      client: s.client,
      ledger: s.ledger,
      poll: { intervalMs: 20, maxIntervalMs: 50 },
      ...rest,
      onEvent: async (e) => {
        await onEvent(e);
        await also?.(e);
      },
    });
  };
  const who = { actor: emu.credentials.clientId, org: s.client.endpoints.apiBaseUrl };
  return {
    ...s,
    facts,
    run,
    /** The audit log's events of one deployment, in order. */
    audit: (deploymentId: string) =>
      readAuditLog(auditPath)
        .map((x) => x.event)
        .filter((x) => x.deploymentId === deploymentId)
        .map(logged),
    /** What every event of the log names: the acting OAuth client and the org. */
    who,
    /** A fact of the audit log as {@link logged} gives it, with what every fact of a deployment names. */
    fact: (deploymentId: string, f: Omit<LoggedFact, 'deploymentId' | 'actor' | 'org'>): LoggedFact => ({
      deploymentId,
      ...who,
      ...f,
    }),
    close: () => hub.close(),
  };
}
