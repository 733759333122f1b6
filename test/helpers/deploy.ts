/** A manifest and its flows in a throwaway folder, and the library's deploy path against an emulator. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { recordCallsIn } from '../../src/deploy/call-context.js';
import { createDeployment, runDeployment, type RunOptions } from '../../src/deploy/executor.js';
import { planDeployment } from '../../src/deploy/plan.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { Ledger } from '../../src/ledger/types.js';
import { clientFor } from './emulator.js';

/** Writes files (path → text) into a new folder; returns the folder. */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-deploy-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * A small valid inbound-call flow; `transferTo` makes it depend on another flow, `queue` names an
 * org object (a queue of the emulator's default seed, or not).
 */
export function inboundFlow(
  name: string,
  options: { transferTo?: string; say?: string; queue?: string } = {},
): string {
  return `inboundCall:
  name: ${name}
  defaultLanguage: en-us
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
          - playAudio:
              name: Hello
              audio:
                tts: ${options.say ?? 'Hello'}
${
  options.transferTo
    ? `          - transferToFlow:
              name: Onwards
              targetFlow:
                name: ${options.transferTo}
`
    : ''
}${
    options.queue
      ? `          - transferToAcd:
              name: To ${options.queue}
              targetQueue:
                lit:
                  name: ${options.queue}
`
      : ''
  }          - disconnect:
              name: Bye
`;
}

/** A deploy session of the library over HTTP against an emulator. */
export function librarySession(
  emu: RunningEmulator,
  dir: string,
  ledgerPath = join(dir, 'ledger.db'),
  /** Another OAuth client of the emulator's seed (one with fewer permissions); the default client's otherwise. */
  credentials?: { clientId: string; clientSecret: string },
) {
  const holder: { ledger?: Ledger } = {};
  const { client } = clientFor(emu, {
    onCall: recordCallsIn(() => holder.ledger),
    ...(credentials ? { credentials } : {}),
  });
  const open = openSqliteLedger(ledgerPath);
  holder.ledger = open;
  const plan = async (
    options: {
      forceUnlock?: boolean;
      manifest?: string;
      env?: string;
      overwriteDrift?: boolean;
      poll?: RunOptions['poll'];
    } = {},
  ) => {
    const deployment = await loadDeployment(
      join(dir, options.manifest ?? 'flowgate.yaml'),
      options.env ? { env: options.env } : {},
    );
    const loaded = await loadDeploymentFlows(deployment);
    return planDeployment(deployment, {
      client,
      ledger: open,
      loaded,
      ...(options.forceUnlock ? { forceUnlock: true } : {}),
      ...(options.overwriteDrift ? { overwriteDrift: true } : {}),
      // The export jobs of the plan poll as the run does (a test's poll may advance the clock).
      exportPoll: { intervalMs: 10, maxIntervalMs: 20, ...options.poll },
    });
  };
  const deploy = async (
    options: {
      forceUnlock?: boolean;
      atomic?: boolean;
      scheduleOnly?: boolean;
      manifest?: string;
      overwriteDrift?: boolean;
    } & Partial<RunOptions> = {},
  ) => {
    const p = await plan(options);
    const id = await createDeployment(p, open, {
      atomic: options.atomic ?? true,
      ...(options.scheduleOnly ? { scheduleOnly: true } : {}),
    });
    const outcome = await runDeployment(id, {
      client,
      ledger: open,
      poll: { intervalMs: 20, maxIntervalMs: 50 },
      ...options,
    });
    return { plan: p, outcome };
  };
  return { client, ledger: open, plan, deploy };
}

/** Successful publishes of a flow in the emulator's audit records. */
export function publishesOf(emu: RunningEmulator, flowName: string): number {
  const state = emu.control.state();
  const ids = new Set(state.flows.filter((f) => f.name === flowName).map((f) => f.id));
  return state.audits.filter((a) => a.action === 'Publish' && a.status === 'SUCCESS' && ids.has(a.entityId))
    .length;
}

/** The version the emulator's org publishes for a flow now (undefined when none). */
export function publishedVersion(emu: RunningEmulator, flowName: string): string | undefined {
  const flow = emu.control.state().flows.find((f) => f.name === flowName && !f.deleted);
  const last = flow?.publications[flow.publications.length - 1];
  return last && last.end === undefined ? last.versionId : undefined;
}
