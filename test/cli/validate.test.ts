import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-cli-'));
const examples = 'examples/flows/public/*.y*ml';
const broken = join(dir, 'broken.yaml');
writeFileSync(
  broken,
  `inboundCall:
  name: Broken
  startUpRef: ./tasks/task[nowhere]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: bye
  defaultLanguage: en-us
`,
);

describe('flowgate validate (child process)', () => {
  it('passes the example flows with their substitutions: exit 0, pretty summary', async () => {
    const r = await runCli(['validate', examples, '--substitutions', 'examples/substitutions.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 files: 0 errors, 2 warnings/);
    expect(r.stdout).toContain('Main Menu_10');
  });

  it('exits 3 on errors and shows file:line:column with the source line and a caret', async () => {
    const r = await runCli(['validate', broken]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      `${broken}:3:15  error  startUpRef './tasks/task[nowhere]' names no menu, task or state`,
    );
    expect(r.stdout).toMatch(/ {4}3 \| {3}startUpRef: \.\/tasks\/task\[nowhere\]\n {6}\| {15}\^/);
  });

  it('reports unresolved substitutions without --set, and accepts --set', async () => {
    const flow = 'examples/flows/public/dr-fallback-ivr__DR-Fallback-Ivr.yaml';
    const bare = await runCli(['validate', flow, '--format', 'json']);
    expect(bare.code).toBe(3);
    const json = JSON.parse(bare.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(
      json.diagnostics.filter((d: { code: string }) => d.code === 'unresolved-substitution'),
    ).toHaveLength(2);
    const set = await runCli([
      'validate',
      flow,
      '--set',
      'ivr_callback=Hi',
      '--set',
      'ivr_failure=Sorry',
      '--format',
      'json',
    ]);
    expect(set.code).toBe(0);
  });

  it('writes SARIF 2.1.0 with rules and regions', async () => {
    const r = await runCli(['validate', broken, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const result = sarif.runs[0].results[0];
    expect(result.ruleId).toBe('unresolved-reference');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 3, startColumn: 15 });
    expect(sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toContain('infinite-loop');
  });

  it('writes GitHub annotations', async () => {
    const r = await runCli(['validate', broken, '--format', 'github']);
    expect(r.stdout).toContain(`::error file=${broken},line=3,col=15,title=flowgate unresolved-reference::`);
  });

  it('usage errors exit 2 with a clear message and no stack', async () => {
    const none = await runCli(['validate']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[USAGE_NO_INPUT]');
    const badSet = await runCli(['validate', broken, '--set', 'novalue']);
    expect(badSet.code).toBe(2);
    expect(badSet.stderr).toContain('[USAGE_SET]');
    expect(badSet.stderr).not.toMatch(/\n\s+at /);
    const noMatch = await runCli(['validate', 'nothing/**/*.yaml']);
    expect(noMatch.code).toBe(2);
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'maxFlows: many\n');
    const badPolicy = await runCli(['validate', broken, '--policy', policy]);
    expect(badPolicy.code).toBe(2);
    expect(badPolicy.stderr).toContain(`${policy}:1:11: maxFlows`);
  });

  it('applies a policy file', async () => {
    const policy = join(dir, 'naming.yaml');
    writeFileSync(policy, "naming:\n  inboundCall: '^IVR-'\n");
    const r = await runCli([
      'validate',
      'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml',
      '--policy',
      policy,
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("flow name 'Holiday_Flow' does not match");
  });
});

describe('flowgate validate on a big flow (child process)', () => {
  it('a 5,000-menu flow (about 2 MB) keeps the line and column of its finding in every format', async () => {
    const lines = [
      'inboundCall:',
      '  name: Big',
      '  defaultLanguage: en-us',
      '  startUpRef: ./menus/menu[m0]',
      '  menus:',
    ];
    let dangling = 0;
    for (let i = 0; i < 5000; i++) {
      if (i === 4321) dangling = lines.length + 10;
      lines.push(
        '    - menu:',
        `        name: Menu ${i}`,
        `        refId: m${i}`,
        '        audio:',
        `          tts: Menu ${i}, a prompt long enough to make the file as big as a real export`,
        '        choices:',
        '          - menuJumpToMenu:',
        `              name: Next ${i}`,
        '              dtmf: digit_1',
        `              targetMenuRef: ./menus/menu[${i === 4321 ? 'nowhere' : `m${(i + 1) % 5000}`}]`,
        '          - menuDisconnect:',
        `              name: Bye ${i}`,
        '              dtmf: digit_9',
      );
    }
    const file = join(mkdtempSync(join(tmpdir(), 'flowgate-big-')), 'big.yaml');
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(readFileSync(file).length).toBeGreaterThan(1024 * 1024);
    expect(lines[dangling - 1]).toContain('menu[nowhere]');
    const column = lines[dangling - 1]!.indexOf('./menus') + 1;

    const pretty = await runCli(['validate', file]);
    expect(pretty.code).toBe(3);
    expect(pretty.stdout).toContain(
      `big.yaml:${dangling}:${column}  error  targetMenuRef './menus/menu[nowhere]'`,
    );
    const sarif = JSON.parse((await runCli(['validate', file, '--format', 'sarif'])).stdout) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }>;
        }>;
      }>;
    };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'unresolved-reference')!;
    expect(result.locations[0]!.physicalLocation.region).toMatchObject({
      startLine: dangling,
      startColumn: column,
    });
    const github = await runCli(['validate', file, '--format', 'github']);
    expect(github.stdout).toContain(
      `::error file=${file},line=${dangling},col=${column},title=flowgate unresolved-reference::`,
    );
  });
});

describe('flowgate validate with credentials: the max-flows policy counts the org live', () => {
  it('counts the emulator org flows plus the new ones', async () => {
    const { startEmulator } = await import('../../src/emulator/server.js');
    const emu = await startEmulator({ clientSecret: 'live-count-secret' });
    try {
      const policy = join(dir, 'max.yaml');
      writeFileSync(policy, 'maxFlows: 11\n');
      const env = {
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'live-count-secret',
        GENESYSCLOUD_BASE_URL: emu.url,
      };
      // holiday_flow exists in the seed org (10 flows); SimpleFinancialIvr would be the 11th; Broken the 12th.
      const ok = await runCli(
        [
          'validate',
          'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml',
          'examples/flows/public/simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0.yaml',
          '--policy',
          policy,
        ],
        { env },
      );
      expect(ok.stderr).toContain('counted 10 flows in the org');
      expect(ok.code).toBe(0);
      const over = await runCli(
        [
          'validate',
          'examples/flows/public/simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0.yaml',
          broken,
          '--policy',
          policy,
          '--format',
          'json',
        ],
        { env },
      );
      expect(over.code).toBe(3);
      const json = JSON.parse(over.stdout);
      expect(json.diagnostics.find((d: { code: string }) => d.code === 'policy-max-flows').message).toContain(
        '12 flows (10 now + 2 new)',
      );
      expect(over.stderr + over.stdout).not.toContain('live-count-secret');
    } finally {
      await emu.stop();
    }
  });
});

describe('flowgate validate with a manifest and stdin', () => {
  it('reads flows, per-flow substitutions and the inline policy from a manifest', async () => {
    const r = await runCli(['validate', '--manifest', 'examples/flowgate.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ files: 6, errors: 0, warnings: 2 });
    expect(json.files.map((f: { flow: { name: string } }) => f.flow.name)).toContain(
      'ANI Blacklist Workflow',
    );
  });

  it('finds ./flowgate.yaml when no files are given; relative paths resolve against the manifest', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'flowgate-manifest-'));
    writeFileSync(
      join(sub, 'flow.yaml'),
      'inboundCall:\n  name: "{{ n }}"\n  division: Sales\n  startUpRef: ./tasks/task[t]\n  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - disconnect:\n              name: bye\n  defaultLanguage: en-us\n',
    );
    writeFileSync(join(sub, 'policy.yaml'), 'allowedDivisions: [Home]\n');
    writeFileSync(
      join(sub, 'flowgate.yaml'),
      'policyFile: policy.yaml\nflows:\n  - file: flow.yaml\n    substitutions: { n: Main }\n',
    );
    const child = await import('node:child_process');
    const out = child.spawnSync(
      process.execPath,
      [join(process.cwd(), 'bin/flowgate.js'), 'validate', '--format', 'json'],
      { cwd: sub, encoding: 'utf8', env: { PATH: process.env.PATH } },
    );
    expect(out.status).toBe(3);
    const json = JSON.parse(out.stdout);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toEqual(['policy-division']);
    expect(json.files[0].flow.name).toBe('Main');
  });

  it('reports a bad manifest with file:line:column and exit 2', async () => {
    const bad = join(dir, 'bad-manifest.yaml');
    writeFileSync(bad, 'flows:\n  - file: a.yaml\n    extra: 1\n');
    const r = await runCli(['validate', '--manifest', bad]);
    expect(r.code).toBe(2);
    // The unknown key's own line (issue 20 §12), not its mapping's.
    expect(r.stderr).toMatch(new RegExp(`${bad}:3:5: flows\\.0: unknown key 'extra'`));
    writeFileSync(bad, "policy:\n  naming:\n    inboundCall: '(['\nflows:\n  - file: a.yaml\n");
    const regex = await runCli(['validate', '--manifest', bad]);
    expect(regex.code).toBe(2);
    expect(regex.stderr).toContain('not a valid regular expression');
  });

  it("validates stdin with '-'", async () => {
    const r = await runCli(['validate', '-', '--format', 'json'], { input: readFileSync(broken, 'utf8') });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).diagnostics[0]).toMatchObject({
      file: '<stdin>',
      code: 'unresolved-reference',
      line: 3,
    });
  });

  it("stops reading stdin at the size limit, with the limit's code and a hint", async () => {
    const big = `inboundCall:\n  name: x\n  description: ${'y'.repeat(5000)}\n`;
    const r = await runCli(['validate', '-', '--max-file-size', '1000'], { input: big });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONFIG_READ');
    expect(r.stderr).toContain('stdin holds more than 1000 bytes');
    expect(r.stderr).toContain('--max-file-size');
    const fits = await runCli(['validate', '-', '--max-file-size', '100000', '--format', 'json'], {
      input: readFileSync(broken, 'utf8'),
    });
    expect(fits.code).toBe(3);
  });
});

