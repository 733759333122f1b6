/** `flowgate validate [files...] [--manifest FILE]` */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError } from '../../errors.js';
import { loadFlowBytes, loadFlowFile, type LoadedFlow } from '../../flow/load.js';
import type { Policy } from '../../flow/policy.js';
import { validateLoaded } from '../../flow/validate.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { packageVersion } from '../version.js';
import { formatGithub, formatJson, formatPretty, formatSarif } from '../output/format-diagnostics.js';

/** Runs validation and prints the report; returns the exit code. */
export async function runValidate(
  patterns: string[],
  opts: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const maxFileBytes = opts.maxFileSize as number | undefined;
  if (maxFileBytes !== undefined && !(maxFileBytes > 0)) {
    throw new ConfigError('USAGE_MAX_FILE_SIZE', '--max-file-size must be a positive number of bytes', {
      hint: 'Example: --max-file-size 20000000',
    });
  }
  const overrides = await commandLineSubstitutions(opts);

  // Flows come from the manifest (explicit, or ./flowgate.yaml when no files are given) and the arguments.
  // zod and the config reader load only when a file needs them: start-up time matters in CI loops.
  const manifestPath =
    typeof opts.manifest === 'string'
      ? opts.manifest
      : patterns.length === 0 && existsSync('flowgate.yaml')
        ? 'flowgate.yaml'
        : undefined;
  if (!manifestPath && patterns.length === 0) throw (await import('../../config/manifest.js')).noInputError();
  const inputs: Array<{ file: string; substitutions: Record<string, string> }> = [];
  let policy: Policy | undefined;
  if (manifestPath) {
    const manifest = await (await import('../../config/manifest.js')).loadManifest(manifestPath);
    for (const f of manifest.flows)
      inputs.push({
        file: relative('.', f.file) || f.file,
        substitutions: { ...f.substitutions, ...overrides },
      });
    policy = manifest.policy;
  }
  for (const file of await expand(patterns)) inputs.push({ file, substitutions: overrides });

  if (typeof opts.policy === 'string') {
    const [{ loadConfigFile }, { PolicySchema }] = await Promise.all([
      import('../../config/config-file.js'),
      import('../../flow/policy-schema.js'),
    ]);
    policy = await loadConfigFile(opts.policy, PolicySchema, 'policy');
  }
  if (typeof opts.loops === 'string')
    policy = { ...(policy ?? {}), loops: opts.loops as 'error' | 'allow-with-exit' };

  const loaded: LoadedFlow[] = [];
  for (const input of inputs) {
    const options = { substitutions: input.substitutions, ...(maxFileBytes ? { maxFileBytes } : {}) };
    loaded.push(
      input.file === '-'
        ? loadFlowBytes(await readStdin(), '<stdin>', options)
        : await loadFlowFile(input.file, options),
    );
  }
  if (opts.online === true && !io.env.GENESYSCLOUD_OAUTHCLIENT_ID) {
    throw new ConfigError(
      'USAGE_ONLINE',
      '--online needs credentials: GENESYSCLOUD_OAUTHCLIENT_ID is not set',
      {
        hint: 'Set GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (or --base-url).',
      },
    );
  }
  const orgFlows =
    opts.online === true || policy?.maxFlows !== undefined ? await liveOrgFlows(io) : undefined;
  const report = validateLoaded(loaded, { ...(policy ? { policy } : {}), ...(orgFlows ? { orgFlows } : {}) });

  const format =
    (opts.format as string | undefined) ??
    (io.env.GITHUB_ACTIONS === 'true' && !io.stdoutIsTty ? 'github' : 'pretty');
  switch (format) {
    case 'json':
      io.out(formatJson(report));
      break;
    case 'sarif':
      io.out(formatSarif(report, packageVersion()));
      break;
    case 'github':
      io.out(formatGithub(report));
      io.err(formatPretty(report, io.errColors, true));
      break;
    default:
      io.out(formatPretty(report, io.colors, opts.quiet === true));
  }
  return report.summary.errors > 0 ? ExitCode.Invalid : ExitCode.Ok;
}

/** `--substitutions FILE` values, then `--set key=value` (the last wins). */
async function commandLineSubstitutions(opts: Record<string, unknown>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (typeof opts.substitutions === 'string') {
    const [{ loadConfigFile }, { SubstitutionsSchema }] = await Promise.all([
      import('../../config/config-file.js'),
      import('../config-schemas.js'),
    ]);
    const loaded = await loadConfigFile(opts.substitutions, SubstitutionsSchema, 'substitutions');
    const values =
      'substitutions' in loaded && typeof loaded.substitutions === 'object' ? loaded.substitutions : loaded;
    for (const [k, v] of Object.entries(values as Record<string, unknown>)) out[k] = String(v);
  }
  for (const pair of (opts.set as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new ConfigError('USAGE_SET', `--set expects key=value, got '${pair}'`, {
        hint: 'Example: --set flow_name=Main',
      });
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

async function expand(patterns: string[]): Promise<string[]> {
  const files: string[] = [];
  const dynamic = patterns.some((p) => /[*?[\]{}]/.test(p));
  const { glob, isDynamicPattern } = dynamic
    ? await import('tinyglobby')
    : { glob: undefined, isDynamicPattern: () => false };
  for (const p of patterns) {
    if (glob && isDynamicPattern(p)) {
      const matched = (await glob(p, { onlyFiles: true, expandDirectories: false })).sort();
      if (matched.length === 0)
        throw new ConfigError('USAGE_NO_MATCH', `no file matches '${p}'`, {
          hint: 'Check the glob; quote it so the shell does not expand it first.',
        });
      files.push(...matched);
    } else files.push(p);
  }
  return [...new Set(files)];
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * With credentials in the environment, the max-flows policy counts the org's flows live (the
 * platform has no max-flows limit of its own, API.md §5), and `--online` checks that referenced
 * flows exist; without credentials, only this run's flows count.
 */
async function liveOrgFlows(
  io: CliIo,
): Promise<Array<{ name: string; type: string; published: boolean }> | undefined> {
  if (!io.env.GENESYSCLOUD_OAUTHCLIENT_ID) return undefined;
  const { client } = (await import('../platform-client.js')).cliPlatformClient(io);
  const flows = await client.flows.list();
  io.err(`counted ${flows.length} flows in the org (${client.endpoints.environment})\n`);
  return flows.map((f) => ({
    name: f.name,
    type: f.type ?? '',
    published: f.publishedVersion !== undefined,
  }));
}
