/**
 * Where the SDK's documentation pages come from: a directory of `.html` files (the test fixtures,
 * or an unpacked copy), or a git directory at a commit (the fetched mirror of
 * `MyPureCloud/purecloud-flow-scripting-api-sdk-javascript`, read without a work tree).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = '<div class="main" id="main">';

/** The pages the catalogue is built from: actions, their base classes, menu choices, two indexes. */
export function wantedPage(name: string): boolean {
  return (
    /^Arch(Action|BaseAction|Menu)[A-Za-z0-9]*$/.test(name) ||
    name === 'ArchFactoryActions' ||
    name === 'ArchEnums'
  );
}

/** Pages by class name, and the commit they were read at. */
export interface DocSource {
  pages: Map<string, string>;
  commit: string;
}

/** Reads every wanted page of a directory; the commit is the caller's word for where it came from. */
export function readDocsDir(dir: string, commit: string): DocSource {
  const pages = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    const name = file.replace(/\.html$/, '');
    if (file.endsWith('.html') && wantedPage(name) && statSync(join(dir, file)).isFile())
      pages.set(name, readFileSync(join(dir, file), 'utf8'));
  }
  return { pages, commit };
}

/** Reads every wanted page under `docs/` of a git directory at `rev` (default HEAD). */
export function readDocsGit(gitDir: string, rev = 'HEAD'): DocSource {
  const git = (args: string[], input?: string) =>
    execFileSync('git', [`--git-dir=${gitDir}`, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      ...(input === undefined ? {} : { input }),
    });
  const commit = git(['rev-parse', '--verify', `${rev}^{commit}`]).trim();
  const names = git(['ls-tree', '--name-only', commit, 'docs/'])
    .split('\n')
    .filter((p) => p.endsWith('.html') && wantedPage(p.slice(5, -5)))
    .sort();
  // One `cat-file --batch` for all pages: each page is about 1.4 MB (the whole navigation is
  // repeated on every page), so a process per page would dominate.
  const r = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch'], {
    input: names.map((p) => `${commit}:${p}`).join('\n') + '\n',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`git cat-file failed: ${r.stderr.toString()}`);
  const out = r.stdout;
  const pages = new Map<string, string>();
  let at = 0;
  for (const path of names) {
    const nl = out.indexOf(0x0a, at);
    const header = out.subarray(at, nl).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[1] !== 'blob' || !Number.isFinite(size)) throw new Error(`cannot read ${path} at ${commit}`);
    // Only the class body is read (parse-page.ts): decoding the repeated navigation would cost
    // hundreds of MB for nothing.
    const body = out.subarray(nl + 1, nl + 1 + size);
    const main = body.indexOf(MAIN);
    pages.set(path.slice(5, -5), body.subarray(Math.max(main, 0)).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return { pages, commit };
}
