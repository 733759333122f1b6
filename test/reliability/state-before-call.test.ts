/**
 * "The ledger is written before the platform is called" (docs/ARCHITECTURE.md), proven at the one
 * moment it matters: `flowgate deploy` (a real child process, talking to the emulator through a
 * proxy in this process) is SIGKILLed exactly when the request that changes the org has taken
 * effect and before its answer reaches the process, with the simulated clock frozen so the
 * operation or job it started is still running. No random kill moment: the same place every run.
 *
 * At that moment the ledger (read by this process) must already say what the run is doing; and
 * `deploy --resume` must ask the org, find the work under way and not send it again: one publish.
 * Had the state been written after the call, the resumed run would see `planned`, send the
 * publish (or a new import job) again, and the org would publish the flow twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, publishedVersion, publishesOf, workspace } from '../helpers/deploy.js';
import { cutProxy, type HeldAnswer } from '../helpers/cut-proxy.js';
import { useEmulator } from '../helpers/emulator.js';

const env = (emu: RunningEmulator, url: string) => ({
  GENESYSCLOUD_BASE_URL: url,
  GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
  GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
});

/** The ledger's steps as another process sees them (WAL: a reader never waits for the writer). */
function stepStates(dir: string): Array<{ state: string; jobId: string | null }> {
  const db = new Database(join(dir, '.flowgate', 'ledger.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT state, job_id AS jobId FROM steps ORDER BY idx').all() as Array<{
      state: string;
      jobId: string | null;
    }>;
  } finally {
    db.close();
  }
}

/** `flowgate deploy` in a child process; resolves with how it ended. */
function deployChild(emu: RunningEmulator, url: string, cwd: string, started: (c: ChildProcess) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [join(process.cwd(), 'bin/flowgate.js'), 'deploy'], {
        cwd,
        env: { PATH: process.env.PATH, NO_COLOR: '1', ...env(emu, url) },
      });
      started(child);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.resume();
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    },
  );
}

describe('state recorded before the call it leads to (SIGKILL at the call)', () => {
  const e = useEmulator();

  /**
   * The first run is killed at the first answer `killAt` matches (the answer is never relayed);
   * the ledger's states at that moment are returned. Then `deploy --resume` runs through the same
   * proxy, and the clock moves only after each look at a flow or job it gets (so its first look
   * still sees the work under way).
   */
  async function killAtThenResume(emu: RunningEmulator, dir: string, killAt: (a: HeldAnswer) => boolean) {
    emu.control.setClock({ speed: 0 });
    let child: ChildProcess | undefined;
    let atCall: ReturnType<typeof stepStates> | undefined;
    let resuming = false;
    const proxy = await cutProxy(emu.url, (a) => {
      if (resuming) {
        if (a.method === 'GET' && a.path.startsWith('/api/v2/flows/'))
          emu.control.setClock({ advanceMs: 100 });
        return 'relay';
      }
      if (atCall !== undefined || !killAt(a)) return 'relay';
      atCall = stepStates(dir);
      child!.kill('SIGKILL');
      return 'drop';
    });
    try {
      const killed = await deployChild(emu, proxy.url, dir, (c) => (child = c));
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      resuming = true;
      const resumed = await runCli(['deploy', '--resume'], {
        cwd: dir,
        env: env(emu, proxy.url),
        timeoutMs: 60_000,
      });
      return { atCall, resumed };
    } finally {
      await proxy.close();
    }
  }

  it('a publish step: publishing is in the ledger when the publish POST lands; resumed, the flow is published once', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n",
    });
    const before = publishesOf(emu, 'Main IVR');
    const { atCall, resumed } = await killAtThenResume(
      emu,
      dir,
      (a) => a.method === 'POST' && a.path === '/api/v2/flows/actions/publish' && a.status === 200,
    );
    expect(atCall?.map((s) => s.state)).toEqual(['publishing']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming deployment');
    expect(publishesOf(emu, 'Main IVR')).toBe(before + 1);
    const posts = emu.control
      .requests()
      .filter((r) => r.method === 'POST' && r.path === '/api/v2/flows/actions/publish');
    expect(posts).toHaveLength(1);
    expect(publishedVersion(emu, 'Main IVR')).toBe('1.0');
  }, 120_000);

  it('an import step: publishing and the job are in the ledger when the upload lands; resumed, the flow is published once', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n',
      'a.yaml': inboundFlow('Killed At The Upload'),
    });
    // The job has its text and runs; the run never hears that the upload was taken.
    const { atCall, resumed } = await killAtThenResume(
      emu,
      dir,
      (a) => a.method === 'PUT' && a.path.startsWith('/__emulator/uploads/') && a.status === 200,
    );
    expect(atCall).toEqual([{ state: 'publishing', jobId: expect.any(String) as string }]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(publishesOf(emu, 'Killed At The Upload')).toBe(1);
    const jobs = emu.control.requests().filter((r) => r.method === 'POST' && r.path === '/api/v2/flows/jobs');
    expect(jobs).toHaveLength(1);
    expect(publishedVersion(emu, 'Killed At The Upload')).toBe('1.0');
  }, 120_000);
});
