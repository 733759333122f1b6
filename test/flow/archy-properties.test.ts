/**
 * Issue 19, property tests against brute-force oracles:
 * - listing every output of any catalogued action (each ending in a disconnect) never yields
 *   `missing-terminal`, and leaving any one out always does (the action then continues);
 * - a reference to a missing task, menu or state anywhere in a generated flow (actions at any
 *   depth, menu choices, the flow's settings) is reported at its line and column, once, and no
 *   reference to an existing target is.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { CATALOGUE } from '../../src/flow/graph/archy/action-catalogue.js';
import type { CatalogueAction } from '../../src/flow/graph/archy/catalogue/types.js';
import { LineIndex } from '../../src/flow/source/source-text.js';
import { validateText } from '../helpers/flow.js';

type Y = Record<string, unknown>;
const disconnect = (name: string): Y => ({ disconnect: { name } });

/**
 * Actions with outputs to list: neither terminal nor continuing on success anyway. The intents of
 * an external bot (Call Bot Connector, Dialogflow CX…) are not in the flow, so no flow lists them all.
 */
const branching = CATALOGUE.actions.filter(
  (a) =>
    a.kind === 'action' &&
    !a.terminal &&
    !a.continuesOnSuccess &&
    a.outputs.length > 0 &&
    !(a.dynamicOutputs === 'intents' && a.key !== 'askForIntent'),
);

/** An inbound call flow whose start task ends with `action` listing `listed` (each ends). */
function flowWith(a: CatalogueAction, listed: string[], intents: string[]): string {
  const outputs: Y = {};
  for (const o of listed) outputs[o] = { actions: [disconnect(`bye-${o}`)] };
  if (a.key === 'askForIntent')
    outputs.intents = intents.map((name) => ({ intent: { name, actions: [disconnect(`bye-${name}`)] } }));
  const body: Y = { name: 'under test', outputs };
  if (a.key === 'callTask') body.targetTaskRef = './tasks/task[helper]';
  const flow: Y = {
    name: 'Property',
    defaultLanguage: 'en-us',
    startUpRef: './tasks/task[start]',
    tasks: [
      {
        task: { name: 'Start', refId: 'start', actions: [{ playAudio: { name: 'hi' } }, { [a.key]: body }] },
      },
      { task: { name: 'Helper', refId: 'helper', actions: [{ playAudio: { name: 'returns' } }] } },
    ],
  };
  if (a.key === 'askForIntent')
    flow.settingsNaturalLanguageUnderstanding = {
      nluDomainVersion: { intents: intents.map((name) => ({ name })) },
    };
  return stringify({ inboundCall: flow });
}

const intentNames = fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{2,8}$/), { minLength: 1, maxLength: 4 });

describe('every catalogued action', () => {
  test.prop([fc.constantFrom(...branching), intentNames], { numRuns: 400 })(
    'listing all its outputs never yields missing-terminal',
    (a, intents) => {
      const r = validateText(flowWith(a, a.outputs, intents));
      expect(r.diagnostics.filter((d) => d.code === 'missing-terminal' || d.severity === 'error')).toEqual(
        [],
      );
    },
  );

  test.prop(
    [
      fc
        .constantFrom(...branching.filter((a) => a.outputs.some((o) => o !== 'loop')))
        .chain((a) => fc.tuple(fc.constant(a), fc.integer({ min: 0, max: a.outputs.length - 1 }))),
      intentNames,
    ],
    { numRuns: 300 },
  )(
    'leaving one of its outputs out makes it continue: missing-terminal at the action',
    ([a, drop], intents) => {
      const listed = a.outputs.filter((_, i) => i !== drop);
      const r = validateText(flowWith(a, listed, intents));
      const missing = r.diagnostics.filter((d) => d.code === 'missing-terminal');
      expect(missing.map((d) => d.message)).toEqual([expect.stringContaining(`${a.key} 'under test'`)]);
    },
  );
});

// ---- references anywhere ---------------------------------------------------------------------

type Ref = { key: string; value: string; missing: boolean };

/** A generated flow: nested actions with references at random places, menus, and settings. */
const refArb = (missingId: () => string) =>
  fc
    .record({
      key: fc.constantFrom('targetTaskRef', 'targetMenuRef'),
      missing: fc.boolean(),
    })
    .map(({ key, missing }): Ref => {
      const kind = key === 'targetTaskRef' ? 'task' : 'menu';
      const id = missing ? missingId() : kind === 'task' ? 'other' : 'main';
      return { key, missing, value: `./${kind}s/${kind}[${id}]` };
    });

