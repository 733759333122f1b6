/**
 * The rules of the org-object check one at a time, in process (org-object-rules.ts and
 * checkOrgReferences in org-references.ts): which kind and name a reference looks up, when a found
 * object cannot serve, the words of each finding, a kind the client may not list, a flow with no
 * graph. The emulator tests (org-references.test.ts) hold the same rules over HTTP; these name
 * each rule's edges, which the Stryker run of the `refs` group found untested (BENCHMARKS.md).
 * The org here is an in-memory lister: the check's input is the objects of each kind, and the
 * HTTP listing of them is tested against the emulator.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentInput } from '../../src/config/deployment.js';
import {
  checkOrgReferences,
  OrgObjectCache,
  withFindings,
  type OrgObjectLister,
} from '../../src/deploy/org-references.js';
import {
  lookupOf,
  referenceName,
  unfitness,
  type ObjectReference,
} from '../../src/deploy/org-object-rules.js';
import type { Diagnostic, FlowGraph, LoadedFlow, ValidationReport } from '../../src/flow/index.js';
import { ApiError } from '../../src/platform/errors.js';
import type { OrgObject, OrgObjectKind } from '../../src/platform/calls/org-objects.js';

const ref = (
  kind: ObjectReference['kind'],
  name: string,
  extra: Partial<ObjectReference> = {},
): ObjectReference => ({
  kind,
  name,
  via: 'someAction',
  line: 7,
  column: 11,
  ...extra,
});

const obj = (name: string, extra: Partial<OrgObject> = {}): OrgObject => ({
  id: `id-${name}`,
  name,
  ...extra,
});

const use = { languages: ['en-us'], division: 'Home' };

describe('lookupOf: the kind and name a reference looks up', () => {
  it.each([
    'queue',
    'dataAction',
    'dataTable',
    'schedule',
    'scheduleGroup',
    'emergencyGroup',
    'skill',
    'language',
    'wrapupCode',
    'user',
    'group',
    'outcome',
    'milestone',
  ] as const)('%s is looked up as itself', (kind) => {
    expect(lookupOf(ref(kind, 'X'))).toEqual({ kind, name: 'X' });
  });

  it('a flow is not an org object (flows are checked as flows)', () => {
    expect(lookupOf(ref('flow', 'Main IVR'))).toBeUndefined();
  });

  it('prompts: PromptSystem.X a system prompt, Prompt.X or a bare name a user prompt, the prefix only at the start', () => {
    expect(lookupOf(ref('prompt', 'PromptSystem.digit_1'))).toEqual({
      kind: 'systemPrompt',
      name: 'digit_1',
    });
    expect(lookupOf(ref('prompt', 'Prompt.Welcome'))).toEqual({ kind: 'prompt', name: 'Welcome' });
    expect(lookupOf(ref('prompt', 'Welcome'))).toEqual({ kind: 'prompt', name: 'Welcome' });
    expect(lookupOf(ref('prompt', 'MyPrompt.Welcome'))).toEqual({ kind: 'prompt', name: 'MyPrompt.Welcome' });
  });
});

describe('referenceName: the name an object is referenced by', () => {
  it('a data action by category/name, with an empty category when the org gives none', () => {
    expect(referenceName('dataAction', obj('Get Account', { category: 'Web Services' }))).toBe(
      'Web Services/Get Account',
    );
    expect(referenceName('dataAction', obj('Get Account'))).toBe('/Get Account');
  });
  it('every other kind by its name alone, whatever else it has', () => {
    expect(referenceName('queue', obj('Support', { category: 'Web Services' }))).toBe('Support');
  });
});

describe('unfitness: why a found object cannot serve', () => {
  it('a secure data action needed: error unless the object is secure', () => {
    const r = ref('dataAction', 'P/Card', { secure: true, via: 'callDataSecure' });
    expect(unfitness('dataAction', obj('Card'), r, use)).toEqual([
      { severity: 'error', reason: 'is not secure, and callDataSecure needs a secure data action' },
    ]);
    expect(unfitness('dataAction', obj('Card', { secure: false }), r, use)).toHaveLength(1);
    expect(unfitness('dataAction', obj('Card', { secure: true }), r, use)).toEqual([]);
    expect(unfitness('dataAction', obj('Card'), ref('dataAction', 'P/Card'), use)).toEqual([]);
    expect(unfitness('dataAction', obj('Card'), ref('dataAction', 'P/Card', { secure: false }), use)).toEqual(
      [],
    );
    expect(unfitness('queue', obj('Card'), r, use)).toEqual([]);
  });

  it('a data table lookup: every column it reads must exist; unknown columns on either side decide nothing', () => {
    const r = ref('dataTable', 'Holidays', { columns: ['date', 'message', 'open'] });
    expect(unfitness('dataTable', obj('Holidays', { columns: ['key', 'date'] }), r, use)).toEqual([
      { severity: 'error', reason: "has no column 'message', 'open' (its columns: key, date)" },
    ]);
    expect(
      unfitness('dataTable', obj('Holidays', { columns: ['key', 'date', 'message', 'open'] }), r, use),
    ).toEqual([]);
    expect(unfitness('dataTable', obj('Holidays'), r, use)).toEqual([]);
    expect(
      unfitness('dataTable', obj('Holidays', { columns: ['key'] }), ref('dataTable', 'Holidays'), use),
    ).toEqual([]);
    expect(unfitness('queue', obj('Holidays', { columns: ['key'] }), r, use)).toEqual([]);
  });

  it('a prompt or system prompt without every language the flow supports: a warning naming them', () => {
    const two = { languages: ['en-us', 'es-us', 'fr-ca'] };
    for (const kind of ['prompt', 'systemPrompt'] as const)
      expect(
        unfitness(kind, obj('Welcome', { languages: ['en-us'] }), ref('prompt', 'Welcome'), two),
      ).toEqual([
        { severity: 'warning', reason: 'has no audio or TTS for es-us, fr-ca, which the flow supports' },
      ]);
    expect(
      unfitness(
        'prompt',
        obj('Welcome', { languages: ['fr-ca', 'es-us', 'en-us'] }),
        ref('prompt', 'W'),
        two,
      ),
    ).toEqual([]);
    expect(unfitness('prompt', obj('Welcome'), ref('prompt', 'Welcome'), two)).toEqual([]);
    expect(
      unfitness('queue', obj('Welcome', { languages: ['en-us'] }), ref('queue', 'Welcome'), two),
    ).toEqual([]);
  });

  it("a queue of another division than the flow's: a warning; no division on either side decides nothing", () => {
    const support = { division: { id: 'd2', name: 'Support' } };
    expect(unfitness('queue', obj('Q', support), ref('queue', 'Q'), use)).toEqual([
      { severity: 'warning', reason: "is in division 'Support', the flow in 'Home'" },
    ]);
    expect(
      unfitness('queue', obj('Q', { division: { id: 'd1', name: 'Home' } }), ref('queue', 'Q'), use),
    ).toEqual([]);
    expect(unfitness('queue', obj('Q', { division: { id: 'd2' } }), ref('queue', 'Q'), use)).toEqual([]);
    expect(unfitness('queue', obj('Q'), ref('queue', 'Q'), use)).toEqual([]);
    expect(unfitness('queue', obj('Q', support), ref('queue', 'Q'), { languages: [] })).toEqual([]);
    expect(unfitness('skill', obj('Q', support), ref('skill', 'Q'), use)).toEqual([]);
  });
});

/** An org held in memory: the objects of each kind, a kind's failure, and the listings asked for. */
function org(
  objects: Partial<Record<OrgObjectKind, OrgObject[]>>,
  fail: Partial<Record<OrgObjectKind, Error>> = {},
) {
  const asked: OrgObjectKind[] = [];
  const lister: OrgObjectLister = {
    list: (kind) => {
      asked.push(kind);
      const e = fail[kind];
      return e ? Promise.reject(e) : Promise.resolve(objects[kind] ?? []);
    },
  };
  return { lister, asked };
}

