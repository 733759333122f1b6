/**
 * `flowgate diff` in the library (src/deploy/compare.ts), in process against the emulator: the
 * repository's flows as sides, what an org publishes, two versions of one flow and the errors that
 * name a version that does not exist. test/cli/diff.test.ts drives the same through the command
 * line; these say each rule apart, where Stryker (in-process tests only) sees them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSides,
  compareVersionIds,
  publishedSides,
  repositorySides,
  versionSides,
} from '../../src/deploy/compare.js';
import { describeDiff } from '../../src/deploy/diff.js';
import type { Seed } from '../../src/emulator/seed.js';
import { FlowgateError } from '../../src/errors.js';
import { loadFlowText } from '../../src/flow/load.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';
import { ivrYaml, moduleYaml } from '../helpers/generated-org.js';

const JOB = { intervalMs: 10, maxIntervalMs: 20 };
const hoursAgo = (n: number) => Array.from({ length: n }, (_, i) => n - i);

/** `IVR` published in versions saying `v1`, `v2`, … (the last published), `Module` once, `Draft` never. */
function seed(ivrVersions: number): Seed {
  return {
    flows: [
      {
        name: 'IVR',
        type: 'INBOUNDCALL',
        versions: hoursAgo(ivrVersions).map((h, i) => ({
          publishedHoursAgo: h,
          configuration: ivrYaml('IVR', 'Module', 'Queue 1', undefined, `v${i + 1}`),
        })),
      },
      {
        name: 'Module',
        type: 'COMMONMODULE',
        versions: [{ publishedHoursAgo: 1, configuration: moduleYaml('Module') }],
      },
      {
        name: 'Draft',
        type: 'INBOUNDCALL',
        versions: [{ configuration: ivrYaml('Draft', 'Module', 'Queue 1') }],
      },
    ],
  };
}

/** The error `run` throws (fails the test when it throws none). */
async function thrown(run: () => Promise<unknown>): Promise<FlowgateError> {
  const e = await run().then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FlowgateError);
  return e as FlowgateError;
}

describe('compareSides', () => {
  const side = (text: string, label: string) => ({ text, label });
  const pair = (from: Parameters<typeof compareSides>[0][0]['from'], to: typeof from) => ({
    flowName: 'IVR',
    flowType: 'inboundcall',
    from,
    to,
  });

  it('equal by normalized content: layout and quoting do not count, and no diff is given', () => {
    const text = ivrYaml('IVR', 'Module', 'Queue 1');
    const requoted = text.replace('tts: Welcome', 'tts: "Welcome"').replace(/\n {10}- /g, '\n          -  ');
    expect(requoted).not.toBe(text);
    expect(compareSides([pair(side(text, 'a.yaml'), side(requoted, 'org version 2.0'))])).toEqual([
      { flowName: 'IVR', flowType: 'inboundcall', from: 'a.yaml', to: 'org version 2.0', status: 'equal' },
    ]);
  });

  it('different content: status different, with the semantic diff of from → to', () => {
    const [r] = compareSides([
      pair(
        side(ivrYaml('IVR', 'Module', 'Queue 1'), 'a'),
        side(ivrYaml('IVR', 'Module', 'Queue 1', undefined, 'Hello'), 'b'),
      ),
    ]);
    expect(r!.status).toBe('different');
    expect(describeDiff(r!.diff!)).toEqual([
      "~ inboundCall › task 'Main' › playAudio 'Greeting': audio.tts 'Welcome' → 'Hello'",
    ]);
  });

  it('different texts of which one has no flow in it: different, with no diff (nothing to compare)', () => {
    const [r] = compareSides([
      pair(side(ivrYaml('IVR', 'Module', 'Queue 1'), 'a'), side('- not: a flow\n', 'b')),
    ]);
    expect(r).toEqual({ flowName: 'IVR', flowType: 'inboundcall', from: 'a', to: 'b', status: 'different' });
  });

  it('a missing side on either end: status missing, with that side’s reason and (none) for its label', () => {
    const present = side('x: 1\n', 'flows/ivr.yaml');
    expect(compareSides([pair({ missing: 'prod has no such flow' }, present)])).toEqual([
      {
        flowName: 'IVR',
        flowType: 'inboundcall',
        from: '(none)',
        to: 'flows/ivr.yaml',
        status: 'missing',
        missing: 'prod has no such flow',
      },
    ]);
    expect(compareSides([pair(present, { missing: 'test never published it' })])[0]).toMatchObject({
      from: 'flows/ivr.yaml',
      to: '(none)',
      status: 'missing',
      missing: 'test never published it',
    });
    // Both missing: the from side's reason is the one said.
    expect(compareSides([pair({ missing: 'first' }, { missing: 'second' })])[0]!.missing).toBe('first');
  });

  it('each pair keeps its own order and names', () => {
    const t = ivrYaml('IVR', 'Module', 'Queue 1');
    const results = compareSides([
      { flowName: 'B', flowType: 'commonmodule', from: side(t, 'x'), to: side(t, 'y') },
      { flowName: 'A', flowType: 'inboundcall', from: { missing: 'gone' }, to: side(t, 'y') },
    ]);
    expect(results.map((r) => [r.flowName, r.flowType, r.status])).toEqual([
      ['B', 'commonmodule', 'equal'],
      ['A', 'inboundcall', 'missing'],
    ]);
  });
});

