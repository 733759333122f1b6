/**
 * The fault matrix: a deployment (12 flows here, 50 under `npm run test:stress`) against the
 * emulator under each injected fault, and under a random mix of them. Every run must end with each
 * flow published exactly once or reported failed with its true state, and the ledger, the audit
 * log and the emulator's audit records must agree (`verdict`). Results of the full run are in
 * BENCHMARKS.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { AuditLog, verifyAuditLog } from '../../src/events/audit-log.js';
import { EventHub } from '../../src/events/hub.js';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import { runDeployment } from '../../src/deploy/executor.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import {
  faultedRun,
  flowNames,
  smallDisk,
  modeOf,
  orgPublishes,
  publishOnce,
  receiver,
  STRESS,
  verdict,
  type FaultedRun,
  type RunResult,
} from './harness.js';

const FLOWS = STRESS ? 50 : 12;
/** Small filesystems mounted by a scenario, unmounted after it. */
const disks: Array<{ release(): void }> = [];
const flowIdOf = (emu: RunningEmulator, name: string) =>
  emu.control.state().flows.find((f) => f.name === name && !f.deleted)!.id;

type Scenario = {
  name: string;
  /** Arms the faults; may return run options (mid-run faults, a full disk). */
  arm: (emu: RunningEmulator) => Partial<FaultedRun> | undefined | Promise<Partial<FaultedRun> | undefined>;
  /** What the run must end as, beyond the verdict. */
  expectThat: (r: RunResult, emu: RunningEmulator) => void | Promise<void>;
};

const allPublished = (r: RunResult) => {
  expect(r.error, r.error?.message).toBeUndefined();
  expect(r.outcome?.status, r.steps.map((s) => `${s.flowName}: ${s.state} ${s.error ?? ''}`).join('\n')).toBe(
    'succeeded',
  );
  expect(r.steps.map((s) => s.state)).toEqual(Array(FLOWS).fill('published'));
};

