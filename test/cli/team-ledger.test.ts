/**
 * A team on one PostgreSQL ledger: real `flowgate deploy` child processes against one emulator and
 * one real PostgreSQL server. Eight deployments at once that overlap in their flows; a runner that
 * holds flows while another deploys different ones; fail-fast naming the holder; a SIGKILLed
 * holder that blocks nobody.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPostgresLedger } from '../../src/ledger/postgres.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { useEmulator } from '../helpers/emulator.js';
import { inboundFlow, publishesOf, workspace } from '../helpers/deploy.js';
import { runCli } from '../helpers/cli.js';
import { postgresDatabase, type TestDatabase } from '../helpers/postgres.js';

const env = (emu: RunningEmulator, db: TestDatabase) => ({
  GENESYSCLOUD_BASE_URL: emu.url,
  GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
  GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
  FLOWGATE_LEDGER_URL: db.url,
  FLOWGATE_LEDGER_PASSWORD: db.password,
});

/** A workspace deploying these flows, each saying which deployment wrote it (so none is unchanged). */
function manifestFor(flows: Array<{ name: string; activateAt?: string }>, author: string): string {
  const files: Record<string, string> = {
    'flowgate.yaml': `version: 1\nflows:\n${flows
      .map((f, i) => `  - file: f${i}.yaml\n${f.activateAt ? `    activateAt: '${f.activateAt}'\n` : ''}`)
      .join('')}`,
  };
  flows.forEach((f, i) => (files[`f${i}.yaml`] = inboundFlow(f.name, { say: `from ${author}` })));
  return workspace(files);
}

/** Starts `flowgate deploy`; resolves `ready` at the first stderr line matching `until`. */
function startDeploy(cwd: string, vars: Record<string, string>, until: RegExp, args: string[] = []) {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(process.cwd(), 'bin/flowgate.js'), 'deploy', ...args],
    {
      cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...vars },
    },
  );
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (until.test(stderr)) resolve();
    });
    child.on('exit', () => reject(new Error(`exited before ${String(until)}:\n${stderr}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stdout!.resume();
  return { child, ready, exited, stderr: () => stderr };
}

describe('a team ledger on PostgreSQL (child processes)', () => {
  const e = useEmulator({ settings: { operationDelayMs: 20, jobDelayMs: 30 } });

  it('8 deployments from 8 processes at once, overlapping in their flows: each flow published once per owner, never two at a time, the history complete', async () => {
    const emu = e.get();
    const db = await postgresDatabase();
    const names = Array.from({ length: 8 }, (_, k) => `Team Flow ${k}`);
    // Deployment i owns flows i, i+1 and i+3 (mod 8): every flow has three owners, and some
    // deployments share nothing (0 and 4), so both waiting and running side by side happen.
    const owners = Array.from({ length: 8 }, (_, i) => [i, (i + 1) % 8, (i + 3) % 8]);
    const dirs = owners.map((flows, i) =>
      manifestFor(
        flows.map((k) => ({ name: names[k]! })),
        `deployment ${i}`,
      ),
    );
    const runs = await Promise.all(
      dirs.map((cwd) =>
        runCli(['deploy', '--concurrency', '2', '--lock-timeout', 'PT5M'], {
          cwd,
          env: env(emu, db),
          timeoutMs: 170_000,
        }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);

    // The org's own record: one successful publish of every flow per owner.
    const ownersOf = (k: number) => owners.filter((flows) => flows.includes(k)).length;
    for (const [k, name] of names.entries()) expect(publishesOf(emu, name), name).toBe(ownersOf(k));
    // Never two at a time: per flow, each import job starts after the one before it finished.
    const jobs = [...emu.control.org.jobs.values()].filter((j) => j.status === 'Success');
    expect(jobs).toHaveLength(owners.flat().length);
    const byFlow = new Map<string, typeof jobs>();
    for (const j of jobs) byFlow.set(j.flowId!, [...(byFlow.get(j.flowId!) ?? []), j]);
    expect(byFlow.size).toBe(names.length);
    for (const list of byFlow.values()) {
      list.sort((a, b) => a.registeredAt - b.registeredAt);
      for (let n = 1; n < list.length; n++)
        expect(list[n]!.registeredAt).toBeGreaterThanOrEqual(list[n - 1]!.finishAt!);
    }
    // Every author's text was published: no deployment's content was lost to another's.
    for (const [i, flows] of owners.entries())
      for (const k of flows) {
        const flow = emu.control.state().flows.find((f) => f.name === names[k]);
        expect(flow!.versions.some((v) => String(v.configuration).includes(`from deployment ${i}`))).toBe(
          true,
        );
      }

    // The shared history: 8 succeeded deployments, 24 published steps, 3 per flow from 3 deployments.
    const ledger = await openPostgresLedger({ url: db.url, password: db.password });
    const deployments = await ledger.listDeployments({ limit: 100 });
    expect(deployments.map((d) => d.status)).toEqual(Array(8).fill('succeeded'));
    for (const name of names) {
      const h = (await ledger.history(`inboundcall:${name}`)).filter((s) => s.state === 'published');
      expect(new Set(h.map((s) => s.deploymentId)).size).toBe(3);
    }
    await ledger.close();
    // Eight processes on a shared 2-core machine: the children's own limit (170 s) decides.
  }, 180_000);

  it('a run holding flows: different flows deploy beside it, the same flow fails fast naming it, and once it is SIGKILLed the next run gets the flow', async () => {
    const emu = e.get();
    const db = await postgresDatabase();
    const vars = env(emu, db);
    // A holds "Shared" and waits for an activation window decades away.
    const a = startDeploy(
      manifestFor([{ name: 'Shared', activateAt: '2099-01-01T00:00:00Z' }], 'A'),
      vars,
      /waiting until 2099/,
    );
    await a.ready;

    const b = await runCli(['deploy'], {
      cwd: manifestFor([{ name: 'Elsewhere' }], 'B'),
      env: vars,
      timeoutMs: 60_000,
    });
    expect(b.code, b.stderr).toBe(0);
    expect(publishesOf(emu, 'Elsewhere')).toBe(1);

    const plan = await runCli(['plan'], { cwd: manifestFor([{ name: 'Shared' }], 'C'), env: vars });
    expect(plan.stdout + plan.stderr).toMatch(/being deployed now by deployment d-\S+ \(\S+ on \S+, since /);

    const c = await runCli(['deploy', '--no-wait'], {
      cwd: manifestFor([{ name: 'Shared' }], 'C'),
      env: vars,
    });
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/LEDGER_LOCKED/);
    expect(c.stderr).toMatch(
      /inboundcall:Shared is being deployed by deployment d-\S+ \(\S+, process \d+ on \S+, since 20\d\d-/,
    );
    expect(c.stderr).not.toContain(db.password);
    expect(publishesOf(emu, 'Shared')).toBe(0);

    // D waits for A; A dies holding the lock; the server ends A's session and D goes on.
    const d = startDeploy(manifestFor([{ name: 'Shared' }], 'D'), vars, /waiting for inboundcall:Shared/, [
      '--lock-timeout',
      'PT5M',
    ]);
    await d.ready;
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    expect((await d.exited).code, d.stderr()).toBe(0);
    expect(publishesOf(emu, 'Shared')).toBe(1);

    // The history says what happened: C cancelled with the holder's name, D succeeded.
    const ledger = await openPostgresLedger({ url: db.url, password: db.password });
    const statuses = (await ledger.listDeployments()).map((x) => x.status).sort();
    expect(statuses).toEqual(['cancelled', 'running', 'succeeded', 'succeeded']);
    await ledger.close();
  });
});
