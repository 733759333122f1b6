/**
 * A run's coverage lists each flow file once: a flow reached through a transfer (read with the
 * manifest's values) and tested by its own scenario file (read with the scenario's
 * `substitutions:`) is one flow, whatever values each read it with.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/config/manifest.js';
import { runScenarioFiles } from '../../src/scenario/suite.js';

function demoFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-coverage-'));
  cpSync('examples/demo/flows', join(dir, 'flows'), { recursive: true });
  writeFileSync(
    join(dir, 'flowgate.yaml'),
    `version: 1
substitutions: { company: Flowgate Demo, support_queue: Support }
flows:
  - file: flows/main-ivr.yaml
  - file: flows/support-line.yaml
  - file: flows/after-hours.yaml
`,
  );
  return dir;
}

describe('coverage of a run', () => {
  it('lists a flow once when one case reaches it by a transfer and its own scenario file tests it', async () => {
    const dir = demoFolder();
    const manifest = await loadManifest(join(dir, 'flowgate.yaml'));
    const report = await runScenarioFiles(
      [join(dir, 'flows/main-ivr.test.yaml'), join(dir, 'flows/support-line.test.yaml')],
      manifest,
    );
    expect(report.failed + report.errors).toBe(0);
    const files = report.coverage.map((c) => c.file);
    expect(files).toEqual([...new Set(files)]);
    const support = report.coverage.filter((c) => c.flow === 'Demo Support Line');
    expect(support).toHaveLength(1);
    // What either reached counts: the items are the flow's, once each.
    const keys = support[0]!.items.map((i) => i.key);
    expect(keys).toEqual([...new Set(keys)]);
    expect(support[0]!.missed).toEqual([]);
    expect(support[0]!.exercised.length).toBe(support[0]!.items.length);
  });

  it('lists a flow once when two scenario files name it with other values and another spelling of its path', async () => {
    const dir = demoFolder();
    writeFileSync(
      join(dir, 'flows/sales.test.yaml'),
      `flow: ./../flows/main-ivr.yaml
substitutions: { company: Other Co }
cases:
  - name: sales
    input: [dtmf: 2]
    expect:
      ends: { transferToAcd: { queue: Sales } }
`,
    );
    const manifest = await loadManifest(join(dir, 'flowgate.yaml'));
    const report = await runScenarioFiles(
      [join(dir, 'flows/main-ivr.test.yaml'), join(dir, 'flows/sales.test.yaml')],
      manifest,
    );
    expect(report.failed + report.errors).toBe(0);
    const main = report.coverage.filter((c) => c.flow === 'Main IVR');
    expect(main).toHaveLength(1);
    expect(main[0]!.file).toBe(report.files[0]!.flowFile);
  });
});
