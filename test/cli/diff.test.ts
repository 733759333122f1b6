/** `flowgate diff` as a user runs it: a child process against the emulator, on exported content. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { exportFlows } from '../../src/export/export.js';
import { writeInit } from '../../src/export/init.js';
import { runCli } from '../helpers/cli.js';
import { workspace } from '../helpers/deploy.js';
import { clientFor, FAST } from '../helpers/emulator.js';

describe('flowgate diff (child process against the emulator)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clientSecret: 'diff-secret', settings: FAST });
  });
  afterAll(async () => {
    await emu.stop();
  });
  const env = () => ({
    GENESYSCLOUD_BASE_URL: emu.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: 'diff-secret',
  });

  it('"<flow>" --versions a b: the semantic diff of two versions (exit 3); one version against itself is equal (exit 0)', async () => {
    const r = await runCli(['diff', 'Main IVR', '--versions', '1.0', '3.0', '--format', 'json'], {
      env: env(),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout);
    expect(json.flows[0]).toMatchObject({
      flowName: 'Main IVR',
      status: 'different',
      from: 'version 1.0',
      to: 'version 3.0',
    });
    expect(json.flows[0].diff.fieldsChanged).toContainEqual(
      expect.objectContaining({ field: 'audio.tts', from: 'version 1.0', to: 'version 3.0' }),
    );
    const same = await runCli(['diff', 'inboundcall:Main IVR', '--versions', '3.0', '3.0'], { env: env() });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('1 flows: 1 equal, 0 different');
  });

  it('the repository against its org: equal after an export; a changed file is different, in markdown for a pull request', async () => {
    const dir = workspace({});
    const result = await exportFlows({
      client: clientFor(emu).client,
      out: join(dir, 'flows'),
      tokens: true,
      job: { intervalMs: 10 },
    });
    await writeInit({
      manifestPath: join(dir, 'flowgate.yaml'),
      outDir: join(dir, 'flows'),
      envs: ['prod'],
      result,
    });
    const equal = await runCli(['diff', '--env', 'prod'], { env: env(), cwd: dir });
    expect(equal.code).toBe(0);
    expect(equal.stdout).toContain('9 flows: 9 equal, 0 different');
    const file = join(dir, 'flows/inboundcall/main-ivr.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tts: "version 3.0"', 'tts: A new greeting'));
    const md = await runCli(['diff', '--env', 'prod', '--format', 'markdown'], { env: env(), cwd: dir });
    expect(md.code).toBe(3);
    expect(md.stdout).toContain(
      '| Main IVR | inboundcall | different | prod version 3.0 | flows/inboundcall/main-ivr.yaml |',
    );
    expect(md.stdout).toContain("playAudio 'Version': audio.tts 'version 3.0' → 'A new greeting'");
  });

  it('a flow without --versions is a usage error (exit 2)', async () => {
    const r = await runCli(['diff', 'Main IVR'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('USAGE_DIFF_FLAGS');
  });
});