describe('malformed input through the CLI: a diagnostic and exit 3, never a stack trace', () => {
  it('handles every kind of bad file in one run', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'flowgate-bad-'));
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const files: Record<string, string | Buffer> = {
      'truncated.yaml': 'inboundCall:\n  name: x\n  tasks: [\n  defaultLanguage: en-us\n',
      'types.yaml':
        'inboundCall:\n  name: x\n  startUpRef: ./tasks/task[a]\n  tasks: 7\n  defaultLanguage: en-us\n',
      'deep.yaml': `inboundCall: ${'['.repeat(20000)}${']'.repeat(20000)}\n`,
      'bomb.yaml': bomb,
      'proto.json': '{"__proto__": {"x": 1}, "nodes": "no"}',
      'binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]),
      'empty.yaml': '',
      'huge.json': `{"nodes":[${'{"id":"n"},'.repeat(1_100_000)}{"id":"m"}],"edges":[]}`,
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(bad, name), content);
    const r = await runCli(['validate', join(bad, '*'), '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    const byFile = new Map<string, string[]>();
    for (const d of json.diagnostics as Array<{ file: string; code: string }>)
      byFile.set(d.file.split('/').pop()!, [...(byFile.get(d.file.split('/').pop()!) ?? []), d.code]);
    expect(byFile.get('truncated.yaml')).toEqual(['parse-error']);
    expect(byFile.get('types.yaml')).toContain('schema');
    expect(byFile.get('deep.yaml')).toEqual(['too-deep']);
    expect(byFile.get('bomb.yaml')).toEqual(['alias-limit']);
    expect(byFile.get('proto.json')).toEqual(['unknown-root']);
    expect(byFile.get('binary.yaml')).toEqual(['binary-file']);
    expect(byFile.get('empty.yaml')).toEqual(['empty-file']);
    expect(byFile.get('huge.json')).toEqual(['too-large']);
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });
});

