/**
 * The content a step deploys (src/deploy/content.ts): the hash of a flow's meaning (layout, quoting,
 * key order and comments do not count; list order does), whether a recorded step deployed the same
 * flow, the one reason an unreadable file gives, and the final text or why there is none.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertFinalContent,
  canonicalJson,
  contentHash,
  deployableContent,
  normalizedHash,
  parseFlowValue,
  sameFlow,
  unreadableFile,
} from '../../src/deploy/content.js';
import { FlowgateError } from '../../src/errors.js';
import { loadFlowText, type LoadedFlow } from '../../src/flow/load.js';
import { ivrYaml } from '../helpers/generated-org.js';

const IVR = ivrYaml('IVR', 'Module', 'Queue 1');

describe('contentHash', () => {
  it('is the SHA-256 of the text in hex', () => {
    // The published test vector of SHA-256 ("abc", FIPS 180-2 appendix B.1).
    expect(contentHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('normalizedHash', () => {
  it('quoting, comments, layout, key order and a byte-order mark do not count', () => {
    const same = [
      IVR.replace('tts: Welcome', "tts: 'Welcome'"),
      IVR.replace('  division: Home\n', '  division: Home # the default\n'),
      `\uFEFF${IVR}`,
      IVR.replace('  name: IVR\n  defaultLanguage: en-us\n', '  defaultLanguage: en-us\n  name: IVR\n'),
      IVR.replace(/\n/g, '\r\n'),
    ];
    for (const text of same) expect(normalizedHash(text), text).toBe(normalizedHash(IVR));
    // Not the raw text's hash: the meaning's.
    expect(normalizedHash(IVR)).not.toBe(contentHash(IVR));
  });

  it('a changed value, a changed type and the order of a list count', () => {
    expect(normalizedHash(IVR.replace('tts: Welcome', 'tts: Hello'))).not.toBe(normalizedHash(IVR));
    expect(normalizedHash('a: 50\n')).not.toBe(normalizedHash('a: "50"\n'));
    expect(normalizedHash('a: [1, 2]\n')).not.toBe(normalizedHash('a: [2, 1]\n'));
  });

  it('a text that does not parse is hashed as text, with line ends and trailing blanks normalized', () => {
    const broken = 'a: [1, 2\nb: c  \n\n';
    expect(parseFlowValue(broken)).toBeUndefined();
    expect(normalizedHash(broken)).toBe(contentHash('a: [1, 2\nb: c'));
    expect(normalizedHash('a: [1, 2\r\nb: c\t\r\n')).toBe(normalizedHash(broken));
    expect(normalizedHash('a: [1, 3\nb: c')).not.toBe(normalizedHash(broken));
  });
});

describe('canonicalJson', () => {
  it("is JSON with every object's keys sorted, at every depth, arrays in their order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[3,{"y":"x","z":null}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('parses back to the same value, and gives one text whatever the key order (generated values)', () => {
    // The oracle: JSON.parse inverts it, and the same value built with its keys reversed gives the same text.
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reversed(value))).toBe(text);
      }),
    );
  });
});

describe('sameFlow', () => {
  it('the same recorded hash is the same flow, whatever the recorded content', () => {
    expect(sameFlow({ contentHash: 'h1', content: 'other: 1\n' }, IVR, 'h1')).toBe(true);
  });
  it('a different hash with no recorded content is not the same flow', () => {
    expect(sameFlow({ contentHash: 'h1' }, IVR, 'h2')).toBe(false);
    expect(sameFlow({}, IVR, undefined)).toBe(false);
  });
  it('a different hash is the same flow when the recorded content means the same', () => {
    const requoted = IVR.replace('tts: Welcome', 'tts: "Welcome"');
    expect(sameFlow({ contentHash: contentHash(requoted), content: requoted }, IVR, contentHash(IVR))).toBe(
      true,
    );
    const changed = IVR.replace('tts: Welcome', 'tts: Hello');
    expect(sameFlow({ contentHash: contentHash(changed), content: changed }, IVR, contentHash(IVR))).toBe(
      false,
    );
  });
});

describe('unreadableFile', () => {
  const problem = (message: string): LoadedFlow => ({
    file: 'flows/x.yaml',
    diagnostics: [
      {
        severity: 'warning',
        code: 'w',
        message: 'a warning first',
        file: 'flows/x.yaml',
        line: 0,
        column: 0,
      },
      { severity: 'error', code: 'e', message, file: 'flows/x.yaml', line: 0, column: 0 },
    ] as LoadedFlow['diagnostics'],
  });

  it("a file that gave no text is one reason: the first error's message, where the manifest lists it", () => {
    expect(unreadableFile(problem('no such file'), { listedAt: { line: 7 } })).toEqual({
      kind: 'file',
      message: 'flows/x.yaml (manifest line 7): no such file',
    });
    expect(unreadableFile(problem('is a folder'), {})).toEqual({
      kind: 'file',
      message: 'flows/x.yaml: is a folder',
    });
    expect(unreadableFile({ file: 'f.yaml', diagnostics: [] }, {})).toEqual({
      kind: 'file',
      message: 'f.yaml: cannot be read',
    });
  });

  it('a file that was read (even with errors in it), or none loaded, is no such reason', () => {
    expect(unreadableFile(undefined, {})).toBeUndefined();
    expect(unreadableFile({ ...problem('x'), text: 'a: [' }, {})).toBeUndefined();
    expect(unreadableFile(loadFlowText(IVR, 'f.yaml'), {})).toBeUndefined();
  });
});

describe('deployableContent', () => {
  it('the substituted text and its hash', () => {
    const loaded = loadFlowText(IVR.replace('tts: Welcome', 'tts: {{ greeting }}'), 'f.yaml', {
      substitutions: { greeting: 'Hi there' },
    });
    const content = deployableContent(loaded);
    expect(content).toEqual({ text: loaded.substituted, hash: contentHash(loaded.substituted!) });
    expect('text' in content && content.text).toContain('tts: Hi there');
  });

  it('no text for a file not read, or with tokens left: each key named, has/have by count', () => {
    expect(deployableContent(undefined)).toEqual({ problem: 'the file could not be read' });
    const one = loadFlowText(IVR.replace('tts: Welcome', 'tts: {{ greeting }}'), 'f.yaml');
    expect(deployableContent(one)).toEqual({
      problem: "no final text: '{{ greeting }}' has no value that can stand there",
    });
    const two = loadFlowText(
      IVR.replace('tts: Welcome', 'tts: {{ a }}').replace('Queue 1', '{{ b }}'),
      'f.yaml',
    );
    expect(deployableContent(two)).toEqual({
      problem: "no final text: '{{ a }}', '{{ b }}' have no value that can stand there",
    });
  });
});

describe('assertFinalContent', () => {
  const error = (run: () => unknown): FlowgateError => {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(FlowgateError);
      return e as FlowgateError;
    }
    throw new Error('accepted');
  };

  it('returns the content that is the recorded one and holds no token', () => {
    expect(assertFinalContent('F', IVR, contentHash(IVR))).toBe(IVR);
    expect(assertFinalContent('F', IVR, undefined)).toBe(IVR);
  });

  it('refuses no content, an empty one, a token left and a text other than the recorded one, each said', () => {
    for (const empty of [undefined, ''])
      expect(error(() => assertFinalContent('F', empty, undefined))).toMatchObject({
        code: 'CONTENT_NOT_FINAL',
        message: 'F: the ledger holds no content to import',
      });
    const token = error(() => assertFinalContent('F', 'name: "{{ flow_name }}"', undefined));
    expect(token).toMatchObject({
      code: 'CONTENT_NOT_FINAL',
      message: "F: the content still holds '{{ flow_name }}': it was never substituted",
      details: { unsubstituted: 'flow_name' },
    });
    expect(token.hint).toContain("Give 'flow_name' a value");
    const hash = contentHash('name: B');
    expect(error(() => assertFinalContent('F', 'name: A', hash))).toMatchObject({
      code: 'CONTENT_NOT_FINAL',
      message: `F: the content differs from the one planned (hash ${hash.slice(0, 12)}…)`,
    });
  });
});
