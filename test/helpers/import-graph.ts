/**
 * The import graph of a source tree, read from the text (no compiler): which files each file
 * imports, and the file-level import cycles. `test/architecture.test.ts` runs it over `src/`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every `.ts` file under `dir`. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Imports of a file: static ones (relative ones resolved to absolute `.ts` paths, packages as
 * written; `import type` included, since a cycle of types is a cycle of files too), and dynamic
 * `import()` ones separately.
 */
export function importsOf(file: string): { static: string[]; dynamic: string[] } {
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

/**
 * The file-level import cycles under `root` (static and dynamic imports alike): one entry per
 * strongly connected component of the import graph that has a cycle, written as one example cycle
 * through it, paths relative to `root` (`a.ts → b.ts → a.ts`). Tarjan's algorithm.
 */
export function importCycles(root: string): string[] {
  const files = sourceFiles(root);
  const known = new Set(files);
  const edges = new Map(
    files.map((f) => {
      const { static: s, dynamic: d } = importsOf(f);
      return [f, [...new Set([...s, ...d])].filter((t) => known.has(t))];
    }),
  );
  const cycles: string[] = [];
  for (const component of stronglyConnected(files, edges)) {
    const first = component[0]!;
    if (component.length === 1 && !edges.get(first)!.includes(first)) continue;
    const path = cycleThrough(first, new Set(component), edges);
    cycles.push([...path, first].map((f) => relative(root, f)).join(' → '));
  }
  return cycles.sort();
}

/** Tarjan's strongly connected components (recursive: import chains are short). */
function stronglyConnected(files: string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    out.push(component.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

/** A path from `start` through `inside` back to an import of `start` (breadth first: a shortest one). */
function cycleThrough(start: string, inside: Set<string>, edges: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of edges.get(v)!) {
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      if (inside.has(w) && !parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
