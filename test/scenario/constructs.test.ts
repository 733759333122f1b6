/**
 * Each construct the interpreter runs, on a minimal flow: menus (DTMF, speech, no input, no match,
 * retries, sub-menus, repeat), tasks and callTask, decisions, switches, loops, jumps, data actions
 * and tables (mocked; a missing mock errs), schedules and schedule groups, variables and
 * participant data, bot intents and slots, terminal actions, error handling, the action limit.
 */
import { describe, expect, it } from 'vitest';
import { actionsFlow, flow, lineOf, run, tasksFlow } from './helpers.js';

const MENU = `inboundCall:
  name: Menus
  defaultLanguage: en-us
  startUpRef: ./menus/menu[main]
  settingsMenu:
    repeatCount:
      lit: 1
  menus:
    - menu:
        name: Main
        refId: main
        audio:
          tts: For loans press 3, or say billing.
        choices:
          - menuTransferToAcd:
              name: Loans
              dtmf: digit_3
              targetQueue:
                lit:
                  name: Loans
          - menuJumpToTask:
              name: Billing
              dtmf: digit_4
              speechRecTerms: [billing, invoices]
              targetTaskRef: ./tasks/task[billing]
          - menuSubMenu:
              name: More
              dtmf: star
              menu:
                name: More options
                refId: more
                audio:
                  tts: More options. Press 1 to go back.
                choices:
                  - menuPreviousMenu:
                      name: Back
                      dtmf: digit_1
                  - menuDisconnect:
                      name: Bye
                      dtmf: pound
          - menuRepeatMenu:
              name: Again
              dtmf: digit_0
  tasks:
    - task:
        name: Billing
        refId: billing
        actions:
          - transferToAcd:
              name: To billing
              targetQueue:
                lit:
                  name: Billing
`;

describe('menus', () => {
  it('a DTMF key picks its choice', () => {
    const r = run(MENU, { input: [{ dtmf: 3 }], expect: { ends: { transferToAcd: { queue: 'Loans' } } } });
    expect(r.status).toBe('pass');
    expect(r.end).toMatchObject({ type: 'transferToAcd', props: { queue: 'Loans' } });
  });

  it('an utterance picks the choice whose speech terms hold it', () => {
    const r = run(MENU, { input: [{ say: 'Invoices' }] });
    expect(r.end).toMatchObject({ type: 'transferToAcd', props: { queue: 'Billing' } });
    expect(r.path.some((p) => p.startsWith('task Billing'))).toBe(true);
  });

  it('no input and no match play the menu again; after 1 + repeatCount attempts the call ends', () => {
    const r = run(MENU, { input: [{ noInput: true }, { dtmf: 9 }] });
    expect(r.hears.filter((h) => h.startsWith('For loans'))).toHaveLength(2);
    expect(r.end).toMatchObject({
      type: 'disconnect',
      props: { reason: "no choice at menu 'Main' after 2 attempts" },
    });
    expect(r.path.filter((p) => /^no (input|match) at menu Main/.test(p))).toHaveLength(2);
  });

  it('a retry that then picks a choice goes on', () => {
    const r = run(MENU, { input: [{ dtmf: 9 }, { dtmf: 3 }] });
    expect(r.end?.props.queue).toBe('Loans');
  });

  it('a sub-menu, its previous-menu choice back, and a repeat', () => {
    const r = run(MENU, { input: [{ dtmf: '*' }, { dtmf: 1 }, { dtmf: 0 }, { dtmf: 3 }] });
    expect(r.hears).toEqual([
      'For loans press 3, or say billing.',
      'More options. Press 1 to go back.',
      'For loans press 3, or say billing.',
      'For loans press 3, or say billing.',
    ]);
    expect(r.end?.props.queue).toBe('Loans');
  });

  it('a transfer choice that fails returns to the menu', () => {
    const r = run(MENU, { input: [{ dtmf: 3 }, { dtmf: '*' }, { dtmf: '#' }], assume: { Loans: 'failure' } });
    expect(r.end?.type).toBe('disconnect');
    expect(r.hears.filter((h) => h.startsWith('For loans'))).toHaveLength(2);
  });
});

