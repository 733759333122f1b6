/**
 * What each action does when a case runs it. The outputs and endings of every action come from
 * the action catalogue (`src/flow/graph/archy/catalogue/actions.json`, generated from the Architect Scripting
 * SDK's documentation; docs/ARCHY-BRANCHING.md); the actions below also read their settings.
 * An action without its own entry continues when the catalogue says its success is no output,
 * ends the flow when it is terminal or a transfer, and otherwise needs the case to say which
 * output it takes (`assume:`): its answer comes from the org at run time.
 */
import { catalogueAction } from '../flow/index.js';
import { readValue, targetName } from './archy-values.js';
import { toText, type Value } from './expression/values.js';
import { CaseError, FlowRuntimeError } from './errors.js';
import { isObj, singleKey, str, type Obj } from './flow-source.js';
import { coverageKey } from './coverage-key.js';
import type { Exec } from './exec.js';
import type { Ending, Signal } from './run-state.js';
import { callCommonModule, callData, dataTableLookup } from './data-actions.js';
import { askForBoolean, askForIntent, askForSlot, collectInput } from './inputs.js';
import { scheduleActive, scheduleGroupState } from './schedules.js';

type Handler = (it: Exec, body: Obj, type: string) => Signal;

const NEXT: Signal = { k: 'next' };

const end = (it: Exec, body: Obj, type: string, props: Record<string, string | undefined> = {}): Signal => {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined) clean[k] = v;
  const e: Ending = { type, props: clean, where: it.source.where(body) };
  return { k: 'end', end: e };
};

const jump: Handler = (it, body) => {
  const key = Object.keys(body).find((k) => k.startsWith('target') && k.endsWith('Ref'));
  if (!key)
    throw new CaseError(
      `the jump names no target`,
      it.source.where(body),
      'Add its targetTaskRef / targetMenuRef / targetStateRef.',
    );
  return { k: 'jump', to: it.target(body, key) };
};

const play =
  (...keys: string[]): Handler =>
  (it, body) => {
    for (const k of keys) it.hear(body, k);
    return NEXT;
  };

/** Transfers leave the flow on success (SDK ArchBaseActionTransfer, "fake success"); `assume: failure` takes the failure output. */
const transfer =
  (what: Record<string, string>): Handler =>
  (it, body, type) => {
    it.hear(body, 'preTransferAudio');
    if (it.assumed(body) === 'failure') {
      it.hear(body, 'failureTransferAudio');
      return it.output(body, 'failure');
    }
    const props: Record<string, string | undefined> = {};
    for (const [prop, key] of Object.entries(what)) props[prop] = targetName(body, key, it.ctx, it.source);
    if (type === 'transferToFlow' || type === 'transferToFlowSecure') {
      const followed = props.flow === undefined ? undefined : it.state.flows(props.flow, 'flow');
      if (followed) {
        it.state.steps.push({
          label: `→ flow ${props.flow} (in the manifest: followed)`,
          node: body,
          source: it.source,
        });
        return { k: 'follow', source: followed };
      }
    }
    return end(it, body, type, props);
  };

const voicemail: Handler = (it, body, type) => {
  if (it.assumed(body) === 'failure') return it.output(body, 'failure');
  const dest = isObj(body.destination) ? singleKey(body.destination) : undefined;
  const inner = dest && isObj(dest[1]) ? dest[1] : body;
  const props: Record<string, string | undefined> = { to: dest?.[0] };
  for (const [prop, key] of [
    ['queue', 'targetQueue'],
    ['user', 'targetUser'],
    ['group', 'targetGroup'],
  ] as const)
    if (key in inner) props[prop] = targetName(inner, key, it.ctx, it.source);
  return end(it, body, type, props);
};

const decision: Handler = (it, body) => {
  const a = it.assumed(body);
  let yes: boolean;
  if (a === 'yes' || a === 'no') yes = a === 'yes';
  else {
    const v = readValue(body, 'condition', it.ctx, it.source);
    if (typeof v !== 'boolean')
      throw new FlowRuntimeError(
        `the condition is ${v === undefined ? 'NOT_SET' : toText(v)}, not a boolean`,
        it.source.where(body, 'condition'),
      );
    yes = v;
  }
  const out = yes ? 'yes' : 'no';
  it.state.hit(it.source, coverageKey(it.source, 'decision', body, out));
  it.state.steps[it.state.steps.length - 1]!.label += ` → ${out}`;
  return it.output(body, out);
};

