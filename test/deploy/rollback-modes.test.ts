/**
 * Issue 21 §1: rollback works however the platform treats a publish of an old version. The
 * emulator runs each of `republishOldVersion: in-place | new-version | refuse`; under each, over
 * HTTP: atomic rollback, `flowgate rollback` (the library path the command runs) and the health
 * gate, for a flow deployed from Archy YAML (restored by importing the recorded content) and for
 * a flow published by version (published again, or its recorded content imported, or the version
 * named). Afterwards the plan's unchanged rule, drift, reconcile and adoption's previous version
 * still see the restored content for what it is.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adoptionReport } from '../../src/adoption/report.js';
import { eventBridge } from '../../src/deploy/event-bridge.js';
import { createDeployment, runDeployment } from '../../src/deploy/executor.js';
import { runHealthGate } from '../../src/deploy/health-gate.js';
import { configurationText, normalizedContentHash } from '../../src/deploy/published-content.js';
import { rollbackPlan } from '../../src/deploy/rollback-plan.js';
import type { DeployEvent } from '../../src/deploy/types.js';
import { AuditLog, readAuditLog } from '../../src/events/audit-log.js';
import { EventHub } from '../../src/events/hub.js';
import { reconcile } from '../../src/events/reconcile.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { RepublishOldVersion } from '../../src/emulator/types.js';
import { inboundFlow, librarySession, publishedVersion, workspace } from '../helpers/deploy.js';
import { flowId, useEmulator } from '../helpers/emulator.js';

/** Two flows published by version: 2.0 published, 3.0 checked in and not yet published. */
const SEED = {
  randomSeed: 7,
  flows: ['Versioned IVR', 'Other IVR'].map((name) => ({
    name,
    type: 'INBOUNDCALL',
    arrivalsPerMinute: 60,
    versions: [{ publishedHoursAgo: 48 }, { publishedHoursAgo: 24 }, {}],
  })),
};

const MODES: RepublishOldVersion[] = ['in-place', 'new-version', 'refuse'];

/** The simulated clock drives every wait. */
function clock(emu: RunningEmulator) {
  emu.control.setClock({ speed: 0 });
  const now = () => emu.control.org.now();
  const sleep = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
  return { now, sleep, poll: { intervalMs: 20, sleep, now } };
}

/** The configuration text of the version the org publishes now. */
function publishedText(emu: RunningEmulator, name: string): string | undefined {
  const flow = emu.control.state().flows.find((f) => f.name === name)!;
  const v = flow.versions.find((x) => x.id === publishedVersion(emu, name));
  return configurationText(v?.configuration);
}

/** The configuration of a version of a flow, as stored. */
function configOf(emu: RunningEmulator, name: string, version: string | undefined): unknown {
  return emu.control
    .state()
    .flows.find((f) => f.name === name)!
    .versions.find((v) => v.id === version)?.configuration;
}

const yamlManifest = (extra = '') =>
  `version: 1\ndeploy:\n  concurrency: 1\nflows:\n  - file: a.yaml\n${extra}`;
const failing = "  - name: Other IVR\n    type: inboundcall\n    version: '3.0'\n";

