/**
 * The interpreter: runs one case over an Archy flow, following docs/ARCHY-BRANCHING.md's control
 * flow with each action's meaning from actions.ts and menus.ts. Containers are run one after the
 * other (jumps replace the container, so a long chain of menus costs no stack); lists, outputs,
 * loops and called tasks nest. Every menu entered and every action counts against Architect's
 * 10,000-action limit; a case that reaches it fails naming the loop.
 */
import { audioTexts } from './archy-values.js';
import type { EvalContext } from './expression/evaluate.js';
import { fromPlain, type Value } from './expression/values.js';
import { ActionLimitError, CaseError, FlowRuntimeError } from './errors.js';
import {
  isObj,
  resolveRef,
  singleKey,
  str,
  type Container,
  type FlowSource,
  type Obj,
} from './flow-source.js';
import { ACTION_LIMIT, RunState, type Ending, type Signal } from './run-state.js';
import { runAction } from './actions.js';
import { coverageKey } from './coverage-key.js';
import type { Exec } from './exec.js';
import { runMenu } from './menus.js';
import { declareVariables } from './variables.js';

/** Flow types whose conversation Architect disconnects when a path runs off its end. */
const CALL_FLOWS = new Set(['inboundCall', 'outboundCall', 'secureCall', 'voicemail']);
/** Deepest nesting of called tasks and common modules (a task calling itself is a loop). */
const MAX_CALL_DEPTH = 200;

/** Runs a case's flow (and the manifest's flows it transfers to) to its end. */
export class Interpreter implements Exec {
  source: FlowSource;
  depth = 0;
  readonly ctx: EvalContext;

  constructor(
    readonly state: RunState,
    start: FlowSource,
  ) {
    this.source = start;
    this.ctx = { variable: (key) => state.get(key), now: state.now };
  }

  /** Runs to the end. @throws CaseError, ActionLimitError */
  run(): Ending {
    let source = this.source;
    let first = true;
    for (;;) {
      const sig = this.runFlow(source, first);
      first = false;
      if (sig.k === 'follow') {
        source = sig.source;
        continue;
      }
      if (sig.k === 'end') return sig.end;
      throw new Error(`unexpected signal ${sig.k}`);
    }
  }

  /** Runs one flow from its start; returns its end, or another flow to follow. */
  runFlow(source: FlowSource, first: boolean): Signal {
    this.source = source;
    this.state.vars = new Map();
    this.state.set('Flow.StartDateTimeUtc', this.state.now);
    declareVariables(this, source.flow);
    if (first)
      for (const [k, v] of Object.entries(this.state.kase.variables ?? {})) this.state.set(k, fromPlain(v));
    this.state.steps.push({ label: `flow ${source.name ?? source.file}`, node: source.flow, source });
    this.hear(source.flow, 'initialGreeting');
    let current = source.start;
    if (!current)
      throw new CaseError(
        `the flow has no start (startUpRef, startUpTaskActions or startUpState)`,
        source.where(source.flow),
        'Run flowgate validate on the flow.',
      );
    for (;;) {
      let sig: Signal;
      try {
        sig = this.runContainer(current);
      } catch (e) {
        if (!(e instanceof FlowRuntimeError)) throw e;
        sig = this.errorHandling(e);
      }
      if (sig.k === 'jump') current = sig.to;
      else if (sig.k === 'next' || sig.k === 'endTask' || sig.k === 'loopNext' || sig.k === 'loopExit')
        return { k: 'end', end: this.ranOffEnd(current) };
      else return sig;
    }
  }

  private runContainer(c: Container): Signal {
    if (c.kind === 'menu') return runMenu(this, c);
    this.state.hit(this.source, coverageKey(this.source, 'task', c.body));
    this.state.steps.push({ label: `${c.kind} ${c.name}`, node: c.body, source: this.source });
    declareVariables(this, c.body);
    return this.runList(c.body.actions);
  }

  /** Runs an action list; `next` when it ran off its end. */
  runList(list: unknown): Signal {
    if (!Array.isArray(list)) return { k: 'next' };
    for (const item of list) {
      const entry = singleKey(item);
      if (!entry) continue;
      const [type, body] = entry;
      this.count(isObj(body) ? body : (item as Obj), type);
      const sig = runAction(this, type, isObj(body) ? body : {});
      if (sig.k !== 'next') return sig;
    }
    return { k: 'next' };
  }

  /** Runs a menu. */
  menu(c: Container): Signal {
    return runMenu(this, c);
  }

  /** Runs one action (a menu choice's). */
  action(type: string, body: Obj): Signal {
    return runAction(this, type, body);
  }

  /** Takes an action's output: runs its actions when it lists some, else continues. */
  output(body: Obj, id: string): Signal {
    const outputs = body.outputs;
    const out = isObj(outputs) ? outputs[id] : undefined;
    return isObj(out) && Array.isArray(out.actions) ? this.runList(out.actions) : { k: 'next' };
  }

