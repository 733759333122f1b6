/**
 * The catalogue as the text of its JSON file, formatted by the repository's prettier settings
 * (whatever the output path), so that the committed file is byte for byte what the generator writes.
 */
import * as prettier from 'prettier';
import { buildCatalogue } from './build.js';
import type { DocSource } from './read-docs.js';

const GENERATOR = 'scripts/catalogue/generate.ts (npm run catalogue)';
/** The committed catalogue: its prettier settings apply wherever the text is written. */
const REPO_FILE = 'src/flow/graph/archy/catalogue/actions.json';

/** Builds the catalogue from `source` and formats it as JSON. */
export async function catalogueText(source: DocSource): Promise<string> {
  const catalogue = buildCatalogue(source.pages, source.commit, GENERATOR);
  const options = (await prettier.resolveConfig(REPO_FILE)) ?? {};
  return prettier.format(JSON.stringify(catalogue), { ...options, filepath: REPO_FILE });
}