function loaded(
  file: string,
  references: ObjectReference[],
  graph: Partial<FlowGraph> = {},
  text?: string,
): LoadedFlow {
  return {
    file,
    ...(text !== undefined ? { text } : {}),
    diagnostics: [],
    graph: { name: `Flow ${file}`, references, ...graph } as FlowGraph,
  };
}

const refused = (status: number) =>
  new ApiError(
    status,
    { message: `refused with ${status}` },
    {
      method: 'GET',
      path: '/api/v2/routing/queues',
    },
  );

describe('checkOrgReferences: each kind listed once, each reference judged', () => {
  it('lists only the kinds the flows use, once each across flows; flows and unknown kinds list nothing', async () => {
    const o = org({ queue: [obj('Support')], skill: [obj('Billing')] });
    const report = await checkOrgReferences(
      [
        loaded('a.yaml', [ref('queue', 'Support'), ref('flow', 'Other'), ref('queue', 'Support')]),
        loaded('b.yaml', [ref('skill', 'Billing'), ref('queue', 'Support')]),
      ],
      { org: 'O', cache: new OrgObjectCache(o.lister) },
    );
    expect(o.asked).toEqual(['queue', 'skill']);
    expect(report.kinds).toEqual(['queue', 'skill']);
    expect(report.org).toBe('O');
    expect(report.diagnostics).toEqual([]);
    expect(
      report.flows.map((f) => [f.file, f.flowName, f.objects.map((u) => `${u.kind}:${u.name}:${u.state}`)]),
    ).toEqual([
      ['a.yaml', 'Flow a.yaml', ['queue:Support:found', 'queue:Support:found']],
      ['b.yaml', 'Flow b.yaml', ['skill:Billing:found', 'queue:Support:found']],
    ]);
  });

  it('the cache lists a kind once however often it is asked, and says which kinds it listed', async () => {
    const o = org({ queue: [obj('Support')] });
    const cache = new OrgObjectCache(o.lister);
    expect(cache.kinds()).toEqual([]);
    const [a, b] = await Promise.all([cache.get('queue'), cache.get('queue')]);
    await cache.get('skill');
    expect(a).toBe(b);
    expect(o.asked).toEqual(['queue', 'skill']);
    expect(cache.kinds()).toEqual(['queue', 'skill']);
  });

  it('a missing object: an error at the reference with the kind, the org and the closest names', async () => {
    const o = org({ queue: [obj('Support'), obj('Suports'), obj('Sales')], skill: [] });
    const report = await checkOrgReferences(
      [
        loaded('f.yaml', [
          ref('queue', 'Suport', { via: 'transferToAcd' }),
          ref('skill', 'Billing', { line: 9, column: 3 }),
        ]),
      ],
      { org: 'Test Org', cache: new OrgObjectCache(o.lister) },
    );
    expect(report.diagnostics).toEqual<Diagnostic[]>([
      {
        code: 'missing-object',
        severity: 'error',
        message:
          "transferToAcd uses queue 'Suport', which does not exist in org 'Test Org'; did you mean 'Suports' or 'Support'?",
        file: 'f.yaml',
        line: 7,
        column: 11,
        hint: 'Correct the name, or create the queue in the org before publishing.',
      },
      {
        code: 'missing-object',
        severity: 'error',
        message: "someAction uses skill 'Billing', which does not exist in org 'Test Org'",
        file: 'f.yaml',
        line: 9,
        column: 3,
        hint: 'Correct the name, or create the skill in the org before publishing.',
      },
    ]);
    expect(report.flows[0]!.objects).toEqual([
      {
        kind: 'queue',
        name: 'Suport',
        via: 'transferToAcd',
        line: 7,
        column: 11,
        state: 'missing',
        suggestions: ['Suports', 'Support'],
      },
      {
        kind: 'skill',
        name: 'Billing',
        via: 'someAction',
        line: 9,
        column: 3,
        state: 'missing',
        suggestions: [],
      },
    ]);
  });

  it.each<[ObjectReference['kind'], string, string]>([
    ['dataAction', 'Cat/Get', 'data action'],
    ['dataTable', 'T', 'data table'],
    ['prompt', 'Prompt.W', 'user prompt'],
    ['prompt', 'PromptSystem.W', 'system prompt'],
    ['schedule', 'S', 'schedule'],
    ['scheduleGroup', 'S', 'schedule group'],
    ['emergencyGroup', 'E', 'emergency group'],
    ['language', 'L', 'language skill'],
    ['wrapupCode', 'W', 'wrap-up code'],
    ['user', 'U', 'user'],
    ['group', 'G', 'group'],
    ['outcome', 'O', 'flow outcome'],
    ['milestone', 'M', 'flow milestone'],
  ])('a missing %s (%s) is named as a %s', async (kind, name, words) => {
    const report = await checkOrgReferences([loaded('f.yaml', [ref(kind, name)])], {
      org: 'O',
      cache: new OrgObjectCache(org({}).lister),
    });
    const shown = lookupOf(ref(kind, name))!.name;
    expect(report.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      [
        `someAction uses ${words} '${shown}', which does not exist in org 'O'`,
        `Correct the name, or create the ${words} in the org before publishing.`,
      ],
    ]);
  });

  it('a name from a {{ token }}: the token, its value and its origin in the message, the token in the hint', async () => {
    const text = 'a: 1\nb: 2\n  targetQueue: {{ queue }}\n';
    const input: DeploymentInput = {
      file: 'f.yaml',
      substitutions: { queue: 'Suport' },
      origins: { queue: 'manifest flowgate.yaml (environments.prod)' },
    };
    const report = await checkOrgReferences(
      [loaded('f.yaml', [ref('queue', 'Suport', { line: 3 })], {}, text)],
      {
        org: 'Prod',
        cache: new OrgObjectCache(org({ queue: [obj('Support')] }).lister),
        inputs: [input],
      },
    );
    expect(report.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      [
        "someAction uses queue 'Suport', which does not exist in org 'Prod'; did you mean 'Support'? (the name comes from {{ queue }} = 'Suport' from manifest flowgate.yaml (environments.prod))",
        'Set queue to the name the queue has in this org, or create the queue there.',
      ],
    ]);
    expect(report.flows[0]!.objects[0]!.from).toEqual([
      { token: 'queue', value: 'Suport', origin: 'manifest flowgate.yaml (environments.prod)' },
    ]);
  });

  it('a found object named through a token keeps where the name came from; without substitutions nothing is looked for', async () => {
    const text = 'x: {{ queue }}\n';
    const cache = new OrgObjectCache(org({ queue: [obj('Support')] }).lister);
    const flows = [loaded('f.yaml', [ref('queue', 'Support', { line: 1 })], {}, text)];
    const withToken = await checkOrgReferences(flows, {
      org: 'O',
      cache,
      inputs: [{ file: 'f.yaml', substitutions: { queue: 'Support' }, origins: {} }],
    });
    expect(withToken.flows[0]!.objects[0]).toEqual({
      kind: 'queue',
      name: 'Support',
      via: 'someAction',
      line: 1,
      column: 11,
      state: 'found',
      from: [{ token: 'queue', value: 'Support' }],
    });
    const none = await checkOrgReferences(flows, {
      org: 'O',
      cache,
      inputs: [{ file: 'f.yaml', substitutions: {}, origins: {} }],
    });
    expect(none.flows[0]!.objects[0]).not.toHaveProperty('from');
    const noText = await checkOrgReferences([loaded('f.yaml', [ref('queue', 'Suport', { line: 1 })])], {
      org: 'O',
      cache,
      inputs: [{ file: 'f.yaml', substitutions: { queue: 'Suport' }, origins: {} }],
    });
    expect(noText.diagnostics[0]!.hint).toBe(
      'Correct the name, or create the queue in the org before publishing.',
    );
  });

  it('found but unfit: an error makes it unusable, a warning leaves it found; both reported with their reason', async () => {
    const o = org({
      queue: [obj('Support', { division: { id: 'd2', name: 'Support' } })],
      dataAction: [obj('Get', { category: 'WS' })],
    });
    const report = await checkOrgReferences(
      [
        loaded(
          'f.yaml',
          [
            ref('queue', 'Support'),
            ref('dataAction', 'WS/Get', { secure: true, via: 'callDataSecure', line: 8 }),
          ],
          { division: 'Home' },
        ),
      ],
      { org: 'O', cache: new OrgObjectCache(o.lister) },
    );
    expect(report.flows[0]!.objects.map((u) => [u.state, u.reasons])).toEqual([
      ['found', ["is in division 'Support', the flow in 'Home'"]],
      ['unusable', ['is not secure, and callDataSecure needs a secure data action']],
    ]);
    const hint = 'Change the object in the org, or point the flow at one that can serve it.';
    expect(report.diagnostics).toEqual<Diagnostic[]>([
      {
        code: 'unusable-object',
        severity: 'warning',
        message:
          "someAction uses queue 'Support' of org 'O', which is in division 'Support', the flow in 'Home'",
        file: 'f.yaml',
        line: 7,
        column: 11,
        hint,
      },
      {
        code: 'unusable-object',
        severity: 'error',
        message:
          "callDataSecure uses data action 'WS/Get' of org 'O', which is not secure, and callDataSecure needs a secure data action",
        file: 'f.yaml',
        line: 8,
        column: 11,
        hint,
      },
    ]);
  });

  it("the flow's languages are compared in lowercase", async () => {
    const report = await checkOrgReferences(
      [loaded('f.yaml', [ref('prompt', 'Prompt.Welcome')], { languages: ['EN-US', 'es-US'] })],
      {
        org: 'O',
        cache: new OrgObjectCache(org({ prompt: [obj('Welcome', { languages: ['en-us'] })] }).lister),
      },
    );
    expect(report.flows[0]!.objects[0]!.reasons).toEqual([
      'has no audio or TTS for es-us, which the flow supports',
    ]);
  });

  it.each([401, 403])(
    'a kind the client may not list (%i): its references unchecked, one warning at the first flow that uses it',
    async (status) => {
      const o = org({ skill: [obj('Billing')] }, { queue: refused(status) });
      const report = await checkOrgReferences(
        [
          loaded('a.yaml', [ref('skill', 'Billing')]),
          loaded('b.yaml', [ref('queue', 'Support')]),
          loaded('c.yaml', [ref('queue', 'Sales')]),
        ],
        { org: 'O', cache: new OrgObjectCache(o.lister) },
      );
      expect(report.diagnostics).toEqual<Diagnostic[]>([
        {
          code: 'objects-unchecked',
          severity: 'warning',
          message: `the queues of org 'O' could not be listed, so references to them were not checked: ${refused(status).message}`,
          file: 'b.yaml',
          line: 0,
          column: 0,
          hint: 'Grant the OAuth client the permission named above (flowgate whoami lists the scopes it needs).',
        },
      ]);
      expect(report.flows.map((f) => f.objects.map((u) => [u.name, u.state, u.reasons]))).toEqual([
        [['Billing', 'found', undefined]],
        [['Support', 'unchecked', ['not listed']]],
        [['Sales', 'unchecked', ['not listed']]],
      ]);
    },
  );

  it('any other failure of a listing stops the check', async () => {
    for (const e of [refused(500), refused(404), new Error('socket closed')]) {
      const o = org({}, { queue: e });
      await expect(
        checkOrgReferences([loaded('a.yaml', [ref('queue', 'Support')])], {
          org: 'O',
          cache: new OrgObjectCache(o.lister),
        }),
      ).rejects.toBe(e);
    }
  });

  it('a flow that did not load has no objects, and its name is unknown', async () => {
    const o = org({});
    const report = await checkOrgReferences([{ file: 'broken.yaml', diagnostics: [] }], {
      org: 'O',
      cache: new OrgObjectCache(o.lister),
    });
    expect(report.flows).toEqual([{ file: 'broken.yaml', flowName: undefined, objects: [] }]);
    expect(o.asked).toEqual([]);
  });
});

