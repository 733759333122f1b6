/**
 * Issue 19: branching from the action catalogue (generated from the Architect Scripting SDK), one
 * minimal flow per rule of docs/ARCHY-BRANCHING.md. Each failed before the catalogue drove the
 * converter (false missing-terminal, unfollowed list outputs, false loops of empty lists…).
 */
import { describe, expect, it } from 'vitest';
import { codes, validateText } from '../helpers/flow.js';

/** An inbound call flow whose start task holds `actions` (indented for the task's list). */
const call = (actions: string, more = '') => `inboundCall:
  name: Main
  defaultLanguage: en-us
  startUpRef: ./tasks/task[start]
  tasks:
    - task:
        name: Start
        refId: start
        actions:
${actions}${more}`;

const bye = (indent: number, name = 'bye') =>
  `${' '.repeat(indent)}- disconnect:\n${' '.repeat(indent + 4)}name: ${name}\n`;
/** `outputs:` listing each name with a disconnect, at the indentation of an action's keys. */
const outputs = (names: string[], indent = 14) =>
  `${' '.repeat(indent)}outputs:\n` +
  names
    .map(
      (n) =>
        `${' '.repeat(indent + 2)}${n}:\n${' '.repeat(indent + 4)}actions:\n${bye(indent + 6, `bye-${n}`)}`,
    )
    .join('');

describe('an action whose outputs are all listed has no fall-through', () => {
  for (const [action, names] of [
    ['decision', ['yes', 'no']],
    ['callData', ['success', 'failure', 'timeout']],
    ['collectInput', ['success', 'failure']],
    ['dataTableLookup', ['found', 'notFound', 'failure']],
    ['evaluateScheduleGroup', ['open', 'closed', 'holiday', 'emergency']],
    ['findQueue', ['found', 'notFound']],
  ] as const) {
    it(`${action} with ${names.join(', ')}: no missing-terminal; an action after it is dead code`, () => {
      const r = validateText(
        call(`          - ${action}:\n              name: branch\n${outputs([...names])}`),
      );
      expect(codes(r)).toEqual([]);
      const after = validateText(
        call(`          - ${action}:\n              name: branch\n${outputs([...names])}${bye(10, 'never')}`),
      );
      expect(codes(after)).toEqual(['dead-code']);
      expect(after.diagnostics[0]!.message).toContain("'never'");
    });
  }

  it('a decision listing only yes still continues when no (missing-terminal at the decision)', () => {
    const r = validateText(call(`          - decision:\n              name: branch\n${outputs(['yes'])}`));
    expect(codes(r)).toEqual(['missing-terminal']);
    expect(r.diagnostics[0]!.message).toContain("decision 'branch'");
  });

  it('an output listed without actions continues at the next sibling', () => {
    const r = validateText(
      call(
        `          - callData:\n              name: branch\n${outputs(['success', 'failure'])}                timeout:\n`,
      ),
    );
    expect(codes(r)).toEqual(['missing-terminal']);
  });

  it('switch: cases and default that all end leave nothing after the switch', () => {
    const r = validateText(
      call(`          - switch:
              name: route
              evaluate:
                firstTrue:
                  cases:
                    - case:
                        value:
                          exp: Flow.x == 1
                        actions:
${bye(26, 'one')}                  default:
                    actions:
${bye(22, 'other')}`),
    );
    expect(codes(r)).toEqual([]);
    const noDefault = validateText(
      call(`          - switch:
              name: route
              evaluate:
                firstTrue:
                  cases:
                    - case:
                        value:
                          exp: Flow.x == 1
                        actions:
${bye(26, 'one')}`),
    );
    expect(codes(noDefault)).toEqual(['missing-terminal']);
  });

  it('a transfer whose failure output is listed has no fall-through; setExternalTag continues on success', () => {
    const transfer = validateText(
      call(`          - transferToAcd:
              name: to queue
              targetQueue:
                lit:
                  name: Sales
${outputs(['failure'])}${bye(10, 'never')}`),
    );
    expect(codes(transfer)).toEqual(['dead-code']);
    const tag = validateText(
      call(
        `          - setExternalTag:\n              name: tag\n${outputs(['failure'])}${bye(10, 'after')}`,
      ),
    );
    expect(codes(tag)).toEqual([]);
  });

  it('askForSlot with both handlers switched off goes on to the next action (a filled slot is no output)', () => {
    const r = validateText(`botFlow:
  name: Bot
  defaultLanguage: en-us
  startUpRef: "/botFlow/bots/bot[b]"
  bots:
    - bot:
        name: Default Bot
        refId: b
        actions:
          - askForSlot:
              name: Ask for Slot
              slot:
                name: Email
              outputs:
                maxNoInputs:
                  enabled: false
                maxNoMatches:
                  enabled: false
          - exitBotFlow:
              name: Exit Bot Flow
`);
    expect(codes(r)).toEqual([]);
  });

  it('callTask: a default output that ends leaves no fall-through', () => {
    const r = validateText(
      call(
        `          - callTask:
              name: helper
              targetTaskRef: ./tasks/task[helper]
${outputs(['default'])}${bye(10, 'never')}`,
        `    - task:
        name: Helper
        refId: helper
        actions:
          - playAudio:
              name: hello
`,
      ),
    );
    expect(codes(r)).toEqual(['dead-code']);
  });
});

