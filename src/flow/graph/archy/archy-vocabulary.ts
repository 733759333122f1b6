/**
 * The Archy vocabulary flowgate understands besides the actions (whose outputs and endings are in
 * the action catalogue, action-catalogue.ts): root keys and the keys that jump (FLOWS.md §1.3–1.6).
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

/** Keys of an action that name a menu, task or state of the same flow. */
export const CONTAINER_REF_KEYS: readonly string[] = [
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