describe('withFindings: the findings joined to the validation report', () => {
  const d = (file: string, line: number, severity: Diagnostic['severity'], code = 'x'): Diagnostic => ({
    code,
    severity,
    message: code,
    file,
    line,
    column: 1,
  });
  const report: ValidationReport = {
    files: [],
    diagnostics: [d('a.yaml', 5, 'warning'), d('b.yaml', 1, 'error')],
    summary: { files: 2, errors: 1, warnings: 1, infos: 0 },
    publishOrder: ['a.yaml', 'b.yaml'],
  };

  it('no findings: the same report', () => {
    expect(withFindings(report, [])).toBe(report);
  });

  it('findings sorted in with the rest and counted, the files and order kept', () => {
    const out = withFindings(report, [d('a.yaml', 2, 'error', 'missing-object'), d('b.yaml', 3, 'info')]);
    expect(out.diagnostics.map((x) => `${x.file}:${x.line}`)).toEqual([
      'a.yaml:2',
      'a.yaml:5',
      'b.yaml:1',
      'b.yaml:3',
    ]);
    expect(out.summary).toEqual({ files: 2, errors: 2, warnings: 1, infos: 1 });
    expect(out.publishOrder).toEqual(['a.yaml', 'b.yaml']);
    expect(report.diagnostics).toHaveLength(2);
  });
});
