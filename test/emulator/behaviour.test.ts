import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFor, flowId, useEmulator, FAST } from '../helpers/emulator.js';
import { DEFAULT_SEED_PATH, readSeed, startEmulator } from '../../src/emulator/server.js';
import { SimClock } from '../../src/emulator/clock.js';
import { OperationFailedError } from '../../src/platform/errors.js';

const iso = (t: number) => new Date(t).toISOString();

describe('emulator behaviour through the platform client', () => {
  const e = useEmulator();

  it('lists every page with type filters (lowercase in the query, UPPERCASE in bodies)', async () => {
    const { client } = clientFor(e.get());
    const all = await client.flows.list({ pageSize: 3 });
    // Every flow of the seed, over pages of three.
    const seeded = readSeed(DEFAULT_SEED_PATH).flows!.map((f) => f.name);
    expect(all.map((f) => f.name).sort()).toEqual([...seeded].sort());
    expect(new Set(all.map((f) => f.id)).size).toBe(seeded.length);
    const calls = await client.flows.list({ type: ['INBOUNDCALL', 'commonmodule'] });
    expect(new Set(calls.map((f) => f.type))).toEqual(new Set(['INBOUNDCALL', 'COMMONMODULE']));
    expect(await client.flows.findByName('Main', 'inboundcall')).toBeUndefined();
    expect((await client.flows.findByName('Main IVR', 'inboundcall'))?.name).toBe('Main IVR');
  });

  it('versions carry datePublished/datePublishedEnd; publish moves the published version', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Authenticate Caller');
    const versions = await client.flows.versions(id);
    expect(versions.map((v) => v.id)).toEqual(['1.0', '2.0']);
    expect(versions[0]!.datePublishedEnd).toBe(versions[1]!.datePublished);
    const op = await client.flows.publish(id, '1.0');
    expect(op.complete).toBe(false);
    await client.flows.followOperation(id, op.id);
    const flow = await client.flows.get(id);
    expect(flow.publishedVersion?.id).toBe('1.0');
    // 2.0's span ends the moment 1.0's begins: when the publish completed (its audit entry).
    const after = await client.flows.versions(id);
    const completed = emu.control
      .state()
      .audits.filter((a) => a.entityId === id && a.action === 'Publish')
      .at(-1)!;
    expect(after.find((v) => v.id === '2.0')!.datePublishedEnd).toBe(completed.eventDate);
    expect(after.find((v) => v.id === '1.0')).toMatchObject({ datePublished: completed.eventDate });
    expect(after.find((v) => v.id === '1.0')!.datePublishedEnd).toBeUndefined();
  });

  it('a configured publish failure ends the operation in FAILURE with errorCode and errorDetails', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Web Messaging');
    emu.control.failPublishes(id, 1);
    const op = await client.flows.publish(id);
    const err = await client.flows.followOperation(id, op.id).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect((err as OperationFailedError).errorCode).toBe(
      'architect.flow.cannot.publish.missing.dependencies',
    );
    expect((err as OperationFailedError).errorDetails.length).toBeGreaterThan(0);
    const again = await client.flows.publish(id);
    expect((await client.flows.followOperation(id, again)).actionStatus).toBe('SUCCESS');
  });

  it('another user takes a lock at a given moment', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Support Bot');
    // The simulated clock stands still: "60 ms from now" comes when the test says, not when a
    // loaded machine lets it.
    emu.control.setClock({ speed: 0 });
    emu.control.lockByUser(id, 'Sam Supervisor', 60);
    await client.flows.checkout(id);
    await client.flows.unlock(id);
    emu.control.setClock({ advanceMs: 80 });
    const err = (await client.flows.checkout(id).catch((x: unknown) => x)) as {
      apiCode: string;
      hint: string;
    };
    expect(err.apiCode).toBe('architect.flow.locked.by.user');
    expect(err.hint).toContain('Sam Supervisor');
  });

  it('import jobs: a YAML that does not parse fails with a message naming the line; a locked flow fails', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const err = (await client.jobs
      .importYaml('inboundCall:\n  name: Broken\n  tasks: [\n  defaultLanguage: en-us\n')
      .catch((x: unknown) => x)) as OperationFailedError;
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err.message).toMatch(/line 4/);
    const yaml = readFileSync(
      'examples/flows/public/simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0.yaml',
      'utf8',
    );
    const ok = await client.jobs.importYaml(yaml);
    expect(ok.status).toBe('Success');
    const created = await client.flows.get(ok.flow!.id!);
    expect(created).toMatchObject({ name: 'SimpleFinancialIvr', type: 'INBOUNDCALL' });
    expect(created.publishedVersion?.id).toBe('1.0');
    emu.control.lockByUser(created.id, 'Alex Designer');
    const locked = (await client.jobs.importYaml(yaml).catch((x: unknown) => x)) as OperationFailedError;
    expect(locked.message).toContain('locked by another entity');
    emu.control.failNextJob('Archy failed: exit code: 107');
    await client.flows.unlock(created.id);
    expect(((await client.jobs.importYaml(yaml).catch((x: unknown) => x)) as Error).message).toContain(
      'exit code: 107',
    );
  });

  it('analytics: executions belong to the version published when they started; deterministic; empty buckets left out', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const id = flowId(emu, 'Main IVR');
    const now = Date.now();
    // Main IVR: 2.0 from 72 h to 20 h ago, then 3.0; 20 executions a minute.
    const q = {
      interval: `${iso(now - 24 * 3600e3)}/${iso(now - 16 * 3600e3)}`,
      granularity: 'PT1H',
      groupBy: ['flowVersion'],
      filter: { type: 'and' as const, predicates: [{ dimension: 'flowId', value: id }] },
      metrics: ['nFlow', 'nFlowOutcomeFailed'],
    };
    const a = await client.analytics.flowAggregates(q);
    const b = await client.analytics.flowAggregates(q);
    expect(a).toEqual(b);
    const byVersion = Object.fromEntries((a.results ?? []).map((r) => [r.group!.flowVersion, r.data!]));
    expect(Object.keys(byVersion).sort()).toEqual(['2.0', '3.0']);
    const total = (v: string): number => {
      let sum = 0;
      for (const d of byVersion[v]!)
        sum += d.metrics.find((m: { metric: string }) => m.metric === 'nFlow')?.stats?.count ?? 0;
      return sum;
    };
    // 4 hours on each version at ~20/min ≈ 4800 each.
    expect(total('2.0')).toBeGreaterThan(4000);
    expect(total('3.0')).toBeGreaterThan(4000);
    expect(byVersion['2.0']!.length).toBeLessThanOrEqual(5);
    const empty = await client.analytics.flowAggregates({
      ...q,
      interval: `${iso(now - 1000 * 3600e3)}/${iso(now - 999 * 3600e3)}`,
    });
    expect(empty.results ?? []).toEqual([]);
  });

  it('analytics: a version whose configuration sets no outcome records none, whatever its failure probability', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    // The In-Queue Flow's version is a real Archy YAML (terraform-provider-genesyscloud's example): no outcome actions.
    const id = flowId(emu, 'In-Queue Flow');
    emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 50, failureProbability: 0.5, version: '1.0' });
    const now = Date.now();
    const r = await client.analytics.flowAggregates({
      interval: `${iso(now - 5 * 3600e3)}/${iso(now - 3600e3)}`,
      groupBy: ['flowId'],
      filter: { type: 'and', predicates: [{ dimension: 'flowId', value: id }] },
      metrics: ['nFlow', 'nFlowOutcome', 'nFlowOutcomeFailed'],
    });
    const m = r.results![0]!.data![0]!.metrics;
    expect(m.find((x) => x.metric === 'nFlow')!.stats!.count!).toBeGreaterThan(10_000);
    expect(m.map((x) => x.metric)).toEqual(['nFlow']);
  });

  it('audits record every state change, query asynchronously and page by cursor', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const authenticate = flowId(emu, 'Authenticate Caller');
    for (const version of ['1.0', '2.0'])
      await client.flows.followOperation(authenticate, await client.flows.publish(authenticate, version));
    const web = flowId(emu, 'Web Messaging');
    emu.control.failPublishes(web, 1);
    await client.flows.followOperation(web, await client.flows.publish(web)).catch(() => undefined);
    await client.flows.checkout(web);
    const now = emu.control.org.now();
    const entries = await client.audits.query(
      {
        interval: `${iso(now - 3600e3)}/${iso(now + 3600e3)}`,
        serviceName: 'Architect',
        filters: [{ property: 'Action', value: 'Publish' }],
      },
      { pageSize: 2 },
    );
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(
      entries.every(
        (x) => x.action === 'Publish' && x.entityType === 'Flow' && x.serviceName === 'Architect',
      ),
    ).toBe(true);
    expect(new Set(entries.map((x) => x.id)).size).toBe(entries.length);
    expect(entries.some((x) => x.status === 'FAILURE')).toBe(true);
    const rt = await client.audits.realtime({
      interval: `${iso(now - 3600e3)}/${iso(now + 3600e3)}`,
      serviceName: 'Architect',
      filters: [{ property: 'Action', value: 'Checkout' }],
      pageSize: 100,
    });
    expect(rt.length).toBeGreaterThan(0);
  });

  it('a simulated clock runs at its speed (60 times real time here), freezes, and jumps only forward', () => {
    let real = Date.parse('2030-01-07T09:00:00Z');
    const clock = new SimClock(60, () => real);
    const start = clock.now();
    real += 1000;
    expect(clock.now() - start).toBe(60_000);
    clock.setSpeed(0);
    real += 5000;
    expect(clock.now() - start).toBe(60_000);
    clock.advance(3_600_000);
    expect(clock.now() - start).toBe(3_660_000);
    clock.setSpeed(2);
    real += 500;
    expect(clock.now() - start).toBe(3_661_000);
    clock.advanceTo(start); // the past stays the past
    expect(clock.now() - start).toBe(3_661_000);
    // The emulator's control moves the org's clock the same way: frozen, an hour's jump is an hour.
    const emu = e.get();
    const before = Date.parse(emu.control.setClock({ speed: 0 }).now);
    const after = Date.parse(emu.control.setClock({ advanceMs: 3_600_000 }).now);
    expect(after - before).toBe(3_600_000);
  });
});

