/**
 * The plan's and `flowgate diff`'s semantic diff (src/deploy/diff.ts) on the flow's shape: tasks
 * added and removed, actions added and removed inside the tasks both versions have (matched by type,
 * name and occurrence), jumps that lead elsewhere, the start, name and division, and references
 * whose target changed; and the lines `describeDiff` gives people. The shape rules are checked
 * against a brute-force oracle over generated pairs of flows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDiff, semanticDiff, type SemanticDiff } from '../../src/deploy/diff.js';
import { textDiff } from '../../src/deploy/org-content.js';
import type { FlowGraph } from '../../src/flow/index.js';
import { loadFlowText } from '../../src/flow/load.js';
import { ivrYaml } from '../helpers/generated-org.js';

const play = (name: string, tts = 'hi') => `          - playAudio:
              name: ${name}
              audio:
                tts: ${tts}
`;
const jump = (name: string, to: string) => `          - jumpToTask:
              name: ${name}
              targetTaskRef: ./tasks/task[${to}]
`;
const toQueue = (name: string, queue: string) => `          - transferToAcd:
              name: ${name}
              targetQueue:
                lit:
                  name: ${queue}
`;
/** A task `id` (named `Task <id>`) of these actions, ending in a disconnect. */
const task = (id: string, actions: string[] = []) => `    - task:
        name: Task ${id}
        refId: ${id}
        actions:
${actions.join('')}          - disconnect:
              name: Bye
`;
/** An inbound call flow of these tasks, starting at `start`. */
const flow = (start: string, tasks: string[], settings: { name?: string; division?: string } = {}) =>
  `inboundCall:
  name: ${settings.name ?? 'IVR'}
  defaultLanguage: en-us
  division: ${settings.division ?? 'Home'}
  startUpRef: ./tasks/task[${start}]
  tasks:
${tasks.join('')}`;

function graph(text: string): FlowGraph {
  const loaded = loadFlowText(text, 'ivr.yaml');
  expect(loaded.graph, JSON.stringify(loaded.diagnostics)).toBeDefined();
  return loaded.graph!;
}
const shapeDiff = (before: string, after: string) => semanticDiff(graph(before), graph(after));

describe('semanticDiff on the shape of a flow', () => {
  it('the same flow, laid out otherwise, is empty and says nothing', () => {
    const text = flow('a', [task('a', [play('P'), jump('Go', 'b')]), task('b')]);
    const d = shapeDiff(text, text.replace(/\n {14}name:/g, '\n              name:  '));
    expect(d.empty).toBe(true);
    expect(describeDiff(d)).toEqual([]);
  });

  it('a task added is one line, its actions not listed again; removed, the same the other way', () => {
    const one = flow('a', [task('a', [play('P')])]);
    const two = flow('a', [task('a', [play('P')]), task('b', [play('Q'), play('R')])]);
    const added = shapeDiff(one, two);
    expect(added).toMatchObject({
      containersAdded: [{ kind: 'task', id: 'b', name: 'Task b' }],
      containersRemoved: [],
      actionsAdded: [],
      actionsRemoved: [],
      empty: false,
    });
    expect(describeDiff(added)).toEqual(["+ task 'Task b'"]);
    const removed = shapeDiff(two, one);
    expect(removed).toMatchObject({
      containersAdded: [],
      containersRemoved: [{ id: 'b' }],
      actionsRemoved: [],
    });
    expect(describeDiff(removed)).toEqual(["- task 'Task b'"]);
  });

  it('an action added or removed in a task both have names its type, name and task', () => {
    const before = flow('a', [task('a', [play('P')])]);
    const after = flow('a', [task('a', [play('P'), play('Extra')])]);
    const added = shapeDiff(before, after);
    expect(added.actionsAdded).toEqual([{ container: 'a', type: 'playAudio', name: 'Extra' }]);
    expect(added.empty).toBe(false);
    expect(describeDiff(added)).toEqual(["+ playAudio 'Extra' in a"]);
    const removed = shapeDiff(after, before);
    expect(removed.actionsRemoved).toEqual([{ container: 'a', type: 'playAudio', name: 'Extra' }]);
    expect(describeDiff(removed)).toEqual(["- playAudio 'Extra' in a"]);
  });

  it('actions of the same type and name are matched by occurrence: a second copy is one added action', () => {
    const d = shapeDiff(flow('a', [task('a', [play('P')])]), flow('a', [task('a', [play('P'), play('P')])]));
    expect(d.actionsAdded).toEqual([{ container: 'a', type: 'playAudio', name: 'P' }]);
    expect(d.actionsRemoved).toEqual([]);
  });

  it('a jump that leads to another task is a changed action, from → to', () => {
    const d = shapeDiff(
      flow('a', [task('a', [jump('Go', 'b')]), task('b'), task('c')]),
      flow('a', [task('a', [jump('Go', 'c')]), task('b'), task('c')]),
    );
    expect(d.actionsChanged).toEqual([
      { container: 'a', type: 'jumpToTask', name: 'Go', targets: ['c'], fromTargets: ['b'] },
    ]);
    expect(d.empty).toBe(false);
    expect(describeDiff(d)).toEqual(["~ jumpToTask 'Go' in a: b → c"]);
  });

  it('the start, the name and the division are settings, each one line', () => {
    const d = shapeDiff(
      flow('a', [task('a'), task('b')]),
      flow('b', [task('a'), task('b')], { name: 'IVR 2', division: 'Sales' }),
    );
    expect(d.settings).toEqual([
      { key: 'name', from: 'IVR', to: 'IVR 2' },
      { key: 'division', from: 'Home', to: 'Sales' },
      { key: 'start', from: 'a', to: 'b' },
    ]);
    expect(d.empty).toBe(false);
    expect(describeDiff(d)).toEqual([
      "~ name: 'IVR' → 'IVR 2'",
      "~ division: 'Home' → 'Sales'",
      "~ start: 'a' → 'b'",
    ]);
  });

  it('with the documents, the name and division are not said again as fields of the flow element', () => {
    const d = textDiff(flow('a', [task('a')]), flow('a', [task('a')], { name: 'IVR 2', division: 'Sales' }))!;
    expect(describeDiff(d)).toEqual(["~ name: 'IVR' → 'IVR 2'", "~ division: 'Home' → 'Sales'"]);
  });
});

