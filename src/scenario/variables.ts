/**
 * Declared variables (`variables: - stringVariable: {name, initialValue}` of a flow or a task):
 * each with an initial value gets it when its flow or task starts; `noValue` leaves it NOT_SET
 * (SDK ArchBaseVariable#initialValue; shapes of examples/flows/public).
 */
import { readValue } from './archy-values.js';
import { isObj, singleKey, str, type Obj } from './flow-source.js';
import type { Exec } from './exec.js';

/** Gives the variables declared in `holder.variables` their initial values. */
export function declareVariables(it: Exec, holder: Obj): void {
  const list = holder.variables;
  if (!Array.isArray(list)) return;
  for (const item of list) {
    const entry = singleKey(item);
    if (!entry || !isObj(entry[1])) continue;
    const v = entry[1];
    const name = str(v.name);
    if (name === undefined || !isObj(v.initialValue) || 'noValue' in v.initialValue) continue;
    it.state.set(name, readValue(v, 'initialValue', it.ctx, it.source));
  }
}