describe('tasks, decisions, switches, loops, jumps', () => {
  it('callTask runs the task and comes back; a decision takes yes or no from its condition', () => {
    const text = tasksFlow(`    - task:
        name: Start
        refId: start
        variables:
          - integerVariable:
              name: Task.n
              initialValue:
                lit: 2
        actions:
          - callTask:
              name: helper
              targetTaskRef: ./tasks/task[helper]
          - decision:
              name: Big?
              condition:
                exp: Flow.total > 10
              outputs:
                yes:
                  actions:
                    - disconnect:
                        name: big
          - disconnect:
              name: small
    - task:
        name: Helper
        refId: helper
        actions:
          - updateData:
              name: set
              statements:
                - integer:
                    variable: Flow.total
                    value:
                      exp: Task.n * 3
`);
    const r = run(text, { expect: { variables: { 'Flow.total': 6 } } });
    expect(r.status).toBe('pass');
    expect(r.end?.where).toContain(lineOf(text, 'name: small'));
    expect(r.path.some((p) => p.startsWith('decision Big? → no'))).toBe(true);
    expect(run(text, { assume: { 'Big?': 'yes' } }).end?.where).toContain(lineOf(text, 'name: big'));
  });

  it('switch: firstTrue takes the first true case, firstMatch the first equal one, else default', () => {
    const sw = (mode: string) =>
      actionsFlow(`          - switch:
              name: route
              evaluate:
${mode}
          - disconnect:
              name: after
`);
    const firstTrue = sw(`                firstTrue:
                  cases:
                    - case:
                        value:
                          exp: Call.Language == "fr-fr"
                        actions:
                          - transferToAcd:
                              name: fr
                              targetQueue:
                                lit:
                                  name: French
                    - case:
                        value:
                          exp: Call.Language == "en-us"
                        actions:
                          - transferToAcd:
                              name: en
                              targetQueue:
                                lit:
                                  name: English
                  default:
                    actions:
                      - transferToAcd:
                          name: other
                          targetQueue:
                            lit:
                              name: Other`);
    expect(run(firstTrue).end?.props.queue).toBe('English');
    expect(run(firstTrue, { caller: { language: 'de-de' } }).end?.props.queue).toBe('Other');
    const firstMatch = sw(`                firstMatch:
                  string:
                    value:
                      exp: Flow.tier
                    cases:
                      - case:
                          value:
                            lit: gold
                          actions:
                            - transferToAcd:
                                name: gold
                                targetQueue:
                                  lit:
                                    name: Gold`);
    expect(run(firstMatch, { variables: { 'Flow.tier': 'gold' } }).end?.props.queue).toBe('Gold');
    expect(run(firstMatch, { variables: { 'Flow.tier': 'silver' } }).end?.type).toBe('disconnect');
  });

  it('loop: its count, its index, loopExit', () => {
    const text = actionsFlow(`          - loop:
              name: count
              currentIndex:
                var: Flow.i
              loopCount:
                lit: 5
              outputs:
                loop:
                  actions:
                    - updateData:
                        name: add
                        statements:
                          - integer:
                              variable: Flow.sum
                              value:
                                exp: If(IsSet(Flow.sum), Flow.sum, 0) + Flow.i
                    - decision:
                        name: enough?
                        condition:
                          exp: Flow.i >= 3
                        outputs:
                          yes:
                            actions:
                              - loopExit:
                                  name: stop
          - disconnect:
              name: bye
`);
    const r = run(text, { expect: { variables: { 'Flow.sum': 6, 'Flow.i': 3 } } });
    expect(r.message).toBeUndefined();
    expect(r.status).toBe('pass');
  });

  it('jumpToMenu and jumpToTask replace the container', () => {
    const text = `inboundCall:
  name: Jumps
  defaultLanguage: en-us
  startUpRef: ./tasks/task[a]
  menus:
    - menu:
        name: M
        refId: m
        audio:
          tts: menu m
        choices:
          - menuDisconnect:
              name: bye
              dtmf: digit_1
  tasks:
    - task:
        name: A
        refId: a
        actions:
          - jumpToMenu:
              name: go
              targetMenuRef: ./menus/menu[m]
          - disconnect:
              name: never
`;
    const r = run(text, { input: [{ dtmf: 1 }] });
    expect(r.hears).toEqual(['menu m']);
    expect(r.end?.where).toContain(lineOf(text, 'name: bye'));
  });

  it('a path that runs off the end of a call flow disconnects', () => {
    const r = run(
      actionsFlow(`          - playAudio:
              name: hi
              audio:
                tts: hello
`),
    );
    expect(r.end).toMatchObject({
      type: 'disconnect',
      props: { reason: "the task 'Start' runs off its end (Architect disconnects)" },
    });
  });
});

