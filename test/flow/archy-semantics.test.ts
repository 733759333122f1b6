import { describe, expect, it } from 'vitest';
import { loadFlowText } from '../../src/flow/load.js';
import { validateLoaded } from '../../src/flow/validate.js';
import { publishOrder } from '../../src/flow/graph/dependencies.js';
import { codes, validateText } from '../helpers/flow.js';

const task = (actions: string, extra = '') => `inboundCall:
  name: Test
  startUpRef: ./tasks/task[t1]
${extra}  tasks:
    - task:
        name: One
        refId: t1
        actions:
${actions}${actions.endsWith('\n') ? '' : '\n'}  defaultLanguage: en-us
`;

describe('Archy control-flow semantics', () => {
  it('reports actions after a terminal action as dead code, at their line', () => {
    const r = validateText(
      task(`          - disconnect:
              name: Bye
          - playAudio:
              name: Never
`),
    );
    expect(codes(r)).toEqual(['dead-code']);
    expect(r.diagnostics[0]!.line).toBe(11);
  });

  it('flags an unresolved jump target as an error with the reference position', () => {
    const r = validateText(
      task(`          - jumpToTask:
              name: Go
              targetTaskRef: ./tasks/task[missing]
`),
    );
    const d = r.diagnostics.find((x) => x.code === 'unresolved-reference')!;
    expect(d.severity).toBe('error');
    expect([d.line, d.column]).toEqual([11, 30]);
  });

  it('finds an infinite loop between two tasks that only jump to each other', () => {
    const r = validateText(`inboundCall:
  name: Loop
  startUpRef: ./tasks/task[a]
  tasks:
    - task:
        name: A
        refId: a
        actions:
          - playAudio:
              name: hi
          - jumpToTask:
              name: to b
              targetTaskRef: ./tasks/task[b]
    - task:
        name: B
        refId: b
        actions:
          - jumpToTask:
              name: to a
              targetTaskRef: ./tasks/task[a]
  defaultLanguage: en-us
`);
    const loop = r.diagnostics.filter((d) => d.code === 'infinite-loop');
    expect(loop).toHaveLength(1);
    expect(loop[0]!.message).toMatch(/task 'A' \(a\).*task 'B' \(b\)/);
  });

  it('accepts a loop with loopExit as a loop with a way out (info), and errors under loops: error', () => {
    const yaml = task(`          - loop:
              name: Retry
              outputs:
                loop:
                  actions:
                    - decision:
                        name: done?
                        outputs:
                          yes:
                            actions:
                              - loopExit:
                                  name: out
          - disconnect:
              name: Bye
`);
    const r = validateText(yaml);
    expect(codes(r)).toEqual(['loop']);
    expect(r.diagnostics[0]!.severity).toBe('info');
    const strict = validateText(yaml, 'flow.yaml', { policy: { loops: 'error' } });
    expect(strict.diagnostics[0]!.severity).toBe('error');
  });

  it('callTask returns: a task entered only by callTask returns at its end (ArchBranch), a task also jumped to does not', () => {
    const flow = (alsoJump: boolean) => `inboundCall:
  name: Calls
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
          - callTask:
              name: helper
              targetTaskRef: ./tasks/task[helper]
${alsoJump ? '          - jumpToTask:\n              name: again\n              targetTaskRef: ./tasks/task[helper]\n' : '          - disconnect:\n              name: Bye\n'}    - task:
        name: Helper
        refId: helper
        actions:
          - playAudio:
              name: hello
  defaultLanguage: en-us
`;
    const called = validateText(flow(false));
    expect(called.diagnostics.filter((d) => d.code === 'unreachable')).toEqual([]);
    expect(codes(called)).not.toContain('missing-terminal');
    const jumped = validateText(flow(true));
    const missing = jumped.diagnostics.filter((d) => d.code === 'missing-terminal');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain("'hello'");
  });

  it('reports duplicate refIds and a flow that transfers to itself', () => {
    const r = validateText(`inboundCall:
  name: Self
  startUpRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - transferToFlow:
              name: again
              targetFlow:
                name: Self
          - disconnect:
              name: bye
    - task:
        name: T2
        refId: t
  defaultLanguage: en-us
`);
    expect(codes(r)).toEqual(expect.arrayContaining(['self-transfer', 'duplicate-id']));
  });

  it('orders flows by their references and reports a dependency cycle between flows', () => {
    const flow = (name: string, target: string, type = 'inboundCall') => `${type}:
  name: ${name}
  startUpRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - callCommonModule:
              name: call
              commonModule:
                ${target}:
                  ver_latestPublished: {}
          - disconnect:
              name: bye
`;
    const module = `commonModule:
  name: Shared
  startUpTaskActions:
    - playAudio:
        name: hi
  defaultLanguage: en-us
`;
    const a = loadFlowText(flow('Main', 'Shared'), 'main.yaml');
    const m = loadFlowText(module, 'shared.yaml');
    expect(publishOrder([a.graph!, m.graph!])).toEqual([1, 0]);
    const x = loadFlowText(
      flow('X', 'Y', 'commonModule').replace('startUpRef: ./tasks/task[t]', 'startUpRef: ./tasks/task[t]'),
      'x.yaml',
    );
    const y = loadFlowText(flow('Y', 'X', 'commonModule'), 'y.yaml');
    const r = validateLoaded([x, y]);
    expect(r.diagnostics.find((d) => d.code === 'dependency-cycle')).toMatchObject({ severity: 'error' });
    expect(publishOrder([x.graph!, y.graph!])).toBeUndefined();
  });

  it('a transfer cycle between flows is a warning (publishable, needs two passes); a call cycle is an error', () => {
    const transfer = (name: string, target: string) => `inboundCall:
  name: ${name}
  startUpRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - transferToFlow:
              name: go
              targetFlow:
                name: ${target}
          - disconnect:
              name: bye
  defaultLanguage: en-us
`;
    const r = validateLoaded([
      loadFlowText(transfer('A', 'B'), 'a.yaml'),
      loadFlowText(transfer('B', 'A'), 'b.yaml'),
    ]);
    const d = r.diagnostics.find((x) => x.code === 'dependency-cycle')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain("transfer to each other in a cycle: 'A' → 'B' → 'A'");
    expect([d.file, d.line, d.column]).toEqual(['a.yaml', 12, 17]);
  });

  it('rejects an unknown root key with a suggestion', () => {
    const r = validateText('inQueueCall:\n  name: x\n  defaultLanguage: en-us\n');
    expect(r.diagnostics[0]!.code).toBe('unknown-root');
    expect(r.diagnostics[0]!.hint).toContain('inqueueCall');
  });

  it('maps positions through substitutions back to the original text', () => {
    const text = `inboundCall:
  name: "{{ long_name }}"
  startUpRef: ./tasks/task[{{ start }}]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: bye
  defaultLanguage: en-us
`;
    const r = validateText(text, 'f.yaml', {
      substitutions: { long_name: 'A much longer name than the token', start: 'nope' },
    });
    const d = r.diagnostics.find((x) => x.code === 'unresolved-reference')!;
    expect([d.line, d.column]).toEqual([3, 15]);
  });
});