describe('publish order and related locations in the outputs', () => {
  const main = join(dir, 'main.yaml');
  const shared = join(dir, 'shared.yaml');
  writeFileSync(
    main,
    'inboundCall:\n  name: Main\n  startUpRef: ./tasks/task[t]\n  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - callCommonModule:\n              name: call\n              commonModule:\n                Shared:\n                  ver_latestPublished: {}\n          - disconnect:\n              name: bye\n    - task:\n        name: T again\n        refId: t\n  defaultLanguage: en-us\n',
  );
  writeFileSync(
    shared,
    'commonModule:\n  name: Shared\n  startUpTaskActions:\n    - playAudio:\n        name: hi\n  defaultLanguage: en-us\n',
  );

  it('json lists the files in publish order (dependencies first)', async () => {
    const r = await runCli(['validate', main, shared, '--format', 'json']);
    expect(JSON.parse(r.stdout).publishOrder).toEqual([shared, main]);
  });

  it('pretty shows related places; SARIF carries them as relatedLocations', async () => {
    const pretty = await runCli(['validate', main]);
    expect(pretty.stdout).toMatch(/duplicate-id[\s\S]*see .*main\.yaml:5:7 first declared here/);
    const sarif = JSON.parse((await runCli(['validate', main, '--format', 'sarif'])).stdout);
    const dup = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'duplicate-id');
    expect(dup.relatedLocations[0]).toMatchObject({
      id: 0,
      message: { text: 'first declared here' },
      physicalLocation: { region: { startLine: 5, startColumn: 7 } },
    });
  });
});