const scenarios: Scenario[] = [
  {
    name: '429 storm',
    arm: (emu) =>
      void emu.control.addFault({
        path: '^/api/v2/',
        action: 'rate-limit',
        retryAfterSeconds: 0,
        probability: 0.3,
      }),
    expectThat: allPublished,
  },
  {
    name: '5xx bursts',
    // Fewer failing answers in all than a call's attempts: however they fall on concurrent calls,
    // none runs out, so every flow must publish (random 5xx, which can, are in the mixes).
    arm: (emu) =>
      void emu.control.addFault({
        path: '^/api/v2/',
        status: 503,
        sequence: [503, 503, 'pass', 502, 'pass', 500, 'pass', 504],
      }),
    expectThat: allPublished,
  },
  {
    name: 'connection resets',
    arm: (emu) => void emu.control.addFault({ path: '^/api/v2/', action: 'reset', probability: 0.15 }),
    expectThat: allPublished,
  },
  {
    name: '30-second stalls (the client gives up on an attempt after a second and tries again)',
    arm: (emu) =>
      void emu.control.addFault({
        path: '^/api/v2/flows/jobs/',
        method: 'GET',
        action: 'latency',
        latencyMs: 30_000,
        times: 3,
      }),
    expectThat: allPublished,
  },
  {
    name: 'responses lost after the request took effect',
    arm: (emu) => {
      emu.control.addFault({
        method: 'POST',
        path: '^/api/v2/flows/jobs$',
        action: 'reset',
        phase: 'after',
        times: 3,
      });
      emu.control.addFault({ method: 'PUT', path: 'upload', action: 'reset', phase: 'after', times: 3 });
      emu.control.addFault({
        method: 'GET',
        path: '^/api/v2/flows/jobs/',
        action: 'reset',
        phase: 'after',
        probability: 0.2,
      });
    },
    expectThat: allPublished,
  },
  {
    name: 'token revoked mid-run',
    arm: (emu) => {
      let published = 0;
      return {
        onFact: (e) => {
          if (e.type === 'published' && ++published % 3 === 0) emu.control.revokeTokens();
        },
      };
    },
    expectThat: allPublished,
  },
  {
    name: 'a lock taken mid-run by a user in Architect',
    arm: (emu) => {
      const victim = flowNames(FLOWS)[FLOWS - 1]!;
      let done = false;
      return {
        onFact: (e) => {
          if (!done && e.type === 'published') {
            done = true;
            emu.control.lockByUser(flowIdOf(emu, victim), 'Dana Architect');
          }
        },
      };
    },
    expectThat: (r) => {
      const failed = r.steps.filter((s) => s.state === 'failed');
      expect(failed.map((s) => s.flowName)).toEqual([flowNames(FLOWS)[FLOWS - 1]]);
      expect(failed[0]!.error).toMatch(/locked/i);
      expect(r.outcome?.status).toBe('partial');
    },
  },
  {
    name: 'publish failures (the org reports the publish failed)',
    arm: (emu) => {
      for (const name of flowNames(FLOWS).slice(0, 2))
        emu.control.failPublishes(
          flowIdOf(emu, name),
          1,
          'flow.publish.failed',
          'Publish failed on the platform',
        );
    },
    expectThat: (r) => {
      expect(r.steps.filter((s) => s.state === 'failed').map((s) => s.flowName)).toEqual(
        flowNames(FLOWS).slice(0, 2),
      );
      expect(r.steps.filter((s) => s.state === 'failed')[0]!.error).toMatch(/Publish failed on the platform/);
    },
  },
  {
    name: 'an import job failure',
    arm: (emu) => void emu.control.failNextJob('Archy: the flow could not be imported (injected)'),
    expectThat: (r) => {
      const failed = r.steps.filter((s) => s.state === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.error).toMatch(/could not be imported/);
    },
  },
  {
    name: 'the webhook receiver down',
    arm: async () => {
      const r = await receiver();
      const url = r.url;
      await r.close(); // nothing listens there any more
      return { webhookUrl: url };
    },
    expectThat: (r) => {
      allPublished(r);
      // Every event the receiver missed is in the dead letter, readable by its owner only.
      const dead = readFileSync(r.deadLetterPath, 'utf8').trim().split('\n');
      expect(dead.length).toBeGreaterThanOrEqual(FLOWS);
      expect(modeOf(r.deadLetterPath)).toBe(0o600);
    },
  },
  {
    name: 'no space left for the audit log (the disk fills mid-run)',
    arm: () => {
      const disk = smallDisk(12);
      disks.push(disk);
      return { auditLogPath: () => join(disk.dir, 'audit.jsonl') };
    },
    expectThat: (r) => {
      expect(r.error?.code).toBe('AUDIT_LOG_WRITE');
      expect(r.error?.message).toMatch(/ENOSPC|no space/i);
      // The log is a chain of whole entries still: it verifies up to where the disk filled.
      expect(verifyAuditLog(r.auditPath).ok).toBe(true);
      // It stopped before its next publish: some flows never started.
      expect(r.steps.some((s) => s.state === 'planned' || s.state === 'cancelled')).toBe(true);
    },
  },
  {
    name: 'no space left for the ledger (it fills mid-run), then the run resumes',
    // Room for a few state changes after the deployment is recorded, then "database or disk is full".
    arm: () => ({ ledgerRoomPages: 3 }),
    expectThat: async (r, emu) => {
      expect(r.error?.code).toBe('LEDGER_WRITE');
      expect(r.error?.message).toMatch(/full/i);
      expect(r.error?.message).toMatch(/stopped starting steps/);
      // Space again: the same deployment resumes and finishes, publishing nothing twice.
      const ledger = openSqliteLedger(r.ledgerPath);
      const { client } = clientFor(emu);
      const hub = new EventHub({ auditLog: new AuditLog(r.auditPath) });
      const out = await runDeployment(r.deploymentId, {
        client,
        ledger,
        poll: { intervalMs: 10, maxIntervalMs: 20 },
        onEvent: eventBridge(hub, ledger),
      });
      await hub.close();
      expect(out.status).toBe('succeeded');
      r.steps = out.steps;
      await ledger.close();
    },
  },
];