describe('policy', () => {
  const flow = (name: string, division = 'Home') => `inboundCall:
  name: ${name}
  division: ${division}
  startUpRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: bye
  defaultLanguage: en-us
`;
  it('checks naming per flow type, divisions, severity overrides and the flow count', () => {
    const files = [
      loadFlowText(flow('IVR-Main'), 'a.yaml'),
      loadFlowText(flow('bad name', 'Sales'), 'b.yaml'),
    ];
    const r = validateLoaded(files, {
      policy: { naming: { inboundCall: '^IVR-' }, allowedDivisions: ['Home'], maxFlows: 1 },
    });
    expect(codes(r).sort()).toEqual(['policy-division', 'policy-max-flows', 'policy-naming']);
    const live = validateLoaded(files, {
      policy: { maxFlows: 3 },
      orgFlows: [
        { name: 'IVR-Main', type: 'INBOUNDCALL' },
        { name: 'Other', type: 'INBOUNDCALL' },
      ],
    });
    expect(codes(live)).toEqual([]);
    const over = validateLoaded(files, {
      policy: { maxFlows: 2 },
      orgFlows: [
        { name: 'IVR-Main', type: 'INBOUNDCALL' },
        { name: 'Other', type: 'INBOUNDCALL' },
      ],
    });
    expect(over.diagnostics[0]!.message).toContain('3 flows (2 now + 1 new)');
    const off = validateLoaded(files, {
      policy: { naming: { '*': '^IVR-' }, severity: { 'policy-naming': 'off' } },
    });
    expect(codes(off)).toEqual([]);
  });
});