describe('repositorySides', () => {
  it("a loaded flow's side is its substituted text, named by the flow's name and type; an unreadable one is missing", () => {
    const readable = loadFlowText(ivrYaml('{{ name }}', 'Module', 'Queue 1'), 'flows/ivr.yaml', {
      substitutions: { name: 'IVR test' },
    });
    const broken = { file: 'flows/broken.yaml', diagnostics: [] };
    expect(repositorySides([readable, broken])).toEqual([
      {
        type: 'inboundcall',
        name: 'IVR test',
        side: { text: ivrYaml('IVR test', 'Module', 'Queue 1'), label: 'flows/ivr.yaml' },
      },
      { type: 'unknown', name: 'flows/broken.yaml', side: { missing: 'flows/broken.yaml cannot be read' } },
    ]);
  });
});

describe('publishedSides', () => {
  const e = useEmulator({ seed: seed(2) });

  it("what the org publishes, in the order asked; a flow it lacks or never published is missing, and the others' texts stay in place", async () => {
    const { client } = clientFor(e.get());
    const sides = await publishedSides(
      client,
      [
        { type: 'commonmodule', name: 'Module' },
        { type: 'inboundcall', name: 'Nowhere' },
        { type: 'inboundcall', name: 'Draft' },
        // The type in any case, as the platform writes it (INBOUNDCALL) or as a user does.
        { type: 'InboundCall', name: 'IVR' },
        // The same name as another type is not that flow.
        { type: 'commonmodule', name: 'IVR' },
      ],
      'prod',
      JOB,
    );
    expect(sides.map((s) => ('missing' in s ? s.missing : s.label))).toEqual([
      'prod version 1.0',
      'prod has no such flow',
      'prod never published it',
      'prod version 2.0',
      'prod has no such flow',
    ]);
    const texts = sides.map((s) => ('text' in s ? s.text : undefined));
    expect(texts[0]).toContain('commonModule:');
    expect(texts[3]).toContain('tts: v2');
  });
});

describe('versionSides', () => {
  const e = useEmulator({ seed: seed(3) });

  it('two versions of a flow by name, type:name or id: their exported texts, labelled by version', async () => {
    const { client } = clientFor(e.get());
    const r = await versionSides(client, 'IVR', ['1.0', '3.0'], JOB);
    expect(r.flow.name).toBe('IVR');
    expect(r.sides.map((s) => ('label' in s ? s.label : s))).toEqual(['version 1.0', 'version 3.0']);
    expect(r.sides.map((s) => ('text' in s ? /tts: (v\d)/.exec(s.text)?.[1] : s))).toEqual(['v1', 'v3']);
    const byType = await versionSides(
      client,
      { flow: 'IVR', type: 'inboundcall' },
      ['2.0', '2.0'],
      JOB,
      'test',
    );
    expect(byType.sides.map((s) => ('label' in s ? s.label : s))).toEqual([
      'test version 2.0',
      'test version 2.0',
    ]);
    const byId = await versionSides(client, r.flow.id, ['3.0', '1.0'], JOB);
    expect(byId.sides.map((s) => ('text' in s ? /tts: (v\d)/.exec(s.text)?.[1] : s))).toEqual(['v3', 'v1']);
  });

  it('an unknown version: FLOW_VERSION_NOT_FOUND naming it, with the versions that exist and the published one', async () => {
    const { client } = clientFor(e.get());
    const err = await thrown(() => versionSides(client, 'inboundcall:IVR', ['1.0', '9.0'], JOB));
    expect(err.code).toBe('FLOW_VERSION_NOT_FOUND');
    expect(err.message).toBe("inboundcall 'IVR' has no version 9.0");
    expect(err.hint).toBe('Its versions: 1.0, 2.0, 3.0; the latest: 3.0 (published).');
    expect(err.details).toMatchObject({ unknown: ['9.0'], versions: ['1.0', '2.0', '3.0'] });
    // Two unknown versions are both named, each once.
    const two = await thrown(() => versionSides(client, 'IVR', ['7.0', '8.0'], JOB));
    expect(two.message).toBe("inboundcall 'IVR' has no versions 7.0 and 8.0");
    const same = await thrown(() => versionSides(client, 'IVR', ['7.0', '7.0'], JOB));
    expect(same.message).toBe("inboundcall 'IVR' has no version 7.0");
  });

  it('an unknown flow: FLOW_NOT_FOUND before any version is read', async () => {
    const { client } = clientFor(e.get());
    const err = await thrown(() => versionSides(client, 'IRV', ['1.0', '2.0'], JOB, 'prod'));
    expect(err.code).toBe('FLOW_NOT_FOUND');
    expect(err.details).toMatchObject({ versions: ['1.0', '2.0'] });
  });
});

