/**
 * The Archy vocabulary flowgate understands: root keys, and how each action continues
 * (FLOWS.md §1.4–1.6).
 */

/** Archy root key → lowercase API flow type (API.md §2.2). The in-queue keys use a lower-case `q`. */
export const ARCHY_ROOT_KEYS: Readonly<Record<string, string>> = {
  inboundCall: 'inboundcall',
  inboundEmail: 'inboundemail',
  inboundShortMessage: 'inboundshortmessage',
  inboundChat: 'inboundchat',
  inqueueCall: 'inqueuecall',
  inqueueEmail: 'inqueueemail',
  inqueueShortMessage: 'inqueueshortmessage',
  outboundCall: 'outboundcall',
  commonModule: 'commonmodule',
  workflow: 'workflow',
  bot: 'bot',
  botFlow: 'bot',
  digitalBot: 'digitalbot',
  digitalBotFlow: 'digitalbot',
  secureCall: 'securecall',
  surveyInvite: 'surveyinvite',
  voice: 'voice',
  voicemail: 'voicemail',
  voiceSurvey: 'voicesurvey',
  workitem: 'workitem',
  speech: 'speech',
  emailSend: 'emailsend',
};

/** Flow types whose paths must end in a terminating action: a call that runs off a task's end is a mistake. */
export const NEEDS_TERMINAL = new Set(['inboundcall', 'outboundcall', 'securecall']);

/** In-queue flows repeat their start-up actions until an agent answers (FLOWS.md §1.5). */
export const REPEATING_STARTUP = new Set(['inqueuecall', 'inqueueemail', 'inqueueshortmessage']);

/** Actions that never continue to their next sibling (FLOWS.md §1.5: "any sibling after it is unreachable"). */
export const TERMINAL_ACTIONS = new Set([
  'disconnect',
  'jumpToMenu',
  'jumpToTask',
  'jumpToReusableTask',
  'jumpToState',
  'changeState',
  'endTask',
  'endState',
  'endWorkflow',
  'endFlow',
  'exitFlow',
  'exitBotFlow',
  'loopNext',
  'loopExit',
  'menuDisconnect',
  'menuJumpToTask',
  'menuJumpToMenu',
  'menuJumpToState',
]);

/** Actions after which the conversation leaves this flow (transfers leave on success; failure continues). */
export function leavesFlow(action: string): boolean {
  return (
    action === 'disconnect' ||
    action === 'menuDisconnect' ||
    action === 'endWorkflow' ||
    action === 'endFlow' ||
    action === 'exitFlow' ||
    action === 'exitBotFlow' ||
    action === 'endTask' ||
    action === 'endState' ||
    action.startsWith('transferTo') ||
    action.startsWith('menuTransferTo')
  );
}

/** Keys of an action that name a menu, task or state of the same flow. */
export const CONTAINER_REF_KEYS = [
  'targetTaskRef',
  'targetMenuRef',
  'targetStateRef',
  'targetReusableTaskRef',
];

/** Root keys with similar spelling, for "did you mean" hints. */
export function suggestRootKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.keys(ARCHY_ROOT_KEYS).find((k) => k.toLowerCase() === lower);
}