describe('data actions, data tables, schedules', () => {
  const callData = (outputs = '') =>
    actionsFlow(`          - callData:
              name: Lookup
              category:
                Cat:
                  dataAction:
                    Get Customer:
                      successOutputs:
                        tier:
                          var: Flow.tier
              outputs:
                success:
                  actions:
                    - transferToAcd:
                        name: ok
                        targetQueue:
                          exp: Flow.tier
${outputs}          - transferToAcd:
              name: fallback
              targetQueue:
                lit:
                  name: Support
`);

  it('a data action answers from the case: success with outputs, failure', () => {
    expect(
      run(callData(), { dataActions: { 'Cat/Get Customer': { success: { tier: 'gold' } } } }).end?.props
        .queue,
    ).toBe('gold');
    expect(run(callData(), { dataActions: { 'Get Customer': 'failure' } }).end?.props.queue).toBe('Support');
  });

  it('a data action without a mock is an error naming it and its line', () => {
    const r = run(callData());
    expect(r.status).toBe('error');
    expect(r.message).toBe(
      `the data action 'Cat/Get Customer' (action 'Lookup') has no mock in the case (${lineOf(callData(), 'name: Lookup')}15)`,
    );
    expect(r.hint).toContain("dataActions: {'Cat/Get Customer'");
  });

  it('a data table lookup finds its row by the lookup value', () => {
    const text = actionsFlow(`          - dataTableLookup:
              name: Find
              lookupValue:
                exp: Right(Call.Ani, 4)
              dataTable:
                VIP:
                  foundOutputs:
                    level:
                      var: Flow.level
              outputs:
                found:
                  actions:
                    - disconnect:
                        name: vip
          - disconnect:
              name: normal
`);
    const tables = { VIP: { '0100': { level: 'platinum' } } };
    const vip = run(text, {
      caller: { ani: '+13175550100' },
      dataTables: tables,
      expect: { variables: { 'Flow.level': 'platinum' } },
    });
    expect(vip.status).toBe('pass');
    expect(vip.end?.where).toContain(lineOf(text, 'name: vip'));
    expect(run(text, { caller: { ani: '+13175550199' }, dataTables: tables }).end?.where).toContain(
      lineOf(text, 'name: normal'),
    );
    expect(run(text, { caller: { ani: '+1' } }).message).toContain("the data table 'VIP'");
  });

  const schedules = actionsFlow(`          - evaluateScheduleGroup:
              name: Hours
              scheduleGroup:
                lit:
                  name: Support Hours
              outputs:
                open:
                  actions:
                    - evaluateSchedule:
                        name: Lunch
                        evaluationType:
                          schedule:
                            selectedSchedule:
                              lit:
                                name: Lunch break
                        outputs:
                          active:
                            actions:
                              - disconnect:
                                  name: lunch
                          inactive:
                            actions:
                              - transferToAcd:
                                  name: agents
                                  targetQueue:
                                    lit:
                                      name: Support
                holiday:
                  actions:
                    - disconnect:
                        name: holiday
          - disconnect:
              name: closed
`);

  it('schedule groups and schedules from the case, a definition evaluated at the case time', () => {
    const lunch = { open: 'Mon-Fri 12:00-13:00', timeZone: 'America/New_York' };
    const at = (t: string) =>
      run(schedules, {
        at: t,
        scheduleGroups: { 'Support Hours': 'open' },
        schedules: { 'Lunch break': lunch },
      });
    expect(at('2026-12-02T12:30:00-05:00').end?.where).toContain(lineOf(schedules, 'name: lunch')); // Wednesday, lunch
    expect(at('2026-12-02T16:30:00Z').end?.props.queue).toBe('Support'); // 11:30 in New York
    expect(at('2026-12-05T12:30:00-05:00').end?.props.queue).toBe('Support'); // Saturday
    expect(run(schedules, { scheduleGroups: { 'Support Hours': 'holiday' } }).end?.where).toContain(
      lineOf(schedules, 'name: holiday'),
    );
    expect(run(schedules, { scheduleGroups: { 'Support Hours': 'closed' } }).end?.where).toContain(
      lineOf(schedules, 'name: closed'),
    );
    expect(run(schedules).message).toContain("the schedule group 'Support Hours'");
  });
});

