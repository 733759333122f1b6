/**
 * What `plan` decides per step (README, "What `plan` decides"): validation and policy errors block
 * the flow whose file holds them, and only that flow (the flow count blocks every step); a file that
 * cannot be read is said once; a lock in Architect by a user or another OAuth client blocks a
 * publish, not an unchanged flow, and `--force-unlock` takes it over; a flow another deployment is
 * deploying now is noted on its own step only; an existing flow that is not in the org, or whose
 * checked-in version moved, is blocked. In process (library over real HTTP against the emulator),
 * so the mutation run sees `deploy/plan.ts`: the CLI tests of the same rules run `dist/`.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createPlatformClient } from '../../src/platform/client.js';
import { resolveBaseUrl } from '../../src/platform/regions.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { flowId, useEmulator } from '../helpers/emulator.js';

/** An inbound flow whose start names no task: one validation error, at line 4, column 15. */
const BROKEN = inboundFlow('Broken Flow').replace('task[main]', 'task[nowhere]');

const manifestOf = (files: string[], extra = '') =>
  `version: 1\n${extra}flows:\n${files.map((f) => `  - file: ${f}\n`).join('')}`;

/** An Architect session of the seed's editor client takes the flow's lock. */
async function editorCheckout(emu: RunningEmulator, id: string): Promise<void> {
  const editor = createPlatformClient({
    credentials: { clientId: 'editor-client', clientSecret: 'editor-demo' },
    endpoints: resolveBaseUrl(emu.url),
  });
  await editor.flows.checkout(id);
}

