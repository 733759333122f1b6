/**
 * What *unchanged* means (README: a flow is skipped when the content flowgate last published is
 * the content now and the org still publishes it): a flow rolled back or changed outside this
 * ledger is published again, and on a ledger shared by several orgs, one org's history never
 * decides another's plan. Library over real HTTP against emulators.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDiff } from '../../src/deploy/diff.js';
import type { Seed } from '../../src/emulator/seed.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, librarySession, publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

const ONE = inboundFlow('Kept Flow', { say: 'Version one' });
const TWO = inboundFlow('Kept Flow', { say: 'Version two' });
const manifest = 'version: 1\nflows:\n  - file: f.yaml\n';

/** The text of the version the org publishes now. */
function publishedText(emu: RunningEmulator, name: string): unknown {
  const flow = emu.control.state().flows.find((f) => f.name === name && !f.deleted)!;
  return flow.versions.find((v) => v.id === publishedVersion(emu, name))?.configuration;
}

/** Someone in Architect publishes an earlier version again (not through this ledger). */
function publishOutside(emu: RunningEmulator, name: string, version: string): void {
  const org = emu.control.org;
  const flow = emu.control.state().flows.find((f) => f.name === name && !f.deleted)!;
  org.publish(flow, version, { kind: 'user', id: 'u-outside', name: 'Architect User' });
  emu.control.setClock({ advanceMs: 60_000 }); // the operation completes
}

describe('unchanged: the org still publishes what this ledger published', () => {
  const e = useEmulator();

  it('a flow rolled back outside flowgate is planned as an update and published again', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest, 'f.yaml': ONE });
    const s = librarySession(emu, dir);
    await s.deploy();
    writeFileSync(join(dir, 'f.yaml'), TWO);
    await s.deploy();
    expect(publishedVersion(emu, 'Kept Flow')).toBe('2.0');
    publishOutside(emu, 'Kept Flow', '1.0');

    const plan = await s.plan();
    expect(plan.steps[0]!.action).toBe('update');
    // The diff is against what the org publishes now: version one's text.
    expect(JSON.stringify(plan.steps[0]!.diff)).toContain('Version one');
    const { outcome } = await s.deploy();
    expect(outcome.status).toBe('succeeded');
    expect(publishesOf(emu, 'Kept Flow')).toBe(4);
    expect(publishedText(emu, 'Kept Flow')).toBe(TWO);
  });

  it('a flow changed outside this ledger (another team published other content) is drift: blocked, then published again with overwriteDrift', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest, 'f.yaml': ONE });
    const s = librarySession(emu, dir);
    await s.deploy();
    const other = workspace({ 'flowgate.yaml': manifest, 'f.yaml': TWO });
    expect((await librarySession(emu, other).deploy()).outcome.status).toBe('succeeded');
    expect(publishedText(emu, 'Kept Flow')).toBe(TWO);

    const plan = await s.plan();
    expect(plan.steps[0]!.action).toBe('blocked');
    expect(plan.steps[0]!.notes.join('\n')).toContain(
      'changed outside flowgate: the org publishes version 2.0, flowgate last published 1.0',
    );
    // The outside change, said with its semantic diff (the greeting another team changed).
    const [drift] = plan.steps[0]!.blocked;
    expect(drift!.kind).toBe('drift');
    expect(drift!.message).toMatch(
      /^Kept Flow was changed in Architect since deployment \S+ \(the org publishes version 2\.0, flowgate published 1\.0\): .*'Version one' → 'Version two'/,
    );
    const over = await s.plan({ overwriteDrift: true });
    expect(over.steps[0]!.action).toBe('update');
    expect(over.steps[0]!.notes).toContain(`${drift!.message}; --overwrite-drift publishes over it`);
    await s.deploy({ overwriteDrift: true });
    expect(publishesOf(emu, 'Kept Flow')).toBe(3);
    expect(publishedText(emu, 'Kept Flow')).toBe(ONE);
  });
});

