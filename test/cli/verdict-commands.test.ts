/**
 * A command whose exit code is its answer (validate, plan, test, diff, audit verify) finishes and
 * exits with it when its reader closes stdout early: `flowgate diff … | head -1` exiting 0 read
 * as "equal" under `set -o pipefail`. A reading command without a verdict (history) still ends
 * quietly with 0 (closed-stdout.test.ts). In process: the CLI's program on an io of the test's.
 */
import { createColors } from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import * as audit from '../../src/cli/specs/audit.js';
import * as deploy from '../../src/cli/specs/deploy.js';
import * as orgSync from '../../src/cli/specs/org-sync.js';
import * as pipeline from '../../src/cli/specs/pipeline.js';
import * as tools from '../../src/cli/specs/tools.js';
import { workspace } from '../helpers/deploy.js';

function testIo(cwdEnv: NodeJS.ProcessEnv = {}): CliIo & { text: string } {
  const io = {
    text: '',
    out: (t: string) => void (io.text += t),
    err: (t: string) => void (io.text += t),
    stdoutIsTty: false,
    colors: createColors(false),
    errColors: createColors(false),
    verbose: false,
    env: cwdEnv,
    onStdoutClosed: 'exit' as CliIo['onStdoutClosed'],
  };
  return io;
}

describe('what a closed stdout does, per command', () => {
  it('validate, a verdict, is set to finish: its exit code 3 stands', async () => {
    const dir = workspace({ 'a.yaml': 'inboundCall:\n  name: A\n' });
    const io = testIo();
    const code = await main(['validate', `${dir}/a.yaml`], io);
    expect(code).toBe(3);
    expect(io.onStdoutClosed).toBe('finish');
  });

  it('exit-codes, a reading command without a verdict, still ends quietly on a closed stdout', async () => {
    const io = testIo();
    expect(await main(['exit-codes'], io)).toBe(0);
    expect(io.onStdoutClosed).toBe('exit');
  });

  it('the commands whose exit code is a verdict are declared so', () => {
    const verdicts = [orgSync, deploy, tools, pipeline, audit]
      .flatMap((m) => Object.values(m as Record<string, { path?: string; verdict?: boolean }>))
      .filter((s) => s.verdict === true)
      .map((s) => s.path)
      .sort();
    expect(verdicts).toEqual(['audit verify', 'diff', 'plan', 'test', 'validate']);
  });
});