describe('emulator state and seeds', () => {
  it('saves its state to a file on stop and loads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-emu-'));
    const statePath = join(dir, 'state.json');
    const a = await startEmulator({ statePath, settings: FAST, clientSecret: 'given-secret' });
    const { client } = clientFor(a);
    await client.flows.unlock(flowId(a, 'Sales IVR'));
    await a.stop();
    expect(existsSync(statePath)).toBe(true);
    expect(readFileSync(statePath, 'utf8')).not.toContain('"lock"');
    expect(readFileSync(statePath, 'utf8')).not.toContain('given-secret');
    const b = await startEmulator({ statePath, settings: FAST, clientSecret: 'given-secret' });
    expect(b.control.state().flows.find((f) => f.name === 'Sales IVR')!.lock).toBeUndefined();
    expect(b.control.state().audits.some((x) => x.action === 'Unlock')).toBe(true);
    await b.stop();
  });

  it('rejects an invalid seed with the field that is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-seed-'));
    writeFileSync(join(dir, 'seed.yaml'), 'flows:\n  - name: X\n    type: INBOUNDCALL\n    versions: nope\n');
    await expect(startEmulator({ seed: join(dir, 'seed.yaml') })).rejects.toThrow(/flows\.0\.versions/);
    writeFileSync(join(dir, 'seed.yaml'), 'flows:\n  - name: X\n    type: INBOUNDMESSAGE\n');
    await expect(startEmulator({ seed: join(dir, 'seed.yaml') })).rejects.toThrow(
      /flows\.0\.type: unknown flow type/,
    );
  });
});

