/**
 * README: "a log that cannot be written stops the deployment before its next publish". The real
 * audit log (through the event hub and the executor's bridge) becomes unwritable at an exact
 * moment: its path is swapped for a link to /dev/full, where every write fails with ENOSPC. No
 * step whose `step.publishing` the log could not take may reach the org. Library over real HTTP.
 */
import { mkdtempSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import { AuditLog } from '../../src/events/audit-log.js';
import { EventHub } from '../../src/events/hub.js';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

const names = ['Logged A', 'Logged B', 'Logged C'];

describe('an audit log that cannot be written stops the next publish', () => {
  const e = useEmulator();

  /** Deploys the three flows; the log fails right after `failAfter` is recorded. */
  async function deployWithFailingLog(concurrency: number, failAfter: (x: DeployEvent) => boolean) {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n${names.map((_, i) => `  - file: f${i}.yaml\n`).join('')}`,
      ...Object.fromEntries(names.map((n, i) => [`f${i}.yaml`, inboundFlow(n)])),
    });
    const auditPath = join(dir, 'audit.jsonl');
    const hub = new EventHub({
      auditLog: new AuditLog(auditPath),
      webhooks: [],
      deadLetterPath: join(mkdtempSync(join(tmpdir(), 'flowgate-dl-')), 'dead-letter.jsonl'),
      deliveryBudgetMs: 1000,
    });
    const s = librarySession(emu, dir);
    const bridge = eventBridge(hub, s.ledger);
    let failed = false;
    const error = await s
      .deploy({
        atomic: false,
        concurrency,
        onEvent: async (x) => {
          await bridge(x);
          if (failed || !failAfter(x)) return;
          failed = true;
          renameSync(auditPath, `${auditPath}.before`);
          symlinkSync('/dev/full', auditPath);
        },
      })
      .then(
        () => undefined,
        (err: { code?: string }) => err.code,
      );
    await hub.close();
    expect(failed).toBe(true);
    return { emu, error, steps: await s.ledger.steps((await s.ledger.listDeployments({ limit: 1 }))[0]!.id) };
  }

  it('one at a time: the log fails after the first publish, and nothing else is published', async () => {
    const { emu, error, steps } = await deployWithFailingLog(1, (x) => x.type === 'published');
    expect(error).toBe('AUDIT_LOG_WRITE');
    expect(names.map((n) => publishesOf(emu, n))).toEqual([1, 0, 0]);
    expect(steps.map((x) => x.state)).toEqual(['published', 'failed', 'cancelled']);
  });

  it('all at once: the log fails after the first step.publishing, and only that step may publish', async () => {
    const { emu, error, steps } = await deployWithFailingLog(4, (x) => x.type === 'publishing');
    expect(error).toBe('AUDIT_LOG_WRITE');
    const first = steps.find((x) => x.state === 'published' || x.state === 'publishing');
    expect(names.map((n) => publishesOf(emu, n))).toEqual(names.map((n) => (n === first?.flowName ? 1 : 0)));
    expect(steps.filter((x) => x.flowName !== first?.flowName).map((x) => x.state)).toEqual([
      'failed',
      'failed',
    ]);
  });
});