describe('variables, participant data, bots, terminal actions', () => {
  it('setParticipantData and getParticipantData', () => {
    const text = actionsFlow(`          - setParticipantData:
              name: set
              attributes:
                - attribute:
                    name:
                      lit: Tier
                    value:
                      exp: Upper("gold")
          - getParticipantData:
              name: get
              attributes:
                - attribute:
                    name:
                      lit: Seen
                    variable: Flow.seen
          - disconnect:
              name: bye
`);
    const r = run(text, {
      participantData: { Seen: 'yes' },
      expect: { participantData: { Tier: 'GOLD' }, variables: { 'Flow.seen': 'yes' } },
    });
    expect(r.status).toBe('pass');
  });

  it('a bot: the intent of an utterance picks its output, slots fill Slot.*, askForSlot takes the utterance', () => {
    const text = `botFlow:
  name: Bot
  defaultLanguage: en-us
  startUpRef: ./bots/bot[b]
  bots:
    - bot:
        name: B
        refId: b
        actions:
          - askForIntent:
              name: ask
              question:
                exp: MakeCommunication("What do you need?")
              outputs:
                intents:
                  - intent:
                      name: Balance
                      actions:
                        - askForSlot:
                            name: account
                            slot:
                              name: Account
                            question:
                              exp: MakeCommunication("Which account?")
                        - exitBotFlow:
                            name: done
                noIntent:
                  actions:
                    - exitBotFlow:
                        name: lost
`;
    const r = run(text, {
      input: [{ say: 'check my balance', intent: 'Balance', slots: { Period: 'May' } }, { say: 'savings' }],
      expect: {
        hears: ['What do you need?', 'Which account?'],
        variables: { 'Slot.Account': 'savings', 'Slot.Period': 'May' },
      },
    });
    expect(r.message).toBeUndefined();
    expect(r.end?.type).toBe('exitBotFlow');
    expect(run(text, { input: [{ say: 'hello', intent: 'Greeting' }] }).end?.where).toContain(
      lineOf(text, 'name: lost'),
    );
  });

  it('endWorkflow ends a workflow with its exit reason', () => {
    const text = `workflow:
  name: W
  defaultLanguage: en-us
  startUpRef: ./states/state[s]
  states:
    - state:
        name: S
        refId: s
        actions:
          - endWorkflow:
              name: end
              exitReason:
                lit: done
`;
    expect(run(text).end).toMatchObject({ type: 'endWorkflow', props: { exitReason: 'done' } });
  });

  it('collectInput stores the digits; no digits take failure', () => {
    const text = actionsFlow(`          - collectInput:
              name: pin
              inputData:
                var: Flow.pin
              inputAudio:
                tts: Enter your PIN
              outputs:
                failure:
                  actions:
                    - disconnect:
                        name: nopin
          - disconnect:
              name: ok
`);
    expect(
      run(text, { input: [{ dtmf: '1234' }], expect: { variables: { 'Flow.pin': '1234' } } }).status,
    ).toBe('pass');
    expect(run(text).end?.where).toContain(lineOf(text, 'name: nopin'));
  });
});

