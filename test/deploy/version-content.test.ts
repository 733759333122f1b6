/**
 * Whether a flow version holds the content meant (src/deploy/published-content.ts), compared by
 * content, not by version id, against the emulator's version configurations: an Archy text
 * against the recorded text, a configuration against another version's, and the cases where
 * nothing can be told.
 */
import { describe, expect, it } from 'vitest';
import {
  compareVersionContent,
  configurationHash,
  configurationText,
  holdsContent,
} from '../../src/deploy/published-content.js';
import { canonicalJson, contentHash, normalizedHash } from '../../src/deploy/content.js';
import { clientFor, flowId, served, useEmulator } from '../helpers/emulator.js';
import { ivrYaml } from '../helpers/generated-org.js';

const TEXT = ivrYaml('IVR', 'Module', 'Queue 1');
const REQUOTED = TEXT.replace('tts: Welcome', 'tts: "Welcome"');
const CHANGED = TEXT.replace('tts: Welcome', 'tts: Hello');

describe('configurationText and configurationHash', () => {
  it('the Archy text of a string or of an object with a yaml string; none otherwise', () => {
    expect(configurationText(TEXT)).toBe(TEXT);
    expect(configurationText({ yaml: TEXT, other: 1 })).toBe(TEXT);
    for (const none of [{ yaml: 5 }, { json: TEXT }, null, undefined, 7])
      expect(configurationText(none)).toBeUndefined();
  });

  it("a text's hash is its meaning's; an object's is its canonical JSON's (key order does not count)", () => {
    expect(configurationHash(REQUOTED)).toBe(normalizedHash(TEXT));
    expect(configurationHash({ yaml: REQUOTED })).toBe(configurationHash(TEXT));
    expect(configurationHash({ b: [1, 2], a: 'x' })).toBe(contentHash(canonicalJson({ a: 'x', b: [1, 2] })));
    expect(configurationHash({ b: [1, 2], a: 'x' })).toBe(configurationHash({ a: 'x', b: [1, 2] }));
    expect(configurationHash({ a: 'x', b: [2, 1] })).not.toBe(configurationHash({ a: 'x', b: [1, 2] }));
  });
});

describe('compareVersionContent and holdsContent against the org', () => {
  // Versions 1.0 to 3.0 hold Archy texts (3.0 the same meaning as 1.0), 4.0 and 5.0 Architect's
  // JSON with the keys in another order, 6.0 other JSON.
  const e = useEmulator({
    seed: {
      flows: [
        {
          name: 'IVR',
          type: 'INBOUNDCALL',
          versions: [
            { publishedHoursAgo: 6, configuration: TEXT },
            { publishedHoursAgo: 5, configuration: CHANGED },
            { publishedHoursAgo: 4, configuration: REQUOTED },
            { publishedHoursAgo: 3, configuration: { name: 'IVR', flowSequence: [1, 2] } },
            { publishedHoursAgo: 2, configuration: { flowSequence: [1, 2], name: 'IVR' } },
            { publishedHoursAgo: 1, configuration: { name: 'IVR', flowSequence: [2, 1] } },
          ],
        },
      ],
    },
  });
  const setup = () => {
    const emu = e.get();
    return { emu, client: clientFor(emu).client, id: flowId(emu, 'IVR') };
  };
  const reads = (emu: ReturnType<typeof e.get>) => served(emu, /\/configuration$/, 'GET').length;

  it('the same version id is equal without reading anything', async () => {
    const { emu, client, id } = setup();
    expect(await compareVersionContent(client, id, '2.0', { versionId: '2.0', content: TEXT })).toEqual({
      equal: true,
      basis: 'the same version',
    });
    expect(reads(emu)).toBe(0);
  });

  it('a version holding an Archy text is compared with the recorded text by meaning, the basis saying so', async () => {
    const { client, id } = setup();
    const same = await compareVersionContent(client, id, '3.0', { content: TEXT, versionId: '2.0' });
    expect(same).toEqual({
      equal: true,
      basis: `normalized hash ${normalizedHash(REQUOTED).slice(0, 12)}… of version 3.0's configuration against the recorded content`,
    });
    expect((await compareVersionContent(client, id, '2.0', { content: TEXT }))?.equal).toBe(false);
  });

  it('with no recorded text, against the other version: Archy texts by meaning, JSON by canonical form', async () => {
    const { emu, client, id } = setup();
    expect(await compareVersionContent(client, id, '3.0', { versionId: '1.0' })).toEqual({
      equal: true,
      basis: "version 3.0's configuration against version 1.0's",
    });
    expect((await compareVersionContent(client, id, '2.0', { versionId: '1.0' }))?.equal).toBe(false);
    expect((await compareVersionContent(client, id, '5.0', { versionId: '4.0' }))?.equal).toBe(true);
    expect((await compareVersionContent(client, id, '6.0', { versionId: '4.0' }))?.equal).toBe(false);
    // A JSON configuration and a recorded text: the text cannot be compared, so the other version is.
    expect(await compareVersionContent(client, id, '5.0', { content: TEXT, versionId: '4.0' })).toEqual({
      equal: true,
      basis: "version 5.0's configuration against version 4.0's",
    });
    // Each comparison read both versions' configurations, once each.
    expect(reads(emu)).toBe(5 * 2);
  });

  it('nothing to compare with is undefined: a JSON configuration and no other version', async () => {
    const { client, id } = setup();
    expect(await compareVersionContent(client, id, '4.0', { content: TEXT })).toBeUndefined();
    expect(await compareVersionContent(client, id, '4.0', {})).toBeUndefined();
  });

  it('holdsContent: true only when the contents are known equal; false for no version, nothing to compare, or a failed read', async () => {
    const { emu, client, id } = setup();
    expect(await holdsContent(client, id, '3.0', { content: TEXT })).toBe(true);
    expect(await holdsContent(client, id, '2.0', { content: TEXT })).toBe(false);
    expect(await holdsContent(client, id, '4.0', {})).toBe(false);
    const before = reads(emu);
    expect(await holdsContent(client, id, undefined, { content: TEXT })).toBe(false);
    expect(reads(emu)).toBe(before);
    // A version the org does not have: the read fails (404) and the plan goes on.
    expect(await holdsContent(client, id, '99.0', { content: TEXT })).toBe(false);
    await expect(compareVersionContent(client, id, '99.0', { content: TEXT })).rejects.toThrow();
  });
});
