/**
 * The kill test: `flowgate deploy` as a real child process, SIGKILLed at a seeded random moment
 * (after the k-th progress line, plus up to 15 ms: mid-request), then run again to resume. Every
 * round deploys new content of the same flows, and after every round each flow must have been
 * published exactly once more (the emulator's audit records). 3 rounds in `npm test`, 100 under
 * `npm run test:stress`.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { useEmulator } from '../helpers/emulator.js';
import { inboundFlow, publishesOf, workspace } from '../helpers/deploy.js';
import { STRESS } from './harness.js';

const ROUNDS = STRESS ? 100 : 3;
const names = Array.from({ length: 10 }, (_, i) => `Killed Flow ${i}`);

function deploy(emu: RunningEmulator, cwd: string, killAfterLines?: number, extraDelayMs = 0) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(process.cwd(), 'bin/flowgate.js'), 'deploy', '--concurrency', '3'],
        {
          cwd,
          env: {
            PATH: process.env.PATH,
            NO_COLOR: '1',
            GENESYSCLOUD_BASE_URL: emu.url,
            GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
            GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
          },
        },
      );
      let stderr = '';
      let armed = false;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const lines = stderr.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l)).length;
        if (killAfterLines !== undefined && !armed && lines >= killAfterLines) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
        }
      });
      child.stdout.resume();
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    },
  );
}

describe('kill test (child processes)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 10, jobDelayMs: 10 } });

  it(`SIGKILL at ${ROUNDS} random moments, resumed each time: every flow published exactly once per round`, async () => {
    const emu = e.get();
    const files: Record<string, string> = {
      'flowgate.yaml': `version: 1\nflows:\n${names.map((_, i) => `  - file: f${i}.yaml\n`).join('')}`,
    };
    const dir = workspace(files);
    const moments = fc.sample(fc.tuple(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 15 })), {
      numRuns: ROUNDS,
      seed: 20261126,
    });
    let kills = 0;
    for (const [round, [lines, delay]] of moments.entries()) {
      // New content every round, and some flows transfer to the next: the order matters too.
      names.forEach((n, i) =>
        writeFileSync(
          join(dir, `f${i}.yaml`),
          inboundFlow(n, {
            say: `round ${round}`,
            ...(i % 3 === 0 && i + 1 < names.length ? { transferTo: names[i + 1]! } : {}),
          }),
        ),
      );
      const killed = await deploy(emu, dir, lines, delay);
      if (killed.signal === 'SIGKILL') kills++;
      else expect(killed.code, killed.stderr).toBe(0);
      const resumed = await deploy(emu, dir);
      expect(resumed.code, resumed.stderr).toBe(0);
      for (const n of names) expect(publishesOf(emu, n), `${n} after round ${round}`).toBe(round + 1);
    }
    process.stderr.write(
      `kill test: ${kills} of ${ROUNDS} rounds SIGKILLed mid-run, every round exactly once\n`,
    );
    // Most rounds were really killed mid-run (a late moment lets a round finish first).
    expect(kills).toBeGreaterThanOrEqual(Math.ceil(ROUNDS / 2));
  }, 1_800_000);
});
