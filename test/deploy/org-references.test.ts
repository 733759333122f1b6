/**
 * Issue 25: the org objects flows name, checked over HTTP against the emulator through the
 * library: found and missing per kind, names substituted per environment with where their value
 * came from, "did you mean", one listing per kind however many references, a 429 inside a listing.
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployment, loadDeploymentFlows } from '../../src/config/deployment.js';
import { checkOrgReferences, OrgObjectCache } from '../../src/deploy/org-references.js';
import type { Seed } from '../../src/emulator/seed.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { workspace } from '../helpers/deploy.js';

/** A small org: the objects of each kind a test names, a few near misses for suggestions. */
const SEED: Seed = {
  org: { name: 'Test Org' },
  divisions: ['Home', 'Support'],
  users: ['Alex Designer', 'Sam Supervisor'],
  objects: {
    queues: [
      { name: 'Support', division: 'Support' },
      'Sales',
      { name: 'Support-Test', division: 'Support' },
    ],
    dataActions: [
      { name: 'Get Account', integration: 'Web Services' },
      { name: 'Verify Card', integration: 'Payments', secure: true },
    ],
    dataTables: [{ name: 'Holidays', columns: ['date'] }],
    prompts: [{ name: 'Welcome', languages: ['en-us'] }],
    systemPrompts: [{ name: 'digit_1', languages: ['en-us'] }],
    scheduleGroups: ['Main Hours'],
    emergencyGroups: ['Weather Closure'],
    schedules: ['Weekdays'],
    skills: ['Billing'],
    languages: ['English'],
    wrapupCodes: ['Resolved'],
    groups: ['Tier 2'],
    outcomes: ['Authenticated'],
    milestones: ['Menu Reached'],
  },
};

/** A flow whose one task uses what `actions` says (YAML lines at the actions' indentation). */
function flow(name: string, actions: string, division = 'Home'): string {
  return `inboundCall:
  name: ${name}
  division: ${division}
  defaultLanguage: en-us
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
${actions}          - disconnect:
              name: Bye
`;
}

const transferToAcd = (queue: string, n = 1) => `          - transferToAcd:
              name: To queue ${n}
              targetQueue:
                lit:
                  name: ${queue}
`;

async function check(emu: RunningEmulator, dir: string, env?: string) {
  const deployment = await loadDeployment(join(dir, 'flowgate.yaml'), env ? { env } : {});
  const loaded = await loadDeploymentFlows(deployment);
  const { client, calls } = clientFor(emu);
  const report = await checkOrgReferences(loaded, {
    org: 'Test Org',
    cache: new OrgObjectCache(client.objects),
    inputs: deployment.inputs,
  });
  return { report, calls };
}

