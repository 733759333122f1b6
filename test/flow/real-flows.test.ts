import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { validateFlows } from '../../src/flow/validate.js';

const dir = 'examples/flows/public';
const substitutions = parse(readFileSync('examples/substitutions.yaml', 'utf8')) as Record<string, string>;

async function check(name: string) {
  const report = await validateFlows([`${dir}/${name}`], { substitutions });
  return { report, graph: report.files[0]!.graph!, diags: report.diagnostics };
}

describe('the six real public flows (shared/flows/SOURCES.md)', () => {
  it('holiday_flow: the menu Main Menu_10 is unreachable, nothing else is wrong', async () => {
    const { report, graph, diags } = await check('terraform-provider-genesyscloud__holiday_flow.yaml');
    expect(report.summary.errors).toBe(0);
    expect(graph.flowType).toBe('inboundcall');
    expect(graph.name).toBe('Holiday_Flow');
    expect(graph.division).toBe('Home');
    const unreachable = diags.filter((d) => d.code === 'unreachable');
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]!.message).toContain('Main Menu_10');
    expect(unreachable[0]!.line).toBe(86);
    expect(diags.map((d) => d.code)).toEqual(['unreachable']);
  });

  it('inqueuecall_default_example: no startUpRef, the start-up actions repeat; no errors', async () => {
    const { report, graph, diags } = await check(
      'terraform-provider-genesyscloud__inqueuecall_default_example.yaml',
    );
    expect(report.summary.errors).toBe(0);
    expect(graph.rootKey).toBe('inqueueCall');
    expect(graph.types).toContain('holdMusic');
    expect(diags.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(graph.references).toContainEqual(
      expect.objectContaining({ kind: 'prompt', name: 'PromptSystem.on_hold_music' }),
    );
  });

  it('SimpleFinancialIvr: a menu-only IVR with queue dependencies by name', async () => {
    const { report, graph, diags } = await check(
      'simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0.yaml',
    );
    expect(report.summary.errors).toBe(0);
    expect(report.summary.warnings).toBe(0);
    const queues = graph.references.filter((r) => r.kind === 'queue').map((r) => r.name);
    expect(queues).toEqual(['Simple Financial 401K queue', 'Simple Financial IRA queue']);
    expect(diags.every((d) => d.severity === 'info')).toBe(true);
  });

  it('DR-Fallback-Ivr: unresolved tokens without values, an unreachable menu, and a voicemail failure branch', async () => {
    const bare = await validateFlows([`${dir}/dr-fallback-ivr__DR-Fallback-Ivr.yaml`]);
    const tokens = bare.diagnostics.filter((d) => d.code === 'unresolved-substitution');
    expect(tokens.map((d) => [d.message, d.line, d.column])).toEqual([
      ["substitution '{{ ivr_callback }}' has no value", 13, 10],
      ["substitution '{{ ivr_failure }}' has no value", 142, 32],
    ]);
    const { report, graph, diags } = await check('dr-fallback-ivr__DR-Fallback-Ivr.yaml');
    expect(report.summary.errors).toBe(0);
    expect(diags.map((d) => d.code)).toEqual(['unreachable']);
    expect(diags[0]!.message).toContain('Main Menu_10');
    expect(graph.types).toContain('transferToVoicemail');
    expect(graph.references).toContainEqual(expect.objectContaining({ kind: 'queue', name: 'General Help' }));
  });

  it('archy_flow: menuJumpToTask with an absolute ref, findQueue, callData outputs, decisions; no findings but the menu loop', async () => {
    const { report, graph, diags } = await check('architect-flow-public-api-blueprint__archy_flow.yml');
    expect(report.summary.errors).toBe(0);
    expect(report.summary.warnings).toBe(0);
    expect(graph.types).toEqual(
      expect.arrayContaining(['findQueue', 'callData', 'decision', 'transferToAcd']),
    );
    expect(diags.every((d) => d.severity === 'info')).toBe(true);
    expect(graph.references.some((r) => r.kind === 'dataAction')).toBe(true);
  });

  it('the catalogue knows every action and menu choice of the real flows and the demo (no unknown-action)', async () => {
    const files = [
      ...readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f))
        .map((f) => `${dir}/${f}`),
      ...readdirSync('examples/demo/flows')
        .filter((f) => !/\.test\.ya?ml$/.test(f))
        .map((f) => `examples/demo/flows/${f}`),
    ];
    const report = await validateFlows(files, { substitutions });
    expect(files.length).toBe(9);
    expect(report.diagnostics.filter((d) => d.code === 'unknown-action')).toEqual([]);
  });

  it('blacklist-workflow: states, a quoted "no" output, substituted keys; data table and data action references', async () => {
    const { report, graph } = await check('ani-blacklist__blacklist-workflow.yaml');
    expect(report.summary.errors).toBe(0);
    expect(graph.flowType).toBe('workflow');
    expect(graph.name).toBe('ANI Blacklist Workflow');
    expect(graph.kinds).toContain('state');
    expect(graph.references).toContainEqual(
      expect.objectContaining({ kind: 'dataTable', name: 'ANI Blacklist' }),
    );
    expect(graph.references).toContainEqual(
      expect.objectContaining({ kind: 'dataAction', name: 'Genesys Cloud Data Actions/Get Conversation' }),
    );
  });
});
