/**
 * `exportFlows` over real HTTP against the emulator: filters, the version chosen, re-runs that say
 * what changed, a 429 that waits, a transient job failure re-run, a failing flow that fails alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { exportFlows, type ExportOptions } from '../../src/export/export.js';
import { inboundFlow, librarySession, workspace } from '../helpers/deploy.js';
import { clientFor, served, useEmulator } from '../helpers/emulator.js';

const JOB = { intervalMs: 10, maxIntervalMs: 20, retryWaitMs: () => 0 };

function run(emu: RunningEmulator, out: string, o: Partial<ExportOptions> = {}) {
  return exportFlows({ client: clientFor(emu).client, out, job: JOB, ...o });
}
const names = (r: { exported: Array<{ name: string }> }) => r.exported.map((f) => f.name).sort();

describe('flowgate export (library)', () => {
  const e = useEmulator();

  it('filters by type, name glob and division; the published version unless told otherwise', async () => {
    const emu = e.get();
    const out = workspace({});
    expect(names(await run(emu, out, { filter: { types: ['commonmodule'] } }))).toEqual([
      'Authenticate Caller',
      'Business Hours Check',
    ]);
    expect(names(await run(emu, out, { filter: { name: '*ivr' } }))).toEqual(['Main IVR', 'Sales IVR']);
    expect(names(await run(emu, out, { filter: { division: 'support' } }))).toEqual([
      'Business Hours Check',
      'Support Bot',
      'Web Messaging',
    ]);
    const main = await run(emu, out, { filter: { name: 'Main IVR' } });
    expect(main.exported[0]!.version).toBe('3.0');
    expect(readFileSync(join(out, 'inboundcall/main-ivr.yaml'), 'utf8')).toContain('version 3.0');
    const v1 = await run(emu, out, {
      filter: { name: 'Main IVR' },
      choice: { kind: 'version', version: '1.0' },
    });
    expect(v1.exported[0]).toMatchObject({ version: '1.0', change: 'updated' });
    // Sales IVR is checked in as 2.0 and publishes 1.0; Callback Outbound was never published.
    const saved = await run(emu, out, { filter: { name: '*' }, choice: { kind: 'saved' } });
    expect(saved.exported.find((f) => f.name === 'Sales IVR')!.version).toBe('2.0');
    expect(saved.skipped).toEqual([]);
    const published = await run(emu, out, { filter: { types: ['outboundcall'] } });
    expect(published.exported).toEqual([]);
    expect(published.skipped[0]!.reason).toBe(
      'never published (checked in as version 1.0: --saved or --version 1.0 exports it)',
    );
  });

  it('a re-run rewrites only the files whose flow changed, and says which', async () => {
    const emu = e.get();
    const out = workspace({});
    const first = await run(emu, out);
    expect(new Set(first.exported.map((f) => f.change))).toEqual(new Set(['created']));
    const again = await run(emu, out);
    expect(new Set(again.exported.map((f) => f.change))).toEqual(new Set(['unchanged']));
    // Someone publishes a new Main IVR.
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('Main IVR', { say: 'A new greeting' }),
    });
    expect((await librarySession(emu, dir).deploy()).outcome.status).toBe('succeeded');
    const third = await run(emu, out);
    expect(third.exported.filter((f) => f.change !== 'unchanged').map((f) => [f.name, f.change])).toEqual([
      ['Main IVR', 'updated'],
    ]);
    expect(readFileSync(join(out, 'inboundcall/main-ivr.yaml'), 'utf8')).toContain('A new greeting');
  });

  it('429s wait (Retry-After) and never fail the export; every call went through the limiter', async () => {
    const emu = e.get();
    emu.control.addFault({
      method: 'POST',
      path: 'export/jobs$',
      action: 'rate-limit',
      retryAfterSeconds: 0,
      times: 3,
    });
    emu.control.addFault({
      method: 'GET',
      path: 'export/jobs/',
      action: 'rate-limit',
      retryAfterSeconds: 0,
      times: 2,
    });
    const r = await run(emu, workspace({}), { batchSize: 3, concurrency: 2 });
    expect(r.failed).toEqual([]);
    expect(r.exported).toHaveLength(9);
    expect(served(emu, /export\/jobs/).filter((x) => x.status === 429)).toHaveLength(5);
  });

  it("a job that fails with Archy's transient 'exit code: 107' is run again as a new job", async () => {
    const emu = e.get();
    emu.control.failNextExportJobs({ transient: true, times: 2 });
    const r = await run(emu, workspace({}));
    expect(r.failed).toEqual([]);
    expect(r.exported).toHaveLength(9);
    expect(served(emu, /export\/jobs$/, 'POST')).toHaveLength(3);
  });

  it('a job that fails for good is split, so a flow that cannot be exported fails alone', async () => {
    const emu = e.get();
    // The first job (all 9) fails; its halves succeed.
    emu.control.failNextExportJobs({ message: 'Export failed: internal error' });
    const split = await run(emu, workspace({}));
    expect(split.failed).toEqual([]);
    expect(split.exported).toHaveLength(9);
    expect(served(emu, /export\/jobs$/, 'POST')).toHaveLength(3);
    // Every job fails: every flow is reported failed, with the job's message.
    emu.control.failNextExportJobs({ message: 'Export failed: internal error', times: 100 });
    const all = await run(emu, workspace({}), { filter: { types: ['commonmodule'] } });
    expect(all.exported).toEqual([]);
    expect(all.failed.map((f) => [f.name, f.reason])).toEqual([
      ['Authenticate Caller', expect.stringContaining('Export failed: internal error')],
      ['Business Hours Check', expect.stringContaining('Export failed: internal error')],
    ]);
  });
});
