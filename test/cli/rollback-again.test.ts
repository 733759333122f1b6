/**
 * `flowgate rollback` asked twice (child processes): the second says which rollback put the flow
 * back and on what, records no deployment, publishes nothing, and exits 0, so a pipeline that runs
 * its rollback job again is safe; `--json` lists the same on stdout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, publishesOf, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';

describe('flowgate rollback, twice', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 20 } });

  it('the second leaves the flow as the first put it, says so, and exits 0', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Twice IVR', { say: 'One' }),
    });
    const cli = (args: string[]) => runCli(args, { env: emulatorEnv(emu), cwd: dir });
    expect((await cli(['deploy'])).code).toBe(0);
    writeFileSync(join(dir, 'a.yaml'), inboundFlow('Twice IVR', { say: 'Two' }));
    expect((await cli(['deploy'])).code).toBe(0);
    const first = await cli(['rollback', 'Twice IVR']);
    expect(first.code, first.stderr).toBe(0);
    const rollbackId = /Deployment (d-\S+) \(rollback\)/.exec(first.stdout)?.[1];
    expect(rollbackId).toMatch(/^d-/);
    const publishes = publishesOf(emu, 'Twice IVR');
    const historyBefore = (await cli(['history', 'Twice IVR'])).stdout;

    const again = await cli(['rollback', 'Twice IVR']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe(
      `Twice IVR: already rolled back by ${rollbackId}, back on 1.0 (as version 3.0); left as it is\n` +
        'nothing more to roll back. flowgate history <flow> lists its deployments; flowgate rollback <deployment> undoes one of them\n',
    );
    expect(again.stdout).toBe('');
    const json = await cli(['rollback', 'Twice IVR', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      alreadyRolledBack: [{ flowName: 'Twice IVR', by: rollbackId, version: '1.0', publishedVersion: '3.0' }],
      createdLeft: [],
    });
    expect(publishesOf(emu, 'Twice IVR')).toBe(publishes);
    expect((await cli(['history', 'Twice IVR'])).stdout).toBe(historyBefore);
  });
});
