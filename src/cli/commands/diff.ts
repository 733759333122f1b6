/**
 * `flowgate diff`: the semantic diff of `plan` on what orgs really publish (library:
 * `deploy/compare.ts`). The repository (after substitutions) against its org; `--env A
 * --against-env B` the same flows in two orgs; `"<flow>" [--type t] --versions a b` two versions of one flow.
 * Exit 0 when everything is equal, 3 when something differs (or is missing on one side).
 */
import { existsSync } from 'node:fs';
import { plural } from '../../shared/plural.js';
import { ConfigError } from '../../errors.js';
import type { FlowComparison } from '../../deploy/compare.js';
import { DEFAULT_MANIFEST } from '../defaults.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { markdownFence, markdownHtmlText, markdownInline, terminalSafe as safe } from '../output/encode.js';

/** The flags of `flowgate diff`, parsed once. */
export interface DiffFlags {
  flow?: string | undefined;
  /** With `--versions`: the flow's type, when flows of several types have its name. */
  type?: string | undefined;
  versions?: [string, string] | undefined;
  manifest?: string | undefined;
  env?: string | undefined;
  againstEnv?: string | undefined;
  /** `--set` and `--substitutions`, as validate takes them. */
  overrides: import('./validate.js').OverrideFlags;
  format: 'pretty' | 'json' | 'markdown';
}

/** Parses the flags once. */
export function diffFlags(flow: string | undefined, opts: Record<string, unknown>): DiffFlags {
  const versions = opts.versions as string[] | undefined;
  if (versions !== undefined && (versions.length !== 2 || flow === undefined))
    throw new ConfigError('USAGE_DIFF_FLAGS', '--versions takes a flow and exactly two versions', {
      hint: 'flowgate diff "Main IVR" --versions 3.0 5.0',
    });
  if (versions === undefined && flow !== undefined)
    throw new ConfigError('USAGE_DIFF_FLAGS', `a flow ('${flow}') is compared only with --versions`, {
      hint: 'Without --versions, diff compares every flow of the manifest.',
    });
  const type = opts.type as string | undefined;
  if (type !== undefined && versions === undefined)
    throw new ConfigError('USAGE_DIFF_FLAGS', '--type chooses the flow of --versions', {
      hint: 'flowgate diff "Main IVR" --type inboundcall --versions 3.0 5.0',
    });
  return {
    flow,
    type,
    versions: versions as [string, string] | undefined,
    manifest: opts.manifest as string | undefined,
    env: opts.env as string | undefined,
    againstEnv: opts.againstEnv as string | undefined,
    overrides: {
      set: Array.isArray(opts.set) ? opts.set.map(String) : [],
      substitutions: typeof opts.substitutions === 'string' ? opts.substitutions : undefined,
    },
    format: (opts.format as DiffFlags['format'] | undefined) ?? 'pretty',
  };
}

/** Runs the comparison; prints it; exit 0 equal, 3 different. */
export async function runDiff(f: DiffFlags, io: CliIo): Promise<number> {
  const compare = await import('../../deploy/compare.js');
  const { cliPlatformClient } = await import('../platform-client.js');
  const { loadDeployment, loadDeploymentFlows } = await import('../../config/deployment.js');
  const { deploymentOverrides } = await import('./validate.js');
  // The manifest's environment (its org, its secret file), loaded as plan loads it.
  const load = async (env: string | undefined) => {
    const deployment = await loadDeployment(f.manifest, {
      ...deploymentOverrides([], f.overrides),
      ...(env !== undefined ? { env } : {}),
      manifestOnly: true,
    });
    const manifest = deployment.manifest;
    const { client } = cliPlatformClient(io, { org: manifest?.org, manifest: manifest?.path });
    return { client, deployment };
  };
  let results: FlowComparison[];
  if (f.versions) {
    // Two versions need no manifest; with one (named, or ./flowgate.yaml) its org is the one read.
    const client =
      f.env !== undefined || f.manifest !== undefined || existsSync(DEFAULT_MANIFEST)
        ? (await load(f.env)).client
        : cliPlatformClient(io).client;
    const { flow, sides } = await compare.versionSides(
      client,
      { flow: f.flow!, type: f.type },
      f.versions,
      {},
      f.env,
    );
    results = compare.compareSides([
      {
        flowName: flow.name,
        flowType: (flow.type ?? '?').toLowerCase(),
        from: sides[0],
        to: sides[1],
      },
    ]);
  } else {
    const side = async (env: string | undefined) => {
      const { client, deployment } = await load(env);
      return { client, repo: compare.repositorySides(await loadDeploymentFlows(deployment)) };
    };
    const a = await side(f.env);
    const orgA = f.env ?? 'the org';
    const sidesA = await compare.publishedSides(a.client, a.repo, orgA);
    if (f.againstEnv !== undefined) {
      const b = await side(f.againstEnv);
      const sidesB = await compare.publishedSides(b.client, b.repo, f.againstEnv);
      results = compare.compareSides(
        a.repo.map((r, i) => ({ flowName: r.name, flowType: r.type, from: sidesA[i]!, to: sidesB[i]! })),
      );
    } else
      results = compare.compareSides(
        a.repo.map((r, i) => ({ flowName: r.name, flowType: r.type, from: sidesA[i]!, to: r.side })),
      );
  }
  const { describeDiff } = await import('../../deploy/diff.js');
  print(results, f.format, io, describeDiff);
  return results.every((r) => r.status === 'equal') ? ExitCode.Ok : ExitCode.Invalid;
}

function print(
  results: FlowComparison[],
  format: DiffFlags['format'],
  io: CliIo,
  describeDiff: (d: NonNullable<FlowComparison['diff']>) => string[],
): void {
  if (format === 'json') {
    io.out(
      `${JSON.stringify({ schemaVersion: 1, equal: results.every((r) => r.status === 'equal'), flows: results }, null, 2)}\n`,
    );
    return;
  }
  if (format === 'markdown') {
    let out = '| flow | type | status | from | to |\n|---|---|---|---|---|\n';
    for (const r of results)
      out += `| ${markdownInline(r.flowName)} | ${r.flowType} | ${r.status}${r.missing ? `: ${markdownInline(r.missing)}` : ''} | ${markdownInline(r.from)} | ${markdownInline(r.to)} |\n`;
    for (const r of results.filter((x) => x.diff && !x.diff.empty))
      out += `\n<details><summary>${markdownHtmlText(r.flowName)}: what changed</summary>\n\n${markdownFence(describeDiff(r.diff!), 'diff')}\n</details>\n`;
    io.out(out);
    return;
  }
  const c = io.colors;
  for (const r of results) {
    const head = `${r.flowType} '${safe(r.flowName)}'`;
    if (r.status === 'equal') io.out(`${c.dim('=')} ${head}: equal (${safe(r.from)} · ${safe(r.to)})\n`);
    else if (r.status === 'missing') io.out(`${c.yellow('?')} ${head}: ${safe(r.missing ?? '')}\n`);
    else {
      io.out(`${c.yellow('~')} ${head}: ${safe(r.from)} → ${safe(r.to)}\n`);
      for (const line of r.diff ? describeDiff(r.diff) : ['(no flow graph to compare)'])
        io.out(`    ${safe(line)}\n`);
    }
  }
  const differ = results.filter((r) => r.status !== 'equal').length;
  io.out(`${plural(results.length, 'flow')}: ${results.length - differ} equal, ${differ} different\n`);
}
