/**
 * The state of one case while it runs: the variables of each flow frame (Call.* shared across
 * flows, as one conversation's), what the caller heard, the path, the inputs still to come, the
 * action count against Architect's limit, and what the case exercised (coverage).
 */
import type { Value } from './expression/values.js';
import type { Container, FlowSource, Obj } from './flow-source.js';
import type { ScenarioCase, ScenarioInput } from './schema.js';

/**
 * Architect runs at most 10,000 actions per flow invocation; entering a menu, each menu action and
 * each task action count (help.mypurecloud.com/faqs/how-many-actions-can-i-run-in-a-flow/).
 */
export const ACTION_LIMIT = 10_000;

/** How a case ended. */
export interface Ending {
  /** `disconnect`, `transferToAcd`, `transferToFlow`, `transferToNumber`, `transferToVoicemail`, `endWorkflow`, … */
  type: string;
  /** What the end names: `queue`, `flow`, `number`, `user`, `reason`, … */
  props: Record<string, string>;
  /** file:line:column of the action or menu that ended it. */
  where: string;
}

/** Where control goes after an action or a list. */
export type Signal =
  | { k: 'next' }
  | { k: 'jump'; to: Container }
  | { k: 'end'; end: Ending }
  | { k: 'loopNext' }
  | { k: 'loopExit' }
  | { k: 'endTask' }
  | { k: 'follow'; source: FlowSource };

/** One step of the path. */
export interface Step {
  label: string;
  /** The mapping of the menu, choice, task or action (its position is looked up when shown). */
  node: Obj;
  source: FlowSource;
}

/** Gives the flows of the manifest by name (for transfers and common modules that are followed). */
export type FlowLookup = (name: string, kind: 'flow' | 'commonModule') => FlowSource | undefined;

/** The mutable state of one case. */
export class RunState {
  /** Lower-cased `scope.name` → value, of the flow running now. */
  vars = new Map<string, Value>();
  readonly shared = new Map<string, Value>();
  readonly participant = new Map<string, Value>();
  readonly hears: string[] = [];
  readonly steps: Step[] = [];
  actions = 0;
  private cursor = 0;
  /** Coverage keys hit, per flow. */
  readonly hits = new Map<FlowSource, Set<string>>();
  /** Menus entered, for menuPreviousMenu. */
  readonly menuStack: Container[] = [];
  /** Data actions and tables the case called, by mock key, to report unused mocks. */
  readonly usedMocks = new Set<string>();

  constructor(
    readonly kase: ScenarioCase,
    readonly now: Date,
    readonly flows: FlowLookup,
  ) {}

  /** The next input, or undefined when the caller has nothing more to say. */
  nextInput(): ScenarioInput | undefined {
    return this.kase.input?.[this.cursor++];
  }

  /** Looks at the next input without taking it. */
  peekInput(): ScenarioInput | undefined {
    return this.kase.input?.[this.cursor];
  }

  /** A variable (lower-cased key); Call.* and Slot.* live across flows. */
  get(key: string): Value {
    return this.vars.has(key) ? this.vars.get(key) : this.shared.get(key);
  }

  /** Sets a variable by its name as the flow writes it. */
  set(name: string, value: Value): void {
    const key = name.toLowerCase();
    if (key.startsWith('call.') || key.startsWith('slot.')) this.shared.set(key, value);
    else this.vars.set(key, value);
  }

  /** Records that a coverage key of a flow was exercised. */
  hit(source: FlowSource, key: string): void {
    let s = this.hits.get(source);
    if (!s) this.hits.set(source, (s = new Set()));
    s.add(key);
  }
}
