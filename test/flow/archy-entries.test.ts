/**
 * Issue 19: per flow type, the starts and entry points Architect follows, the settings it
 * requires, shape rules only where Archy defines them, and one finding per cause. One minimal flow
 * per rule of docs/ARCHY-BRANCHING.md; each failed before (false no-start, unreachable, schema
 * errors, cascades).
 */
import { describe, expect, it } from 'vitest';
import { codes, validateText } from '../helpers/flow.js';

const state = (refId: string, actions: string) => `    name: ${refId}
    refId: ${refId}
    actions:
${actions}`;

describe('in-queue email and message flows start at startUpState and repeat periodicState', () => {
  // The shape of the Terraform provider's in-queue flows
  // (genesyscloud/routing_queue/resource_genesyscloud_routing_queue_test.go).
  for (const root of ['inqueueEmail', 'inqueueShortMessage']) {
    const flow = (periodic: string) => `${root}:
  name: In queue
  defaultLanguage: en-us
  settingsErrorHandling:
    errorHandling:
      endInQueueState:
        none: true
  startUpState:
${state('Initial State_10', '      - endState:\n          name: End State\n')}  periodicState:
${state('Recurring State_12', periodic)}`;
    it(`${root}: both states are built and checked, with no no-start`, () => {
      expect(codes(validateText(flow('      - endState:\n          name: End State\n')))).toEqual([]);
      const r = validateText(
        flow('      - changeState:\n          name: go\n          targetStateRef: ./states/state[nowhere]\n'),
      );
      const d = r.diagnostics.find((x) => x.code === 'unresolved-reference')!;
      expect([d.line, d.column]).toEqual([20, 27]);
      expect(codes(r)).toEqual(['unresolved-reference']);
    });
  }

  it('without either, no-start says what starts such a flow', () => {
    const r = validateText('inqueueEmail:\n  name: x\n  defaultLanguage: en-us\n');
    expect(r.diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ['no-start', expect.stringContaining('startUpState')],
    ]);
  });
});

describe('settings required per flow type', () => {
  it('a common module takes its language from its caller: supportedLanguages none, no defaultLanguage', () => {
    const r = validateText(`commonModule:
  name: Shared
  supportedLanguages:
    de-de:
      none: true
  startUpTaskActions:
    - playAudio:
        name: hi
`);
    expect(codes(r)).toEqual([]);
  });

  it('a survey invite has no language settings at all', () => {
    const r = validateText(`surveyInvite:
  name: SendSurvey
  startUpRef: "/surveyInvite/states/state[s]"
  states:
    - state:
        name: Send
        refId: s
        actions:
          - abortSurveyInvite:
              name: Abort
              disposition:
                lit: optOut
`);
    expect(codes(r)).toEqual([]);
  });

  it('an inbound call flow still needs its defaultLanguage', () => {
    const r = validateText(`inboundCall:
  name: Main
  startUpRef: ./tasks/task[t]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: bye
`);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['schema', "the flow has no 'defaultLanguage'"],
    ]);
  });
});

