/**
 * The shape of the action catalogue (`actions.json`), generated from the Architect Scripting SDK's
 * documentation by `scripts/catalogue/generate.ts` (`npm run catalogue`).
 */

/** One action class of the SDK, as an Archy YAML action key. */
export interface CatalogueAction {
  /** The Archy YAML key (`callData`): the class name after `ArchAction`, first letter lower-cased. */
  key: string;
  /** The SDK class (`ArchActionCallData`); its page is `docs/<class>.html` at the source commit. */
  class: string;
  /** `action` for actions of an `actions:` list; `menuChoiceAction` for the inner action of a menu choice. */
  kind: 'action' | 'menuChoiceAction';
  /** Output ids (`success`, `failure`, `timeout`) from the class's `output…` members and its bases'. */
  outputs: string[];
  /** Outputs added at design time (`cases`, `choices`, `intents`, `untilCases`, `taskBranches`), or null. */
  dynamicOutputs: string | null;
  /** True when success is not an output (the SDK's "fake success": transfers, among others). */
  fakeSuccess: boolean;
  /** The action never continues to its next sibling. */
  terminal: boolean;
  /** Whether the interaction leaves the flow at this action. */
  exits: 'always' | 'onSuccess' | 'never';
  /**
   * Its success is no output, so it continues with its next sibling whatever outputs it lists
   * (playAudio; askForSlot, whose outputs are all alternatives to success; setExternalTag).
   */
  continuesOnSuccess: boolean;
  /** Where ArchFactoryActions says the action may be added (`task`, `state`, `bot`, `output`…), or null. */
  placement: string[] | null;
  /** Flow types the documentation names for it, or null when it names none. */
  flowTypes: string[] | null;
  /** Other keys Archy files use for it. */
  aliases: string[];
  /** The source of a hand-kept rule (ending or dynamic outputs), when the pages do not give it. */
  rule?: string;
}

/** One menu choice class of the SDK (`ArchMenuDisconnect` → `menuDisconnect`). */
export interface CatalogueChoice {
  key: string;
  class: string;
  /** The catalogue key of the action the choice runs (its `action…` member). */
  action: string;
  aliases: string[];
}

/** The whole catalogue. */
export interface Catalogue {
  /** What wrote the file. */
  generator: string;
  source: { repository: string; commit: string; pages: number };
  /** ArchEnums#OUTPUT_IDS: every output id the SDK knows besides dynamic ones. */
  outputIds: string[];
  actions: CatalogueAction[];
  choices: CatalogueChoice[];
  /** Pages of the ArchAction family that are not actions, and why. */
  notActions: Array<{ class: string; reason: string }>;
}