describe('fault matrix (each fault on its own)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 5, jobDelayMs: 5 } });
  // A small disk is unmounted whatever the test's outcome.
  afterEach(() => {
    for (const d of disks.splice(0)) d.release();
  });

  for (const s of scenarios)
    it(`${s.name}: every flow published exactly once or failed with its true state; ledger, audit log and org agree`, async () => {
      const emu = e.get();
      await publishOnce(emu, FLOWS);
      const extra = await s.arm(emu);
      const r = await faultedRun({ emu, flows: FLOWS, ...extra });
      emu.control.clearFaults();
      await s.expectThat(r, emu);
      if (!r.steps.length) {
        // The run stopped before recording steps: the org must be untouched.
        for (const name of flowNames(FLOWS)) expect(orgPublishes(emu).get(name)).toBe(1);
      }
      expect(verdict(emu, r)).toEqual([]);
      if (existsSync(r.auditPath) && !r.auditPath.startsWith('/dev/'))
        expect(modeOf(r.auditPath) & 0o077).toBe(0);
    }, 120_000);
});

describe('fault matrix (a random mix of every fault)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 5, jobDelayMs: 5 } });
  const seeds = STRESS ? [1, 2, 3, 4, 5, 6, 7, 8] : [20261125];

  for (const seed of seeds)
    it(`mix with seed ${seed}: the same guarantees`, async () => {
      const emu = e.get();
      await publishOnce(emu, FLOWS);
      // Deterministic per seed: which faults, how likely.
      let x = seed;
      const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      emu.control.addFault({
        path: '^/api/v2/',
        action: 'rate-limit',
        retryAfterSeconds: 0,
        probability: 0.1 * rand(),
      });
      emu.control.addFault({ path: '^/api/v2/', status: 503, probability: 0.1 * rand() });
      emu.control.addFault({ path: '^/api/v2/', action: 'reset', probability: 0.1 * rand() });
      emu.control.addFault({
        path: '^/api/v2/flows/jobs',
        action: 'reset',
        phase: 'after',
        probability: 0.1 * rand(),
      });
      emu.control.addFault({
        path: '^/api/v2/flows/jobs/',
        method: 'GET',
        action: 'latency',
        latencyMs: 30_000,
        times: 1,
      });
      const victim = flowNames(FLOWS)[Math.floor(rand() * FLOWS)]!;
      emu.control.failPublishes(flowIdOf(emu, victim), 1, 'flow.publish.failed', 'injected');
      const hook = await receiver();
      let n = 0;
      const r = await faultedRun({
        emu,
        flows: FLOWS,
        webhookUrl: hook.url,
        onFact: (ev) => {
          if (ev.type === 'published' && ++n % 4 === 0) emu.control.revokeTokens();
        },
      });
      emu.control.clearFaults();
      await hook.close();
      // Independent random faults can exhaust a call's attempts: that may fail a flow, or the plan
      // before anything is recorded, but only with the platform's error, never silently.
      if (r.error)
        expect(
          ['API_SERVER_ERROR', 'NETWORK_ERROR', 'NETWORK_OUTCOME_UNKNOWN', 'TIMEOUT'],
          r.error.message,
        ).toContain(r.error.code);
      if (r.steps.length) expect(r.steps.find((s) => s.flowName === victim)?.state).toBe('failed');
      for (const s of r.steps.filter((x) => x.state === 'failed' && x.flowName !== victim))
        expect(s.error, s.flowName).toMatch(/50\d|no response|timed out|Rate limit/i);
      expect(verdict(emu, r)).toEqual([]);
    }, 180_000);
});
