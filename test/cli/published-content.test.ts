/**
 * Issue 18 §1: what is published is what was validated. For every source of substitution values
 * (manifest shared, manifest per flow, environment, --substitutions, --set), a real `flowgate
 * deploy` publishes a configuration holding the value, and the hash in the ledger is the hash of
 * what the emulator received.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { emulatorEnv, useEmulator } from '../helpers/emulator.js';
import type { RunningEmulator } from '../../src/emulator/server.js';

const FLOW = inboundFlow('"{{ flow_name }}"', { say: '"{{ greeting }}"' });

/** The text of the version the emulator publishes for a flow now, by name. */
function publishedText(emu: RunningEmulator, name: string): string | undefined {
  const flow = emu.control.state().flows.find((f) => f.name === name && !f.deleted);
  const last = flow?.publications.at(-1);
  const v = flow?.versions.find((x) => x.id === last?.versionId);
  return typeof v?.configuration === 'string' ? v.configuration : undefined;
}

function ledgerHashes(dir: string): string[] {
  const db = new Database(join(dir, '.flowgate', 'ledger.db'), { readonly: true });
  try {
    return (
      db.prepare("SELECT content_hash FROM steps WHERE state = 'published'").all() as {
        content_hash: string;
      }[]
    ).map((r) => r.content_hash);
  } finally {
    db.close();
  }
}

const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

describe('the published configuration holds every source of values (issue 18 §1)', () => {
  const e = useEmulator();

  const cases: { source: string; manifest: string; args: string[]; files?: Record<string, string> }[] = [
    {
      source: 'manifest (shared)',
      manifest: 'substitutions:\n  flow_name: Shared Name\n  greeting: Hi shared\nflows:\n  - file: f.yaml\n',
      args: [],
    },
    {
      source: 'manifest (per flow)',
      manifest:
        'substitutions:\n  flow_name: Shared Name\n  greeting: Hi\nflows:\n  - file: f.yaml\n    substitutions:\n      flow_name: Own Name\n      greeting: Hi own\n',
      args: [],
    },
    {
      source: 'environment',
      manifest:
        'substitutions:\n  flow_name: Shared Name\n  greeting: Hi\nenvironments:\n  test:\n    substitutions:\n      flow_name: Env Name\n      greeting: Hi env\nflows:\n  - file: f.yaml\n',
      args: ['--env', 'test'],
    },
    {
      source: '--substitutions',
      manifest:
        'substitutions:\n  flow_name: Shared Name\n  greeting: Hi\nenvironments:\n  test:\n    substitutions:\n      flow_name: Env Name\nflows:\n  - file: f.yaml\n',
      args: ['--env', 'test', '--substitutions', 'values.yaml'],
      files: { 'values.yaml': 'flow_name: File Name\ngreeting: Hi file\n' },
    },
    {
      source: '--set',
      manifest: 'flows:\n  - file: f.yaml\n',
      args: ['--substitutions', 'values.yaml', '--set', 'flow_name=IVR-Main', '--set', 'greeting=Hi set'],
      files: { 'values.yaml': 'flow_name: File Name\ngreeting: Hi file\n' },
    },
  ];
  const expected: Record<string, [string, string]> = {
    'manifest (shared)': ['Shared Name', 'Hi shared'],
    'manifest (per flow)': ['Own Name', 'Hi own'],
    environment: ['Env Name', 'Hi env'],
    '--substitutions': ['File Name', 'Hi file'],
    '--set': ['IVR-Main', 'Hi set'],
  };

  for (const c of cases)
    it(`${c.source}: the org publishes the value, and the ledger's hash is the hash of what it received`, async () => {
      const emu = e.get();
      const dir = workspace({ 'flowgate.yaml': `version: 1\n${c.manifest}`, 'f.yaml': FLOW, ...c.files });
      const r = await runCli(['deploy', ...c.args], { cwd: dir, env: emulatorEnv(emu) });
      expect(r.stderr).not.toMatch(/__\w+__/);
      expect(r.code).toBe(0);
      const [name, greeting] = expected[c.source]!;
      const text = publishedText(emu, name);
      // Exactly the file with each token replaced by its value (plain text: nothing to escape).
      expect(text).toBe(FLOW.replace('{{ flow_name }}', name).replace('{{ greeting }}', greeting));
      // No other flow appeared in the org (no `__flow_name__`).
      expect(
        emu.control
          .state()
          .flows.filter((f) => /flow_name|Name|IVR-Main/.test(f.name))
          .map((f) => f.name),
      ).toEqual([name]);
      expect(ledgerHashes(dir)).toEqual([sha(text!)]);
    });

  it('a value with no source blocks the plan, naming the key, and nothing reaches the org', async () => {
    const emu = e.get();
    const dir = workspace({ 'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n', 'f.yaml': FLOW });
    const before = emu.control.state().flows.length;
    const r = await runCli(['deploy', '--set', 'greeting=Hi'], { cwd: dir, env: emulatorEnv(emu) });
    expect(r.code).toBe(3); // DEPLOY_BLOCKED
    expect(r.stdout + r.stderr).toContain('flow_name');
    // The plan names the file, not a placeholder as if it were the flow's name.
    expect(r.stdout).toContain('f.yaml');
    expect(r.stdout).not.toContain('__flow_name__');
    expect(emu.control.state().flows.length).toBe(before);
    expect(emu.control.requests().filter((q) => q.method === 'PUT').length).toBe(0);
  });
});