describe('org objects a flow names, against the emulator', () => {
  const e = useEmulator({ seed: SEED });

  it('finds what exists and reports what does not, at the reference, kind by kind', async () => {
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: ok.yaml\n  - file: bad.yaml\n',
      'ok.yaml': flow(
        'Uses existing',
        `${transferToAcd('Sales')}          - callData:
              name: Account
              category:
                Web Services:
                  dataAction:
                    Get Account: {}
          - dataTableLookup:
              name: Holiday?
              lookupValue:
                lit: today
              dataTable:
                Holidays: {}
          - evaluateScheduleGroup:
              name: Open?
              scheduleGroup:
                lit:
                  name: Main Hours
              emergencyGroup:
                lit:
                  name: Weather Closure
`,
      ),
      'bad.yaml': flow(
        'Uses missing',
        `${transferToAcd('Nope')}          - callData:
              name: Account
              category:
                Web Services:
                  dataAction:
                    Get Acount: {}
          - dataTableLookup:
              name: Holiday?
              lookupValue:
                lit: today
              dataTable:
                Holiday: {}
          - evaluateScheduleGroup:
              name: Open?
              scheduleGroup:
                lit:
                  name: Main Hour
              emergencyGroup:
                lit:
                  name: Snow
`,
      ),
    });
    const { report } = await check(e.get(), dir);
    const [ok, bad] = report.flows;
    expect(ok!.objects.map((o) => [o.kind, o.name, o.state])).toEqual([
      ['queue', 'Sales', 'found'],
      ['dataAction', 'Web Services/Get Account', 'found'],
      ['dataTable', 'Holidays', 'found'],
      ['scheduleGroup', 'Main Hours', 'found'],
      ['emergencyGroup', 'Weather Closure', 'found'],
    ]);
    expect(bad!.objects.map((o) => [o.kind, o.name, o.state, o.suggestions])).toEqual([
      ['queue', 'Nope', 'missing', []],
      ['dataAction', 'Web Services/Get Acount', 'missing', ['Web Services/Get Account']],
      ['dataTable', 'Holiday', 'missing', ['Holidays']],
      ['scheduleGroup', 'Main Hour', 'missing', ['Main Hours']],
      ['emergencyGroup', 'Snow', 'missing', []],
    ]);
    const errors = report.diagnostics.filter((d) => d.code === 'missing-object');
    expect(errors.map((d) => [basename(d.file), d.line])).toEqual([
      ['bad.yaml', 14],
      ['bad.yaml', 21],
      ['bad.yaml', 27],
      ['bad.yaml', 31],
      ['bad.yaml', 34],
    ]);
    expect(errors[0]!.message).toBe(
      "transferToAcd uses queue 'Nope', which does not exist in org 'Test Org'",
    );
    expect(errors[2]!.message).toContain(
      "data table 'Holiday', which does not exist in org 'Test Org'; did you mean 'Holidays'?",
    );
    expect(report.diagnostics.filter((d) => basename(d.file) === 'ok.yaml')).toEqual([]);
  });

  it('the other kinds: schedules, skills, language skills, wrap-up codes, users, groups, outcomes, milestones, prompts in expressions', async () => {
    const uses = (v: Record<string, string>) => `          - transferToAcd:
              name: Queue
              targetQueue:
                lit:
                  name: Sales
              skills:
                - lit:
                    name: ${v.skill}
              languageSkill:
                lit:
                  name: ${v.language}
          - evaluateSchedule:
              name: Open?
              schedule:
                lit:
                  name: ${v.schedule}
          - setWrapupCode:
              name: Wrap
              wrapupCode:
                lit:
                  name: ${v.wrapup}
          - transferToUser:
              name: To user
              targetUser:
                lit:
                  name: ${v.user}
          - transferToGroup:
              name: To group
              targetGroup:
                lit:
                  name: ${v.group}
          - initializeFlowOutcome:
              name: Outcome
              flowOutcome:
                lit:
                  name: ${v.outcome}
          - addFlowMilestone:
              name: Milestone
              flowMilestone:
                lit:
                  name: ${v.milestone}
          - playAudio:
              name: Hello
              audio:
                exp: Append(ToAudio(Prompt.${v.prompt}), ToAudio(PromptSystem.${v.system}))
`;
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: ok.yaml\n  - file: bad.yaml\n',
      'ok.yaml': flow(
        'Found',
        uses({
          skill: 'Billing',
          language: 'English',
          schedule: 'Weekdays',
          wrapup: 'Resolved',
          user: 'Sam Supervisor',
          group: 'Tier 2',
          outcome: 'Authenticated',
          milestone: 'Menu Reached',
          prompt: 'Welcome',
          system: 'digit_1',
        }),
      ),
      'bad.yaml': flow(
        'Missing',
        uses({
          skill: 'Biling',
          language: 'Englsh',
          schedule: 'Weekday',
          wrapup: 'Resolve',
          user: 'Sam Supervisr',
          group: 'Tier 3',
          outcome: 'Authenticate',
          milestone: 'Menu',
          prompt: 'Welcom',
          system: 'digit_2',
        }),
      ),
    });
    const { report, calls } = await check(e.get(), dir);
    const kinds = [
      'queue',
      'skill',
      'language',
      'schedule',
      'wrapupCode',
      'user',
      'group',
      'outcome',
      'milestone',
      'prompt',
      'systemPrompt',
    ];
    expect(report.flows[0]!.objects.map((o) => [o.kind, o.state])).toEqual(kinds.map((k) => [k, 'found']));
    expect(report.flows[1]!.objects.map((o) => [o.kind, o.name, o.state, o.suggestions])).toEqual([
      ['queue', 'Sales', 'found', undefined],
      ['skill', 'Biling', 'missing', ['Billing']],
      ['language', 'Englsh', 'missing', ['English']],
      ['schedule', 'Weekday', 'missing', ['Weekdays']],
      ['wrapupCode', 'Resolve', 'missing', ['Resolved']],
      ['user', 'Sam Supervisr', 'missing', ['Sam Supervisor']],
      ['group', 'Tier 3', 'missing', ['Tier 2']],
      ['outcome', 'Authenticate', 'missing', ['Authenticated']],
      ['milestone', 'Menu', 'missing', ['Menu Reached']],
      ['prompt', 'Welcom', 'missing', ['Welcome']],
      ['systemPrompt', 'digit_2', 'missing', ['digit_1']],
    ]);
    expect(report.diagnostics.filter((d) => d.code === 'missing-object')).toHaveLength(10);
    // Eleven kinds, eleven requests: the users and groups through their searches.
    expect(calls).toHaveLength(11);
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(
      expect.arrayContaining(['/api/v2/users/search', '/api/v2/groups/search']),
    );
  });

  it('what exists but cannot serve: a data action that is not secure, a column the table lacks, a prompt without a language, a queue of another division', async () => {
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': flow(
        'Unfit',
        `${transferToAcd('Support')}          - callDataSecure:
              name: Account
              category:
                Web Services:
                  dataAction:
                    Get Account: {}
          - callDataSecure:
              name: Card
              category:
                Payments:
                  dataAction:
                    Verify Card: {}
          - dataTableLookup:
              name: Holiday?
              lookupValue:
                lit: today
              dataTable:
                Holidays:
                  foundOutputs:
                    date:
                      var: Flow.date
                    message:
                      var: Flow.message
          - playAudio:
              name: Hello
              audio:
                exp: ToAudio(Prompt.Welcome)
`,
      ).replace(
        '  defaultLanguage: en-us\n',
        '  defaultLanguage: en-us\n  supportedLanguages:\n    en-us: {}\n    es-us: {}\n',
      ),
    });
    const { report } = await check(e.get(), dir);
    expect(report.flows[0]!.objects.map((o) => [o.kind, o.name, o.state, o.reasons])).toEqual([
      ['queue', 'Support', 'found', ["is in division 'Support', the flow in 'Home'"]],
      [
        'dataAction',
        'Web Services/Get Account',
        'unusable',
        ['is not secure, and callDataSecure needs a secure data action'],
      ],
      ['dataAction', 'Payments/Verify Card', 'found', undefined],
      ['dataTable', 'Holidays', 'unusable', ["has no column 'message' (its columns: key, date)"]],
      ['prompt', 'Welcome', 'found', ['has no audio or TTS for es-us, which the flow supports']],
    ]);
    expect(report.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['unusable-object', 'warning'],
      ['unusable-object', 'error'],
      ['unusable-object', 'error'],
      ['unusable-object', 'warning'],
    ]);
  });

  it('a name substituted per environment: found in one, missing in the other with the token and its origin', async () => {
    const dir = workspace({
      'flowgate.yaml': `version: 1
substitutions: { queue: Support }
environments:
  test: { substitutions: { queue: Support-Test } }
  prod: { substitutions: { queue: Support-Prod } }
flows:
  - file: line.yaml
`,
      'line.yaml': flow('Line', transferToAcd('{{ queue }}'), 'Support'),
    });
    const test = await check(e.get(), dir, 'test');
    expect(test.report.flows[0]!.objects[0]).toMatchObject({
      name: 'Support-Test',
      state: 'found',
      from: [
        { token: 'queue', value: 'Support-Test', origin: expect.stringContaining('(environments.test)') },
      ],
    });
    expect(test.report.diagnostics).toEqual([]);
    const prod = await check(e.get(), dir, 'prod');
    const [d] = prod.report.diagnostics;
    expect(d).toMatchObject({
      code: 'missing-object',
      severity: 'error',
      line: 14,
      column: 17,
    });
    expect(d!.message).toBe(
      `transferToAcd uses queue 'Support-Prod', which does not exist in org 'Test Org'; did you mean 'Support' or 'Support-Test'? (the name comes from {{ queue }} = 'Support-Prod' from manifest ${join(dir, 'flowgate.yaml')} (environments.prod))`,
    );
    expect(d!.hint).toBe('Set queue to the name the queue has in this org, or create the queue there.');
  });

  it('one listing per kind, however many flows and references', async () => {
    const files: Record<string, string> = {};
    const list: string[] = [];
    for (let i = 0; i < 6; i++) {
      files[`f${i}.yaml`] = flow(
        `Flow ${i}`,
        `${transferToAcd('Sales', 1)}${transferToAcd('Support', 2)}${transferToAcd(`Missing ${i}`, 3)}          - dataTableLookup:
              name: Holiday?
              lookupValue:
                lit: today
              dataTable:
                Holidays: {}
`,
      );
      list.push(`  - file: f${i}.yaml\n`);
    }
    const dir = workspace({ 'flowgate.yaml': `version: 1\nflows:\n${list.join('')}`, ...files });
    const { report, calls } = await check(e.get(), dir);
    expect(report.flows.flatMap((f) => f.objects)).toHaveLength(24);
    expect(report.diagnostics.filter((d) => d.code === 'missing-object')).toHaveLength(6);
    // 24 references of two kinds: two requests.
    expect(calls.map((c) => `${c.method} ${c.path.split('?')[0]}`).sort()).toEqual([
      'GET /api/v2/flows/datatables',
      'GET /api/v2/routing/queues',
    ]);
    expect(report.kinds.sort()).toEqual(['dataTable', 'queue']);
  });

  it('a 429 in the middle of a listing: waited out, and the listing completes without a page lost', async () => {
    const emu = e.get();
    const queues = emu.control.state().objects!.queue!;
    for (let i = 0; i < 250; i++) queues.push({ id: `q-${i}`, name: `Queue ${String(i).padStart(3, '0')}` });
    emu.control.addFault({ path: 'routing/queues', sequence: ['pass', 429], retryAfterSeconds: 2 });
    const waits: number[] = [];
    const { client, calls } = clientFor(emu, {
      sleep: (ms: number) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const all = await new OrgObjectCache(client.objects).get('queue');
    expect(all).toHaveLength(253);
    expect(new Set(all.map((q) => q.name)).size).toBe(253);
    expect(calls.map((c) => [c.status, c.attempts])).toEqual([
      [200, 1],
      [200, 2],
      [200, 1],
    ]);
    expect(waits).toContain(2000);
  });
});
