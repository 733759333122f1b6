/**
 * The scenarios of the example flows pass (examples/flows/public with examples/flowgate.yaml, and
 * the demo's flows), and a deliberately broken copy of each flow (a changed queue, a moved key, a
 * changed prompt or value) makes a case fail with the difference said plainly.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/config/manifest.js';
import { findScenarioFiles, runScenarioFiles } from '../../src/scenario/suite.js';

const PUBLIC = 'flows/public';

describe('the example flows’ scenarios', () => {
  it('all pass, with the manifest’s values, and cover every menu, choice and decision they can reach', async () => {
    const manifest = await loadManifest('examples/flowgate.yaml');
    const files = findScenarioFiles(manifest);
    expect(files).toHaveLength(6);
    const report = await runScenarioFiles(files, manifest);
    const failed = report.files.flatMap((f) =>
      f.cases.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${c.message}`),
    );
    expect(failed).toEqual([]);
    expect(report.passed).toBeGreaterThanOrEqual(21);
    // What no case can reach is exactly the two flows' unreachable scaffolding menus (validate says so too).
    const missed = report.coverage.flatMap((c) => c.missed.map((m) => `${c.flow}: ${m.label}`));
    expect(missed.sort()).toEqual([
      "DR-Fallback-IVR: choice 'Disconnect' of 'Main Menu'",
      "DR-Fallback-IVR: menu 'Main Menu'",
      "Holiday_Flow: choice 'Disconnect' of 'Main Menu'",
      "Holiday_Flow: menu 'Main Menu'",
    ]);
  });

  it('the demo flows’ scenarios pass', async () => {
    const dir = 'examples/demo/flows';
    const report = await runScenarioFiles(
      ['main-ivr', 'support-line', 'after-hours'].map((f) => join(dir, `${f}.test.yaml`)),
    );
    expect(report.failed + report.errors).toBe(0);
    expect(report.passed).toBe(6);
  });

  const broken: Array<[string, string, string, string, RegExp]> = [
    [
      'simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0',
      'name: Simple Financial 401K queue',
      'name: Simple Financial IRA queue',
      'pressing 1 reaches the 401K queue',
      /^ends: expected transferToAcd \{queue: Simple Financial 401K queue\}, got transferToAcd \{queue: Simple Financial IRA queue\} at .*SimpleFinancialIvr_v2-0\.yaml:\d+:\d+ \(queue is "Simple Financial IRA queue"\)$/,
    ],
    [
      'architect-flow-public-api-blueprint__archy_flow',
      'targetTaskRef: "/inboundCall/tasks/task[Checking the queues_13]"',
      'targetTaskRef: "/inboundCall/menus/menu[Main Menu_10]"',
      'agents on the queue - the primary queue',
      /^ends: expected transferToAcd \{queue: Primary Queue Example\}, got disconnect \{reason: no choice at menu 'Main Menu' after 4 attempts\}/,
    ],
    [
      'terraform-provider-genesyscloud__holiday_flow',
      'tts: We are closed for the holiday.',
      'tts: We are open.',
      'every caller hears the holiday message, then the call ends',
      /^hears\[1\]: "We are closed for the holiday\." was not heard after \/initial greeting\/i; heard: "Hello, this is the initial greeting\.", "We are open\."$/,
    ],
    [
      'terraform-provider-genesyscloud__inqueuecall_default_example',
      'exp: Flow.HoldPrompt',
      'exp: Flow.QueuePrompt',
      'a waiting caller hears the hold prompt',
      /^hears\[0\]: "PromptSystem\.on_hold_music" was not heard; heard: nothing$/,
    ],
    [
      'dr-fallback-ivr__DR-Fallback-Ivr',
      'name: General Help',
      'name: Sales',
      'callers leave a voicemail for General Help',
      /^ends: expected transferToVoicemail \{queue: General Help\}, got transferToVoicemail \{to: queue, queue: Sales\}/,
    ],
    [
      'ani-blacklist__blacklist-workflow',
      'lit: "True"',
      'lit: "False"',
      'a blacklisted number is marked',
      /^participantData: TECH_Blacklisted is "False", expected "True"$/,
    ],
  ];

  it.each(broken)(
    'a broken copy of %s fails a case with a clear difference',
    async (stem, from, to, caseName, difference) => {
      const dir = mkdtempSync(join(tmpdir(), 'flowgate-broken-'));
      cpSync('examples', dir, { recursive: true });
      const ext = stem.includes('archy_flow') ? 'yml' : 'yaml';
      const file = join(dir, PUBLIC, `${stem}.${ext}`);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(from);
      writeFileSync(file, text.replace(from, to));
      const manifest = await loadManifest(join(dir, 'flowgate.yaml'));
      const report = await runScenarioFiles([join(dir, PUBLIC, `${stem}.test.yaml`)], manifest);
      const c = report.files[0]!.cases.find((x) => x.name === caseName)!;
      expect(c.status).toBe('fail');
      expect(c.message).toMatch(difference);
    },
  );

  it('a broken copy of the demo’s main IVR (sales moved to 3) fails its sales case', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-broken-'));
    cpSync('examples/demo/flows', dir, { recursive: true });
    const file = join(dir, 'main-ivr.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('dtmf: digit_2', 'dtmf: digit_3'));
    const report = await runScenarioFiles([join(dir, 'main-ivr.test.yaml')]);
    const c = report.files[0]!.cases.find((x) => x.name === 'sales')!;
    expect(c.message).toMatch(
      /^ends: expected transferToAcd \{queue: Sales\}, got disconnect \{reason: no choice at menu 'Main menu' after 4 attempts\}/,
    );
  });
});
