/**
 * Running one case: the caller's built-in variables (Call.Ani as `tel:` + the caller's number,
 * Call.Dnis, Call.Language, Call.RemoteName, Flow.StartDateTimeUtc at the case's time), the
 * interpreter to the end, then the expectation. A case passes, fails with the first difference,
 * or errs when it cannot be interpreted (a missing mock, an unsupported expression).
 */
import { fromPlain } from './expression/values.js';
import { ActionLimitError, CaseError } from './errors.js';
import { firstDifference } from './expect.js';
import type { FlowSource } from './flow-source.js';
import { Interpreter } from './interpreter.js';
import { RunState, type Ending, type FlowLookup } from './run-state.js';
import type { ScenarioCase } from './schema.js';

/** The time a case runs at when it names none: fixed, so that runs repeat. */
export const DEFAULT_AT = '2026-01-05T12:00:00Z';

/** The result of one case. */
export interface CaseResult {
  name: string;
  status: 'pass' | 'fail' | 'error';
  /** The path: each step with file:line:column. */
  path: string[];
  hears: string[];
  end?: Ending;
  /** For a failure: the first difference. For an error: what could not be interpreted, and where. */
  message?: string;
  hint?: string;
  /** Actions and menus run (Architect counts these against its limit). */
  actions: number;
  /** Coverage keys hit, per flow. */
  hits: Map<FlowSource, Set<string>>;
}

/** Runs one case over a flow; `flows` finds the manifest's flows by name. */
export function runCase(
  source: FlowSource,
  kase: ScenarioCase,
  flows: FlowLookup = () => undefined,
): CaseResult {
  const now = new Date(kase.at ?? DEFAULT_AT);
  const state = new RunState(kase, now, flows);
  const caller = kase.caller ?? {};
  if (caller.ani !== undefined)
    state.set('Call.Ani', caller.ani.startsWith('tel:') ? caller.ani : `tel:${caller.ani}`);
  if (caller.dnis !== undefined)
    state.set('Call.Dnis', caller.dnis.startsWith('tel:') ? caller.dnis : `tel:${caller.dnis}`);
  state.set('Call.Language', caller.language ?? 'en-us');
  if (caller.name !== undefined) state.set('Call.RemoteName', caller.name);
  state.set('Call.ConversationId', `case:${kase.name}`);
  for (const [k, v] of Object.entries(kase.participantData ?? {})) state.participant.set(k, fromPlain(v));
  const it = new Interpreter(state, source);
  const base = () => ({
    name: kase.name,
    path: state.steps.map((s) => `${s.label} (${s.source.where(s.node)})`),
    hears: [...state.hears],
    actions: state.actions,
    hits: state.hits,
  });
  let end: Ending;
  try {
    end = it.run();
  } catch (e) {
    if (e instanceof CaseError)
      return { ...base(), status: 'error', message: `${e.message} (${e.where})`, hint: e.hint };
    if (e instanceof ActionLimitError)
      return {
        ...base(),
        status: 'fail',
        message: e.message,
        hint: 'Give the loop a way out (a counter, a loop action with a count), or check the case inputs.',
      };
    throw e;
  }
  const diff = firstDifference(kase.expect, {
    end,
    hears: state.hears,
    path: state.steps.map((s) => s.label),
    variable: (name) => state.get(name.toLowerCase()),
    participant: (name) => state.participant.get(name),
  });
  const result: CaseResult = { ...base(), status: diff === undefined ? 'pass' : 'fail', end };
  if (diff !== undefined) result.message = diff;
  return result;
}
