/**
 * Property: on a generated menu tree (sub-menus inline or as jumps to declared menus, leaves that
 * transfer to a queue or hang up), the case built from a path of the tree — its DTMF keys, in
 * order — reaches that path's end, and hears each menu on the way. The oracle is the tree itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { flowSourceFromText } from '../../src/scenario/flow-source.js';
import { runCase } from '../../src/scenario/run-case.js';
import { ScenarioSchema } from '../../src/scenario/schema.js';

type Tree = { kind: 'leaf'; queue: string | null } | { kind: 'menu'; inline: boolean; children: Tree[] };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('leaf' as const), queue: fc.option(fc.constant('q'), { nil: null }) }),
    fc.record({
      kind: fc.constant('menu' as const),
      inline: fc.boolean(),
      children: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
  ),
})).node;

/** The flow of a tree (the root is always a menu) and, for each leaf, its keys and end. */
function build(root: Tree & { kind: 'menu' }) {
  const menus: unknown[] = [];
  const leaves: Array<{ keys: number[]; queue: string | null; prompts: string[] }> = [];
  let n = 0;
  const menu = (t: Tree & { kind: 'menu' }, keys: number[], prompts: string[]): Record<string, unknown> => {
    const id = `m${n++}`;
    const prompt = `menu ${id}`;
    const here = [...prompts, prompt];
    const choices = t.children.map((c, i) => {
      const digit = i + 1;
      const path = [...keys, digit];
      if (c.kind === 'leaf') {
        const name = `leaf ${path.join('.')}`;
        leaves.push({ keys: path, queue: c.queue === null ? null : name, prompts: here });
        return c.queue === null
          ? { menuDisconnect: { name, dtmf: `digit_${digit}` } }
          : { menuTransferToAcd: { name, dtmf: `digit_${digit}`, targetQueue: { lit: { name } } } };
      }
      const sub = menu(c, path, here);
      if (c.inline)
        return { menuSubMenu: { name: `sub ${path.join('.')}`, dtmf: `digit_${digit}`, menu: sub } };
      menus.push({ menu: sub });
      return {
        menuJumpToMenu: {
          name: `jump ${path.join('.')}`,
          dtmf: `digit_${digit}`,
          targetMenuRef: `./menus/menu[${String(sub.refId)}]`,
        },
      };
    });
    return { name: id, refId: id, audio: { tts: prompt }, choices };
  };
  const top = menu(root, [], []);
  menus.unshift({ menu: top });
  const doc = {
    inboundCall: { name: 'Tree', defaultLanguage: 'en-us', startUpRef: './menus/menu[m0]', menus },
  };
  return { text: stringify(doc), leaves };
}

describe('generated menu trees', () => {
  it('a case built from a path of the tree reaches that path’s end', () => {
    const root = fc.record({
      kind: fc.constant('menu' as const),
      inline: fc.boolean(),
      children: fc.array(tree, { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(root, fc.nat(), (t, pick) => {
        const { text, leaves } = build(t);
        const leaf = leaves[pick % leaves.length]!;
        const source = flowSourceFromText(text, 'tree.yaml', {});
        const kase = ScenarioSchema.parse({
          cases: [
            {
              name: 'path',
              input: leaf.keys.map((d) => ({ dtmf: d })),
              expect: {
                ends: leaf.queue === null ? 'disconnect' : { transferToAcd: { queue: leaf.queue } },
                hears: leaf.prompts,
              },
            },
          ],
        }).cases[0]!;
        const r = runCase(source, kase);
        expect(r.message).toBeUndefined();
        expect(r.status).toBe('pass');
        // A disconnect leaf is the choice's own end, not a menu that ran out of retries.
        if (leaf.queue === null) expect(r.end?.props.reason).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
