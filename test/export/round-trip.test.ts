/**
 * The round trip of issue 24: export an org (`--init`, one environment), validate what was written
 * (no error), plan it against the same org (every flow unchanged: the org publishes that content),
 * and against an empty org (every flow a create, each after the flows it calls or transfers to).
 * On the example org and on a generated org of 300 flows; real HTTP to emulators, real files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Seed } from '../../src/emulator/seed.js';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { exportFlows } from '../../src/export/export.js';
import { writeInit } from '../../src/export/init.js';
import { validateLoaded } from '../../src/flow/validate.js';
import { librarySession, workspace } from '../helpers/deploy.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { generatedSeed } from '../helpers/generated-org.js';

const JOB = { intervalMs: 10, maxIntervalMs: 20 };

/** Exports `emu` into a new folder with a manifest for environment `prod`; the folder. */
async function exportInit(emu: RunningEmulator) {
  const dir = workspace({});
  const { client } = clientFor(emu);
  const result = await exportFlows({ client, out: join(dir, 'flows'), tokens: true, job: JOB });
  const init = await writeInit({
    manifestPath: join(dir, 'flowgate.yaml'),
    outDir: join(dir, 'flows'),
    envs: ['prod'],
    result,
  });
  return { dir, result, init };
}

async function roundTrip(org: RunningEmulator, empty: RunningEmulator, expected: number) {
  const { dir, result } = await exportInit(org);
  expect(result.failed).toEqual([]);
  expect(result.exported).toHaveLength(expected);

  const deployment = await loadDeployment(join(dir, 'flowgate.yaml'), { env: 'prod' });
  const report = validateLoaded(await loadDeploymentFlows(deployment));
  expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

  const same = await librarySession(org, dir).plan({ env: 'prod' });
  expect(
    same.steps.filter((s) => s.action !== 'unchanged').map((s) => [s.flowName, s.action, s.blocked]),
  ).toEqual([]);

  const fresh = await librarySession(empty, dir, join(dir, 'empty.db')).plan({ env: 'prod' });
  expect(new Set(fresh.steps.map((s) => s.action))).toEqual(new Set(['create']));
  const at = new Map(fresh.order.map((step, i) => [step, i]));
  for (const s of fresh.steps) for (const d of s.dependsOn) expect(at.get(d)!).toBeLessThan(at.get(s.index)!);
  return { dir, result, fresh };
}

/** An org with the same queues, data actions, prompts… and no flow. */
const noFlows = (seed: Seed): Seed => ({ ...seed, org: { name: 'Empty' }, flows: [] });
const exampleSeed = parse(readFileSync('examples/emulator/seed-org.yaml', 'utf8')) as Seed;

describe('export → validate → plan, on the example org', () => {
  const org = useEmulator();
  const empty = useEmulator({ seed: noFlows(exampleSeed) });

  it('every published flow comes back unchanged in its org and as a create in an empty one', async () => {
    const { dir, result } = await roundTrip(org.get(), empty.get(), 9);
    // The never-published flow is listed and skipped, with the reason.
    expect(result.skipped).toEqual([
      expect.objectContaining({
        name: 'Callback Outbound',
        reason: expect.stringContaining('never published'),
      }),
    ]);
    // Org-specific names are tokens; the file lists its tokens at its top.
    const ani = readFileSync(join(dir, 'flows/workflow/ani-blacklist-workflow.yaml'), 'utf8');
    expect(ani).toContain('{{ data_table_ani_blacklist }}:');
    expect(ani.split('\n').slice(0, 8).join('\n')).toContain('#   data_action_get_conversation: dataAction');
    expect(readFileSync(join(dir, 'substitutions/prod.yaml'), 'utf8')).toContain(
      'data_table_ani_blacklist: ANI Blacklist',
    );
  });
});

describe('export → validate → plan, on a generated org of 300 flows', () => {
  const org = useEmulator({ seed: generatedSeed(300) });
  const empty = useEmulator({ seed: noFlows(generatedSeed(300)) });

  it('300 flows: unchanged in their org, creates in dependency order in an empty one', async () => {
    const { fresh } = await roundTrip(org.get(), empty.get(), 300);
    // Modules before their callers, and a transfer target before the flow that transfers to it.
    const pos = new Map(fresh.order.map((i, k) => [fresh.steps[i]!.flowName, k]));
    expect(pos.get('Module 000')!).toBeLessThan(pos.get('IVR 000')!);
    expect(pos.get('IVR 001')!).toBeLessThan(pos.get('IVR 002')!);
    expect(fresh.steps.find((s) => s.flowName === 'IVR 002')!.dependsOn.length).toBe(2);
  }, 60_000);
});