describe.each(MODES)('rollback when the platform republishes an old version: %s', (mode) => {
  const e = useEmulator({ seed: SEED, settings: { republishOldVersion: mode } });

  it('atomic rollback of a flow deployed from Archy YAML imports the recorded content again', async () => {
    const emu = e.get();
    const { now, poll } = clock(emu);
    const v1 = inboundFlow('Yaml IVR', { say: 'One' });
    const v2 = inboundFlow('Yaml IVR', { say: 'Two' });
    const dir = workspace({ 'flowgate.yaml': yamlManifest(), 'a.yaml': v1 });
    const s = librarySession(emu, dir);
    expect((await s.deploy({ now, poll })).outcome.status).toBe('succeeded');
    writeFileSync(join(dir, 'a.yaml'), v2);
    expect((await s.deploy({ now, poll })).outcome.status).toBe('succeeded');
    // Version 3.0 of v3 publishes, then Other IVR fails: Yaml IVR goes back to v2's content.
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Yaml IVR', { say: 'Three' }));
    writeFileSync(join(dir, 'flowgate.yaml'), yamlManifest(failing));
    emu.control.failPublishes(flowId(emu, 'Other IVR'), 1);
    await poll.sleep(60 * 60_000); // the earlier publishes fall outside the reconciled interval
    const since = new Date(now() - 1000);
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    const hub = new EventHub({ auditLog: log });
    const bridge = eventBridge(hub, s.ledger);
    const events: DeployEvent[] = [];
    const { outcome } = await s.deploy({ now, poll, onEvent: (x) => (events.push(x), bridge(x)) });
    await hub.close();
    expect(outcome.status).toBe('rolled-back');
    // A new version (4.0) whose content is v2's, whatever the platform does with old versions.
    expect(publishedVersion(emu, 'Yaml IVR')).toBe('4.0');
    expect(normalizedContentHash(publishedText(emu, 'Yaml IVR')!)).toBe(normalizedContentHash(v2));
    const step = outcome.steps.find((x) => x.flowName === 'Yaml IVR')!;
    expect(step.state).toBe('rolled-back');
    expect((await s.ledger.events(outcome.deploymentId)).map((x) => x.detail)).toContainEqual(
      expect.stringMatching(
        /^back on version 2\.0's content: imported as version 4\.0 \(normalized hash .*: equal\)$/,
      ),
    );
    expect(events.find((x) => x.type === 'rolled-back')).toMatchObject({
      versionBefore: '3.0',
      versionAfter: '4.0',
    });
    // Reconcile: every publish on the platform is one flowgate recorded, the re-import included.
    const report = await reconcile(s.client, readAuditLog(log.path), {
      since,
      until: new Date(now() + 1000),
      poll,
    });
    expect(report).toMatchObject({ outside: [], missing: [] });
    // The plan's unchanged rule: v2's file is what the org publishes (4.0 holds it).
    writeFileSync(join(dir, 'flowgate.yaml'), yamlManifest());
    writeFileSync(join(dir, 'a.yaml'), v2);
    const plan = await s.plan();
    expect(plan.steps[0]!.action).toBe('unchanged');
    expect(plan.steps[0]!.notes.join(' ')).toContain(
      'version 4.0, which holds the content flowgate published as version 2.0',
    );
    writeFileSync(join(dir, 'a.yaml'), v1);
    const changed = (await s.plan()).steps[0]!;
    expect(changed.action).toBe('update');
    expect(changed.notes.join(' ')).not.toContain('changed outside flowgate');
  });

  it('atomic rollback of a flow published by version: published again, as a new version, or named for Architect', async () => {
    const emu = e.get();
    const { now, poll } = clock(emu);
    const dir = workspace({
      'flowgate.yaml': `version: 1\ndeploy:\n  concurrency: 1\nflows:\n  - name: Versioned IVR\n    type: inboundcall\n    version: '3.0'\n${failing}`,
    });
    emu.control.failPublishes(flowId(emu, 'Other IVR'), 1);
    const s = librarySession(emu, dir);
    const events: DeployEvent[] = [];
    const { outcome } = await s.deploy({ now, poll, onEvent: (x) => void events.push(x) });
    const step = outcome.steps.find((x) => x.flowName === 'Versioned IVR')!;
    const details = (await s.ledger.events(outcome.deploymentId)).map((x) => x.detail ?? '');
    if (mode === 'in-place') {
      expect(outcome.status).toBe('rolled-back');
      expect(publishedVersion(emu, 'Versioned IVR')).toBe('2.0');
      expect(details).toContain('back on version 2.0');
    } else if (mode === 'new-version') {
      expect(outcome.status).toBe('rolled-back');
      expect(publishedVersion(emu, 'Versioned IVR')).toBe('4.0');
      expect(configOf(emu, 'Versioned IVR', '4.0')).toEqual(configOf(emu, 'Versioned IVR', '2.0'));
      expect(details).toContain(
        "the platform published version 2.0 as a new version 4.0 (version 4.0's configuration against version 2.0's: equal)",
      );
      expect(events.find((x) => x.type === 'rolled-back')).toMatchObject({ versionAfter: '4.0' });
    } else {
      // Refused, and the ledger has no content of 2.0: stop, naming the version.
      expect(outcome.status).toBe('failed');
      expect(publishedVersion(emu, 'Versioned IVR')).toBe('3.0');
      expect(
        details.some((d) => /^the platform did not publish version 2\.0 again \(API_BAD_REQUEST: /.test(d)),
      ).toBe(true);
      expect(step.error).toMatch(/VERSION_NOT_REPUBLISHED|restore version 2\.0 in Architect/);
      expect(step.error).toContain('restore version 2.0 in Architect');
    }
    if (mode === 'refuse') return;
    // Drift and the unchanged rule compare content: a manifest of version 2.0 is what the org
    // publishes, and (new-version) the checked-in copy holds 2.0's content.
    writeFileSync(
      join(dir, 'flowgate.yaml'),
      `version: 1\nflows:\n  - name: Versioned IVR\n    type: inboundcall\n    version: '2.0'\n    expectCheckedIn: '${mode === 'new-version' ? '2.0' : '3.0'}'\n`,
    );
    const plan = await s.plan();
    expect(plan.steps[0]).toMatchObject({ action: 'unchanged', blocked: [] });
  });

  it('flowgate rollback of a YAML flow imports the recorded content; rolling that back restores the newer one', async () => {
    const emu = e.get();
    const { now, poll } = clock(emu);
    const v1 = inboundFlow('Back IVR', { say: 'One' });
    const v2 = inboundFlow('Back IVR', { say: 'Two' });
    const dir = workspace({ 'flowgate.yaml': yamlManifest(), 'a.yaml': v1 });
    const s = librarySession(emu, dir);
    await s.deploy({ now, poll });
    writeFileSync(join(dir, 'a.yaml'), v2);
    await s.deploy({ now, poll });
    const rollback = async (target = 'Back IVR') => {
      const plan = await rollbackPlan(target, s.ledger, s.client);
      const id = await createDeployment(plan, s.ledger, { atomic: false });
      return { plan, outcome: await runDeployment(id, { client: s.client, ledger: s.ledger, now, poll }) };
    };
    const first = await rollback();
    expect(first.plan.steps[0]).toMatchObject({
      kind: 'import',
      targetVersion: '1.0',
      previousVersion: '2.0',
    });
    expect(first.outcome.status).toBe('succeeded');
    expect(first.outcome.steps[0]).toMatchObject({ state: 'published', publishedVersion: '3.0' });
    expect(normalizedContentHash(publishedText(emu, 'Back IVR')!)).toBe(normalizedContentHash(v1));
    writeFileSync(join(dir, 'a.yaml'), v1);
    expect((await s.plan()).steps[0]!.action).toBe('unchanged');
    // By flow, a rollback asked again leaves it as it is (rollback-idempotent.test.ts); the
    // rollback named by its id is undone.
    expect((await rollbackPlan('Back IVR', s.ledger, s.client)).steps).toEqual([]);
    const second = await rollback(first.outcome.deploymentId);
    expect(second.plan.steps[0]).toMatchObject({
      kind: 'import',
      targetVersion: '2.0',
      previousVersion: '3.0',
    });
    expect(second.outcome.steps[0]).toMatchObject({ state: 'published', publishedVersion: '4.0' });
    expect(normalizedContentHash(publishedText(emu, 'Back IVR')!)).toBe(normalizedContentHash(v2));
  });

  it('flowgate rollback of a flow published by version falls back to the recorded content when the platform will not', async () => {
    const emu = e.get();
    const { now, poll } = clock(emu);
    const v1 = inboundFlow('Mixed IVR', { say: 'One' });
    const dir = workspace({ 'flowgate.yaml': yamlManifest(), 'a.yaml': v1 });
    const s = librarySession(emu, dir);
    for (const say of ['Two', 'Three']) {
      await s.deploy({ now, poll });
      writeFileSync(join(dir, 'a.yaml'), inboundFlow('Mixed IVR', { say }));
    }
    await s.deploy({ now, poll }); // 1.0, 2.0 and 3.0 imported, their contents recorded
    // Then versions 1.0 and 2.0 published by version (set up in place, whatever this test's mode).
    emu.control.setRepublishOldVersion('in-place');
    for (const version of ['1.0', '2.0']) {
      writeFileSync(
        join(dir, 'flowgate.yaml'),
        `version: 1\nflows:\n  - name: Mixed IVR\n    type: inboundcall\n    version: '${version}'\n`,
      );
      expect((await s.deploy({ now, poll })).outcome.status).toBe('succeeded');
    }
    emu.control.setRepublishOldVersion(mode);
    // Rolling back the publish of 2.0 returns to 1.0, an old version (3.0 is the checked-in one).
    const plan = await rollbackPlan('Mixed IVR', s.ledger, s.client);
    expect(plan.steps[0]).toMatchObject({ kind: 'publish', targetVersion: '1.0', content: v1 });
    const id = await createDeployment(plan, s.ledger, { atomic: false });
    const outcome = await runDeployment(id, { client: s.client, ledger: s.ledger, now, poll });
    expect(outcome.status).toBe('succeeded');
    expect(normalizedContentHash(publishedText(emu, 'Mixed IVR')!)).toBe(normalizedContentHash(v1));
    const details = (await s.ledger.events(id)).map((x) => x.detail ?? '');
    const expected = { 'in-place': '1.0', 'new-version': '4.0', refuse: '4.0' }[mode];
    expect(outcome.steps[0]).toMatchObject({ state: 'published', publishedVersion: expected });
    if (mode === 'new-version')
      expect(details).toContain(
        "the platform published version 1.0 as a new version 4.0 (version 4.0's configuration against version 1.0's: equal)",
      );
    if (mode === 'refuse') {
      expect(details).toContainEqual(
        expect.stringMatching(
          /^the platform did not publish version 1\.0 again \(API_BAD_REQUEST: .*\); importing the content the ledger recorded for version 1\.0 instead$/,
        ),
      );
      expect(details).toContainEqual(
        expect.stringMatching(/^back on version 1\.0's content: imported as version 4\.0/),
      );
    }
  });

  it('the health gate rolls a degraded version back; adoption then compares against the degraded one', async () => {
    const emu = e.get();
    const { now, sleep, poll } = clock(emu);
    const id = flowId(emu, 'Versioned IVR');
    // These flows set no outcomes: 3.0 is degraded by callers hanging up in the IVR.
    emu.control.setTraffic({ flowId: id, version: '2.0', exitReasons: { DISCONNECT: 0.1 } });
    emu.control.setTraffic({ flowId: id, version: '3.0', exitReasons: { DISCONNECT: 0.45 } });
    const dir = workspace({
      'flowgate.yaml':
        "version: 1\nflows:\n  - name: Versioned IVR\n    type: inboundcall\n    version: '3.0'\n",
    });
    const s = librarySession(emu, dir);
    const { outcome } = await s.deploy({ now, poll });
    expect(outcome.status).toBe('succeeded');
    const [result] = await runHealthGate(
      outcome.deploymentId,
      { windowMs: 60 * 60_000, looks: 3 },
      { client: s.client, ledger: s.ledger, now, sleep, poll },
    );
    expect(result!.verdict.verdict).toBe('degraded');
    const back = result!.rolledBack!;
    if (mode === 'refuse') {
      expect(back.status).toBe('failed');
      expect(back.steps[0]!.error).toContain('restore version 2.0 in Architect');
      expect(publishedVersion(emu, 'Versioned IVR')).toBe('3.0');
      return;
    }
    expect(back.status).toBe('succeeded');
    const restored = mode === 'in-place' ? '2.0' : '4.0';
    expect(publishedVersion(emu, 'Versioned IVR')).toBe(restored);
    expect(back.steps[0]).toMatchObject({ publishedVersion: restored });
    // Adoption's previous version of what the org publishes now is the degraded 3.0.
    emu.control.setClock({ advanceMs: 30 * 60_000 });
    const report = await adoptionReport(s.client, id, { now, granularity: 'PT5M' });
    expect(report).toMatchObject({ newVersion: restored, previousVersion: '3.0' });
  });

  it('the health gate restores a YAML flow by importing the recorded content', async () => {
    const emu = e.get();
    const { now, sleep, poll } = clock(emu);
    const v1 = inboundFlow('Gate IVR', { say: 'One' });
    const dir = workspace({ 'flowgate.yaml': yamlManifest(), 'a.yaml': v1 });
    const s = librarySession(emu, dir);
    await s.deploy({ now, poll });
    const id = flowId(emu, 'Gate IVR');
    emu.control.setTraffic({
      flowId: id,
      arrivalsPerMinute: 60,
      version: '1.0',
      exitReasons: { DISCONNECT: 0.1 },
    });
    await sleep(2 * 60 * 60_000);
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Gate IVR', { say: 'Two' }));
    const { outcome } = await s.deploy({ now, poll });
    emu.control.setTraffic({ flowId: id, version: '2.0', exitReasons: { DISCONNECT: 0.45 } });
    const [result] = await runHealthGate(
      outcome.deploymentId,
      { windowMs: 60 * 60_000, looks: 3 },
      { client: s.client, ledger: s.ledger, now, sleep, poll },
    );
    expect(result!.verdict.verdict).toBe('degraded');
    expect(result!.rolledBack!.status).toBe('succeeded');
    expect(result!.rolledBack!.steps[0]).toMatchObject({
      kind: 'import',
      publishedVersion: '3.0',
      targetVersion: '1.0',
    });
    expect(normalizedContentHash(publishedText(emu, 'Gate IVR')!)).toBe(normalizedContentHash(v1));
  });
});
