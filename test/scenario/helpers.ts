/** Minimal flows and cases for the interpreter's tests. */
import { flowSourceFromText, type FlowSource } from '../../src/scenario/flow-source.js';
import { runCase, type CaseResult } from '../../src/scenario/run-case.js';
import type { FlowLookup } from '../../src/scenario/run-state.js';
import { ScenarioSchema, type ScenarioCase } from '../../src/scenario/schema.js';

/** A flow from its text (the file name is what positions name). */
export function flow(text: string, file = 'flow.yaml'): FlowSource {
  return flowSourceFromText(text, file, {});
}

/** A case validated by the scenario schema (so tests use the shape users write). */
export function kase(c: Record<string, unknown>): ScenarioCase {
  return ScenarioSchema.parse({ cases: [{ name: 'case', expect: {}, ...c }] }).cases[0]!;
}

/** Runs a case over a flow's text. */
export function run(text: string, c: Record<string, unknown> = {}, flows?: FlowLookup): CaseResult {
  return runCase(flow(text), kase(c), flows);
}

/** An inbound call flow starting at the task `start`, with these tasks' YAML (indented as items of `tasks:`). */
export function tasksFlow(tasks: string, extra = ''): string {
  return `inboundCall:
  name: Test
  defaultLanguage: en-us
  startUpRef: ./tasks/task[start]
${extra}  tasks:
${tasks}`;
}

/** One task `start` with these actions (indented as items of `actions:` under a task). */
export function actionsFlow(actions: string, extra = ''): string {
  return tasksFlow(
    `    - task:
        name: Start
        refId: start
        actions:
${actions}`,
    extra,
  );
}

/** `flow.yaml:<line>:` of the first line of `text` holding `needle` (where an action's mapping starts). */
export function lineOf(text: string, needle: string, file = 'flow.yaml'): string {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no '${needle}' in the flow`);
  return `${file}:${i + 1}:`;
}
