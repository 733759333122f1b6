/**
 * `flowgate rollback` through the real CLI (child processes), under each of the emulator's
 * `republishOldVersion` modes (issue 21 §1): a flow deployed from Archy YAML comes back on the
 * recorded content as a new version in every mode; a flow published by version is published
 * again, or named for Architect when the platform refuses and the ledger has no content of it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configurationText, normalizedContentHash } from '../../src/deploy/published-content.js';
import type { RepublishOldVersion } from '../../src/emulator/types.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, publishedVersion, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';

describe.each<RepublishOldVersion>(['in-place', 'new-version', 'refuse'])(
  'flowgate rollback (%s)',
  (mode) => {
    const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20, republishOldVersion: mode } });

    it('a YAML flow comes back on the content the ledger recorded, as a new version', async () => {
      const emu = e.get();
      const v1 = inboundFlow('Cli IVR', { say: 'One' });
      const dir = workspace({ 'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n', 'a.yaml': v1 });
      expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
      writeFileSync(join(dir, 'a.yaml'), inboundFlow('Cli IVR', { say: 'Two' }));
      expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
      const back = await runCli(['rollback', 'Cli IVR'], { env: emulatorEnv(emu), cwd: dir });
      expect(back.code, back.stderr).toBe(0);
      expect(publishedVersion(emu, 'Cli IVR')).toBe('3.0');
      // The report and history say it as the README does: rolled back, back on 1.0 (now as 3.0).
      const row = /Cli IVR \[inboundcall\]\s+(\S.*?\S)\s{2,}(\S.*?\S)\s{2,}\d/;
      expect(row.exec(back.stdout)?.slice(1, 3)).toEqual(['rolled back', 'back on 1.0 (as version 3.0)']);
      const history = await runCli(['history'], { cwd: dir });
      expect(history.stdout.split('\n')[1]).toMatch(
        /Cli IVR \[inboundcall\]\s+rolled back\s.*back on 1\.0 \(as version 3\.0\)$/,
      );
      const flow = emu.control.state().flows.find((f) => f.name === 'Cli IVR')!;
      const text = configurationText(flow.versions.find((v) => v.id === '3.0')!.configuration)!;
      expect(normalizedContentHash(text)).toBe(normalizedContentHash(v1));
    });

    it('a flow published by version: published again, or named for Architect when refused', async () => {
      const emu = e.get();
      // Main IVR publishes 3.0 (its checked-in version); the manifest publishes 3.0 after 1.0.
      const dir = workspace({
        'flowgate.yaml':
          "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n",
      });
      emu.control.setRepublishOldVersion('in-place');
      expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
      writeFileSync(
        join(dir, 'flowgate.yaml'),
        "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '3.0'\n",
      );
      expect((await runCli(['deploy'], { env: emulatorEnv(emu), cwd: dir })).code).toBe(0);
      emu.control.setRepublishOldVersion(mode);
      // Back to 1.0: an old version.
      const back = await runCli(['rollback', 'Main IVR'], { env: emulatorEnv(emu), cwd: dir });
      if (mode === 'refuse') {
        expect(back.code).toBe(1);
        expect(back.stdout + back.stderr).toContain('restore version 1.0 in Architect');
        expect(publishedVersion(emu, 'Main IVR')).toBe('3.0');
      } else {
        expect(back.code, back.stderr).toBe(0);
        expect(publishedVersion(emu, 'Main IVR')).toBe(mode === 'in-place' ? '1.0' : '4.0');
        expect(back.stdout).toMatch(
          mode === 'in-place'
            ? /Main IVR \[inboundcall\]\s+rolled back\s+back on 1\.0\s/
            : /Main IVR \[inboundcall\]\s+rolled back\s+back on 1\.0 \(as version 4\.0\)\s/,
        );
      }
    });
  },
);
