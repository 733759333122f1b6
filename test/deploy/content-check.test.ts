/**
 * The plan's content check when the org's content cannot be read: an OAuth client without the
 * export permission (the org answers 403 to the export job). The plan says, per flow, that the
 * check was not possible and why, and what deploy does instead (README: content drift in `plan`).
 * Library over real HTTP against the emulator, the client's permissions as the seed gives them.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { served, useEmulator } from '../helpers/emulator.js';
import { NO_EXPORT, noExportSeed } from '../helpers/no-export-client.js';

const ONE = inboundFlow('Checked Flow', { say: 'Version one' });
const TWO = inboundFlow('Checked Flow', { say: 'Version two' });
const manifest = 'version: 1\nflows:\n  - file: f.yaml\n';

describe('plan without the export permission', () => {
  const e = useEmulator({ seed: noExportSeed });

  it('a flow the ledger has no record of: the check is said not possible (403, the permission), deploy publishes it as the ledger decides', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest, 'f.yaml': ONE });
    // Another ledger published this very content: this ledger has no record of the org's version.
    expect((await librarySession(emu, dir, join(dir, 'other.db')).deploy()).outcome.status).toBe('succeeded');
    const full = await librarySession(emu, dir).plan();
    expect(full.steps[0]!.action).toBe('unchanged');
    expect(full.steps[0]!.contentCheck).toEqual({ status: 'made' });
    expect(full.steps[0]!.notes).toContain('the org publishes this content already (version 1.0)');
    expect(full.steps[0]!.diff).toBeUndefined();

    const s = librarySession(emu, dir, join(dir, 'ledger.db'), NO_EXPORT);
    const plan = await s.plan();
    expect(served(emu, /\/flows\/export\/jobs$/, 'POST').at(-1)?.status).toBe(403);
    const step = plan.steps[0]!;
    expect(step.action).toBe('update');
    expect(step.blocked).toEqual([]);
    expect(step.contentCheck).toMatchObject({
      status: 'not-possible',
      code: 'API_FORBIDDEN',
      reason:
        'the org refused the export job that reads what it publishes (403): the OAuth client lacks architect:jobExport:create',
      decision: expect.stringContaining('the ledger has no record of the content the org publishes'),
    });
    expect(step.contentCheck?.status === 'not-possible' && step.contentCheck.hint).toContain(
      'architect:jobExport:create',
    );
    // Deploy does what the plan said: it publishes (the same content again, as a new version).
    const { outcome } = await s.deploy();
    expect(outcome.status).toBe('succeeded');
    expect(publishesOf(emu, 'Checked Flow')).toBe(2);
  });

  it('a flow the ledger deployed whose org version it has no record of: possible drift, blocked unless overwriteDrift', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': manifest, 'f.yaml': ONE });
    const s = librarySession(emu, dir, join(dir, 'ledger.db'), NO_EXPORT);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    // Another team publishes other content (not through this ledger).
    const other = workspace({ 'flowgate.yaml': manifest, 'f.yaml': TWO });
    expect((await librarySession(emu, other).deploy()).outcome.status).toBe('succeeded');

    const plan = await s.plan();
    const step = plan.steps[0]!;
    expect(step.contentCheck).toMatchObject({ status: 'not-possible', code: 'API_FORBIDDEN' });
    expect(step.action).toBe('blocked');
    expect(step.blocked).toEqual([
      {
        kind: 'drift',
        message: expect.stringMatching(
          /^Checked Flow may have been changed in Architect since deployment \S+ \(the org publishes version 2\.0, flowgate published 1\.0\): its content could not be read/,
        ),
      },
    ]);
    expect(step.contentCheck).toMatchObject({
      decision:
        'the org publishes a version flowgate has no record of, which may hold a change made in Architect: blocked as possible drift',
    });
    const over = await s.plan({ overwriteDrift: true });
    expect(over.steps[0]!.action).toBe('update');
    expect(over.steps[0]!.notes).toContain(
      `${step.blocked[0]!.message}; --overwrite-drift publishes over it`,
    );
    expect(over.steps[0]!.contentCheck).toMatchObject({
      decision:
        'the org publishes a version flowgate has no record of, which may hold a change made in Architect: deploy publishes over it (overwrite drift)',
    });
    expect((await s.deploy({ overwriteDrift: true })).outcome.status).toBe('succeeded');
    expect(publishesOf(emu, 'Checked Flow')).toBe(3);
  });
});