  /** Runs a called task (callTask, a common module's start-up) and comes back. */
  call(list: unknown, where: string): Signal {
    if (++this.depth > MAX_CALL_DEPTH)
      throw new ActionLimitError(`tasks call each other deeper than ${MAX_CALL_DEPTH} levels`, [where]);
    try {
      const sig = this.runList(list);
      return sig.k === 'endTask' ? { k: 'next' } : sig;
    } finally {
      this.depth--;
    }
  }

  /** The container a reference names, or a case error naming the reference. */
  target(body: Obj, key: string): Container {
    const ref = str(body[key]);
    const c = ref === undefined ? undefined : resolveRef(this.source, ref);
    if (!c)
      throw new CaseError(
        `'${key}: ${ref ?? ''}' names no menu, task or state of the flow`,
        this.source.where(body, key),
        'Run flowgate validate on the flow.',
      );
    return c;
  }

  /** Records what the caller hears from an audio node. */
  hear(holder: Obj, key: string): void {
    for (const t of audioTexts(holder, key, this.ctx, this.source)) this.state.hears.push(t);
  }

  /** Counts one action (or menu entry) against the limit. */
  count(node: Obj, label: string): void {
    const s = this.state;
    s.steps.push({
      label: `${label}${isObj(node) && str(node.name) ? ` ${str(node.name)}` : ''}`,
      node,
      source: this.source,
    });
    if (++s.actions > ACTION_LIMIT) throw loopError(s);
  }

  /** The case's assumption for an action, by its name. */
  assumed(body: Obj): string | undefined {
    const name = str(body.name);
    const a = name === undefined ? undefined : this.state.kase.assume?.[name];
    return a === undefined ? undefined : typeof a === 'boolean' ? (a ? 'yes' : 'no') : a;
  }

  /** Sets a variable named by a `{var: X}` node (or a bare name). */
  assign(target: unknown, value: Value): void {
    const name = isObj(target) ? str(target.var) : str(target);
    if (name !== undefined) this.state.set(name, value);
  }

  private ranOffEnd(c: Container): Ending {
    const where = this.source.where(c.body);
    if (CALL_FLOWS.has(this.source.rootKey))
      return {
        type: 'disconnect',
        props: { reason: `the ${c.kind} '${c.name}' runs off its end (Architect disconnects)` },
        where,
      };
    if (this.source.rootKey.startsWith('inqueue'))
      return {
        type: 'waitsInQueue',
        props: { reason: 'the in-queue start-up task starts over until an agent answers' },
        where,
      };
    return { type: 'endFlow', props: { reason: `the ${c.kind} '${c.name}' runs off its end` }, where };
  }

  /** settingsErrorHandling: what the flow does on an error (default: disconnect). */
  private errorHandling(e: FlowRuntimeError): Signal {
    const s = this.source;
    this.state.steps.push({ label: `flow error: ${e.message} (${e.where})`, node: s.flow, source: s });
    const settings = isObj(s.flow.settingsErrorHandling) ? s.flow.settingsErrorHandling : {};
    this.hear(settings, 'preHandlingAudio');
    const entry = singleKey(settings.errorHandling);
    const reason = `flow error: ${e.message} at ${e.where}`;
    if (entry && isObj(entry[1])) {
      const [kind, body] = entry as [string, Obj];
      if (kind === 'task' || kind === 'menu' || kind === 'state') {
        const key = Object.keys(body).find((k) => k.endsWith('Ref'));
        if (key) return { k: 'jump', to: this.target(body, key) };
      }
      if (kind === 'transferToAcd')
        return {
          k: 'end',
          end: {
            type: 'transferToAcd',
            props: { queue: String(str((body.targetQueue as Obj | undefined)?.name) ?? ''), reason },
            where: e.where,
          },
        };
      if (kind === 'endWorkflow')
        return { k: 'end', end: { type: 'endWorkflow', props: { reason }, where: e.where } };
    }
    return { k: 'end', end: { type: 'disconnect', props: { reason }, where: e.where } };
  }
}

/** The shortest repeating run of steps at the end of the path: where the loop is. */
function loopError(s: RunState): ActionLimitError {
  const steps = s.steps;
  const last = steps[steps.length - 1]!;
  let from = steps.length - 2;
  while (from >= 0 && steps[from]!.node !== last.node) from--;
  const cycle = from < 0 ? [last] : steps.slice(from + 1);
  const names = cycle.map((st) => `${st.label} (${st.source.where(st.node)})`);
  return new ActionLimitError(
    `the case ran ${ACTION_LIMIT.toLocaleString('en-US')} actions, Architect's limit per flow: it loops through ${names.join(' → ')}`,
    names,
  );
}
