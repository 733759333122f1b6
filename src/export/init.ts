/**
 * `flowgate export --init`: a manifest (`flowgate.yaml`) listing the exported files in dependency
 * order (a flow after the flows it calls or transfers to: the order `validate` and `plan` use,
 * `flow/deployment-checks.ts`), and for each environment named with `--env` a substitutions file
 * holding the exported org's value of every token. Without `--env`, the values sit in the
 * manifest's shared `substitutions:`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { FlowgateError } from '../errors.js';
import { dependencyOrder, loadFlowText } from '../flow/index.js';
import { writeIfChanged, type ExportResult, type FileChange } from './export.js';

/** The first line of every manifest `--init` writes: a manifest without it is never overwritten. */
export const INIT_MARK = '# Written by flowgate export --init';

/** Options of {@link writeInit}. */
export interface InitOptions {
  /** Where the manifest goes. */
  manifestPath: string;
  /** The folder the flow files went to. */
  outDir: string;
  /** Environments to write substitutions for. */
  envs: readonly string[];
  result: ExportResult;
  /** Where the flows came from (a comment). */
  origin?: string;
}

/** What `--init` wrote. */
export interface InitResult {
  manifest: { path: string; change: FileChange };
  substitutions: Array<{ env: string; path: string; change: FileChange }>;
  /** The files in the manifest's order. */
  order: string[];
}

/**
 * Writes the manifest and the substitutions files.
 * @throws {FlowgateError} `EXPORT_MANIFEST_EXISTS` when a manifest that `--init` did not write is there.
 */
export async function writeInit(o: InitOptions): Promise<InitResult> {
  const existing = await readFile(o.manifestPath, 'utf8').catch(() => undefined);
  if (existing !== undefined && !existing.startsWith(INIT_MARK))
    throw new FlowgateError(
      'EXPORT_MANIFEST_EXISTS',
      `${o.manifestPath} exists and was not written by flowgate export --init`,
      {
        hint: 'Name another manifest path, or export without --init and list the files yourself.',
      },
    );
  const base = dirname(resolve(o.manifestPath));
  const flows = o.result.exported;
  const graphs = flows.map((f) => loadFlowText(f.content, f.file).graph ?? { references: [] });
  const { order } = dependencyOrder(
    graphs.map((g, i) => ({ name: flows[i]!.name, flowType: flows[i]!.type, references: g.references })),
  );
  const files = order.map((i) => relative(base, resolve(o.outDir, flows[i]!.file)).split('\\').join('/'));
  const manifest: Record<string, unknown> = { version: 1 };
  const values = o.result.values;
  const written: InitResult['substitutions'] = [];
  if (o.envs.length > 0) {
    const environments: Record<string, unknown> = {};
    for (const env of o.envs) {
      const path = join(base, 'substitutions', `${env}.yaml`);
      const text = `# Token values of environment '${env}'${o.origin ? `, as exported from ${o.origin}` : ''}.\n${stringify(values)}`;
      written.push({ env, path, change: await writeIfChanged(path, text) });
      environments[env] = { substitutionsFile: `substitutions/${env}.yaml` };
    }
    manifest.environments = environments;
  } else if (Object.keys(values).length > 0) manifest.substitutions = values;
  manifest.flows = files.map((file) => ({ file }));
  const head = `${INIT_MARK}${o.origin ? ` from ${o.origin}` : ''}: the flows in dependency order.\n`;
  const change = await writeIfChanged(o.manifestPath, head + stringify(manifest));
  return { manifest: { path: o.manifestPath, change }, substitutions: written, order: files };
}