describe('plan: errors block the step of the file that holds them', () => {
  const e = useEmulator();

  it('a validation error blocks its own flow only, naming the first error at file:line:column', async () => {
    const dir = workspace({
      'flowgate.yaml': manifestOf(['good.yaml', 'broken.yaml']),
      'good.yaml': inboundFlow('Good Flow'),
      'broken.yaml': BROKEN,
    });
    const plan = await librarySession(e.get(), dir).plan();
    const [good, broken] = plan.steps;
    expect(good!.blocked).toEqual([]);
    expect(good!.action).toBe('create');
    expect(broken!.action).toBe('blocked');
    expect(broken!.blocked).toEqual([
      {
        kind: 'validation',
        message: expect.stringMatching(
          /^1 validation error \(first: \S*broken\.yaml:4:15 startUpRef '\.\/tasks\/task\[nowhere\]' names no menu, task or state/,
        ) as string,
      },
    ]);
    expect(plan.blocked).toBe(true);
  });

  it("an org object that does not exist counts with the file's validation errors (two, the first named)", async () => {
    const dir = workspace({
      'flowgate.yaml': manifestOf(['sales.yaml', 'nope.yaml']),
      'sales.yaml': inboundFlow('To Sales', { queue: 'Sales' }),
      'nope.yaml': inboundFlow('To Nowhere', { queue: 'No Such Queue' }).replace(
        'startUpRef: ./tasks/task[main]',
        'startUpRef: ./tasks/task[nowhere]',
      ),
    });
    const plan = await librarySession(e.get(), dir).plan();
    const [sales, nope] = plan.steps;
    expect(sales!.blocked).toEqual([]);
    // Each step carries the objects of its own file, not the first file's.
    expect(sales!.objects?.map((o) => [o.name, o.state])).toEqual([['Sales', 'found']]);
    expect(nope!.objects?.map((o) => [o.name, o.state])).toEqual([['No Such Queue', 'missing']]);
    expect(nope!.blocked.map((b) => b.kind)).toEqual(['validation']);
    expect(nope!.blocked[0]!.message).toMatch(/^2 validation errors \(first: \S*nope\.yaml:\d+:\d+ /);
  });

  it('a file that cannot be read is one file problem, not again a validation count', async () => {
    const dir = workspace({
      'flowgate.yaml': manifestOf(['good.yaml', 'missing.yaml']),
      'good.yaml': inboundFlow('Good Flow'),
    });
    const plan = await librarySession(e.get(), dir).plan();
    const missing = plan.steps[1]!;
    expect(missing.blocked.map((b) => b.kind)).toEqual(['file']);
    expect(missing.blocked[0]!.message).toMatch(/missing\.yaml \(manifest line 4\): no such file$/);
    expect(plan.steps[0]!.blocked).toEqual([]);
  });

  it('a naming policy blocks the flow it names, as policy and not as validation; the others pass', async () => {
    const dir = workspace({
      'flowgate.yaml': manifestOf(['ivr.yaml', 'other.yaml'], "policy:\n  naming:\n    '*': '^IVR '\n"),
      'ivr.yaml': inboundFlow('IVR Main'),
      'other.yaml': inboundFlow('Badly Named'),
    });
    const plan = await librarySession(e.get(), dir).plan();
    const [ivr, other] = plan.steps;
    expect(ivr!.blocked).toEqual([]);
    expect(other!.blocked).toEqual([
      {
        kind: 'policy',
        message: "flow name 'Badly Named' does not match the naming pattern /^IVR / for inboundcall",
      },
    ]);
  });

  it("the policy's flow count blocks every step, whichever file the finding is reported at", async () => {
    const dir = workspace({
      'flowgate.yaml': manifestOf(['a.yaml', 'b.yaml'], 'policy:\n  maxFlows: 3\n'),
      'a.yaml': inboundFlow('New A'),
      'b.yaml': inboundFlow('New B'),
    });
    const emu = e.get();
    const now = emu.control.state().flows.filter((f) => !f.deleted).length;
    const plan = await librarySession(emu, dir).plan();
    for (const step of plan.steps)
      expect(step.blocked).toEqual([
        {
          kind: 'policy',
          message: `the org would hold ${now + 2} flows (${now} now + 2 new), more than the policy's maxFlows 3`,
        },
      ]);
  });
});

describe('plan: locks in Architect and other runs', () => {
  const e = useEmulator();
  const manifest = manifestOf(['main.yaml']);

  it('a lock by another OAuth client blocks the update and names the client; --force-unlock plans to take it', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest,
      'main.yaml': inboundFlow('Main IVR', { say: 'New' }),
    });
    await editorCheckout(emu, flowId(emu, 'Main IVR'));
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    const step = plan.steps[0]!;
    expect(step.lockedBy).toBe('OAuth client Flow editor without publish');
    expect(step.blocked).toEqual([
      { kind: 'locked', message: 'locked in Architect by OAuth client Flow editor without publish' },
    ]);
    const forced = (await s.plan({ forceUnlock: true })).steps[0]!;
    expect([forced.blocked, forced.forceUnlock, forced.action]).toEqual([[], true, 'update']);
  });

  it("a user's lock blocks too, naming the user; a lock of flowgate's own client does not", async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest,
      'main.yaml': inboundFlow('Main IVR', { say: 'New' }),
    });
    const s = librarySession(emu, dir);
    const flow = emu.control.state().flows.find((f) => f.name === 'Main IVR' && !f.deleted)!;
    emu.control.org.checkout(flow, { kind: 'user', id: 'u-1', name: 'Architect User' });
    expect((await s.plan()).steps[0]!.blocked).toEqual([
      { kind: 'locked', message: 'locked in Architect by user Architect User' },
    ]);
    emu.control.org.unlock(flow, { kind: 'user', id: 'u-1', name: 'Architect User' });
    await s.client.flows.checkout(flow.id);
    const own = (await s.plan()).steps[0]!;
    expect([own.blocked, own.lockedBy, own.action]).toEqual([[], undefined, 'update']);
  });

  it('a lock blocks nothing when nothing will be published: an unchanged flow is only told whose lock it is', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifest,
      'main.yaml': inboundFlow('Main IVR', { say: 'New' }),
    });
    const s = librarySession(emu, dir);
    expect((await s.deploy()).outcome.status).toBe('succeeded');
    await editorCheckout(emu, flowId(emu, 'Main IVR'));
    const step = (await s.plan()).steps[0]!;
    expect([step.action, step.blocked, step.lockedBy]).toEqual([
      'unchanged',
      [],
      'OAuth client Flow editor without publish',
    ]);
  });

  it('a flow another deployment is deploying now is noted on its step only: deploy will wait for it', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifestOf(['a.yaml', 'b.yaml']),
      'a.yaml': inboundFlow('Held Flow'),
      'b.yaml': inboundFlow('Free Flow'),
    });
    const s = librarySession(emu, dir);
    const holder = { pid: process.pid, host: hostname(), since: '2030-01-07T09:00:00.000Z', actor: 'runner' };
    const held = await s.ledger.lockFlows(
      s.client.endpoints.apiBaseUrl,
      ['inboundcall:Held Flow'],
      { ...holder, deploymentId: 'd-other' },
      { waitMs: 0 },
    );
    const [a, b] = (await s.plan()).steps;
    expect(a!.notes).toContain(
      `being deployed now by deployment d-other (runner on ${hostname()}, since 2030-01-07T09:00:00.000Z): deploy waits for it`,
    );
    expect(b!.notes.filter((n) => n.includes('being deployed now'))).toEqual([]);
    expect([a!.blocked, b!.blocked]).toEqual([[], []]);
    await held.release();
  });
});