function generatedFlow(): fc.Arbitrary<{ text: string; refs: Ref[] }> {
  let n = 0;
  const ref = refArb(() => `missing_${n++}`);
  const action: fc.Arbitrary<{ y: Y; refs: Ref[] }> = fc.letrec<{ action: { y: Y; refs: Ref[] } }>((tie) => ({
    action: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant<{ y: Y; refs: Ref[] }>({ y: { playAudio: { name: 'say' } }, refs: [] }),
      ref.map((r) => ({
        y: { [r.key === 'targetTaskRef' ? 'jumpToTask' : 'jumpToMenu']: { name: 'jump', [r.key]: r.value } },
        refs: [r],
      })),
      fc
        .tuple(fc.array(tie('action'), { maxLength: 3 }), fc.array(tie('action'), { maxLength: 3 }))
        .map(([yes, no]) => ({
          y: {
            decision: {
              name: 'd',
              outputs: { yes: { actions: yes.map((x) => x.y) }, no: { actions: no.map((x) => x.y) } },
            },
          },
          refs: [...yes, ...no].flatMap((x) => x.refs),
        })),
      fc.array(tie('action'), { maxLength: 3 }).map((body) => ({
        y: { loop: { name: 'l', outputs: { loop: { actions: body.map((x) => x.y) } } } },
        refs: body.flatMap((x) => x.refs),
      })),
      fc.array(tie('action'), { maxLength: 3 }).map((body) => ({
        y: {
          digitalMenu: {
            name: 'dm',
            outputs: { paths: [{ path: { name: 'p', actions: body.map((x) => x.y) } }] },
          },
        },
        refs: body.flatMap((x) => x.refs),
      })),
    ),
  })).action;
  return fc
    .record({
      start: fc.array(action, { maxLength: 4 }),
      other: fc.array(action, { maxLength: 3 }),
      choice: ref,
      knowledge: fc.option(ref, { nil: undefined }),
      errorTask: fc.option(ref, { nil: undefined }),
    })
    .map(({ start, other, choice, knowledge, errorTask }) => {
      const flow: Y = {
        name: 'Generated',
        defaultLanguage: 'en-us',
        startUpRef: './tasks/task[start]',
        menus: [
          {
            menu: {
              name: 'Main',
              refId: 'main',
              choices: [
                {
                  [choice.key === 'targetTaskRef' ? 'menuJumpToTask' : 'menuJumpToMenu']: {
                    name: 'c',
                    dtmf: 'digit_1',
                    [choice.key]: choice.value,
                  },
                },
              ],
            },
          },
        ],
        tasks: [
          { task: { name: 'Start', refId: 'start', actions: [...start.map((x) => x.y), disconnect('end')] } },
          { task: { name: 'Other', refId: 'other', actions: [...other.map((x) => x.y), disconnect('end')] } },
        ],
      };
      const refs = [...start, ...other].flatMap((x) => x.refs).concat(choice);
      if (knowledge) {
        flow.settingsKnowledge = { Base: { knowledgePath: { [knowledge.key]: knowledge.value } } };
        refs.push(knowledge);
      }
      if (errorTask) {
        flow.settingsErrorHandling = { errorHandling: { task: { [errorTask.key]: errorTask.value } } };
        refs.push(errorTask);
      }
      return { text: stringify({ inboundCall: flow }), refs };
    });
}

describe('references anywhere in a generated flow', () => {
  test.prop([generatedFlow()], { numRuns: 300 })(
    'each missing target is reported once, at the line and column of its value; existing ones never',
    ({ text, refs }) => {
      const r = validateText(text);
      const lines = new LineIndex(text);
      const expected = refs
        .filter((x) => x.missing)
        .map((x) => {
          // Every missing id is unique, so the value occurs once in the text (plain or quoted).
          const at = text.indexOf(x.value);
          const start = text[at - 1] === '"' || text[at - 1] === "'" ? at - 1 : at;
          const p = lines.position(start);
          return [p.line, p.column, x.value];
        })
        .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
      const found = r.diagnostics
        .filter((d) => d.code === 'unresolved-reference')
        .map((d) => [d.line, d.column, /'([^']+)'/.exec(d.message)![1]]);
      expect(found).toEqual(expected);
    },
  );
});