describe('references and the fields that name them', () => {
  const before = ivrYaml('IVR', 'Module', 'Queue 1', 'Other');
  const after = ivrYaml('IVR', 'Module', 'Queue 2', 'Else');

  it('without the documents, a changed target is a line per kind of action, with the flow type', () => {
    const d = shapeDiff(before, after);
    expect(d.references).toEqual([
      {
        via: 'transferToFlow',
        kind: 'flow',
        removed: ['Other (inboundcall)'],
        added: ['Else (inboundcall)'],
      },
      { via: 'transferToAcd', kind: 'queue', removed: ['Queue 1'], added: ['Queue 2'] },
    ]);
    expect(d.fieldsChanged).toEqual([]);
    expect(d.empty).toBe(false);
    expect(describeDiff(d)).toEqual([
      '~ transferToFlow flow: -Other (inboundcall) +Else (inboundcall)',
      '~ transferToAcd queue: -Queue 1 +Queue 2',
    ]);
  });

  it('with them, a target already said by a field is not said again (the flow type aside)', () => {
    const d = textDiff(before, after)!;
    expect(d.empty).toBe(false);
    expect(describeDiff(d)).toEqual([
      "~ inboundCall › task 'Main' › transferToFlow 'Onwards': targetFlow.name 'Other' → 'Else'",
      "~ inboundCall › task 'Main' › transferToAcd 'To queue': targetQueue.lit.name 'Queue 1' → 'Queue 2'",
    ]);
  });

  it('a target no field names (a new action’s) keeps the reference line, with every target', () => {
    const one = flow('a', [task('a', [toQueue('First', 'Queue 1')])]);
    const two = flow('a', [task('a', [toQueue('First', 'Queue 2'), toQueue('Second', 'Queue 3')])]);
    const d = textDiff(one, two)!;
    expect(d.empty).toBe(false);
    expect(describeDiff(d)).toEqual([
      "+ transferToAcd 'Second' in a",
      "~ inboundCall › task 'Task a' › transferToAcd 'First': targetQueue.lit.name 'Queue 1' → 'Queue 2'",
      '~ transferToAcd queue: -Queue 1 +Queue 2 +Queue 3',
    ]);
  });

  it('a reference only removed is a line of removals', () => {
    const d = shapeDiff(flow('a', [task('a', [toQueue('First', 'Queue 1')])]), flow('a', [task('a')]));
    expect(d.references).toEqual([{ via: 'transferToAcd', kind: 'queue', removed: ['Queue 1'], added: [] }]);
    expect(describeDiff(d)).toEqual(["- transferToAcd 'First' in a", '~ transferToAcd queue: -Queue 1']);
  });
});