describe('versionSides: the hint of an unknown version', () => {
  describe('a flow of many versions', () => {
    const e = useEmulator({ seed: seed(11) });
    it('lists the latest eight in numeric order (10.0 after 9.0) and how many there are', async () => {
      const err = await thrown(() => versionSides(clientFor(e.get()).client, 'IVR', ['1.0', '12.0'], JOB));
      expect(err.hint).toBe(
        'Its versions: … (11 in all), 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0; the latest: 11.0 (published).',
      );
      expect((err.details as { versions: string[] }).versions).toEqual(
        Array.from({ length: 11 }, (_, i) => `${i + 1}.0`),
      );
    });
  });

  describe('a flow whose latest version is not the published one', () => {
    const e = useEmulator({
      seed: {
        flows: [
          {
            name: 'IVR',
            type: 'INBOUNDCALL',
            versions: [
              { publishedHoursAgo: 2, configuration: ivrYaml('IVR', 'Module', 'Queue 1') },
              { configuration: ivrYaml('IVR', 'Module', 'Queue 1', undefined, 'draft') },
            ],
          },
        ],
      },
    });
    it('says the latest and the published apart', async () => {
      const err = await thrown(() => versionSides(clientFor(e.get()).client, 'IVR', ['1.0', '5.0'], JOB));
      expect(err.hint).toBe('Its versions: 1.0, 2.0; the latest: 2.0, published: 1.0.');
    });
  });

  describe('a flow with no version at all', () => {
    const e = useEmulator({ seed: { flows: [{ name: 'Empty', type: 'INBOUNDCALL', versions: [] }] } });
    it('says it has none yet', async () => {
      const err = await thrown(() => versionSides(clientFor(e.get()).client, 'Empty', ['1.0', '2.0'], JOB));
      expect(err.message).toBe("inboundcall 'Empty' has no versions 1.0 and 2.0");
      expect(err.hint).toBe("inboundcall 'Empty' has no published version yet.");
    });
  });

  describe('a flow never published', () => {
    const e = useEmulator({
      seed: {
        flows: [
          { name: 'Draft', type: 'INBOUNDCALL', versions: [{ configuration: ivrYaml('Draft', 'M', 'Q') }] },
        ],
      },
    });
    it('names the latest alone', async () => {
      const err = await thrown(() => versionSides(clientFor(e.get()).client, 'Draft', ['1.0', '4.0'], JOB));
      expect(err.hint).toBe('Its versions: 1.0; the latest: 1.0.');
    });
  });
});

describe('compareVersionIds', () => {
  // The oracle: numeric ids by value, then the others by code units, each group sorted apart.
  const oracle = (ids: string[]) => {
    const numeric = ids.filter((v) => Number.isFinite(Number(v))).sort((a, b) => Number(a) - Number(b));
    const other = ids.filter((v) => !Number.isFinite(Number(v))).sort();
    return [...numeric, ...other];
  };
  const id = fc.oneof(
    fc.nat({ max: 30 }).map((n) => `${n}.0`),
    fc.constantFrom('draft', 'a', 'B', 'v2', '1.0-beta'),
  );

  it('sorts as the oracle does (numeric by value, the others after them by text)', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 20 }), (ids) => {
        expect([...ids].sort(compareVersionIds)).toEqual(oracle(ids));
      }),
    );
    expect(['10.0', 'draft', '2.0', '1.0'].sort(compareVersionIds)).toEqual(['1.0', '2.0', '10.0', 'draft']);
  });
});
