/**
 * `npm run catalogue`: writes src/flow/graph/archy/catalogue/actions.json from the Architect Scripting SDK's
 * documentation (`MyPureCloud/purecloud-flow-scripting-api-sdk-javascript`, docs/Arch*.html).
 *
 *   node --import tsx scripts/catalogue/generate.ts [--git DIR] [--rev REV] [--docs DIR --commit SHA]
 *                                                   [--out FILE] [--check]
 *
 * --git DIR   a git directory of the SDK repository (default: FLOWGATE_SDK_GIT, such as a fetched
 *             mirror's git directory or a clone's .git)
 * --rev REV   the commit to read (default HEAD); the resolved commit is recorded in the file
 * --docs DIR  read .html pages from a directory instead (the test fixtures); --commit names their commit
 * --out FILE  where to write (default src/flow/graph/archy/catalogue/actions.json)
 * --check     write nothing; exit 1 when FILE differs from what would be written
 *
 * The output is formatted by the repository's prettier settings, so the committed file is exactly
 * what this writes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { catalogueText } from './format.js';
import { readDocsDir, readDocsGit } from './read-docs.js';

const DEFAULT_GIT = process.env.FLOWGATE_SDK_GIT;
const DEFAULT_OUT = 'src/flow/graph/archy/catalogue/actions.json';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      git: { type: 'string' },
      rev: { type: 'string' },
      docs: { type: 'string' },
      commit: { type: 'string' },
      out: { type: 'string' },
      check: { type: 'boolean' },
    },
  });
  if (values.docs !== undefined && !/^[0-9a-f]{40}$/.test(values.commit ?? '')) {
    process.stderr.write('--docs needs --commit: the 40-hex commit the pages were taken from\n');
    return 2;
  }
  const git = values.git ?? DEFAULT_GIT;
  if (values.docs === undefined && git === undefined) {
    process.stderr.write(
      'no SDK repository: give --git DIR (or set FLOWGATE_SDK_GIT) for a git directory of MyPureCloud/purecloud-flow-scripting-api-sdk-javascript\n',
    );
    return 2;
  }
  const source =
    values.docs !== undefined
      ? readDocsDir(values.docs, values.commit!)
      : readDocsGit(git!, values.rev ?? 'HEAD');
  const out = values.out ?? DEFAULT_OUT;
  const text = await catalogueText(source);
  if (values.check) {
    const same = existsSync(out) && readFileSync(out, 'utf8') === text;
    process.stderr.write(same ? `${out} is up to date\n` : `${out} differs from the generator's output\n`);
    return same ? 0 : 1;
  }
  writeFileSync(out, text);
  process.stderr.write(`wrote ${out} from ${source.pages.size} pages at ${source.commit}\n`);
  return 0;
}

process.exitCode = await main();
