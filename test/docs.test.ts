/**
 * Docs that stand on their own: every markdown file a comment or a document cites is in the
 * repository, and every `docs/<file>.md#<anchor>` names a heading of that file. A citation of a
 * file kept outside the repository (research notes a reader cannot open) fails here.
 *
 * What counts as a citation of a markdown file: a path with a `/` ending in `.md` that is not part
 * of a URL or of another repository's `owner/repo:path` (not preceded by `/`, `:`, `.` or a word
 * character), or a bare name in capitals (`README.md`, `BENCHMARKS.md`: the repository's own
 * convention). Another repository's files are cited with their URL or their repository's name.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const SCANNED = ['src', 'test', 'bench', 'scripts', 'docs'];
/** Copies of other projects' pages, kept verbatim as test input. */
const VERBATIM = [join('test', 'fixtures', 'sdk-docs')];
const TEXT = /\.(ts|js|mjs|json|md|ya?ml)$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (VERBATIM.some((v) => relative(ROOT, p) === v)) return [];
    return statSync(p).isDirectory() ? walk(p) : TEXT.test(name) ? [p] : [];
  });
}

const files = [
  ...SCANNED.flatMap((d) => walk(resolve(d))),
  ...readdirSync(ROOT)
    .filter((n) => n.endsWith('.md'))
    .map((n) => resolve(n)),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(doc: string): Set<string> {
  const text = readFileSync(doc, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => slug(m[1]!)));
}

interface Citation {
  from: string;
  line: number;
  target: string;
}

function citations(pattern: RegExp): Citation[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, i) =>
        [...text.matchAll(pattern)].map((m) => ({ from: relative(ROOT, file), line: i + 1, target: m[1]! })),
      ),
  );
}

const MD_PATH = /(?<![\w/.:-])((?:[\w.-]+\/)+[\w.-]+\.md)\b/g;
const MD_BARE = /(?<![\w/.:-])([A-Z][A-Z0-9_-]*\.md)\b/g;
const DOC_ANCHOR = /(?<![\w/.:-])(docs\/[\w.-]+\.md#[\w-]+)/g;

/** Where a cited file may be: from the root, beside the citing file, or (a bare name) in `docs/`. */
function exists(c: Citation): boolean {
  const candidates = [resolve(c.target), resolve(dirname(c.from), c.target)];
  if (!c.target.includes('/')) candidates.push(resolve('docs', c.target));
  return candidates.some((p) => existsSync(p));
}

describe('docs that stand on their own', () => {
  it('every markdown file cited is in the repository', () => {
    const cited = [...citations(MD_PATH), ...citations(MD_BARE)];
    const missing = cited.filter((c) => !exists(c)).map((c) => `${c.from}:${c.line}: ${c.target}`);
    expect(missing).toEqual([]);
    // The scan found the citations it is about (it would pass vacuously otherwise).
    expect(cited.length).toBeGreaterThan(20);
  });

  it('every docs/<file>.md#<anchor> names a heading of that file', () => {
    const cited = citations(DOC_ANCHOR);
    const anchors = new Map<string, Set<string>>();
    const broken = cited.filter((c) => {
      const [doc, anchor] = c.target.split('#') as [string, string];
      if (!existsSync(doc)) return true;
      if (!anchors.has(doc)) anchors.set(doc, anchorsOf(doc));
      return !anchors.get(doc)!.has(anchor);
    });
    expect(broken.map((c) => `${c.from}:${c.line}: ${c.target}`)).toEqual([]);
    expect(cited.length).toBeGreaterThan(100);
  });

  it('every export of the public entries keeps its doc comment in the emitted .d.ts', () => {
    // The files `flowgate` and `flowgate/emulator` re-export, followed through `export … from`.
    const seen = new Set<string>();
    const stack = [resolve('src/index.ts'), resolve('src/emulator/index.ts')];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^export\s[^;]*?from\s+'(\.[^']+)'/gms))
        stack.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    }
    const undocumented: string[] = [];
    for (const file of seen) {
      const dts = ts
        .transpileDeclaration(readFileSync(file, 'utf8'), {
          fileName: file,
          compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 },
        })
        .outputText.split('\n');
      dts.forEach((line, i) => {
        // A declaration (not a re-export) whose line before does not close a doc comment.
        if (
          /^export (declare )?(abstract )?(class|function|interface|const|let|type(?! \{)|enum) /.test(line)
        )
          if (!(dts[i - 1] ?? '').trim().endsWith('*/'))
            undocumented.push(`${relative(ROOT, file)}: ${line.slice(0, 70)}`);
      });
    }
    expect(undocumented).toEqual([]);
    expect(seen.size).toBeGreaterThan(10);
  });

  it("the anchors are GitHub's", () => {
    expect(slug('Errors and rate limits')).toBe('errors-and-rate-limits');
    expect(slug('OAuth client credentials')).toBe('oauth-client-credentials');
    expect(slug('Ids: `a.b` (UUIDs)')).toBe('ids-ab-uuids');
  });
});
