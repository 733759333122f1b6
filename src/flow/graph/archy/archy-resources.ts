/**
 * References to other flows and org objects by name, key by key (docs/org-references.md): which
 * action field names which object comes from the Architect Scripting SDK's documentation
 * (github.com/MyPureCloud/purecloud-flow-scripting-api-sdk-javascript, docs/ArchAction*.html:
 * ArchActionTransferToAcd `targetQueue`, `skills`, `languageSkill`; ArchActionTransferToUser
 * `targetUser`; ArchActionTransferToGroup `targetGroup`; ArchActionTransferToVoicemail all three;
 * ArchActionSetWrapupCode `wrapupCode`; ArchActionEvaluateSchedule `schedule`, `emergencyGroup`;
 * ArchActionEvaluateScheduleGroup `scheduleGroup`, `emergencyGroup`; ArchActionInitializeFlowOutcome
 * and ArchActionSetFlowOutcome the flow outcome; ArchActionAddFlowMilestone the milestone;
 * ArchActionCallData and ArchActionCallDataSecure the data action, by category (the integration)
 * and name; ArchActionDataTableLookup the data table and its found outputs, the columns it reads).
 * A literal names the object (`lit: { name: X }`, or the name as a key); an expression decides at
 * run time and names nothing here.
 */
import { isObj, singleKey, str, type Obj } from './archy-context.js';
import type { FlowReference } from '../flow-graph.js';

/** Keys that name another flow or an org object ({@link resourceRef}). */
export const RESOURCE_KEYS = new Set([
  'targetQueue',
  'scheduleGroup',
  'emergencyGroup',
  'schedule',
  'targetFlow',
  'overrideInQueueFlow',
  'commonModule',
  'botFlow',
  'digitalBotFlow',
  'dataTable',
  'category',
  'languageSkill',
  'skills',
  'targetUser',
  'targetGroup',
  'wrapupCode',
  'flowOutcome',
  'flowMilestone',
  'milestone',
]);

/** Records a reference at a holder's key. */
export type Add = (r: Omit<FlowReference, 'line' | 'column'>, holder: object, key: string | number) => void;

const litName = (v: unknown): string | undefined => {
  if (!isObj(v)) return undefined;
  if (isObj(v.lit)) return str(v.lit.name);
  return str(v.name);
};

/** Keys whose literal is one named object of a kind, wherever the action. */
const NAMED: Record<string, FlowReference['kind']> = {
  targetQueue: 'queue',
  scheduleGroup: 'scheduleGroup',
  emergencyGroup: 'emergencyGroup',
  languageSkill: 'language',
  targetUser: 'user',
  targetGroup: 'group',
  wrapupCode: 'wrapupCode',
  flowOutcome: 'outcome',
  flowMilestone: 'milestone',
};

/** References to other flows and org objects by name. */
export function resourceRef(
  add: Add,
  value: Obj,
  key: string,
  v: unknown,
  parentKey: string,
  inQueueType: string,
): void {
  const kind = NAMED[key];
  if (kind !== undefined) {
    const name = litName(v);
    if (name !== undefined) add({ kind, name, via: parentKey }, value, key);
    return;
  }
  switch (key) {
    case 'schedule':
    case 'milestone': {
      // `schedule` only names one in evaluateSchedule, `milestone` in addFlowMilestone.
      const name =
        parentKey === 'evaluateSchedule' || parentKey === 'addFlowMilestone' ? litName(v) : undefined;
      if (name !== undefined) add({ kind: key, name, via: parentKey }, value, key);
      return;
    }
    case 'skills':
      for (const [holder, at, item] of listItems(v)) {
        const name = litName(item) ?? litName(singleKey(item)?.[1]);
        if (name !== undefined) add({ kind: 'skill', name, via: parentKey }, holder, at);
      }
      return;
    case 'targetFlow': {
      const name = litName(v);
      const flowType = parentKey === 'transferToFlowSecure' ? 'securecall' : 'inboundcall';
      if (name !== undefined) add({ kind: 'flow', name, flowType, via: parentKey }, value, key);
      return;
    }
    case 'overrideInQueueFlow': {
      const name = litName(v);
      if (name !== undefined) add({ kind: 'flow', name, flowType: inQueueType, via: parentKey }, value, key);
      return;
    }
    case 'commonModule':
    case 'botFlow':
    case 'digitalBotFlow':
      if (
        isObj(v) &&
        (parentKey === 'callCommonModule' ||
          parentKey === 'callBotFlow' ||
          parentKey === 'callDigitalBotFlow')
      ) {
        const flowType = key === 'commonModule' ? 'commonmodule' : key === 'botFlow' ? 'bot' : 'digitalbot';
        for (const name of Object.keys(v)) add({ kind: 'flow', name, flowType, via: parentKey }, v, name);
      }
      return;
    case 'dataTable':
      if (isObj(v) && parentKey === 'dataTableLookup')
        for (const name of Object.keys(v)) {
          const table = v[name];
          const found = isObj(table) && isObj(table.foundOutputs) ? Object.keys(table.foundOutputs) : [];
          add(
            { kind: 'dataTable', name, via: parentKey, ...(found.length > 0 ? { columns: found } : {}) },
            v,
            name,
          );
        }
      return;
    case 'category':
      if (isObj(v) && (parentKey === 'callData' || parentKey === 'callDataSecure'))
        for (const [integration, cat] of Object.entries(v))
          if (isObj(cat) && isObj(cat.dataAction))
            for (const name of Object.keys(cat.dataAction))
              add(
                {
                  kind: 'dataAction',
                  name: `${integration}/${name}`,
                  via: parentKey,
                  ...(parentKey === 'callDataSecure' ? { secure: true } : {}),
                },
                cat.dataAction,
                name,
              );
      return;
  }
}

/** The items of a list literal (`[a, b]`, or `lit: [a, b]`), each with its holder and index. */
function listItems(v: unknown): Array<[object, number, unknown]> {
  const list = Array.isArray(v) ? v : isObj(v) && Array.isArray(v.lit) ? v.lit : [];
  return (list as unknown[]).map((item, i) => [list as object, i, item]);
}

const PROMPT = /\bPrompt(System)?\.([A-Za-z_][\w]*)/g;

/** `Prompt.X` (a user prompt) and `PromptSystem.X` (a system prompt) named in a string. */
export function promptRefs(add: Add, holder: object, key: string | number, s: string, via: string): void {
  for (const m of s.matchAll(PROMPT)) add({ kind: 'prompt', name: m[0], via }, holder, key);
}