describe('where jumps lead, and what stands inside branches', () => {
  const menuFlow = (to: string) => `inboundCall:
  name: IVR
  defaultLanguage: en-us
  startUpRef: ./menus/menu[m]
  initialGreeting:
    tts: hi
  menus:
    - menu:
        name: Main
        refId: m
        audio:
          tts: press
        choices:
          - menuJumpToTask:
              name: Go
              dtmf: digit_1
              targetTaskRef: ./tasks/task[${to}]
          - menuDisconnect:
              name: Bye
              dtmf: digit_9
  tasks:
${task('a')}${task('b')}`;

  it('a menu choice that leads to another task is a changed choice (its targetTaskRef is no field)', () => {
    const d = shapeDiff(menuFlow('a'), menuFlow('b'));
    expect(d.actionsChanged).toEqual([
      { container: 'm', type: 'menuJumpToTask', name: 'Go', targets: ['b'], fromTargets: ['a'] },
    ]);
    expect(describeDiff(textDiff(menuFlow('a'), menuFlow('b'))!)).toEqual([
      "~ menuJumpToTask 'Go' in m: a → b",
    ]);
  });

  it("an action inside a decision's branch belongs to the task the decision stands in", () => {
    const decision = (inner: string[]) => `          - decision:
              name: Branch
              condition:
                lit: true
              outputs:
                yes:
                  actions:
${inner.map((a) => a.replace(/^/gm, '        ').replace(/^ +$/gm, '')).join('')}
`;
    const d = shapeDiff(
      flow('a', [task('a', [decision([])])]),
      flow('a', [task('a', [decision([play('Inner')])])]),
    );
    expect(d.actionsAdded).toEqual([{ container: 'a', type: 'playAudio', name: 'Inner' }]);
  });

  it('references removed or added are listed in name order', () => {
    const two = flow('a', [task('a', [toQueue('One', 'Queue 2'), toQueue('Two', 'Queue 1')])]);
    const none = flow('a', [task('a')]);
    expect(shapeDiff(two, none).references).toEqual([
      { via: 'transferToAcd', kind: 'queue', removed: ['Queue 1', 'Queue 2'], added: [] },
    ]);
    expect(shapeDiff(none, two).references).toEqual([
      { via: 'transferToAcd', kind: 'queue', removed: [], added: ['Queue 1', 'Queue 2'] },
    ]);
  });
});

describe('describeDiff of what has no name', () => {
  const empty: SemanticDiff = {
    settings: [],
    containersAdded: [],
    containersRemoved: [],
    actionsAdded: [],
    actionsRemoved: [],
    actionsChanged: [],
    references: [],
    fieldsChanged: [],
    empty: true,
  };

  it('a container by its id, an action with an empty name, a jump from or to nowhere as —, a value that is none', () => {
    expect(
      describeDiff({
        ...empty,
        settings: [{ key: 'division', from: undefined, to: 'Home' }],
        containersAdded: [{ kind: 'task', id: 't1' }],
        containersRemoved: [{ kind: 'menu', id: 'm1' }],
        actionsAdded: [{ container: 't1', type: 'playAudio' }],
        actionsRemoved: [{ container: 't1', type: 'disconnect' }],
        actionsChanged: [
          { container: 't1', type: 'jumpToTask', fromTargets: [] },
          { container: 't1', type: 'jumpToMenu', targets: ['m2', 'm3'], fromTargets: ['m1', 'm4'] },
        ],
        fieldsChanged: [
          {
            element: 'inboundCall',
            field: 'a',
            from: undefined,
            to: '1',
            fromType: 'null',
            toType: 'number',
          },
        ],
        empty: false,
      }),
    ).toEqual([
      "~ division: '' → 'Home'",
      "+ task 't1'",
      "- menu 'm1'",
      "+ playAudio '' in t1",
      "- disconnect '' in t1",
      "~ jumpToTask '' in t1: — → —",
      "~ jumpToMenu '' in t1: m1, m4 → m2, m3",
      '~ inboundCall: a (none) → 1 (its type: null → number)',
    ]);
  });

  it('a reference is left out only when a field names each of its values; a value ending in brackets is not a type', () => {
    const lines = (names: string[]) =>
      describeDiff({
        ...empty,
        references: [{ via: 'transferToAcd', kind: 'queue', removed: ['Queue (EU) 1'], added: ['Queue 2'] }],
        fieldsChanged: names.map((to) => ({
          element: 'x',
          field: 'targetQueue.lit.name',
          from: 'Queue (EU) 1',
          to,
        })),
        empty: false,
      });
    expect(lines(['Queue 2'])).toEqual(["~ x: targetQueue.lit.name 'Queue (EU) 1' → 'Queue 2'"]);
    expect(lines(['Queue 3'])).toEqual([
      "~ x: targetQueue.lit.name 'Queue (EU) 1' → 'Queue 3'",
      '~ transferToAcd queue: -Queue (EU) 1 +Queue 2',
    ]);
  });
});