describe('flowgate validate --online: referenced flows must exist in the org', () => {
  it('errors for a missing flow, warns for an unpublished one, accepts published ones', async () => {
    const { startEmulator } = await import('../../src/emulator/server.js');
    const emu = await startEmulator({ clientSecret: 'online-secret' });
    try {
      emu.control.org.createFlow(
        { name: 'Draft Module', type: 'COMMONMODULE' },
        { kind: 'user', id: 'u', name: 'Alex' },
      );
      const flow = join(dir, 'online.yaml');
      writeFileSync(
        flow,
        `inboundCall:
  name: Online Check
  startUpRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - callCommonModule:
              name: auth
              commonModule:
                Authenticate Caller:
                  ver_latestPublished: {}
          - callCommonModule:
              name: draft
              commonModule:
                Draft Module:
                  ver_latestPublished: {}
          - callCommonModule:
              name: missing
              commonModule:
                No Such Module:
                  ver_latestPublished: {}
          - transferToFlow:
              name: to sales
              targetFlow:
                name: Sales IVR
          - disconnect:
              name: bye
  defaultLanguage: en-us
`,
      );
      const env = {
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'online-secret',
        GENESYSCLOUD_BASE_URL: emu.url,
      };
      const r = await runCli(['validate', flow, '--online', '--format', 'json'], { env });
      expect(r.code).toBe(3);
      const found = JSON.parse(r.stdout).diagnostics.filter(
        (d: { code: string }) => d.code === 'missing-dependency',
      );
      expect(
        found.map((d: { severity: string; message: string; line: number }) => [
          d.severity,
          d.message.match(/'([^']+)'/)![1],
          d.line,
        ]),
      ).toEqual([
        ['warning', 'Draft Module', 18],
        ['error', 'No Such Module', 23],
      ]);
      const offline = await runCli(['validate', flow, '--format', 'json']);
      expect(offline.code).toBe(0);
      const noCreds = await runCli(['validate', flow, '--online']);
      expect(noCreds.code).toBe(2);
      expect(noCreds.stderr).toContain('[USAGE_ONLINE]');
    } finally {
      await emu.stop();
    }
  });
});