/** Switch: `evaluate.firstTrue` takes the first case whose value is true; `firstMatch.<type>` the first equal to its value. */
const switchAction: Handler = (it, body) => {
  const evaluate = isObj(body.evaluate) ? body.evaluate : {};
  const mode = singleKey(evaluate);
  let holder: Obj | undefined;
  let subject: Value;
  let matchMode = false;
  if (mode && mode[0] === 'firstMatch' && isObj(mode[1])) {
    const typed = singleKey(mode[1]);
    holder = typed && isObj(typed[1]) ? typed[1] : undefined;
    matchMode = true;
    if (holder && it.assumed(body) === undefined) subject = readValue(holder, 'value', it.ctx, it.source);
  } else if (mode && isObj(mode[1])) holder = mode[1];
  if (!holder)
    throw new CaseError(
      'the switch has no evaluate.firstTrue or evaluate.firstMatch',
      it.source.where(body),
      'Run flowgate validate on the flow.',
    );
  const cases = Array.isArray(holder.cases) ? holder.cases : [];
  const a = it.assumed(body);
  let taken = -1;
  if (a !== undefined) taken = a === 'default' ? -1 : Number(a.replace(/^case\s*/i, '')) - 1;
  else
    for (let i = 0; i < cases.length && taken < 0; i++) {
      const c = singleKey(cases[i]);
      const cb = c && isObj(c[1]) ? c[1] : undefined;
      if (!cb) continue;
      const v = readValue(cb, 'value', it.ctx, it.source);
      if (matchMode ? toText(v) === toText(subject) : v === true) taken = i;
    }
  const label = taken >= 0 ? `case ${taken + 1}` : 'default';
  it.state.hit(it.source, coverageKey(it.source, 'decision', body, label));
  it.state.steps[it.state.steps.length - 1]!.label += ` → ${label}`;
  if (taken < 0) {
    const d = holder.default;
    return isObj(d) && Array.isArray(d.actions) ? it.runList(d.actions) : NEXT;
  }
  const c = singleKey(cases[taken]);
  return c && isObj(c[1]) ? it.runList(c[1].actions) : NEXT;
};

/** Loop: `loopCount` times, `currentIndex` from 0 (SDK ArchActionLoop#loopCount, #currentIndex); loopNext / loopExit. */
const loop: Handler = (it, body) => {
  const n = readValue(body, 'loopCount', it.ctx, it.source);
  if (typeof n !== 'number')
    throw new FlowRuntimeError(
      `the loop count is ${toText(n) ?? 'NOT_SET'}`,
      it.source.where(body, 'loopCount'),
    );
  const outputs = isObj(body.outputs) ? body.outputs : {};
  const bodyList = isObj(outputs.loop) ? outputs.loop.actions : undefined;
  for (let i = 0; i < n; i++) {
    it.assign(body.currentIndex, i);
    const sig = it.runList(bodyList);
    if (sig.k === 'loopExit') break;
    if (sig.k !== 'next' && sig.k !== 'loopNext') return sig;
  }
  return NEXT;
};

const callTask: Handler = (it, body) => {
  const task = it.target(body, 'targetTaskRef');
  it.state.hit(it.source, coverageKey(it.source, 'task', task.body));
  it.state.steps.push({ label: `task ${task.name} (called)`, node: task.body, source: it.source });
  const sig = it.call(task.body.actions, it.source.where(body));
  return sig.k === 'next' ? it.output(body, 'default') : sig;
};

const find: Handler = (it, body) => {
  const name = toText(readValue(body, 'findName', it.ctx, it.source));
  if (it.assumed(body) === 'notFound') return it.output(body, 'notFound');
  // Offline, the object the flow names exists; its id is not known, so it stands for its name.
  it.assign(body.findResult, name === undefined ? undefined : { name, id: name });
  return it.output(body, 'found');
};

const schedule: Handler = (it, body) => {
  const name = nestedName(body, ['selectedSchedule', 'schedule']);
  const a = it.assumed(body);
  const active =
    a !== undefined
      ? a === 'active' || a === 'open'
      : name === undefined
        ? undefined
        : scheduleActive(it.state.kase, name, it.state.now);
  if (active === undefined) throw missing(it, body, 'schedule', name, 'schedules', 'open');
  return it.output(body, active ? 'active' : 'inactive');
};

const scheduleGroup: Handler = (it, body) => {
  const name = nestedName(body, ['scheduleGroup']);
  const state =
    it.assumed(body) ?? (name === undefined ? undefined : scheduleGroupState(it.state.kase, name));
  if (state === undefined) throw missing(it, body, 'schedule group', name, 'scheduleGroups', 'open');
  return it.output(body, state);
};

/** updateData: `statements: - <type>: {variable, value}`, in order (SDK ArchActionUpdateData#statements). */
const updateData: Handler = (it, body) => {
  for (const item of Array.isArray(body.statements) ? body.statements : []) {
    const s = singleKey(item);
    if (!s || !isObj(s[1])) continue;
    const name = str(s[1].variable);
    if (name !== undefined) it.state.set(name, readValue(s[1], 'value', it.ctx, it.source));
  }
  return NEXT;
};

/** setParticipantData / setConversationData: `attributes: - attribute: {name, value}` (SDK ArchActionSetParticipantData). */
const setData: Handler = (it, body) => {
  for (const item of Array.isArray(body.attributes) ? body.attributes : []) {
    const a = isObj(item) && isObj(item.attribute) ? item.attribute : undefined;
    if (!a) continue;
    const name = toText(readValue(a, 'name', it.ctx, it.source));
    if (name !== undefined) it.state.participant.set(name, readValue(a, 'value', it.ctx, it.source));
  }
  return NEXT;
};