describe('flows of the manifest, errors, limits', () => {
  const caller = actionsFlow(`          - callCommonModule:
              name: auth
              commonModule:
                Authenticate:
                  ver_latestPublished: {}
                  inputs:
                    Common.ani:
                      exp: Call.Ani
                  outputs:
                    Common.ok:
                      var: Flow.ok
          - transferToFlow:
              name: onward
              targetFlow:
                name: Second
`);
  const module = flow(
    `commonModule:
  name: Authenticate
  startUpTaskActions:
    - updateData:
        name: check
        statements:
          - boolean:
              variable: Common.ok
              value:
                exp: Contains(Common.ani, "555")
`,
    'module.yaml',
  );
  const second = flow(
    actionsFlow(`          - transferToAcd:
              name: q
              targetQueue:
                lit:
                  name: Second queue
`),
    'second.yaml',
  );

  it('a common module and a flow of the manifest are followed; outside it, the module is passed and the transfer ends', () => {
    const lookup = (name: string, kind: string) =>
      kind === 'commonModule'
        ? name === 'Authenticate'
          ? module
          : undefined
        : name === 'Second'
          ? second
          : undefined;
    const inside = run(
      caller,
      { caller: { ani: '+13175550100' }, expect: { ends: { transferToAcd: { queue: 'Second queue' } } } },
      lookup,
    );
    expect(inside.status).toBe('pass');
    expect(inside.path.some((p) => p.startsWith('→ flow Second (in the manifest: followed)'))).toBe(true);
    // The module's output came back: Flow.ok of the first flow was true before the transfer.
    expect(inside.path.some((p) => p.includes('updateData check') && p.includes('module.yaml'))).toBe(true);
    const outside = run(caller);
    expect(outside.end).toMatchObject({ type: 'transferToFlow', props: { flow: 'Second' } });
    expect(outside.path.some((p) => p.includes("'Authenticate' is not in the manifest: not followed"))).toBe(
      true,
    );
  });

  it('an unsupported expression names the function and its line:column; assume settles it', () => {
    const text = actionsFlow(`          - decision:
              name: Odd
              condition:
                exp: IsPrime(Flow.n)
              outputs:
                yes:
                  actions:
                    - disconnect:
                        name: y
          - disconnect:
              name: n
`);
    const r = run(text);
    expect(r.status).toBe('error');
    expect(r.message).toBe(
      `the expression 'IsPrime(Flow.n)' uses the function 'IsPrime', which the interpreter does not support (${lineOf(text, 'exp: IsPrime')}22)`,
    );
    expect(run(text, { assume: { Odd: 'yes' } }).end?.where).toContain(lineOf(text, 'name: y'));
  });

  it('a runtime error (NOT_SET in arithmetic) runs the flow’s error handling', () => {
    const text = actionsFlow(
      `          - updateData:
              name: add
              statements:
                - integer:
                    variable: Flow.x
                    value:
                      exp: 5 + Flow.missing
          - disconnect:
              name: bye
`,
      `  settingsErrorHandling:
    errorHandling:
      task:
        targetTaskRef: ./tasks/task[oops]
    preHandlingAudio:
      tts: Sorry, an error occurred.
`,
    ).replace(
      '  tasks:\n',
      `  tasks:
    - task:
        name: Oops
        refId: oops
        actions:
          - transferToAcd:
              name: help
              targetQueue:
                lit:
                  name: Help
`,
    );
    const r = run(text);
    expect(r.end?.props.queue).toBe('Help');
    expect(r.hears).toEqual(['Sorry, an error occurred.']);
    expect(r.path.some((p) => p.startsWith("flow error: NOT_SET used with '+' in '5 + Flow.missing'"))).toBe(
      true,
    );
  });

  it('a loop with no way out fails at 10,000 actions, naming the loop', () => {
    const text = tasksFlow(`    - task:
        name: Start
        refId: start
        actions:
          - playAudio:
              name: ping
              audio:
                tts: ping
          - jumpToTask:
              name: again
              targetTaskRef: ./tasks/task[other]
    - task:
        name: Other
        refId: other
        actions:
          - jumpToTask:
              name: back
              targetTaskRef: ./tasks/task[start]
`);
    const r = run(text);
    expect(r.status).toBe('fail');
    expect(r.actions).toBe(10_001);
    expect(r.message).toMatch(/^the case ran 10,000 actions, Architect's limit per flow: it loops through /);
    expect(r.message).toContain('jumpToTask again (flow.yaml:');
    expect(r.message).toContain('jumpToTask back (flow.yaml:');
  });
});
