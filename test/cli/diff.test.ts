/** `flowgate diff` as a user runs it: a child process against the emulator, on exported content. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { exportFlows } from '../../src/export/export.js';
import { writeInit } from '../../src/export/init.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
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
    expect(same.stdout).toContain('1 flow: 1 equal, 0 different');
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

  it("--versions --env reads the environment's org from the manifest, as plan --env does", async () => {
    const other = await startEmulator({ clientSecret: 'diff-secret', settings: FAST, seed: { flows: [] } });
    try {
      const dir = workspace({
        'flowgate.yaml': `version: 1
environments:
  prod: { org: { baseUrl: '${emu.url}' } }
  empty: { org: { baseUrl: '${other.url}' } }
flows:
  - file: a.yaml
`,
        'a.yaml': inboundFlow('Some IVR'),
      });
      // Only the credentials in the environment: the org comes from the manifest's environment.
      const creds = {
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'diff-secret',
      };
      const r = await runCli(
        ['diff', 'Main IVR', '--versions', '1.0', '3.0', '--env', 'prod', '--format', 'json'],
        {
          env: creds,
          cwd: dir,
        },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout).flows[0]).toMatchObject({
        flowName: 'Main IVR',
        status: 'different',
        from: 'prod version 1.0',
        to: 'prod version 3.0',
      });
      // The other environment's org has no such flow: it was asked, not the first one.
      const empty = await runCli(['diff', 'Main IVR', '--versions', '1.0', '3.0', '--env', 'empty'], {
        env: creds,
        cwd: dir,
      });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain("error [FLOW_NOT_FOUND] empty has no flow 'Main IVR'");
    } finally {
      await other.stop();
    }
  });

  it('an unknown version is named as not existing, with the versions that do (exit 2)', async () => {
    const r = await runCli(['diff', 'Main IVR', '--versions', '1.0', '9.0'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error [FLOW_VERSION_NOT_FOUND] inboundcall 'Main IVR' has no version 9.0");
    expect(r.stderr).toContain('hint: Its versions: 1.0, 2.0, 3.0; the latest: 3.0 (published).');
    expect(r.stderr).not.toContain('publish again');
  });

  it('an unknown flow is a not-found error naming it, with the closest names (exit 2)', async () => {
    const r = await runCli(['diff', 'Main IRV', '--versions', '1.0', '2.0'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error [FLOW_NOT_FOUND] the org has no flow 'Main IRV'");
    expect(r.stderr).toContain("hint: Did you mean 'inboundcall:Main IVR'?");
    const far = await runCli(['diff', 'commonmodule:Zzzzzzzz', '--versions', '1.0', '2.0'], { env: env() });
    expect(far.code).toBe(2);
    expect(far.stderr).toContain("error [FLOW_NOT_FOUND] the org has no flow 'commonmodule:Zzzzzzzz'");
    expect(far.stderr).toMatch(
      /hint: A flow is named by its name, type:name \(inboundcall:Main IVR\) or id; the org has \d+ flows\./,
    );
  });

  it('a flow without --versions is a usage error (exit 2)', async () => {
    const r = await runCli(['diff', 'Main IVR'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('USAGE_DIFF_FLAGS');
  });
});

describe('flowgate diff "<flow>" --versions when flows of several types share the name', () => {
  // The platform allows one name per type: an in-queue flow and an inbound call flow both named
  // Twin. The in-queue one comes first in the org's listing, so taking the first match would read
  // it, and its versions, for an inbound call flow's.
  let emu: RunningEmulator;
  let ids: Record<string, string>;
  beforeAll(async () => {
    emu = await startEmulator({
      clientSecret: 'twin-secret',
      settings: FAST,
      seed: {
        flows: [
          { name: 'Twin', type: 'INQUEUECALL', versions: [{ publishedHoursAgo: 30 }] },
          {
            name: 'Twin',
            type: 'INBOUNDCALL',
            versions: [{ publishedHoursAgo: 20 }, { publishedHoursAgo: 10 }],
          },
        ],
      },
    });
    const flows = await clientFor(emu).client.flows.list();
    ids = Object.fromEntries(flows.map((f) => [(f.type ?? '').toLowerCase(), f.id]));
  });
  afterAll(async () => {
    await emu.stop();
  });
  const env = () => ({
    GENESYSCLOUD_BASE_URL: emu.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: 'twin-secret',
  });

  it('the name alone is FLOW_AMBIGUOUS (exit 2): every match with its type and id, and how to choose one', async () => {
    expect(Object.keys(ids).sort()).toEqual(['inboundcall', 'inqueuecall']);
    const r = await runCli(['diff', 'Twin', '--versions', '1.0', '2.0'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `error [FLOW_AMBIGUOUS] the org has 2 flows named 'Twin': inboundcall (id ${ids.inboundcall}), inqueuecall (id ${ids.inqueuecall})`,
    );
    expect(r.stderr).toContain(
      'hint: Name one with its type (inboundcall:Twin or inqueuecall:Twin) or by its id.',
    );
    expect(r.stderr).toContain(
      'hint: --type picks one of them: flowgate diff "Twin" --type inboundcall --versions 1.0 2.0',
    );
    // Not the first match's versions, as if the name were the in-queue flow's alone.
    expect(r.stderr).not.toContain('FLOW_VERSION_NOT_FOUND');
  });

  it('--type picks the flow of that type: its versions are compared', async () => {
    const r = await runCli(
      ['diff', 'Twin', '--type', 'inboundcall', '--versions', '1.0', '2.0', '--format', 'json'],
      {
        env: env(),
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout);
    expect(json.flows).toHaveLength(1);
    expect(json.flows[0]).toMatchObject({
      flowName: 'Twin',
      flowType: 'inboundcall',
      status: 'different',
      from: 'version 1.0',
      to: 'version 2.0',
    });
    // The other type, in any case: its one version against itself.
    const queue = await runCli(['diff', 'Twin', '--type', 'INQUEUECALL', '--versions', '1.0', '1.0'], {
      env: env(),
    });
    expect(queue.stderr).toBe('');
    expect(queue.code).toBe(0);
    expect(queue.stdout).toBe(
      "= inqueuecall 'Twin': equal (version 1.0 · version 1.0)\n1 flow: 1 equal, 0 different\n",
    );
  });

  it('a type the name has no flow of is FLOW_NOT_FOUND, naming the types it has (exit 2)', async () => {
    const r = await runCli(['diff', 'Twin', '--type', 'workflow', '--versions', '1.0', '2.0'], {
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error [FLOW_NOT_FOUND] the org has no workflow flow 'Twin'");
    expect(r.stderr).toContain("hint: Did you mean 'inboundcall:Twin' or 'inqueuecall:Twin'?");
  });

  it('--type without a flow and --versions is a usage error (exit 2)', async () => {
    const r = await runCli(['diff', '--type', 'inboundcall'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error [USAGE_DIFF_FLAGS] --type chooses the flow of --versions');
  });
});
