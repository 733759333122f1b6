/**
 * Per Archy flow type (the root key): how the flow starts, whether its paths must end in a
 * terminating action, and which settings Archy requires. Sources, per rule, in
 * docs/ARCHY-BRANCHING.md; in short: the Architect Scripting SDK's ArchFlow* pages (`startUpObject`,
 * `periodicState`, ArchTaskLoop), the Terraform provider's flows, and the public flows the project has.
 */

/** What starts a flow of one type. */
export type StartKind =
  /** `startUpRef` names a menu or task (call flows: ArchFlowInboundCall#startUpObject is ArchTask|ArchMenu). */
  | 'ref'
  /** `startUpTaskActions`: one implicit looping task (ArchFlowInQueueCall#startUpObject is an ArchTaskLoop). */
  | 'taskActions'
  /** `startUpState` and the repeating `periodicState` (ArchFlowInQueueEmail, ArchFlowInQueueShortMessage). */
  | 'states'
  /** Either `startUpRef` or `startUpTaskActions` (ArchFlowCommonModule#startUpObject is an ArchTask). */
  | 'refOrTaskActions';

/** The rules of one flow type. */
export interface FlowTypeRules {
  start: StartKind;
  /** The start-up actions repeat until the interaction leaves the queue (ArchTaskLoop: "the task will start over"). */
  repeats: boolean;
  /** A path that runs off a task's end is a mistake (Architect disconnects the call). */
  needsTerminal: boolean;
  /** Whether the flow must name its `defaultLanguage`. */
  needsDefaultLanguage: boolean;
}

const CALL: FlowTypeRules = { start: 'ref', repeats: false, needsTerminal: true, needsDefaultLanguage: true };
const STATES: FlowTypeRules = {
  start: 'ref',
  repeats: false,
  needsTerminal: false,
  needsDefaultLanguage: true,
};

/** Rules by lowercase API flow type (archy-vocabulary.ts maps root keys to these). */
export const FLOW_TYPE_RULES: Readonly<Record<string, FlowTypeRules>> = {
  inboundcall: CALL,
  outboundcall: CALL,
  securecall: CALL,
  voicemail: { ...CALL, needsTerminal: false },
  inboundemail: STATES,
  inboundshortmessage: STATES,
  inboundchat: STATES,
  workflow: STATES,
  workitem: STATES,
  bot: STATES,
  digitalbot: STATES,
  voice: STATES,
  voicesurvey: STATES,
  speech: STATES,
  emailsend: STATES,
  // Survey invites publish with neither defaultLanguage nor supportedLanguages
  // (GenesysCloudBlueprints/survey-sms-delivery-blueprint terraform/SendSurvey_v1-0.yaml).
  surveyinvite: { ...STATES, needsDefaultLanguage: false },
  inqueuecall: { start: 'taskActions', repeats: true, needsTerminal: false, needsDefaultLanguage: true },
  inqueueemail: { start: 'states', repeats: true, needsTerminal: false, needsDefaultLanguage: true },
  inqueueshortmessage: { start: 'states', repeats: true, needsTerminal: false, needsDefaultLanguage: true },
  // Common modules run in the language of the flow that calls them: they declare only
  // `supportedLanguages: {<tag>: {none: true}}` (issue 19).
  commonmodule: {
    start: 'refOrTaskActions',
    repeats: false,
    needsTerminal: false,
    needsDefaultLanguage: false,
  },
};

const FALLBACK: FlowTypeRules = {
  start: 'refOrTaskActions',
  repeats: false,
  needsTerminal: false,
  needsDefaultLanguage: true,
};

/** The rules of a flow type (a permissive default for a type this table does not know). */
export function flowTypeRules(flowType: string | undefined): FlowTypeRules {
  return (flowType !== undefined ? FLOW_TYPE_RULES[flowType] : undefined) ?? FALLBACK;
}
