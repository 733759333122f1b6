/**
 * `deploy --schedule-only` with an interrupted deployment of the same manifest: it records the new
 * schedule and returns, naming the unfinished deployment and how to finish it, instead of resuming
 * it (a resume waits for its activation times, so the command would block until then). A real
 * child process of the built CLI; the interrupted deployment made through the library.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

const env = (emu: RunningEmulator) => ({
  GENESYSCLOUD_BASE_URL: emu.url,
  GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
  GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
});

describe('deploy --schedule-only beside an interrupted deployment', () => {
  const e = useEmulator();

  it('records the schedule and exits at once, naming the interrupted deployment and deploy --resume; runs none of it', async () => {
    const emu = e.get();
    // A day away: a resume would wait for it.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - file: a.yaml\n    activateAt: ${later}\n`,
      'a.yaml': inboundFlow('Tonight'),
    });
    const ledger = join(dir, 'ledger.db');
    // A deploy (not schedule-only) waits for the activation time; Ctrl-C while it waits.
    const abort = new AbortController();
    const s = librarySession(emu, dir, ledger);
    const { outcome } = await s.deploy({
      signal: abort.signal,
      onEvent: (ev) => {
        if (ev.type === 'waiting') abort.abort(new Error('interrupted'));
      },
    });
    expect(outcome.status).toBe('interrupted');
    await s.ledger.close();

    // The manifest named as the library named it (the ledger compares the path as given).
    const manifest = join(dir, 'flowgate.yaml');
    const r = await runCli(['deploy', '--schedule-only', '-m', manifest, '--ledger', ledger], {
      env: env(emu),
      cwd: dir,
      timeoutMs: 15_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `deployment ${outcome.deploymentId} was left unfinished by an earlier run (interrupted): --schedule-only does not run it; flowgate deploy --resume finishes it`,
    );
    expect(r.stderr).not.toContain('resuming deployment');
    expect(publishesOf(emu, 'Tonight')).toBe(0);

    const status = await runCli(['status', outcome.deploymentId, '--ledger', ledger, '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout).deployment.status).toBe('interrupted');
    const list = JSON.parse(
      (await runCli(['schedule', 'list', '--ledger', ledger, '--json'], { cwd: dir })).stdout,
    );
    expect(list.scheduled.map((x: { flow: string }) => x.flow)).toEqual(['Tonight']);
    expect(list.scheduled[0].deployment).not.toBe(outcome.deploymentId);
  });
});
