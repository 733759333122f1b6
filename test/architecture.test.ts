/**
 * The shape of the code (docs/ARCHITECTURE.md): which folder may import which, that no file
 * imports itself through others, how other folders enter `flow/`, and what `import 'flowgate'`
 * loads. Read from the sources, so a new import that breaks a rule fails here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, sourceFiles } from './helpers/import-graph.js';

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
  scenario: ['flow', 'config'],
  review: ['platform'],
  export: ['platform', 'flow'],
  cli: [
    'config',
    'flow',
    'platform',
    'ledger',
    'events',
    'deploy',
    'adoption',
    'emulator',
    'review',
    'export',
    'scenario',
  ],
};

/**
 * The files of `flow/` that other folders may import: its face (`index.ts`), its two entry points,
 * and the light files configuration code reads manifests with (see `src/flow/index.ts`).
 */
const FLOW_ENTRIES = [
  'flow/index.ts',
  'flow/load.ts',
  'flow/validate.ts',
  'flow/parse/parse.ts',
  'flow/source/source-text.ts',
  'flow/check/policy-schema.ts',
];

/**
 * The stages inside `flow/` (docs/ARCHITECTURE.md, "Inside flow/"): stage → stages it may import,
 * besides itself and `flow/diagnostics.ts`. The files at `flow/`'s top (`load.ts`, `validate.ts`,
 * `index.ts`) put the stages together and may import any.
 */
const FLOW_STAGES: Record<string, string[]> = {
  source: [],
  parse: [],
  algorithms: [],
  graph: ['algorithms'],
  'graph/archy': ['graph'],
  'graph/graph-json': ['graph', 'graph/archy'],
  check: ['algorithms', 'graph', 'graph/archy'],
};

/** The stage of a file of `flow/` (`graph/archy`, `parse`…), or its name for a file at the top. */
function stageOf(file: string): string {
  const parts = relative(join(SRC, 'flow'), file).split('/');
  if (parts.length === 1) return parts[0]!;
  return parts[0] === 'graph' && parts.length > 2 ? `graph/${parts[1]!}` : parts[0]!;
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

  it('no file imports itself through other files (no file-level import cycle)', () => {
    expect(importCycles(SRC)).toEqual([]);
  });

  it('the cycle check names the files of a cycle, and only those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-cycles-'));
    try {
      const write = (file: string, text: string) => {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      };
      write('a.ts', "import { b } from './sub/b.js';\nexport const a = b;\n");
      write('sub/b.ts', "import type { C } from '../c.js';\nexport const b = 1 as C;\n");
      write('c.ts', "export type C = number;\nexport const c = () => import('./a.js');\n");
      write('d.ts', "import { a } from './a.js';\nexport const d = a;\n");
      write('self.ts', "export { s } from './self.js';\nexport const s = 1;\n");
      write('e.ts', "import { f } from './f.js';\nexport const e = f;\n");
      write('f.ts', 'export const f = 1;\n');
      expect(importCycles(dir)).toEqual(['a.ts → sub/b.ts → c.ts → a.ts', 'self.ts → self.ts']);
      rmSync(join(dir, 'self.ts'));
      write('c.ts', 'export type C = number;\n');
      expect(importCycles(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('other folders enter flow/ only through its index and entry points', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => folderOf(f) !== 'flow')) {
      const { static: s, dynamic: d } = importsOf(file);
      for (const target of [...s, ...d].filter((t) => t.startsWith(join(SRC, 'flow') + '/'))) {
        const to = relative(SRC, target);
        if (!FLOW_ENTRIES.includes(to)) broken.push(`${relative(SRC, file)} → ${to}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('each stage of flow/ imports only the stages before it', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => folderOf(f) === 'flow')) {
      const allowed = FLOW_STAGES[stageOf(file)];
      if (!allowed) continue; // load.ts, validate.ts, index.ts, diagnostics.ts
      const { static: s, dynamic: d } = importsOf(file);
      for (const target of [...s, ...d].filter((t) => t.startsWith(join(SRC, 'flow') + '/'))) {
        const to = stageOf(target);
        if (to !== stageOf(file) && to !== 'diagnostics.ts' && !allowed.includes(to))
          broken.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(broken).toEqual([]);
    // The rule would be empty if the stages were not where the table says.
    expect(new Set(files.filter((f) => folderOf(f) === 'flow').map(stageOf))).toEqual(
      new Set([...Object.keys(FLOW_STAGES), 'diagnostics.ts', 'index.ts', 'load.ts', 'validate.ts']),
    );
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
