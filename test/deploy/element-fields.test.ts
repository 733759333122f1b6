/**
 * `fieldChanges` (src/deploy/element-diff.ts) on parsed documents: how elements are matched (where
 * they stand, type, name, occurrence), what counts as a setting (leaves, by path; not refIds), how
 * a changed type is said, and what is left to the FlowGraph diff. A brute-force oracle over
 * generated flat documents, and the swap of before and after, check the comparison itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldChanges } from '../../src/deploy/element-diff.js';

/** An inbound call document with these actions in task `Main`. */
const doc = (actions: unknown[], flow: Record<string, unknown> = {}) => ({
  inboundCall: { name: 'IVR', ...flow, tasks: [{ task: { name: 'Main', refId: 'main', actions } }] },
});
const play = (name: string | undefined, tts: unknown) => ({
  playAudio: { ...(name !== undefined ? { name } : {}), audio: { tts } },
});

describe('fieldChanges: elements and their settings', () => {
  it('a setting of an action changed, added or removed, by the path of the action and of the setting', () => {
    const before = doc([play('Hi', 'Welcome'), { disconnect: { name: 'Bye' } }]);
    const after = doc([play('Hi', 'Hello'), { disconnect: { name: 'Bye', reason: 'done' } }]);
    expect(fieldChanges(before, after)).toEqual([
      {
        element: "inboundCall › task 'Main' › playAudio 'Hi'",
        field: 'audio.tts',
        from: 'Welcome',
        to: 'Hello',
      },
      {
        element: "inboundCall › task 'Main' › disconnect 'Bye'",
        field: 'reason',
        from: undefined,
        to: 'done',
      },
    ]);
    expect(fieldChanges(after, before)[1]).toEqual({
      element: "inboundCall › task 'Main' › disconnect 'Bye'",
      field: 'reason',
      from: 'done',
      to: undefined,
    });
  });

  it('an element renamed, added or removed is not compared (the FlowGraph diff says it)', () => {
    expect(fieldChanges(doc([play('Hi', 'a')]), doc([play('Hello', 'b')]))).toEqual([]);
    expect(fieldChanges(doc([]), doc([play('Hi', 'a')]))).toEqual([]);
    expect(fieldChanges(doc([play('Hi', 'a')]), doc([]))).toEqual([]);
  });

  it('elements of one type and name are matched by occurrence, the second labelled (2)', () => {
    const before = doc([play('Hi', 'a'), play('Hi', 'b')]);
    const after = doc([play('Hi', 'a'), play('Hi', 'c')]);
    expect(fieldChanges(before, after)).toEqual([
      { element: "inboundCall › task 'Main' › playAudio 'Hi' (2)", field: 'audio.tts', from: 'b', to: 'c' },
    ]);
  });

  it('an element without a name is labelled by its type alone', () => {
    expect(fieldChanges(doc([play(undefined, 'a')]), doc([play(undefined, 'b')]))).toEqual([
      { element: "inboundCall › task 'Main' › playAudio", field: 'audio.tts', from: 'a', to: 'b' },
    ]);
    // A name that is not text is a setting, not the label.
    const numbered = (tts: string) => ({ playAudio: { name: 5, audio: { tts } } });
    expect(fieldChanges(doc([numbered('a')]), doc([numbered('b')]))).toEqual([
      { element: "inboundCall › task 'Main' › playAudio", field: 'audio.tts', from: 'a', to: 'b' },
    ]);
  });

  it('a value whose type changed is said with both types (the same text too); a text alone changed, without', () => {
    const typed = fieldChanges(doc([play('Hi', 50)]), doc([play('Hi', '50')]));
    expect(typed).toEqual([
      {
        element: "inboundCall › task 'Main' › playAudio 'Hi'",
        field: 'audio.tts',
        from: '50',
        to: '50',
        fromType: 'number',
        toType: 'string',
      },
    ]);
    expect(fieldChanges(doc([play('Hi', true)]), doc([play('Hi', 'true')]))[0]).toMatchObject({
      fromType: 'boolean',
      toType: 'string',
    });
    expect(fieldChanges(doc([play('Hi', null)]), doc([play('Hi', 'null')]))[0]).toMatchObject({
      fromType: 'null',
      toType: 'string',
    });
    // Text and type both changed: both said.
    expect(fieldChanges(doc([play('Hi', 50)]), doc([play('Hi', 'fifty')]))).toEqual([
      {
        element: "inboundCall › task 'Main' › playAudio 'Hi'",
        field: 'audio.tts',
        from: '50',
        to: 'fifty',
        fromType: 'number',
        toType: 'string',
      },
    ]);
    // The text alone changed: no types.
    expect(fieldChanges(doc([play('Hi', 'a')]), doc([play('Hi', 'b')]))[0]).not.toHaveProperty('fromType');
    // A value added has no type change to say.
    expect(fieldChanges(doc([play('Hi', {})]), doc([play('Hi', 50)]))[0]).not.toHaveProperty('fromType');
  });

  it('refIds and references to them are not settings (a renumbered refId changes nothing a caller hears)', () => {
    const jump = (to: string, refId: string) => ({
      jumpToTask: { name: 'Go', refId, targetTaskRef: `./tasks/task[${to}]`, note: 'x' },
    });
    expect(fieldChanges(doc([jump('a', 'r1')]), doc([jump('b', 'r2')]))).toEqual([]);
    // Only a name that ends in Ref: `userRefs` is a setting.
    const refs = (v: string) => ({ setData: { name: 'S', userRefs: v } });
    expect(fieldChanges(doc([refs('a')]), doc([refs('b')]))).toEqual([
      { element: "inboundCall › task 'Main' › setData 'S'", field: 'userRefs', from: 'a', to: 'b' },
    ]);
    // A setting whose name merely ends in "ref" in another case is one.
    const other = (v: string) => ({ setData: { name: 'S', userPref: v } });
    expect(fieldChanges(doc([other('a')]), doc([other('b')]))).toHaveLength(1);
  });

  it('lists of values are settings by index; a list that is not of elements is walked as values', () => {
    const withList = (langs: unknown[]) => doc([], { supportedLanguages: langs });
    expect(fieldChanges(withList(['en-us', 'fr']), withList(['en-us', 'de']))).toEqual([
      { element: 'inboundCall', field: 'supportedLanguages.1', from: 'fr', to: 'de' },
    ]);
    // Mappings of two keys in a list are values, not elements.
    const pairs = (v: string) => doc([], { pairs: [{ a: { x: v }, b: { x: 1 } }] });
    expect(fieldChanges(pairs('1'), pairs('2'))).toEqual([
      { element: 'inboundCall', field: 'pairs.0.a.x', from: '1', to: '2' },
    ]);
    // A single-key mapping whose value is a list is a value too.
    const listed = (v: string) => doc([], { items: [{ a: [v] }] });
    expect(fieldChanges(listed('1'), listed('2'))).toEqual([
      { element: 'inboundCall', field: 'items.0.a.0', from: '1', to: '2' },
    ]);
    // One element-like item beside a value: the list is values, every item by index.
    const mixed = (v: string) => doc([], { items: [{ a: { x: v } }, 'plain'] });
    expect(fieldChanges(mixed('1'), mixed('2'))).toEqual([
      { element: 'inboundCall', field: 'items.0.a.x', from: '1', to: '2' },
    ]);
    // A single-key mapping of null is a value too.
    const nulls = (v: unknown) => doc([], { items: [{ a: null }], other: v });
    expect(fieldChanges(nulls('1'), nulls('2'))).toEqual([
      { element: 'inboundCall', field: 'other', from: '1', to: '2' },
    ]);
    const scalar = (v: string) => doc([], { items: [{ a: v }] });
    expect(fieldChanges(scalar('1'), scalar('2'))).toEqual([
      { element: 'inboundCall', field: 'items.0.a', from: '1', to: '2' },
    ]);
  });

  it("the flow's settings the FlowGraph diff says are left out, only on the flow itself", () => {
    const before = doc([{ setData: { name: 'S', division: 'a' } }], { division: 'Home' });
    const after = doc([{ setData: { name: 'S', division: 'b' } }], { division: 'Sales' });
    expect(fieldChanges(before, after, new Set(['division']))).toEqual([
      { element: "inboundCall › task 'Main' › setData 'S'", field: 'division', from: 'a', to: 'b' },
    ]);
    expect(fieldChanges(before, after)).toHaveLength(2);
  });

  it('a document that is not a mapping of a flow has no elements to compare', () => {
    for (const [a, b] of [
      [null, null],
      [[1], [2]],
      ['a', 'b'],
      [{}, {}],
      [{ inboundCall: 'a' }, { inboundCall: 'b' }],
      [{ inboundCall: null }, { inboundCall: null }],
    ] as Array<[unknown, unknown]>)
      expect(fieldChanges(a, b)).toEqual([]);
    // Against a real document on one side only, nothing either (every element is added or removed).
    expect(fieldChanges(null, doc([play('Hi', 'a')]))).toEqual([]);
  });
});

