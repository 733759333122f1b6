/**
 * What the SDK's pages do not say in a form a program can read, kept by hand with the source of
 * each entry (docs/ARCHY-BRANCHING.md lists them again). Everything else in the catalogue is read
 * from the pages by build.ts.
 */

/** How an action ends a path. */
export interface Ending {
  /** The action never continues to its next sibling. */
  terminal: boolean;
  /** Whether the interaction leaves the flow there: always, only when the action succeeds, or never. */
  exits: 'always' | 'onSuccess' | 'never';
  /** Where the rule comes from. */
  source: string;
}

const FLOWS_15 = 'docs/archy-format.md#control-flow (community parser genesys-admin-app js/lib/flowYaml.js)';

/**
 * Actions that end a path, by SDK class. The pages give no list: they document outputs, and an
 * action with no output either continues (playAudio) or ends the path (disconnect); which one is
 * written here.
 */
export const ENDINGS: Readonly<Record<string, Ending>> = {
  ArchActionDisconnect: { terminal: true, exits: 'always', source: FLOWS_15 },
  ArchActionEndTask: { terminal: true, exits: 'always', source: FLOWS_15 },
  ArchActionEndState: { terminal: true, exits: 'always', source: FLOWS_15 },
  ArchActionEndWorkflow: {
    terminal: true,
    exits: 'always',
    source: 'ArchActionEndWorkflow.html: "a terminating action in the workflow flow type"',
  },
  ArchActionExitBotFlow: { terminal: true, exits: 'always', source: FLOWS_15 },
  ArchActionExitWorkitemFlow: {
    terminal: true,
    exits: 'always',
    source: 'guess: named like ArchActionExitBotFlow, no outputs (no public flow seen)',
  },
  ArchActionReturnToAgent: {
    terminal: true,
    exits: 'always',
    source: 'guess: a secure flow hands the call back to the agent, no outputs (no public flow seen)',
  },
  ArchActionJumpToMenu: { terminal: true, exits: 'never', source: FLOWS_15 },
  ArchActionJumpToTask: { terminal: true, exits: 'never', source: FLOWS_15 },
  ArchActionChangeState: { terminal: true, exits: 'never', source: FLOWS_15 },
  ArchActionLoopNext: {
    terminal: true,
    exits: 'never',
    source: 'ArchFactoryActions.html#addActionLoopNext: "has to be contained somewhere within a loop"',
  },
  ArchActionLoopExit: {
    terminal: true,
    exits: 'never',
    source: 'ArchFactoryActions.html#addActionLoopExit: "has to be contained somewhere within a loop"',
  },
  ArchActionPreviousMenu: {
    terminal: true,
    exits: 'never',
    source:
      'guess: goes back to the menu that led here, which the graph does not follow (no public flow seen)',
  },
  ArchActionDialByExtension: {
    terminal: false,
    exits: 'onSuccess',
    source: 'guess: a fake success like the transfers (it dials the extension), failure and timeout outputs',
  },
};

/**
 * Outputs that are alternatives to an action's success (it timed out, failed, heard nothing, found
 * no intent, matched a knowledge article instead): when every output of an action is one of these
 * (or returns to the action, like a loop's body) and it has no dynamic outputs, its success is no
 * output: it continues with its next sibling. Ask for Slot documents only maxNoInputs and
 * maxNoMatches, and a filled slot goes on to the next action (GenesysCloudBlueprints/
 * aws-pipeline-cx-as-code-blueprint BasicBot.yaml: both handlers off, then exitBotFlow). A reading of
 * the output names of ArchEnums#OUTPUT_IDS, not a statement of the SDK.
 */
export const ALTERNATIVE_OUTPUTS = new Set([
  'failure',
  'timeout',
  'maxNoInputs',
  'maxNoMatches',
  'noInput',
  'noIntent',
  'knowledge',
  'error',
  'event',
  'conditionsNotMet',
  'loopsMax',
  'loop',
  'loopNext',
]);

/** Dynamic outputs that are the answers of the action (each is a success path). Until cases end a loop. */
export const ANSWER_OUTPUTS = new Set(['cases', 'choices', 'intents', 'taskBranches']);

/** Base class whose success hands the interaction over: every transfer extends it. */
export const TRANSFER_BASE = 'ArchBaseActionTransfer';
/** Base class of actions whose success is "fake", i.e. not an output (ArchBaseActionWithOutputsFakeSuccessFailure.html). */
export const FAKE_SUCCESS_BASE = 'ArchBaseActionWithOutputsFakeSuccessFailure';

/**
 * Outputs an action gets at design time besides its documented ones, by the SDK method (or page)
 * that documents them, and what they are called in the catalogue.
 */
export const DYNAMIC_BY_METHOD: Readonly<Record<string, string>> = {
  addCase: 'cases',
  addChoice: 'choices',
  addUntilCase: 'untilCases',
  getOutputByIntentName: 'intents',
};

/** Dynamic outputs no method documents, by class. */
export const DYNAMIC_BY_CLASS: Readonly<Record<string, { outputs: string; source: string }>> = {
  ArchActionCallTask: {
    outputs: 'taskBranches',
    source: 'ArchBranch.html: "the outputs on that action will reflect the branches from the task"',
  },
  ArchActionAskForIntent: {
    outputs: 'intents',
    source:
      'ArchActionAskForIntent.html#outputNoIntent ("if no intent is determined"); outputs.intents in GenesysCloudBlueprints/scheduling-bot-blueprint SchedulingBot.yaml',
  },
};

/**
 * Outputs real flows use that the class's pages do not list as members. ArchActionAskForBoolean.html
 * documents only maxNoInputs and maxNoMatches, yet a yes/no question has Yes and No (both in
 * ArchEnums#OUTPUT_IDS).
 */
export const EXTRA_OUTPUTS: Readonly<Record<string, { outputs: string[]; source: string }>> = {
  ArchActionAskForBoolean: {
    outputs: ['no', 'yes'],
    source:
      'outputs "yes" and "no" in GenesysCloudBlueprints/scheduling-bot-blueprint SchedulingBot.yaml and web-messaging-triage-bot-blueprint quick-response-bot.yaml',
  },
};

/**
 * Other YAML keys Archy files are known to use for a catalogued key. Only the community parser
 * names `repeatMenu` (docs/archy-format.md#actions-and-outputs); the SDK's class is ArchMenuRepeatMenu.
 */
export const ALIASES: Readonly<Record<string, string[]>> = {
  menuRepeatMenu: ['repeatMenu'],
};

/** Pages of the ArchAction* family that are not actions. */
export const NOT_ACTIONS: Readonly<Record<string, string>> = {
  ArchActionOutput: 'an output of an action (ArchActionOutput.html), not an action',
};
