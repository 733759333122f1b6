/**
 * What the prune tests share: a manifest listing files, flows deployed from another workspace and
 * ledger (flows flowgate here never deployed), the live flow of a name, and the emulator's clock
 * frozen and moved only by the prune's waits.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { planPrune, type PrunePlan } from '../../src/deploy/prune.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { librarySession, workspace } from './deploy.js';

/** A manifest listing `files`. */
export const manifestOf = (...files: string[]): string =>
  `version: 1\nflows:\n${files.map((f) => `  - file: ${f}\n`).join('')}`;

/** The live (not deleted) flow of that name in the emulator's org. */
export const liveFlow = (emu: RunningEmulator, name: string) =>
  emu.control.state().flows.find((f) => f.name === name && !f.deleted);

/** The prune plan of the manifest at `path`, as `flowgate prune` makes it, against the session's org and ledger. */
export const prunePlanner =
  (s: ReturnType<typeof librarySession>, path: string) =>
  async (mode: 'delete' | 'deactivate' = 'delete'): Promise<PrunePlan> =>
    planPrune(
      {
        org: s.client.endpoints.apiBaseUrl,
        manifestPath: path,
        flows: await loadDeploymentFlows(await loadDeployment(path, {})),
        mode,
      },
      { client: s.client, ledger: s.ledger },
    );

/** Deploys `files` (path → flow text) from another workspace and ledger. */
export const deployElsewhere = (emu: RunningEmulator, files: Record<string, string>) =>
  librarySession(emu, workspace({ 'flowgate.yaml': manifestOf(...Object.keys(files)), ...files })).deploy();

/**
 * The emulator's clock, frozen, moved only by the prune's waits (each told to `onWait`). Deploy
 * before freezing it: import jobs do not finish on a frozen clock.
 */
export function frozenClock(emu: RunningEmulator, onWait: (ms: number) => void = () => undefined) {
  emu.control.setClock({ speed: 0 });
  return {
    now: () => emu.control.org.now(),
    sleep: (ms: number) => {
      onWait(ms);
      emu.control.setClock({ advanceMs: ms });
      return Promise.resolve();
    },
  };
}

/** A workspace that deploys `files` (path → flow text), then lists only `kept`: the rest are pruned. */
export async function deployedThenListing(
  emu: RunningEmulator,
  files: Record<string, string>,
  kept: string[],
) {
  const dir = workspace({ 'flowgate.yaml': manifestOf(...Object.keys(files)), ...files });
  const s = librarySession(emu, dir);
  expect((await s.deploy()).outcome.status).toBe('succeeded');
  const path = join(dir, 'flowgate.yaml');
  writeFileSync(path, manifestOf(...kept));
  return { dir, s, path, plan: prunePlanner(s, path) };
}