describe('outputs given as lists are followed', () => {
  it('askForIntent: each intent of outputs.intents is a branch; listing every NLU intent leaves no fall-through', () => {
    const bot = (intents: string[]) => `botFlow:
  name: Bot
  defaultLanguage: en-us
  startUpRef: "/botFlow/bots/bot[b]"
  settingsNaturalLanguageUnderstanding:
    nluDomainVersion:
      intents:
        - name: Book
        - name: Agent
  tasks:
    - task:
        name: Booking
        refId: booking
        actions:
          - exitBotFlow:
              name: booked
  bots:
    - bot:
        name: Default Bot
        refId: b
        actions:
          - askForIntent:
              name: Ask
              outputs:
                intents:
${intents
  .map(
    (i) => `                  - intent:
                      name: ${i}
                      actions:
                        - ${i === 'Book' ? 'jumpToTask' : 'exitBotFlow'}:
                            name: go-${i}
${i === 'Book' ? '                            targetTaskRef: ./tasks/task[booking]\n' : ''}`,
  )
  .join('')}                noIntent:
                  actions:
                    - exitBotFlow:
                        name: none
                knowledge:
                  actions:
                    - exitBotFlow:
                        name: article
                maxNoInputs:
                  enabled: false
          - exitBotFlow:
              name: after
`;
    const all = validateText(bot(['Book', 'Agent']));
    // The task is reached only through the intent's branch; 'after' only by a fall-through.
    expect(codes(all)).toEqual(['dead-code']);
    expect(all.diagnostics[0]!.message).toContain("'after'");
    expect(codes(validateText(bot(['Book'])))).toEqual([]);
  });

  it('a digital menu lists its choices under outputs.paths: a jump there reaches its task, a missing target is reported', () => {
    const flow = (target: string) => `inboundShortMessage:
  name: Messages
  defaultLanguage: en-us
  startUpRef: "/inboundShortMessage/states/state[s]"
  states:
    - state:
        name: Initial
        refId: s
        actions:
          - digitalMenu:
              name: Menu
              outputs:
                paths:
                  - path:
                      name: Sales
                      actions:
                        - changeState:
                            name: to sales
                            targetStateRef: ./states/state[${target}]
          - disconnect:
              name: bye
    - state:
        name: Sales
        refId: sales
        actions:
          - disconnect:
              name: done
`;
    expect(codes(validateText(flow('sales')))).toEqual([]);
    const missing = validateText(flow('nowhere')).diagnostics.find((d) => d.code === 'unresolved-reference')!;
    expect([missing.line, missing.column]).toEqual([19, 45]);
  });
});

describe('keys the catalogue does not know', () => {
  it('an unknown action is an info note with a hint; its outputs are followed and it continues', () => {
    const r = validateText(
      call(
        `          - calldata:
              name: typo
              outputs:
                failure:
                  actions:
                    - jumpToTask:
                        name: to other
                        targetTaskRef: ./tasks/task[other]
${bye(10)}`,
        `    - task:
        name: Other
        refId: other
        actions:
${bye(10, 'done')}`,
      ),
    );
    expect(codes(r)).toEqual(['unknown-action']);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'info',
      line: 10,
      column: 13,
      hint: "Did you mean 'callData'?",
    });
    expect(r.summary.errors + r.summary.warnings).toBe(0);
  });

  it('an unknown menu choice is an info note too', () => {
    const r = validateText(`inboundCall:
  name: Menus
  defaultLanguage: en-us
  startUpRef: ./menus/menu[m]
  menus:
    - menu:
        name: Main
        refId: m
        choices:
          - menuHangUp:
              name: bye
              dtmf: digit_1
`);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['unknown-action', 'info']]);
  });
});

describe('empty lists', () => {
  it('a task with no actions runs off its end: missing-terminal, not an infinite loop', () => {
    const r = validateText(call('          []\n').replace('actions:\n          []', 'actions: []'));
    expect(codes(r)).toEqual(['missing-terminal']);
  });

  it('an empty branch at the end of a task is no loop', () => {
    const r = validateText(
      call(`          - decision:
              name: branch
              outputs:
                yes:
                  actions: []
                no:
                  actions:
${bye(20)}`),
    );
    expect(codes(r)).toEqual(['missing-terminal']);
  });
});
