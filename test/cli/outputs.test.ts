/** Issue 8, outputs: SARIF URIs, long source lines, parse-error cascades and --help (child processes). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-out-'));
mkdirSync(join(dir, 'my flows'));
const spaced = join(dir, 'my flows', 'main #1.json');
writeFileSync(spaced, '{"nodes":[{"id":"a"}],"edges":[{"source":"a","target":"nowhere"}]}');

describe('validate outputs', () => {
  it('SARIF: a percent-encoded URI relative to %SRCROOT%, which is the working folder', async () => {
    const r = await runCli(['validate', join('my flows', 'main #1.json'), '--format', 'sarif'], { cwd: dir });
    expect(r.code).toBe(3);
    const run = JSON.parse(r.stdout).runs[0];
    const loc = run.results[0].locations[0].physicalLocation.artifactLocation;
    expect(loc).toEqual({ uri: 'my%20flows/main%20%231.json', uriBaseId: '%SRCROOT%' });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${dir}/`);
  });

  it('SARIF: a file outside the working folder gets an absolute file:// URI', async () => {
    const r = await runCli(['validate', spaced, '--format', 'sarif']);
    const loc = JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(loc.uri).toBe(`file://${dir}/my%20flows/main%20%231.json`);
    expect(loc.uriBaseId).toBeUndefined();
  });

  it('pretty: a 200 KB source line is clipped around the column, the caret still under it', async () => {
    const filler = Array.from({ length: 8000 }, (_, i) => `{"id":"n${i}","name":"node number ${i}"}`).join(
      ',',
    );
    const file = join(dir, 'minified.json');
    writeFileSync(file, `{"nodes":[${filler},{"id":"x"}],"edges":[{"source":"n0","target":"missing"}]}`);
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(400);
    const src = lines.findIndex((l) => l.includes('dangling-edge')) + 1;
    expect(lines[src]).toMatch(/^\s+1 \| …/);
    const caret = lines[src + 1]!.indexOf('^');
    expect(lines[src]!.slice(caret, caret + 9)).toBe('{"source"');
  });

  it('a cascade of parse errors stops after the first few per file, with a count of the rest', async () => {
    const file = join(dir, 'cascade.yaml');
    writeFileSync(file, Array.from({ length: 40 }, (_, i) => `key${i}: [unclosed ${i}\n  - : :\n`).join(''));
    const r = await runCli(['validate', file, '--format', 'json']);
    const d = JSON.parse(r.stdout).diagnostics as Array<{ code: string; leftOut?: { count: number } }>;
    const parse = d.filter((x) => x.code === 'parse-error');
    expect(parse.length).toBeGreaterThan(0);
    expect(parse.length).toBeLessThanOrEqual(5);
    expect(d.find((x) => x.code === 'truncated')?.leftOut?.count).toBeGreaterThan(0);
  });

  it('validate --help lists every exit code it can return and the default of --max-file-size', async () => {
    const r = await runCli(['validate', '--help']);
    expect(r.code).toBe(0);
    for (const code of ['0', '1', '2', '3', '4'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'));
    expect(r.stdout).toMatch(/--max-file-size <bytes>\s+largest file accepted \(default: 10485760/);
  });
});