/** A small org of its own; a distinct random seed, so its ids differ from the other org's. */
const seedOf = (randomSeed: number): Seed => ({
  org: { name: `Org ${randomSeed}` },
  randomSeed,
  flows: [{ name: 'Seeded Flow', type: 'INBOUNDCALL', versions: [{ publishedHoursAgo: 10 }] }],
});

describe('one ledger, two orgs: history is per org', () => {
  const first = useEmulator({ seed: seedOf(1) });
  const second = useEmulator({ seed: seedOf(2) });

  it("content another org publishes does not make this org's flow unchanged", async () => {
    const [org1, org2] = [first.get(), second.get()];
    const dir = workspace({ 'flowgate.yaml': manifest, 'f.yaml': ONE });
    const ledgerPath = join(dir, 'shared.db');
    const in1 = librarySession(org1, dir, ledgerPath);
    const in2 = librarySession(org2, dir, ledgerPath);
    // Org 2 gets version one, then org 1 gets version two: both orgs now publish their 1.0.
    await in2.deploy();
    writeFileSync(join(dir, 'f.yaml'), TWO);
    await in1.deploy();
    expect([publishedVersion(org1, 'Kept Flow'), publishedVersion(org2, 'Kept Flow')]).toEqual([
      '1.0',
      '1.0',
    ]);

    const plan = await in2.plan();
    expect(plan.steps[0]!.action).toBe('update');
    expect(JSON.stringify(plan.steps[0]!.diff)).toContain('Version one');
    expect((await in2.deploy()).outcome.status).toBe('succeeded');
    expect(publishedText(org2, 'Kept Flow')).toBe(TWO);
    expect(publishesOf(org2, 'Kept Flow')).toBe(2);
  });

  it("a flow flowgate never deployed to this org is not compared with another org's record", async () => {
    const [org1, org2] = [first.get(), second.get()];
    const text = inboundFlow('Seeded Flow', { say: 'From the pipeline' });
    const dir = workspace({ 'flowgate.yaml': manifest, 'f.yaml': text });
    const ledgerPath = join(dir, 'shared.db');
    expect((await librarySession(org1, dir, ledgerPath).deploy()).outcome.status).toBe('succeeded');

    // Org 2's Seeded Flow was never deployed by flowgate: its diff is against what org 2
    // publishes (its export), never against org 1's record, and it is no drift.
    const plan = await librarySession(org2, dir, ledgerPath).plan();
    expect(plan.steps[0]!.action).toBe('update');
    const diff = plan.steps[0]!.diff;
    expect(typeof diff === 'object' && describeDiff(diff)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^- playAudio 'Version'/),
        expect.stringMatching(/^\+ playAudio 'Hello'/),
      ]),
    );
    expect(plan.steps[0]!.blocked).toEqual([]);
    expect(plan.steps[0]!.notes.filter((n) => n.includes('changed outside'))).toEqual([]);
  });
});

describe("a literal's type is content", () => {
  const e = useEmulator();

  it('lit: 50 → lit: "50" is an update whose diff says the type changed (never an update with no line)', async () => {
    const emu = e.get();
    const fifty = (lit: string) =>
      ONE.replace(
        '          - disconnect:',
        `          - updateData:\n              name: Threshold\n              statements:\n                - integer:\n                    variable: Flow.threshold\n                    value:\n                      lit: ${lit}\n          - disconnect:`,
      );
    const dir = workspace({ 'flowgate.yaml': manifest, 'f.yaml': fifty('50') });
    const s = librarySession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    writeFileSync(join(dir, 'f.yaml'), fifty('"50"'));
    const plan = await s.plan();
    expect(plan.steps[0]!.action).toBe('update');
    const diff = plan.steps[0]!.diff;
    expect(typeof diff === 'object' && describeDiff(diff)).toEqual([
      "~ inboundCall › task 'Main' › updateData 'Threshold' › integer: value.lit 50 → '50' (its type: number → string)",
    ]);
  });
});