describe('entry points set up by the settings', () => {
  const bot = (settings: string, taskRef = 'answer') => `digitalBot:
  name: Bot
  defaultLanguage: en-us
  startUpRef: "/digitalBot/bots/bot[b]"
${settings.replaceAll('@REF', `./tasks/task[${taskRef}]`)}  tasks:
    - task:
        name: Answer
        refId: answer
        actions:
          - exitBotFlow:
              name: answered
  bots:
    - bot:
        name: Default Bot
        refId: b
        actions:
          - exitBotFlow:
              name: bye
`;

  it('a knowledge path names the task a matched article runs (ArchSettingsNluKnowledge#knowledgeTargetTask)', () => {
    const settings = `  settingsKnowledge:
    DevOpsKnowledgeBase:
      knowledgePath:
        targetTaskRef: @REF
`;
    expect(codes(validateText(bot(settings)))).toEqual([]);
    const r = validateText(bot(settings, 'gone'));
    // The task nothing else enters is then unreachable, a fact of its own.
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['unresolved-reference', 8, 24],
      ['unreachable', 10, 7],
    ]);
    expect(codes(validateText(bot('')))).toEqual(['unreachable']);
  });

  it('error and agent-escalation handling name a task (ArchSettingsEventErrorFlow#targetTask)', () => {
    const settings = `  settingsErrorHandling:
    errorHandling:
      task:
        targetTaskRef: @REF
    agentEscalationHandling:
      task:
        targetTaskRef: @REF
`;
    expect(codes(validateText(bot(settings)))).toEqual([]);
    expect(codes(validateText(bot(settings, 'gone')))).toEqual([
      'unresolved-reference',
      'unresolved-reference',
      'unreachable',
    ]);
  });

  it('an intent mapped to a task by name enters that task (ArchSettingsNluIntent#associatedTask)', () => {
    const settings = (task: string) => `  settingsBotFlow:
    intentSettings:
      - intent:
          name: Book an Appointment
          task: ${task}
`;
    expect(codes(validateText(bot(settings('Answer'))))).toEqual([]);
    const r = validateText(bot(settings('Booking')));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      [
        'unresolved-reference',
        9,
        17,
        "intent 'Book an Appointment' runs task 'Booking', which this flow does not declare",
      ],
      ['unreachable', 11, 7, expect.stringContaining("task 'Answer'")],
    ]);
  });
});

describe('shape rules only where Archy defines them', () => {
  it("a voice survey's answer options may say dtmf: {lit: '1'}; a menu choice must say digit_1", () => {
    const survey = validateText(`voiceSurvey:
  name: Survey
  defaultLanguage: en-us
  startUpRef: "/voiceSurvey/states/state[s]"
  settingsVoiceSurvey:
    questions:
      - question:
          answerOptions:
            lit:
              - lit:
                  dtmf:
                    lit: "1"
  states:
    - state:
        name: Ask
        refId: s
        actions:
          - disconnect:
              name: done
`);
    expect(codes(survey)).toEqual([]);
    const menu = validateText(`inboundCall:
  name: Main
  defaultLanguage: en-us
  startUpRef: ./menus/menu[m]
  menus:
    - menu:
        name: Main
        refId: m
        choices:
          - menuDisconnect:
              name: bye
              dtmf: "1"
`);
    expect(menu.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['schema', 12, "'dtmf' must be digit_0 … digit_9, star or pound, not '1'"],
    ]);
  });
});

describe('one cause, one finding: what an unresolved substitution leaves is not checked again', () => {
  const only = (text: string) =>
    validateText(text)
      .diagnostics.map((d) => d.code)
      .filter((c) => c !== 'unresolved-substitution');
  const flow = (over: Record<string, string> = {}) => `${over.root ?? 'inboundCall'}:
  name: Main
  defaultLanguage: ${over.language ?? 'en-us'}
  startUpRef: ./tasks/task[${over.start ?? 't'}]
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - ${over.action ?? 'transferToAcd'}:
              name: go
              targetQueue:
                lit:
                  name: ${over.queue ?? 'Sales'}
          - disconnect:
              name: bye
`;

  it('defaultLanguage, startUpRef, an action key, a queue name and the root key: only the token is reported', () => {
    expect(only(flow())).toEqual([]);
    for (const over of [
      { language: '{{ default_language }}' },
      { start: '{{ start_task }}' },
      { action: '{{ transfer_action }}' },
      { root: '{{ flow_type }}' },
    ]) {
      const r = validateText(flow(over));
      expect(codes(r), JSON.stringify(over)).toEqual(['unresolved-substitution']);
    }
    const q = validateText(flow({ queue: '{{ queue_name }}' }));
    expect(codes(q)).toEqual(['unresolved-substitution']);
    expect(q.files[0]!.graph!.references.filter((x) => x.kind === 'queue')).toEqual([]);
  });
});