/** getParticipantData: `attributes: - attribute: {name, variable}` (the variable receives the value). */
const getData: Handler = (it, body) => {
  for (const item of Array.isArray(body.attributes) ? body.attributes : []) {
    const a = isObj(item) && isObj(item.attribute) ? item.attribute : undefined;
    if (!a) continue;
    const name = toText(readValue(a, 'name', it.ctx, it.source));
    if (name !== undefined) it.assign(a.variable, it.state.participant.get(name));
  }
  return NEXT;
};

const HANDLERS = new Map<string, Handler>([
  ['playAudio', play('audio')],
  ['communicate', play('communication')],
  ['sendResponse', play('messageBody')],
  ['holdMusic', play('prompt')],
  ['disconnect', (it, body) => end(it, body, 'disconnect')],
  [
    'endWorkflow',
    (it, body) =>
      end(it, body, 'endWorkflow', { exitReason: toText(readValue(body, 'exitReason', it.ctx, it.source)) }),
  ],
  [
    'exitBotFlow',
    (it, body) =>
      end(it, body, 'exitBotFlow', { reason: toText(readValue(body, 'exitReason', it.ctx, it.source)) }),
  ],
  ['endTask', () => ({ k: 'endTask' })],
  ['endState', () => ({ k: 'endTask' })],
  ['loopNext', () => ({ k: 'loopNext' })],
  ['loopExit', () => ({ k: 'loopExit' })],
  ['jumpToTask', jump],
  ['jumpToMenu', jump],
  ['jumpToState', jump],
  ['changeState', jump],
  ['decision', decision],
  ['switch', switchAction],
  ['loop', loop],
  ['callTask', callTask],
  ['callCommonModule', callCommonModule],
  ['callData', callData],
  ['dataTableLookup', dataTableLookup],
  ['evaluateSchedule', schedule],
  ['evaluateScheduleGroup', scheduleGroup],
  ['updateData', updateData],
  ['setParticipantData', setData],
  ['setConversationData', setData],
  ['getParticipantData', getData],
  ['collectInput', collectInput],
  ['askForIntent', askForIntent],
  ['askForSlot', askForSlot],
  ['askForBoolean', askForBoolean],
  ['transferToAcd', transfer({ queue: 'targetQueue' })],
  ['transferToFlow', transfer({ flow: 'targetFlow' })],
  ['transferToFlowSecure', transfer({ flow: 'targetFlow' })],
  ['transferToNumber', transfer({ number: 'targetNumber' })],
  ['transferToUser', transfer({ user: 'targetUser' })],
  ['transferToGroup', transfer({ group: 'targetGroup' })],
  ['transferToVoicemail', voicemail],
]);

/** Runs one action of an action list. */
export function runAction(it: Exec, type: string, body: Obj): Signal {
  const h = HANDLERS.get(type);
  if (h) return h(it, body, type);
  if (type.startsWith('find') && 'findName' in body) return find(it, body, type);
  return byCatalogue(it, type, body);
}

function byCatalogue(it: Exec, type: string, body: Obj): Signal {
  const info = catalogueAction(type);
  const a = it.assumed(body);
  if (a !== undefined) return it.output(body, a);
  if (info?.terminal || info?.exits === 'onSuccess') return end(it, body, type);
  if (info && (info.outputs.length === 0 || info.continuesOnSuccess || info.fakeSuccess)) return NEXT;
  const outputs = info ? info.outputs.join(', ') : 'unknown';
  throw new CaseError(
    `the action '${type}'${str(body.name) ? ` ('${str(body.name)}')` : ''} is not interpreted, and which output it takes is decided by the org at run time`,
    it.source.where(body),
    `Say which output it takes in the case: assume: {'${str(body.name) ?? type}': <output>} (its outputs: ${outputs}).`,
  );
}

function missing(
  it: Exec,
  body: Obj,
  what: string,
  name: string | undefined,
  key: string,
  example: string,
): CaseError {
  return new CaseError(
    `the ${what} '${name ?? '?'}' (action '${str(body.name) ?? ''}') has no state in the case`,
    it.source.where(body),
    `Add ${key}: {'${name ?? '<name>'}': ${example}} to the case (or assume: {'${str(body.name) ?? '<action>'}': <output>}).`,
  );
}

/** The name under the first of `keys` found at any depth of an action (`evaluationType.schedule.selectedSchedule.lit.name`). */
function nestedName(body: Obj, keys: string[], depth = 0): string | undefined {
  for (const k of keys) {
    const v = body[k];
    if (isObj(v)) {
      const lit = isObj(v.lit) ? v.lit : v;
      const n = str(lit.name) ?? str(v.lit);
      if (n !== undefined) return n;
    }
  }
  if (depth > 3) return undefined;
  for (const v of Object.values(body))
    if (isObj(v)) {
      const n = nestedName(v, keys, depth + 1);
      if (n !== undefined) return n;
    }
  return undefined;
}
