/**
 * The graph checks' findings on small Archy call flows, exactly: `missing-terminal` (a transfer's
 * failure vs a plain path, and the container the path runs off: task, menu or state), `dead-code`,
 * an unreached region named by its first container, and `self-transfer` only for a flow reference
 * of the same name and type.
 */
import { describe, expect, it } from 'vitest';
import { checkGraph } from '../../src/flow/check/checks.js';
import type { Diagnostic } from '../../src/flow/diagnostics.js';
import { FlowGraphBuilder } from '../../src/flow/graph/flow-graph.js';
import { loadFlowText } from '../../src/flow/load.js';

/** The graph checks' own findings for an Archy text (before any collector). */
function check(text: string): Diagnostic[] {
  const f = loadFlowText(text, 'flow.yaml');
  const out: Diagnostic[] = [];
  checkGraph(f.graph!, {}, out);
  return out;
}

/** An inbound call flow starting at task t (line 6), whose actions start on line 10. */
const inTask = (actions: string) => `inboundCall:
  name: Probe
  startUpRef: ./tasks/task[t]
  defaultLanguage: en-us
  tasks:
    - task:
        name: T
        refId: t
        actions:
${actions}`;

const MISSING_HINT = 'End the path with disconnect, a transfer, or a jump to a menu or task.';
const RUNS_OFF = 'without a disconnect, transfer or jump';

describe('missing-terminal', () => {
  it('a plain action last in a task: the path through it runs off the end of its task', () => {
    const text = inTask(`          - playAudio:
              name: say
`);
    expect(check(text)).toEqual([
      {
        code: 'missing-terminal',
        severity: 'warning',
        message: `the path through playAudio 'say' (t/1) runs off the end of its task ${RUNS_OFF}`,
        file: 'flow.yaml',
        line: 10,
        column: 13,
        hint: MISSING_HINT,
      },
    ]);
  });

  it('a transfer last in a task: if it fails the call runs off the end of its task', () => {
    const text = inTask(`          - transferToAcd:
              name: Xfer
              targetQueue:
                lit:
                  name: Q
`);
    expect(check(text)).toEqual([
      {
        code: 'missing-terminal',
        severity: 'warning',
        message: `if transferToAcd 'Xfer' (t/1) fails, the call runs off the end of its task ${RUNS_OFF}`,
        file: 'flow.yaml',
        line: 10,
        column: 13,
        hint: MISSING_HINT,
      },
    ]);
  });

  it('a menu transfer written as an action is a transfer too: the failure message', () => {
    // menuTransferToAcd belongs in a menu's choices; as an action it is unknown (the loader's
    // unknown-action) and continues, and the check still reads it as a transfer.
    const text = inTask(`          - menuTransferToAcd:
              name: Xfer
`);
    expect(check(text)).toEqual([
      {
        code: 'missing-terminal',
        severity: 'warning',
        message: `if menuTransferToAcd 'Xfer' (t/1) fails, the call runs off the end of its task ${RUNS_OFF}`,
        file: 'flow.yaml',
        line: 10,
        column: 13,
        hint: MISSING_HINT,
      },
    ]);
  });

  it("an action of a menu choice's inline task runs off the end of its menu", () => {
    const text = `inboundCall:
  name: Probe
  startUpRef: ./menus/menu[m]
  defaultLanguage: en-us
  menus:
    - menu:
        name: Main
        refId: m
        choices:
          - menuTask:
              name: Inline
              dtmf: digit_1
              actions:
                - playAudio:
                    name: say
`;
    // Nodes: the menu (0), its choice (1), the action (2).
    expect(check(text)).toEqual([
      {
        code: 'missing-terminal',
        severity: 'warning',
        message: `the path through playAudio 'say' (m/2) runs off the end of its menu ${RUNS_OFF}`,
        file: 'flow.yaml',
        line: 14,
        column: 19,
        hint: MISSING_HINT,
      },
    ]);
  });

  it('an empty state a call flow starts at runs off the end of its state', () => {
    const text = `inboundCall:
  name: Probe
  startUpRef: ./states/state[s]
  defaultLanguage: en-us
  states:
    - state:
        name: Empty
        refId: s
`;
    expect(check(text)).toEqual([
      {
        code: 'missing-terminal',
        severity: 'warning',
        message: `the path through state 'Empty' (s) runs off the end of its state ${RUNS_OFF}`,
        file: 'flow.yaml',
        line: 6,
        column: 7,
        hint: MISSING_HINT,
      },
    ]);
  });
});

