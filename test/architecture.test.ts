/**
 * The shape of the code (docs/ARCHITECTURE.md): which folder may import which, and what
 * `import 'flowgate'` loads. Read from the sources, so a new import that breaks a rule fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');
const SHARED = ['errors', 'error-codes', 'loopback', 'secret-file', 'exit-reasons'];
/** The table of docs/ARCHITECTURE.md: folder → folders it may import (besides itself and SHARED). */
const MAY_IMPORT: Record<string, string[]> = {
  config: ['flow'],
  flow: [],
  platform: [],
  ledger: [],
  events: ['platform'],
  deploy: ['config', 'platform', 'flow', 'ledger', 'events', 'adoption'],
  adoption: ['platform', 'ledger'],
  emulator: ['flow'],
  export: ['platform', 'flow'],
  cli: ['config', 'flow', 'platform', 'ledger', 'events', 'deploy', 'adoption', 'emulator', 'export'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file: static ones, and dynamic `import()` ones separately. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const text = readFileSync(file, 'utf8');
  const resolveSpec = (spec: string) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
  const stat = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  const bare = [...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]!);
  const dyn = [...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  const local = (specs: string[]) => specs.filter((s) => s.startsWith('.')).map(resolveSpec);
  return {
    static: [...local(stat), ...local(bare), ...[...stat, ...bare].filter((s) => !s.startsWith('.'))],
    dynamic: local(dyn),
  };
}

const folderOf = (file: string) => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('every folder imports only what docs/ARCHITECTURE.md allows', () => {
    const broken: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      const allowed = MAY_IMPORT[from];
      if (!allowed) continue; // index.ts and the shared files at the top
      const { static: s, dynamic: d } = importsOf(file);
      for (const target of [...s, ...d].filter((t) => t.startsWith(SRC))) {
        const to = folderOf(target);
        if (to !== from && !SHARED.includes(to) && !allowed.includes(to))
          broken.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("import 'flowgate' loads neither the emulator, nor hono, nor the CLI", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const stack = [join(SRC, 'index.ts')];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const t of importsOf(file).static) {
        if (t.startsWith('/')) stack.push(t);
        else packages.add(t);
      }
    }
    const folders = new Set([...seen].map(folderOf));
    expect(folders.has('emulator')).toBe(false);
    expect(folders.has('cli')).toBe(false);
    expect([...packages].filter((p) => p.startsWith('hono') || p.startsWith('@hono'))).toEqual([]);
    // The test would be empty if the walk found nothing.
    expect(folders.has('platform') && folders.has('flow')).toBe(true);
  });

  it("the emulator has its own entry, 'flowgate/emulator'", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      exports: Record<string, { import: string }>;
    };
    expect(pkg.exports['./emulator']?.import).toBe('./dist/emulator/index.js');
    expect(readFileSync(join(SRC, 'emulator/index.ts'), 'utf8')).toContain('startEmulator');
  });
});
