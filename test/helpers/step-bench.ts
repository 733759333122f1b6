/**
 * The step functions of `deploy/steps.ts` called one at a time, on a deployment recorded from a
 * real plan, against an emulator over HTTP whose clock moves only when a poll waits: a test sets
 * the ledger and the org as an earlier run (or someone in Architect) left them, calls one step,
 * and reads exactly what the step did (its ledger record and notes, the calls the org received).
 */
import { createDeployment } from '../../src/deploy/executor.js';
import type { DeploymentPlan } from '../../src/deploy/types.js';
import type { StepContext } from '../../src/deploy/steps.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { EmFlow } from '../../src/emulator/types.js';
import type { StepRecord } from '../../src/ledger/types.js';
import { librarySession, workspace } from './deploy.js';
import { served } from './emulator.js';

/**
 * The seed of these tests (inbound-call flows, no traffic): `Versioned IVR` publishes 2.0 (1.0
 * before it) with 3.0 checked in; `Planned IVR` publishes 1.0; `Draft IVR` has 1.0 checked in,
 * never published.
 */
export const STEP_SEED = {
  randomSeed: 11,
  flows: [
    { name: 'Versioned IVR', versions: [{ publishedHoursAgo: 48 }, { publishedHoursAgo: 24 }, {}] },
    { name: 'Planned IVR', versions: [{ publishedHoursAgo: 24 }] },
    { name: 'Draft IVR', versions: [{}] },
  ].map((f) => ({ ...f, type: 'INBOUNDCALL' })),
};

/** Someone in Architect (not flowgate's client). */
export const OUTSIDE = { kind: 'user' as const, id: 'u-outside', name: 'Architect User' };

/** A manifest publishing one version of `Versioned IVR`. */
export const publishManifest = (version: string) =>
  `version: 1\nflows:\n  - name: Versioned IVR\n    type: inboundcall\n    version: '${version}'\n`;

/** A manifest importing `a.yaml`. */
export const IMPORT_MANIFEST = 'version: 1\nflows:\n  - file: a.yaml\n';

/** A deployment of one step, recorded and not run, and what a test needs around it. */
export async function stepBench(
  emu: RunningEmulator,
  files: Record<string, string>,
  /** Changes the plan before it is recorded (a step carrying content, say). */
  tweak: (p: DeploymentPlan) => void = () => {},
) {
  emu.control.setClock({ speed: 0 });
  const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
  const now = () => emu.control.org.now();
  // Waits cost nothing on the frozen clock: long ones keep a poll that runs to its deadline short.
  const poll = { intervalMs: 20, maxIntervalMs: 5_000, sleep: advance, now };
  const s = librarySession(emu, workspace(files));
  const plan = await s.plan({ poll });
  tweak(plan);
  const id = await createDeployment(plan, s.ledger, { atomic: false });
  const ctx: StepContext = {
    client: s.client,
    ledger: s.ledger,
    forceUnlock: false,
    me: emu.credentials.clientId,
    poll,
  };
  const flow = (name: string): EmFlow => emu.control.state().flows.find((f) => f.name === name)!;
  return {
    s,
    id,
    ctx,
    advance,
    flow,
    /** The step as the ledger has it now. */
    step: async (index = 0): Promise<StepRecord> => (await s.ledger.steps(id))[index]!,
    /** The details of every state change and note of the deployment, in order. */
    notes: async () => (await s.ledger.events(id)).map((x) => x.detail ?? ''),
    /** The step at `index` set `publishing`, as a run that was about to send left it. */
    publishing: (patch: Partial<StepRecord> = {}, index = 0) =>
      s.ledger.transition(id, index, 'publishing', patch, 'publishing (the earlier run)'),
    /**
     * What a run that died after registering an import job leaves: the step `publishing` with
     * the job's id. `upload` is the text the job received (none: the upload never happened).
     */
    async jobOfEarlierRun(upload?: string): Promise<string> {
      const job = await s.client.jobs.register();
      if (upload !== undefined) await s.client.jobs.upload(job.presignedUrl, job.headers ?? {}, upload);
      await s.ledger.transition(id, 0, 'publishing', {}, 'registering an import job');
      await s.ledger.note(id, 0, { jobId: job.id }, 'import job registered');
      return job.id;
    },
    /** An operation another client starts on a flow, in-process (the org's request log stays clean). */
    publishOutside: (name: string, version: string) => emu.control.org.publish(flow(name), version, OUTSIDE),
    /** Calls the org received since the last `clearRequests`, by kind. */
    sent: () => ({
      jobs: served(emu, /^\/api\/v2\/flows\/jobs$/, 'POST').length,
      publishes: served(emu, /^\/api\/v2\/flows\/actions\/publish$/, 'POST').length,
      deactivations: served(emu, /^\/api\/v2\/flows\/actions\/deactivate$/, 'POST').length,
      flowReads: served(emu, /^\/api\/v2\/flows\/[0-9a-f-]{36}$/, 'GET').length,
    }),
  };
}

/** A step bench, as {@link stepBench} resolves it. */
export type StepBench = Awaited<ReturnType<typeof stepBench>>;

/** A step function's rejection (the test fails when it resolves). */
export async function rejection(
  p: Promise<unknown>,
): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string; hint?: string };
  }
  throw new Error('the step resolved; it was expected to throw');
}
