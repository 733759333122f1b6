/**
 * What the meanings of actions and menus (actions.ts, menus.ts, data-actions.ts, inputs.ts,
 * variables.ts) need from the interpreter that runs them; interpreter.ts implements it. An
 * interface of its own, so that those files and the interpreter do not import each other.
 */
import type { EvalContext } from './expression/evaluate.js';
import type { Value } from './expression/values.js';
import type { Container, FlowSource, Obj } from './flow-source.js';
import type { RunState, Signal } from './run-state.js';

/** The running interpreter, as an action sees it. */
export interface Exec {
  readonly state: RunState;
  /** The flow running now (a common module while it runs). */
  source: FlowSource;
  readonly ctx: EvalContext;
  /** Runs an action list; `next` when it ran off its end. */
  runList(list: unknown): Signal;
  /** Takes an action's output: runs its actions when it lists some, else continues. */
  output(body: Obj, id: string): Signal;
  /** Runs a called task and comes back. */
  call(list: unknown, where: string): Signal;
  /** Runs a menu. */
  menu(c: Container): Signal;
  /** Runs one action (a menu choice's). */
  action(type: string, body: Obj): Signal;
  /** The container a `…Ref` of `body` names. */
  target(body: Obj, key: string): Container;
  /** Records what the caller hears from an audio node. */
  hear(holder: Obj, key: string): void;
  /** Counts one action or menu entry against the limit, and records the step. */
  count(node: Obj, label: string): void;
  /** The case's `assume:` for an action, by its name. */
  assumed(body: Obj): string | undefined;
  /** Sets the variable a `{var: X}` node names. */
  assign(target: unknown, value: Value): void;
}