describe('plan: an existing flow to publish', () => {
  const e = useEmulator();

  it('by id or by name, a flow the org does not have is not-found, said in the words of the manifest', async () => {
    const id = '6d1e0c52-8d8a-4b7e-9f43-1f0d2b9a7c11';
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - id: ${id}\n    version: '1.0'\n  - name: No Such Flow\n    type: inboundcall\n    version: '1.0'\n`,
    });
    const [byId, byName] = (await librarySession(e.get(), dir).plan()).steps;
    expect([byId!.flowName, byId!.flowType, byId!.action]).toEqual([id, 'unknown', 'blocked']);
    expect(byId!.blocked).toEqual([{ kind: 'not-found', message: `no flow with id ${id} in the org` }]);
    expect([byName!.flowName, byName!.flowType]).toEqual(['No Such Flow', 'inboundcall']);
    expect(byName!.blocked).toEqual([
      { kind: 'not-found', message: "no inboundcall flow named 'No Such Flow' in the org" },
    ]);
  });

  it("by id, the org's name and type are the step's; a checked-in version the manifest does not expect is drift", async () => {
    const emu = e.get();
    const id = flowId(emu, 'Main IVR');
    const dir = workspace({
      'flowgate.yaml': `version: 1\nflows:\n  - id: ${id}\n    version: '1.0'\n    expectCheckedIn: '1.0'\n`,
    });
    const s = librarySession(emu, dir);
    const checkedIn = (await s.client.flows.get(id)).checkedInVersion?.id;
    expect(checkedIn).toBe('3.0'); // the seed's Main IVR: versions 1.0 to 3.0, the last checked in
    const step = (await s.plan()).steps[0]!;
    expect([step.flowName, step.flowType, step.flowId]).toEqual(['Main IVR', 'inboundcall', id]);
    expect(step.blocked).toEqual([
      {
        kind: 'drift',
        message:
          "the org's checked-in version is 3.0, the manifest expects 1.0: the flow changed outside the pipeline",
      },
    ]);
  });
});

describe('plan: which org flow a file is, and what it holds', () => {
  const e = useEmulator();

  it('a lock on a flow whose org content is already the file is no block: nothing will be published', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifestOf(['main.yaml']),
      'main.yaml': inboundFlow('Main IVR'),
    });
    // Another ledger published this content: this one learns it from the org (the export job).
    expect((await librarySession(emu, dir, `${dir}/other.db`).deploy()).outcome.status).toBe('succeeded');
    await editorCheckout(emu, flowId(emu, 'Main IVR'));
    const step = (await librarySession(emu, dir).plan()).steps[0]!;
    expect([step.action, step.blocked, step.lockedBy]).toEqual([
      'unchanged',
      [],
      'OAuth client Flow editor without publish',
    ]);
  });

  it('a flow of the same name and another type is another flow: created, not updated', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': manifestOf(['q.yaml']),
      'q.yaml': inboundFlow('Main IVR').replace('inboundCall:', 'inboundEmail:'),
    });
    const step = (await librarySession(emu, dir).plan()).steps[0]!;
    expect([step.flowType, step.action, step.flowId]).toEqual(['inboundemail', 'create', undefined]);
  });

  it('an existing flow named with another type is not found', async () => {
    const dir = workspace({
      'flowgate.yaml': "version: 1\nflows:\n  - name: Main IVR\n    type: inboundemail\n    version: '1.0'\n",
    });
    const step = (await librarySession(e.get(), dir).plan()).steps[0]!;
    expect(step.blocked).toEqual([
      { kind: 'not-found', message: "no inboundemail flow named 'Main IVR' in the org" },
    ]);
  });

  it('a file without a flow name is blocked for it, under its file name', async () => {
    const dir = workspace({
      'flowgate.yaml': manifestOf(['nameless.yaml']),
      'nameless.yaml': inboundFlow('X').replace('  name: X\n', ''),
    });
    const step = (await librarySession(e.get(), dir).plan()).steps[0]!;
    expect(step.flowName).toMatch(/nameless\.yaml$/);
    expect(step.blocked).toContainEqual({ kind: 'validation', message: 'the file has no flow name or type' });
  });
});