/** Flat flow settings: a few keys with scalar values of each type. */
const settings = fc.dictionary(
  fc.constantFrom('a', 'b', 'c', 'd'),
  fc.oneof(fc.constantFrom('1', 'x', 'true'), fc.constantFrom(1, true, null)),
);

describe('fieldChanges against a brute-force oracle', () => {
  it('flat settings: every key whose text or type differs, said once, with the types when both sides have it and they differ', () => {
    fc.assert(
      fc.property(settings, settings, (a, b) => {
        const text = (v: unknown) =>
          v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
        const type = (v: unknown) => (v === null ? 'null' : typeof v === 'string' ? 'string' : typeof v);
        const want = [...new Set([...Object.keys(a), ...Object.keys(b)])]
          .filter((k) => !(k in a && k in b && text(a[k]) === text(b[k]) && type(a[k]) === type(b[k])))
          .map((k) => ({
            element: 'flow',
            field: k,
            from: text(a[k]),
            to: text(b[k]),
            ...(k in a && k in b && type(a[k]) !== type(b[k])
              ? { fromType: type(a[k]), toType: type(b[k]) }
              : {}),
          }))
          .sort((x, y) => (x.field < y.field ? -1 : 1));
        const got = fieldChanges({ flow: a }, { flow: b }).sort((x, y) => (x.field < y.field ? -1 : 1));
        expect(got).toEqual(want);
      }),
    );
  });

  it('before and after swapped give the same settings with from and to swapped', () => {
    const actions = fc.array(
      fc
        .record({ name: fc.constantFrom('A', 'B'), tts: fc.constantFrom('x', 'y', 1) })
        .map((r) => play(r.name, r.tts)),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(actions, actions, (a, b) => {
        const forward = fieldChanges(doc(a), doc(b));
        const back = fieldChanges(doc(b), doc(a));
        const key = (c: { element: string; field: string }) => `${c.element}\0${c.field}`;
        expect(back.map((c) => [key(c), c.to, c.from, c.toType, c.fromType]).sort()).toEqual(
          forward.map((c) => [key(c), c.from, c.to, c.fromType, c.toType]).sort(),
        );
        expect(fieldChanges(doc(a), doc(a))).toEqual([]);
      }),
    );
  });
});
