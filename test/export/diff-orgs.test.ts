/**
 * `flowgate diff --env A --against-env B` in the library: the same flows in two orgs, compared by
 * what each publishes (export jobs); one flow changed in one org is the one difference.
 */
import { describe, expect, it } from 'vitest';
import { compareSides, publishedSides } from '../../src/deploy/compare.js';
import { describeDiff } from '../../src/deploy/diff.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { generatedFlows, generatedSeed, ivrYaml } from '../helpers/generated-org.js';

const seedB = () => {
  const seed = generatedSeed(30, 301);
  const ivr = seed.flows!.find((f) => f.name === 'IVR 004')!;
  ivr.versions = [
    {
      publishedHoursAgo: 1,
      configuration: ivrYaml('IVR 004', 'Module 001', 'Queue 4', undefined, 'Hello from B'),
    },
  ];
  seed.flows = seed.flows!.filter((f) => f.name !== 'IVR 010');
  return seed;
};

describe('diff of two orgs', () => {
  const a = useEmulator({ seed: generatedSeed(30) });
  const b = useEmulator({ seed: seedB() });

  it('equal flows are equal; the changed one says what changed; a flow one org lacks is missing', async () => {
    const wanted = generatedFlows(30).map((f) => ({ type: f.type.toLowerCase(), name: f.name }));
    const job = { intervalMs: 10, maxIntervalMs: 20 };
    const [sa, sb] = await Promise.all([
      publishedSides(clientFor(a.get()).client, wanted, 'test', job),
      publishedSides(clientFor(b.get()).client, wanted, 'prod', job),
    ]);
    const results = compareSides(
      wanted.map((w, i) => ({ flowName: w.name, flowType: w.type, from: sa[i]!, to: sb[i]! })),
    );
    expect(results.filter((r) => r.status !== 'equal').map((r) => [r.flowName, r.status, r.missing])).toEqual(
      [
        ['IVR 004', 'different', undefined],
        ['IVR 010', 'missing', 'prod has no such flow'],
      ],
    );
    expect(describeDiff(results.find((r) => r.flowName === 'IVR 004')!.diff!)).toContain(
      "~ inboundCall › task 'Main' › playAudio 'Greeting': audio.tts 'Welcome' → 'Hello from B'",
    );
  });
});
