/**
 * Actions that wait for the caller, answered by the case's `input:` in order: Collect Input takes
 * DTMF digits; the bot actions take utterances, whose intent and slot values the case states
 * (no NLU runs offline): Ask for Intent (an output per intent: SDK ArchActionAskForIntent),
 * Ask for Slot (the slot's value), Ask for Yes/No. No input left takes the no-input output.
 */
import { isObj, singleKey, str, type Obj } from './flow-source.js';
import type { Exec } from './exec.js';
import type { Signal } from './run-state.js';

/** collectInput: digits into `inputData` → success; no digits → failure (SDK ArchActionCollectInput). */
export function collectInput(it: Exec, body: Obj): Signal {
  it.hear(body, 'inputAudio');
  const input = it.state.peekInput();
  if (input && 'dtmf' in input) {
    it.state.nextInput();
    it.assign(body.inputData, String(input.dtmf));
    return it.output(body, 'success');
  }
  if (input && 'noInput' in input) it.state.nextInput();
  return it.output(body, 'failure');
}

function setSlots(it: Exec, slots: Record<string, string | number | boolean> | undefined): void {
  for (const [k, v] of Object.entries(slots ?? {})) it.state.set(`Slot.${k}`, v);
}

/** askForIntent: the intent the case states picks `outputs.intents[…]`; others → noIntent. */
export function askForIntent(it: Exec, body: Obj): Signal {
  it.hear(body, 'question');
  const input = it.state.nextInput();
  if (!input || !('say' in input)) return it.output(body, 'maxNoInputs');
  setSlots(it, input.slots);
  const outputs = isObj(body.outputs) ? body.outputs : {};
  const intents = Array.isArray(outputs.intents) ? outputs.intents : [];
  const wanted = input.intent?.toLowerCase();
  for (const item of intents) {
    const entry = singleKey(item);
    const intent = entry && isObj(entry[1]) ? entry[1] : undefined;
    if (intent && wanted !== undefined && str(intent.name)?.toLowerCase() === wanted) {
      it.state.steps[it.state.steps.length - 1]!.label += ` → intent ${str(intent.name)}`;
      return it.runList(intent.actions);
    }
  }
  it.state.steps[it.state.steps.length - 1]!.label += ' → noIntent';
  return it.output(body, 'noIntent');
}

/** askForSlot: the slot's value from the input's `slots`, else the utterance itself. */
export function askForSlot(it: Exec, body: Obj): Signal {
  it.hear(body, 'question');
  const slot = isObj(body.slot) ? str(body.slot.name) : undefined;
  const input = it.state.nextInput();
  if (!input || !('say' in input)) return it.output(body, 'maxNoInputs');
  setSlots(it, input.slots);
  if (slot !== undefined && !(input.slots && slot in input.slots)) it.state.set(`Slot.${slot}`, input.say);
  return { k: 'next' };
}

const YES = /^\s*(yes|yeah|yep|sure|correct|right|true)\b/i;
const NO = /^\s*(no|nope|false|wrong)\b/i;

/** askForBoolean: an utterance that says yes or no (or states the intent `yes` / `no`). */
export function askForBoolean(it: Exec, body: Obj): Signal {
  it.hear(body, 'question');
  const input = it.state.nextInput();
  if (!input || !('say' in input)) return it.output(body, 'maxNoInputs');
  const intent = input.intent?.toLowerCase();
  const out =
    intent === 'yes' || (!intent && YES.test(input.say))
      ? 'yes'
      : intent === 'no' || (!intent && NO.test(input.say))
        ? 'no'
        : 'maxNoMatches';
  return it.output(body, out);
}