describe('describeDiff of a field', () => {
  it('a value longer than 80 characters is cut at 77 with an ellipsis; one of 80 is whole', () => {
    const long = 'x'.repeat(81);
    const eighty = 'y'.repeat(80);
    const d = textDiff(
      flow('a', [task('a', [play('P', eighty)])]),
      flow('a', [task('a', [play('P', long)])]),
    )!;
    expect(describeDiff(d)).toEqual([
      `~ inboundCall › task 'Task a' › playAudio 'P': audio.tts '${eighty}' → '${'x'.repeat(77)}…'`,
    ]);
  });
});

/** A generated flow: task ids (the first is the start) with the names of their playAudio actions. */
type Model = Array<{ id: string; plays: string[] }>;

const modelArb: fc.Arbitrary<Model> = fc
  .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.array(fc.constantFrom('P', 'Q'), { maxLength: 3 }).map((plays) => ({ id, plays })),
      ),
    ),
  );

const render = (m: Model) =>
  flow(
    m[0]!.id,
    m.map((t) =>
      task(
        t.id,
        t.plays.map((p) => play(p)),
      ),
    ),
  );

/** The oracle: containers by id; in the tasks both have, each name's count compared. */
function expected(a: Model, b: Model) {
  const ids = (m: Model) => new Set(m.map((t) => t.id));
  const count = (t: { plays: string[] }, name: string) => t.plays.filter((p) => p === name).length;
  const added: string[] = [];
  const removed: string[] = [];
  for (const t of b)
    for (const name of ['P', 'Q']) {
      const old = a.find((x) => x.id === t.id);
      if (!old) continue;
      const diff = count(t, name) - count(old, name);
      for (let i = 0; i < Math.abs(diff); i++) (diff > 0 ? added : removed).push(`${t.id}:${name}`);
    }
  return {
    containersAdded: [...ids(b)].filter((id) => !ids(a).has(id)).sort(),
    containersRemoved: [...ids(a)].filter((id) => !ids(b).has(id)).sort(),
    actionsAdded: added.sort(),
    actionsRemoved: removed.sort(),
    start: a[0]!.id === b[0]!.id ? [] : [{ key: 'start', from: a[0]!.id, to: b[0]!.id }],
  };
}

function observed(d: SemanticDiff) {
  const at = (xs: Array<{ container: string; name?: string | undefined }>) =>
    xs.map((x) => `${x.container}:${x.name}`).sort();
  return {
    containersAdded: d.containersAdded.map((c) => c.id).sort(),
    containersRemoved: d.containersRemoved.map((c) => c.id).sort(),
    actionsAdded: at(d.actionsAdded),
    actionsRemoved: at(d.actionsRemoved),
    start: d.settings,
  };
}

describe('semanticDiff against a brute-force oracle', () => {
  it('tasks and actions added and removed, and the start, are what the oracle counts; empty exactly when nothing is', () => {
    fc.assert(
      fc.property(modelArb, modelArb, (a, b) => {
        const d = shapeDiff(render(a), render(b));
        const want = expected(a, b);
        expect(observed(d)).toEqual(want);
        const nothing = Object.values(want).every((v) => v.length === 0);
        expect(d.empty).toBe(nothing);
        expect(describeDiff(d)).toHaveLength(Object.values(want).reduce((n, v) => n + v.length, 0));
      }),
      { numRuns: 150 },
    );
  });
});