describe('bot flows and message flows', () => {
  it('a bot flow starts at a bot of `bots:` and exits with exitBotFlow; a message flow calls it by name', () => {
    const bot = `botFlow:
  name: Support Bot
  startUpRef: "/botFlow/bots/bot[Default Bot_10]"
  bots:
    - bot:
        name: Default Bot
        refId: Default Bot_10
        actions:
          - askForSlot:
              name: Ask for Slot
              slot:
                name: Email
              outputs:
                maxNoInputs:
                  enabled: false
          - exitBotFlow:
              name: Exit Bot Flow
  defaultLanguage: en-us
`;
    const message = `inboundShortMessage:
  name: Web Messaging
  startUpRef: "/inboundShortMessage/states/state[Initial State_10]"
  states:
    - state:
        name: Initial State
        refId: Initial State_10
        actions:
          - callBotFlow:
              name: Call Bot Flow
              botFlow:
                Support Bot:
                  ver_latestPublished:
                    inputs: {}
          - transferToAcd:
              name: Transfer to ACD
              targetQueue:
                lit:
                  name: Support
  defaultLanguage: en-us
`;
    const b = loadFlowText(bot, 'bot.yaml');
    const m = loadFlowText(message, 'message.yaml');
    const r = validateLoaded([b, m]);
    expect(r.diagnostics).toEqual([]);
    expect(b.graph!.flowType).toBe('bot');
    expect(b.graph!.kinds).toContain('bot');
    expect(m.graph!.references.map((x) => [x.kind, x.name, x.flowType ?? ''])).toEqual([
      ['flow', 'Support Bot', 'bot'],
      ['queue', 'Support', ''],
    ]);
    expect(publishOrder([m.graph!, b.graph!])).toEqual([1, 0]);
  });
});

describe('more Archy constructs', () => {
  it('switch cases and default re-join; loopNext returns to the loop head', () => {
    const r = validateText(
      task(`          - switch:
              name: Route
              evaluate:
                firstTrue:
                  cases:
                    - case:
                        value:
                          exp: Flow.x == 1
                        actions:
                          - playAudio:
                              name: one
                  default:
                    actions:
                      - playAudio:
                          name: other
          - loop:
              name: Retry
              outputs:
                loop:
                  actions:
                    - decision:
                        name: again?
                        outputs:
                          yes:
                            actions:
                              - loopNext:
                                  name: next
          - disconnect:
              name: Bye
`),
    );
    expect(r.summary.errors).toBe(0);
    expect(r.summary.warnings).toBe(0);
    const g = r.files[0]!.graph!;
    const named = (n: string) => g.names.indexOf(n);
    const edges = new Set([...g.edgeFrom].map((f, i) => `${g.names[f]}>${g.names[g.edgeTo[i]!]}`));
    expect(edges).toContain('Route>one');
    expect(edges).toContain('Route>other');
    expect(edges).toContain('one>Retry');
    expect(edges).toContain('other>Retry');
    expect(edges).toContain('next>Retry');
    expect(edges).toContain('Retry>Bye');
    expect(named('Bye')).toBeGreaterThan(0);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['loop']);
  });

  it('menu choices: sub-menus, inline tasks, repeat, and jumps', () => {
    const r = validateText(`inboundCall:
  name: Menus
  startUpRef: ./menus/menu[main]
  menus:
    - menu:
        name: Main
        refId: main
        choices:
          - menuSubMenu:
              name: More
              dtmf: digit_1
              menu:
                name: Sub
                refId: sub
                choices:
                  - menuJumpToMenu:
                      name: Back
                      targetMenuRef: ./menus/menu[main]
          - menuTask:
              name: Inline
              dtmf: digit_2
              task:
                actions:
                  - disconnect:
                      name: Bye
          - repeatMenu:
              name: Again
              dtmf: digit_9
          - menuJumpToTask:
              name: Go
              targetTaskRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: Done
  defaultLanguage: en-us
`);
    expect(r.summary.errors).toBe(0);
    expect(r.diagnostics.filter((d) => d.code === 'unreachable')).toEqual([]);
    const g = r.files[0]!.graph!;
    expect(g.kinds.filter((k) => k === 'menu')).toHaveLength(2);
    const edges = new Set([...g.edgeFrom].map((f, i) => `${g.names[f]}>${g.names[g.edgeTo[i]!]}`));
    expect(edges).toContain('More>Sub');
    expect(edges).toContain('Back>Main');
    expect(edges).toContain('Again>Main');
    expect(edges).toContain('Go>T');
    expect(edges).toContain('Inline>Bye');
  });

  it('loopExit outside a loop and a non-mapping action are schema errors', () => {
    const r = validateText(
      task(`          - loopExit:
              name: out
          - just a string
`),
    );
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['schema', 'schema']);
  });
});
