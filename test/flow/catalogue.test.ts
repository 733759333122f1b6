/** The committed action catalogue is well formed, and its lookups find what Archy files use. */
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  catalogueAction,
  catalogueChoice,
  similarActionKey,
} from '../../src/flow/graph/archy/action-catalogue.js';

describe('the committed action catalogue', () => {
  it('records the SDK repository and the 40-hex commit it was read at', () => {
    expect(CATALOGUE.source.repository).toBe('MyPureCloud/purecloud-flow-scripting-api-sdk-javascript');
    expect(CATALOGUE.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(CATALOGUE.generator).toContain('scripts/catalogue/generate.ts');
  });

  it('has one entry per documented action class, keyed by the class name in camelCase, sorted, unique', () => {
    const keys = CATALOGUE.actions.map((a) => a.key);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    expect(CATALOGUE.actions.length).toBeGreaterThanOrEqual(150);
    for (const a of CATALOGUE.actions) {
      const name = a.class.replace(/^ArchAction/, '');
      expect(a.key).toBe(name[0]!.toLowerCase() + name.slice(1));
      expect(
        a.outputs.every((o) => CATALOGUE.outputIds.includes(o)),
        a.key,
      ).toBe(true);
      expect(a.outputs).toEqual([...a.outputs].sort());
      // An action that leaves the flow only on success has an output for when it does not.
      if (a.exits === 'onSuccess') expect(a.outputs.length, a.key).toBeGreaterThan(0);
      if (a.terminal) expect([a.outputs, a.continuesOnSuccess], a.key).toEqual([[], false]);
      // With no output at all, success is the next sibling (playAudio, holdMusic, …).
      if (!a.terminal && a.outputs.length === 0 && a.dynamicOutputs === null)
        expect(a.continuesOnSuccess, a.key).toBe(true);
    }
  });

  it('menu choices run catalogued actions; aliases name no other entry', () => {
    for (const c of CATALOGUE.choices) {
      expect(c.key).toBe(`menu${c.class.replace(/^ArchMenu/, '')}`);
      expect(catalogueChoice(c.key)?.action.key).toBe(c.action);
    }
    const all = [...CATALOGUE.actions, ...CATALOGUE.choices].flatMap((x) => x.aliases);
    expect(all.filter((k) => catalogueChoice(k) === undefined && catalogueAction(k) === undefined)).toEqual(
      [],
    );
  });

  it('knows the action keys of the six real flows and the outputs they list', () => {
    expect(catalogueAction('callData')?.outputs).toEqual(['failure', 'success', 'timeout']);
    expect(catalogueAction('decision')?.outputs).toEqual(['no', 'yes']);
    expect(catalogueAction('collectInput')?.outputs).toEqual(['failure', 'success']);
    expect(catalogueAction('evaluateScheduleGroup')?.outputs).toEqual([
      'closed',
      'emergency',
      'holiday',
      'open',
    ]);
    expect(catalogueAction('askForIntent')).toMatchObject({
      outputs: ['knowledge', 'maxNoInputs', 'noIntent'],
      dynamicOutputs: 'intents',
    });
    expect(catalogueAction('transferToVoicemail')).toMatchObject({ exits: 'onSuccess', fakeSuccess: true });
    expect(catalogueAction('loopAnythingElse')?.outputs).toEqual(['loop']);
    expect(catalogueAction('holdMusic')?.outputs).toEqual([]);
    expect(catalogueAction('askForSlot')).toMatchObject({
      outputs: ['maxNoInputs', 'maxNoMatches'],
      continuesOnSuccess: true,
    });
    expect(catalogueAction('askForBoolean')).toMatchObject({ continuesOnSuccess: false });
    expect(catalogueChoice('repeatMenu')?.choice.key).toBe('menuRepeatMenu');
    // A menu's inner action is not an action of an `actions:` list.
    expect(catalogueAction('task')).toBeUndefined();
    expect(catalogueAction('noSuchAction')).toBeUndefined();
    expect(similarActionKey('calldata')).toBe('callData');
  });
});
