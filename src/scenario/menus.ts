/**
 * Menus: the menu plays its audio and waits for one input; a DTMF key or an utterance picks the
 * choice whose `dtmf` (digit_1, star, pound: SDK ArchBaseMenuChoice#dtmf) or speech terms match.
 * No input, or an input no choice takes, plays the menu again: the menu repeats `repeatCount`
 * times (SDK ArchSettingsMenu#repeatCount, "the number of times to repeat the menu", 0–10; the
 * menu's own setting, else the flow's `settingsMenu`, else 3 as Architect's new flows set it),
 * then the call leaves the flow (docs/ARCHY-BRANCHING.md: a menu whose retries run out leaves the
 * flow; that it disconnects is flowgate's reading). A choice runs its action from the catalogue.
 */
import { catalogueChoice } from '../flow/index.js';
import { plural } from '../shared/plural.js';
import { isObj, singleKey, str, type Container, type Obj } from './flow-source.js';
import { coverageKey } from './coverage-key.js';
import type { Exec } from './exec.js';
import type { Signal } from './run-state.js';
import type { ScenarioInput } from './schema.js';

const DEFAULT_REPEAT_COUNT = 3;

/** Runs a menu until a choice leads elsewhere or its retries run out. */
export function runMenu(it: Exec, menu: Container): Signal {
  const s = it.state;
  const body = menu.body;
  it.state.hit(it.source, coverageKey(it.source, 'menu', body));
  it.count(body, 'menu');
  const previous = s.menuStack[s.menuStack.length - 1];
  if (previous !== menu) s.menuStack.push(menu);
  const attempts = 1 + repeatCount(it, body);
  const choices = Array.isArray(body.choices) ? body.choices : [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    it.hear(body, 'audio');
    const input = s.nextInput();
    const picked = input === undefined || 'noInput' in input ? undefined : match(choices, input);
    if (!picked) {
      s.steps.push({
        label: `${input === undefined || 'noInput' in input ? 'no input' : 'no match'} at menu ${menu.name}`,
        node: body,
        source: it.source,
      });
      continue;
    }
    const [type, choice] = picked;
    it.state.hit(it.source, coverageKey(it.source, 'choice', choice));
    it.count(choice, `choice ${describe(input!)}`);
    const sig = choiceSignal(it, type, choice);
    if (sig === 'again') {
      attempt = -1; // a choice that comes back (repeat, a failed transfer) starts the menu over
      continue;
    }
    if (sig.k === 'jump' && sig.to.kind === 'menu' && sig.to === menu) {
      attempt = -1;
      continue;
    }
    return sig;
  }
  return {
    k: 'end',
    end: {
      type: 'disconnect',
      props: { reason: `no choice at menu '${menu.name}' after ${plural(attempts, 'attempt')}` },
      where: it.source.where(body),
    },
  };
}

function choiceSignal(it: Exec, type: string, choice: Obj): Signal | 'again' {
  const known = catalogueChoice(type);
  const key = known?.action.key;
  if (key === 'repeatMenu') return 'again';
  if (key === 'previousMenu') {
    const stack = it.state.menuStack;
    stack.pop();
    const back = stack.pop();
    return back ? { k: 'jump', to: back } : 'again';
  }
  if (key === 'menu' && isObj(choice.menu))
    return { k: 'jump', to: { kind: 'menu', name: str(choice.menu.name) ?? 'sub-menu', body: choice.menu } };
  if (key === 'task') {
    const task = isObj(choice.task) ? choice.task : choice;
    it.state.hit(it.source, coverageKey(it.source, 'task', task));
    const sig = it.runList(task.actions);
    return sig.k === 'next' || sig.k === 'endTask'
      ? {
          k: 'end',
          end: {
            type: 'disconnect',
            props: {
              reason: `the menu task '${str(task.name) ?? ''}' runs off its end (Architect disconnects)`,
            },
            where: it.source.where(task),
          },
        }
      : sig;
  }
  const sig = it.action(key ?? type, choice);
  // A transfer that fails returns to the menu (docs/ARCHY-BRANCHING.md, menu choices).
  return sig.k === 'next' ? 'again' : sig;
}

function repeatCount(it: Exec, menu: Obj): number {
  for (const holder of [menu.settingsMenu, it.source.flow.settingsMenu]) {
    const rc = isObj(holder) ? holder.repeatCount : undefined;
    if (isObj(rc) && typeof rc.lit === 'number') return rc.lit;
  }
  return DEFAULT_REPEAT_COUNT;
}

const KEY_OF: Record<string, string> = { '*': 'star', '#': 'pound' };

/** The choice an input picks: its DTMF key, or an utterance equal to one of its terms or its name. */
function match(choices: unknown[], input: ScenarioInput): [string, Obj] | undefined {
  for (const item of choices) {
    const entry = singleKey(item);
    if (!entry || !isObj(entry[1])) continue;
    const choice = entry[1];
    if ('dtmf' in input) {
      const d = String(input.dtmf);
      if (choice.dtmf === (KEY_OF[d] ?? `digit_${d}`)) return [entry[0], choice];
    } else if ('say' in input && speechTerms(choice).includes(input.say.trim().toLowerCase()))
      return [entry[0], choice];
  }
  return undefined;
}

/**
 * A choice's speech terms. Archy's key for them is not in any public flow: flowgate reads
 * `speechRecTerms` (the SDK's ArchBaseMenuChoice#speechRecTerms) as a list or a mapping of
 * language → list, and always the choice's name (a **guess**, docs/scenarios.md).
 */
function speechTerms(choice: Obj): string[] {
  const out: string[] = [];
  const name = str(choice.name);
  if (name) out.push(name.toLowerCase());
  const terms = choice.speechRecTerms;
  const add = (v: unknown) => {
    if (Array.isArray(v)) for (const t of v) if (str(t)) out.push(str(t)!.toLowerCase());
  };
  add(terms);
  if (isObj(terms)) for (const v of Object.values(terms)) add(isObj(v) ? v.terms : v);
  return out;
}

function describe(input: ScenarioInput): string {
  return 'dtmf' in input ? `dtmf ${input.dtmf}` : 'say' in input ? `'${input.say}'` : 'no input';
}
