// Issue 18 §3: config files and naming patterns that used to stall a pipeline, through the real CLI.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-limits-'));
const flowNamed = (name: string) => {
  const file = join(dir, `flow-${name.length}.yaml`);
  writeFileSync(
    file,
    `inboundCall:
  name: '${name}'
  startUpRef: ./tasks/task[t]
  defaultLanguage: en-us
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: bye
`,
  );
  return file;
};
const flow = flowNamed('Main');
const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

describe('config files within limits (child process)', () => {
  it('a FIFO as --policy is refused at once, not waited on (exit 2)', async () => {
    const fifo = join(dir, 'policy.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['validate', flow, '--policy', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error [CONFIG_READ] policy file ${fifo} is a FIFO (named pipe), not a regular file`,
    );
    noStackTrace(r.stderr);
  });

  it('/dev/zero as --substitutions is refused without reading it (exit 2)', async () => {
    const r = await runCli(['validate', flow, '--substitutions', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error [CONFIG_READ] substitutions file /dev/zero is a character device, not a regular file',
    );
    noStackTrace(r.stderr);
  });

  it('a directory as --manifest says so (exit 2)', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const r = await runCli(['validate', '--manifest', folder]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error [CONFIG_READ] manifest file ${folder} is a directory, not a regular file`,
    );
  });

  it('a policy file over 1 MiB is refused (exit 2); one at the limit is read', async () => {
    const big = join(dir, 'big-policy.yaml');
    const filler = '#'.repeat(99) + '\n';
    writeFileSync(big, `maxFlows: 10\n${filler.repeat(10486)}`); // 13 + 1,048,600 bytes
    const refused = await runCli(['validate', flow, '--policy', big]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error [CONFIG_READ] policy file ${big} is larger than 1048576 bytes`);
    noStackTrace(refused.stderr);
    const limit = join(dir, 'limit-policy.yaml');
    writeFileSync(limit, `maxFlows: 10\n${'#'.repeat(1048576 - 14)}\n`);
    const read = await runCli(['validate', flow, '--policy', limit]);
    expect(read.stderr).toBe('');
    expect(read.code).toBe(0);
  });
});

describe('naming patterns run in linear time (child process)', () => {
  it('(a+)+$ against a 40-character name ends with the policy finding (exit 3)', async () => {
    const policy = join(dir, 'nested.yaml');
    writeFileSync(policy, "naming:\n  inboundCall: '(a+)+$'\n");
    const r = await runCli(['validate', flowNamed(`${'a'.repeat(40)}!`), '--policy', policy]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`flow name '${'a'.repeat(40)}!' does not match the naming pattern /(a+)+$/`);
  });

  it('a lookahead in a policy file is refused where it is written, with what is unsupported (exit 2)', async () => {
    const policy = join(dir, 'lookahead.yaml');
    writeFileSync(policy, "maxFlows: 5\nnaming:\n  inboundCall: '^(?=IVR)'\n");
    const r = await runCli(['validate', flow, '--policy', policy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error [CONFIG_INVALID] ${policy}:3:16: naming.inboundCall: the pattern uses a lookahead '(?=' at character 2`,
    );
    expect(r.stderr).toMatch(/hint: Patterns run in a linear-time engine \(RE2\): lookahead and lookbehind/);
    noStackTrace(r.stderr);
  });

  it("a backreference in a manifest's inline policy is refused at its place in the manifest (exit 2)", async () => {
    const manifest = join(dir, 'flowgate.yaml');
    writeFileSync(manifest, `policy:\n  naming:\n    '*': '^(IVR)-\\1'\nflows:\n  - file: ${flow}\n`);
    const r = await runCli(['validate', '--manifest', manifest]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error [CONFIG_INVALID] ${manifest}:3:10: policy.naming.*: the pattern uses a backreference or octal escape '\\1' at character 8`,
    );
  });
});