describe('missing-terminal in a built graph', () => {
  it('an action with no container runs off the end of its task (the default name)', () => {
    // No loader makes such an action, but checkGraph is public and takes any graph.
    const b = new FlowGraphBuilder('built', 'archy');
    const a = b.addNode('a', 'action', 'playAudio', 'say', -1, 3, 4);
    b.starts.push(a);
    b.fallsOff.push(a);
    const out: Diagnostic[] = [];
    checkGraph(b.build({ flowType: 'inboundcall' }), {}, out);
    expect(out).toEqual([
      {
        code: 'missing-terminal',
        severity: 'warning',
        message: `the path through playAudio 'say' (a) runs off the end of its task ${RUNS_OFF}`,
        file: 'built',
        line: 3,
        column: 4,
        hint: MISSING_HINT,
      },
    ]);
  });
});

describe('dead code and unreached containers', () => {
  it('an action after a disconnect can never run', () => {
    const text = inTask(`          - disconnect:
              name: bye
          - playAudio:
              name: never
`);
    expect(check(text)).toEqual([
      {
        code: 'dead-code',
        severity: 'warning',
        message:
          "playAudio 'never' (t/2) can never run: it follows disconnect 'bye' (t/1), which never continues",
        file: 'flow.yaml',
        line: 12,
        column: 13,
        hint: 'Remove the actions after it, or move them into a branch that is taken.',
      },
    ]);
  });

  it('two unreached tasks, one jumping to the other: one finding named by the first task', () => {
    const text = `inboundCall:
  name: Probe
  startUpRef: ./tasks/task[s]
  defaultLanguage: en-us
  tasks:
    - task:
        name: Start
        refId: s
        actions:
          - disconnect:
              name: bye
    - task:
        name: One
        refId: t1
        actions:
          - jumpToTask:
              name: on
              targetTaskRef: ./tasks/task[t2]
    - task:
        name: Two
        refId: t2
        actions:
          - disconnect:
              name: end
`;
    // The region: task One, its jump, task Two, its disconnect.
    expect(check(text)).toEqual([
      {
        code: 'unreachable',
        severity: 'warning',
        message: "task 'One' (t1) (with 3 more nodes) is never reached from the start",
        file: 'flow.yaml',
        line: 12,
        column: 7,
        hint: 'Nothing jumps to it: reference it (targetMenuRef/targetTaskRef or startUpRef), or delete it.',
      },
    ]);
  });
});

describe('self-transfer', () => {
  it('only a flow reference with the same name and flow type is a self-transfer', () => {
    // The same name as a secure call flow, another inbound flow, and a queue named like the flow
    // are no self-transfer.
    const text = `inboundCall:
  name: Self
  startUpRef: ./tasks/task[t]
  defaultLanguage: en-us
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - transferToFlow:
              name: again
              targetFlow:
                name: Self
          - transferToFlowSecure:
              name: secure
              targetFlow:
                name: Self
          - transferToFlow:
              name: other
              targetFlow:
                name: Other
          - transferToAcd:
              name: queue
              targetQueue:
                lit:
                  name: Self
          - disconnect:
              name: bye
`;
    expect(check(text)).toEqual([
      {
        code: 'self-transfer',
        severity: 'warning',
        message: "transferToFlow targets this flow itself ('Self'): Architect restarts the flow",
        file: 'flow.yaml',
        line: 13,
        column: 17,
        hint: 'Jump to a menu or task instead of transferring to the same flow.',
      },
    ]);
  });

  it('a flow without any node that transfers to itself is still a self-transfer', () => {
    // The same reference is reported when the flow has a task; having none must not hide it.
    const text = `inboundCall:
  name: Self
  defaultLanguage: en-us
  settingsErrorHandling:
    transferToFlow:
      targetFlow:
        name: Self
`;
    expect(check(text)).toEqual([
      {
        code: 'self-transfer',
        severity: 'warning',
        message: "transferToFlow targets this flow itself ('Self'): Architect restarts the flow",
        file: 'flow.yaml',
        line: 7,
        column: 9,
        hint: 'Jump to a menu or task instead of transferring to the same flow.',
      },
    ]);
  });

  it('in a graph of unknown flow type, a queue named like the flow is no self-transfer; a flow is', () => {
    // checkGraph is public: a built graph may have a name and no flow type, like its queue reference.
    const b = new FlowGraphBuilder('built', 'archy');
    b.starts.push(b.addNode('t', 'task', 'task', 'T', -1, 1, 1));
    b.references.push({ kind: 'queue', name: 'X', via: 'transferToAcd', line: 2, column: 3 });
    b.references.push({ kind: 'flow', name: 'X', via: 'transferToFlow', line: 4, column: 5 });
    const out: Diagnostic[] = [];
    checkGraph(b.build({ name: 'X' }), {}, out);
    expect(out).toEqual([
      {
        code: 'self-transfer',
        severity: 'warning',
        message: "transferToFlow targets this flow itself ('X'): Architect restarts the flow",
        file: 'built',
        line: 4,
        column: 5,
        hint: 'Jump to a menu or task instead of transferring to the same flow.',
      },
    ]);
  });
});
