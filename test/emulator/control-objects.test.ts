/**
 * `control.addObject`: an org object created while the emulator runs (the demo's prod org gains the
 * queue its values name), listed over HTTP like a seeded one, with the id the seed would give it.
 */
import { describe, expect, it } from 'vitest';
import { OrgRuleError } from '../../src/emulator/errors.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';

const SEED = {
  randomSeed: 7,
  flows: [],
  divisions: ['Home', 'Support'],
  objects: { queues: ['Sales'] },
};

describe('control.addObject', () => {
  const e = useEmulator({ seed: SEED });
  const seeded = useEmulator({
    seed: { ...SEED, objects: { queues: ['Sales', { name: 'Support-Prod', division: 'Support' }] } },
  });

  it('adds a queue in its division that the API then lists, with the id a seed gives it; a second one of that name is a conflict', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    expect((await client.objects.list('queue')).map((q) => q.name)).toEqual(['Sales']);
    const made = emu.control.addObject('queue', { name: 'Support-Prod', division: 'Support' });
    const listed = await client.objects.list('queue');
    expect(listed.map((q) => [q.name, q.division?.name])).toEqual([
      ['Sales', 'Home'],
      ['Support-Prod', 'Support'],
    ]);
    expect(listed[1]!.id).toBe(made.id);
    const fromSeed = await clientFor(seeded.get()).client.objects.list('queue');
    expect(fromSeed[1]!.id).toBe(made.id);
    expect(() => emu.control.addObject('queue', { name: 'Support-Prod' })).toThrow(OrgRuleError);
  });
});
