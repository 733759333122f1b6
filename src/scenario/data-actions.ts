/**
 * Calls out of the flow, answered by the case: data actions (`dataActions:`, by `Category/Name` or
 * `Name`), data table lookups (`dataTables:`, rows by key), and common modules (followed when the
 * manifest has them, else passed over). A data action or table the case does not answer is an
 * error naming it: offline, only the case knows what the org would return.
 */
import { readValue } from './archy-values.js';
import { fromPlain, member, toText, type Value } from './expression/values.js';
import { CaseError } from './errors.js';
import { isObj, singleKey, str, type Obj } from './flow-source.js';
import { coverageKey } from './coverage-key.js';
import type { Exec } from './exec.js';
import type { Signal } from './run-state.js';
import { declareVariables } from './variables.js';

/** `category: {Cat: {dataAction: {Name: {inputs, successOutputs, failureOutputs}}}}` (the real flows' shape). */
export function callData(it: Exec, body: Obj): Signal {
  const cat = singleKey(body.category);
  const da = cat && isObj(cat[1]) ? singleKey(cat[1].dataAction) : undefined;
  const name = da ? `${cat![0]}/${da[0]}` : (str(body.name) ?? 'data action');
  const config = da && isObj(da[1]) ? da[1] : {};
  const mocks = it.state.kase.dataActions ?? {};
  const key = Object.hasOwn(mocks, name) ? name : da && Object.hasOwn(mocks, da[0]) ? da[0] : undefined;
  const assumed = it.assumed(body);
  if (key === undefined) {
    if (assumed !== undefined) return it.output(body, assumed);
    throw new CaseError(
      `the data action '${name}' (action '${str(body.name) ?? ''}') has no mock in the case`,
      it.source.where(body),
      `Add dataActions: {'${name}': {success: {…outputs}}} (or failure, timeout) to the case.`,
    );
  }
  it.state.usedMocks.add(`dataActions.${key}`);
  const mock = mocks[key]!;
  const [outcome, values] =
    typeof mock === 'string'
      ? [mock, {}]
      : 'success' in mock
        ? ['success', mock.success ?? {}]
        : ['failure', mock.failure ?? {}];
  const outputs =
    outcome === 'success' ? config.successOutputs : outcome === 'failure' ? config.failureOutputs : undefined;
  if (isObj(outputs))
    for (const [out, target] of Object.entries(outputs)) it.assign(target, valueOf(values, out));
  it.state.steps[it.state.steps.length - 1]!.label += ` → ${outcome}`;
  return it.output(body, outcome);
}

/** `dataTable: {Table: {foundOutputs: {column: {var}}, failureOutputs}}`, `lookupValue`. */
export function dataTableLookup(it: Exec, body: Obj): Signal {
  const t = singleKey(body.dataTable);
  const table = t?.[0] ?? str(body.name) ?? 'data table';
  const config = t && isObj(t[1]) ? t[1] : {};
  const tables = it.state.kase.dataTables ?? {};
  const assumed = it.assumed(body);
  if (!Object.hasOwn(tables, table)) {
    if (assumed !== undefined) return it.output(body, assumed);
    throw new CaseError(
      `the data table '${table}' (action '${str(body.name) ?? ''}') has no rows in the case`,
      it.source.where(body),
      `Add dataTables: {'${table}': {'<key>': {<column>: <value>}}} (or failure) to the case.`,
    );
  }
  it.state.usedMocks.add(`dataTables.${table}`);
  const mock = tables[table]!;
  if (mock === 'failure') return it.output(body, 'failure');
  const keyValue = toText(readValue(body, 'lookupValue', it.ctx, it.source));
  const row = keyValue === undefined ? undefined : mock[keyValue];
  const found = row !== undefined;
  if (found && isObj(config.foundOutputs))
    for (const [col, target] of Object.entries(config.foundOutputs)) it.assign(target, valueOf(row, col));
  const out = found ? 'found' : 'notFound';
  it.state.steps[it.state.steps.length - 1]!.label += ` ${JSON.stringify(keyValue ?? null)} → ${out}`;
  return it.output(body, out);
}

function valueOf(values: Record<string, unknown>, name: string): Value {
  const v = fromPlain(values);
  return v && typeof v === 'object' && !Array.isArray(v)
    ? member(v as Record<string, Value>, name)
    : undefined;
}

/**
 * `commonModule: {Name: {ver_latestPublished: {}, inputs?, outputs?}}`. A module of the manifest
 * runs in its own variables (inputs `Common.x: {exp}` from the caller's, outputs `Common.y: {var:
 * Flow.z}` back), as SDK ArchActionCallCommonModule describes; a module outside the manifest is
 * passed over (recorded in the path).
 */
export function callCommonModule(it: Exec, body: Obj): Signal {
  const m = singleKey(body.commonModule);
  const name = m?.[0] ?? str(body.name) ?? 'common module';
  const config = m && isObj(m[1]) ? m[1] : {};
  const module = it.state.flows(name, 'commonModule');
  const step = it.state.steps[it.state.steps.length - 1]!;
  if (!module || !module.start) {
    step.label += ` → '${name}' is not in the manifest: not followed`;
    return { k: 'next' };
  }
  const inputs: Array<[string, Value]> = isObj(config.inputs)
    ? Object.keys(config.inputs).map((k) => [k, readValue(config.inputs as Obj, k, it.ctx, it.source)])
    : [];
  const saved = { source: it.source, vars: it.state.vars };
  it.source = module;
  it.state.vars = new Map();
  declareVariables(it, module.flow);
  for (const [k, v] of inputs) it.state.set(k, v);
  let sig: Signal;
  let c = module.start;
  try {
    for (;;) {
      it.state.hit(module, coverageKey(module, 'task', c.body));
      sig = c.kind === 'menu' ? it.menu(c) : it.call(c.body.actions, it.source.where(body));
      if (sig.k !== 'jump') break;
      c = sig.to;
    }
  } finally {
    const moduleVars = it.state.vars;
    it.source = saved.source;
    it.state.vars = saved.vars;
    if (isObj(config.outputs))
      for (const [k, target] of Object.entries(config.outputs))
        it.assign(target, moduleVars.get(k.toLowerCase()));
  }
  return sig.k === 'endTask' ? { k: 'next' } : sig;
}
