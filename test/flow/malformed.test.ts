import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES } from '../../src/flow/diagnostics.js';
import { loadFlowFile, loadFlowText } from '../../src/flow/load.js';
import { codes, validateText } from '../helpers/flow.js';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-malformed-'));

describe('malformed input gives a diagnostic, never an exception', () => {
  it('truncated YAML', () => {
    const r = validateText('inboundCall:\n  name: x\n  tasks: [\n  defaultLanguage: en-us\n');
    expect(codes(r)).toEqual(['parse-error']);
    expect(r.diagnostics[0]!.line).toBeGreaterThan(0);
  });

  it('wrong types', () => {
    const r = validateText(
      'inboundCall:\n  name: x\n  startUpRef: ./tasks/task[a]\n  tasks: "not a list"\n  defaultLanguage: en-us\n',
    );
    expect(codes(r)).toContain('schema');
    expect(r.diagnostics.find((d) => d.code === 'schema')!.line).toBe(4);
  });

  it('duplicate keys', () => {
    const r = validateText('inboundCall:\n  name: x\n  name: y\n  defaultLanguage: en-us\n');
    expect(codes(r)).toEqual(['duplicate-key']);
    expect(r.diagnostics[0]!.line).toBe(3);
  });

  it('non-scalar keys', () => {
    const r = validateText('inboundCall:\n  ? [a, b]\n  : 1\n  defaultLanguage: en-us\n');
    expect(codes(r)).toContain('non-scalar-key');
  });

  it('a billion-laughs alias bomb', () => {
    let y = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++)
      y += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const r = validateText(y);
    expect(codes(r)).toEqual(['alias-limit']);
  });

  it('deep nesting', () => {
    const deep = `inboundCall: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const r = validateText(deep);
    expect(codes(r)).toEqual(['too-deep']);
  });

  it('__proto__ keys stay data and pollute nothing', () => {
    const r = validateText(
      'inboundCall:\n  name: x\n  __proto__:\n    polluted: true\n  startUpTaskActions:\n    - disconnect:\n        name: bye\n  defaultLanguage: en-us\n',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.summary.errors).toBe(0);
    const j = validateText(
      '{"__proto__": {"polluted": true}, "nodes": [{"id": "a"}], "edges": []}',
      'g.json',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(j.summary.errors).toBe(0);
  });

  it('binary data, empty files and missing files', async () => {
    writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    writeFileSync(join(dir, 'empty.yaml'), '');
    expect((await loadFlowFile(join(dir, 'bin.yaml'))).diagnostics[0]!.code).toBe('binary-file');
    expect((await loadFlowFile(join(dir, 'empty.yaml'))).diagnostics[0]!.code).toBe('empty-file');
    expect((await loadFlowFile(join(dir, 'missing.yaml'))).diagnostics[0]!.code).toBe('read-error');
  });

  it('huge files are refused above the limit and take the fast path above 1 MiB', async () => {
    const big = join(dir, 'big.json');
    const nodes = Array.from({ length: 60_000 }, (_, i) => ({
      id: `n${i}`,
      type: i === 59_999 ? 'disconnect' : 'play',
    }));
    const edges = nodes.slice(1).map((n, i) => ({ source: `n${i}`, target: n.id }));
    writeFileSync(big, JSON.stringify({ nodes, edges, start: 'n0' }));
    const loaded = await loadFlowFile(big);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.graph!.nodeCount).toBe(60_000);
    const refused = await loadFlowFile(big, { maxFileBytes: 1000 });
    expect(refused.diagnostics[0]!.code).toBe('too-large');
  });

  it('a document that is neither Archy nor graph JSON', () => {
    expect(codes(validateText('just: a map\n'))).toEqual(['unknown-root']);
    expect(codes(validateText('- a\n- b\n'))).toEqual(['unknown-root']);
    expect(codes(validateText('42\n'))).toEqual(['unknown-root']);
  });

  it('graph JSON with bad shapes', () => {
    const r = validateText(
      '{"nodes": [{"id": 1}, {"nope": true}, null], "edges": [7, {"source": "1", "target": "x"}]}',
      'g.json',
    );
    expect(codes(r)).toEqual(expect.arrayContaining(['schema', 'dangling-edge']));
  });

  it('random garbage is no flow: an error diagnostic with a registered code and a place in the text', () => {
    const registered = new Set(Object.keys(DIAGNOSTIC_CODES));
    for (let i = 0; i < 200; i++) {
      const chars = '{}[]:,-&*!|>\'"#%@`\n  abc123?';
      let s = '';
      for (let k = 0; k < 60; k++) s += chars[(i * 31 + k * 17 + ((i * k) % 7)) % chars.length];
      const r = loadFlowText(s, 'garbage.yaml');
      expect(r.diagnostics.filter((d) => d.severity === 'error').length, JSON.stringify(s)).toBeGreaterThan(
        0,
      );
      for (const d of r.diagnostics) {
        expect(registered.has(d.code), d.code).toBe(true);
        expect(d.file).toBe('garbage.yaml');
        expect(d.line).toBeGreaterThanOrEqual(0);
        expect(d.line).toBeLessThanOrEqual(s.split('\n').length);
      }
    }
  });
});

describe('big YAML keeps its positions, with the same findings', () => {
  it('finds the unreachable task in a 2 MB flow at its exact line and column (no cliff at 1 MiB)', async () => {
    const { generateArchy } = await import('../../bench/shapes.js');
    let text = generateArchy(90, 80);
    const orphanAt = text.length;
    text += `    - task:\n        name: Orphan\n        refId: orphan\n        actions:\n          - disconnect:\n              name: Bye\n`;
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    const r = validateText(text, 'big.yaml');
    const unreachable = r.diagnostics.filter((d) => d.code === 'unreachable');
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]!.message).toContain("'Orphan'");
    // The task's mapping starts at `task:` after `    - ` on the line where the orphan was appended.
    const line = text.slice(0, orphanAt).split('\n').length;
    expect(unreachable[0]).toMatchObject({ line, column: 7 });
    // The same finding, at the same place, as the yaml Document path gives.
    const viaYaml = validateText(text, 'big.yaml', { fastPathBytes: 10 * 1024 * 1024 });
    expect(viaYaml.diagnostics.find((d) => d.code === 'unreachable')).toMatchObject({ line, column: 7 });
  });

  it('a 2 MB flow with substitutions: the finding points into the file as written', async () => {
    const { generateArchy } = await import('../../bench/shapes.js');
    // Tokens before the finding change the text's length (longer values), so only the offset map
    // back to the original can give the right column and line.
    let text = generateArchy(90, 80).replace(/tts: Step (\d+)/g, 'tts: {{ say }} $1');
    const orphanAt = text.length;
    text += `    - task:\n        name: {{ orphan }}\n        refId: orphan\n        actions:\n          - disconnect:\n              name: Bye\n`;
    const values = { say: 'A considerably longer greeting than the token', orphan: 'Orphan Task' };
    const r = validateText(text, 'big.yaml', { substitutions: values });
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    const unreachable = r.diagnostics.find((d) => d.code === 'unreachable');
    expect(unreachable?.message).toContain("'Orphan Task'");
    expect(unreachable).toMatchObject({ line: text.slice(0, orphanAt).split('\n').length, column: 7 });
  });
});