describe('faults from the seed', () => {
  it('a seed can start the emulator with faults active', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-seedfault-'));
    writeFileSync(
      join(dir, 'seed.yaml'),
      "flows:\n  - name: X\n    type: INBOUNDCALL\nfaults:\n  - path: '^/api/v2/flows$'\n    sequence: [503, pass, 429]\n    retryAfterSeconds: 0\n",
    );
    const emu = await startEmulator({ seed: join(dir, 'seed.yaml'), settings: FAST });
    try {
      const { client, calls } = clientFor(emu);
      expect((await client.flows.list()).map((f) => f.name)).toEqual(['X']);
      expect(calls.at(-1)).toMatchObject({ attempts: 2 });
      expect((await client.flows.list()).length).toBe(1);
      expect(calls.at(-1)).toMatchObject({ attempts: 2, totalRetryDelayMs: 0 });
      const gone = await client.flows.get('nope').catch((x: unknown) => x);
      expect(gone).toMatchObject({ status: 404 });
    } finally {
      await emu.stop();
    }
  });

  it('410 for a deleted flow, with its own code and hint', async () => {
    const emu = await startEmulator({ settings: FAST });
    try {
      const { client } = clientFor(emu);
      const id = flowId(emu, 'Callback Outbound');
      await client.request('DELETE', `/api/v2/flows/${id}`);
      const err = (await client.flows.get(id).catch((x: unknown) => x)) as {
        status: number;
        code: string;
        apiCode: string;
      };
      expect(err).toMatchObject({ status: 410, code: 'API_GONE', apiCode: 'architect.flow.deleted' });
    } finally {
      await emu.stop();
    }
  });
});

describe('seed configurations from Archy files', () => {
  it('a seeded version can carry a real Archy YAML as its configuration', async () => {
    const emu = await startEmulator({ settings: FAST });
    try {
      const { client } = clientFor(emu);
      const config = (await client.flows.latestConfiguration(flowId(emu, 'Holiday_Flow'))) as {
        format: string;
        yaml: string;
      };
      expect(config.format).toBe('archy-yaml');
      expect(config.yaml).toContain('name: Holiday_Flow');
      expect(config.yaml).toBe(
        readFileSync('examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml', 'utf8'),
      );
    } finally {
      await emu.stop();
    }
  });

  it('a missing configuration file is a seed error naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-seedcfg-'));
    writeFileSync(
      join(dir, 'seed.yaml'),
      'flows:\n  - name: X\n    type: INBOUNDCALL\n    versions:\n      - configurationFile: nope.yaml\n',
    );
    await expect(startEmulator({ seed: join(dir, 'seed.yaml') })).rejects.toThrow(
      /flows\.0\.versions\.0\.configurationFile: cannot read nope\.yaml/,
    );
  });
});
