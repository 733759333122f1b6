/** `flowgate validate [files...] [--manifest FILE]` */
import type { DeploymentInput, DeploymentOverrides } from '../../config/deployment.js';
import { plural } from '../../shared/plural.js';
import { ConfigError } from '../../errors.js';
import type { LoadedFlow } from '../../flow/load.js';
import type { PlatformClient } from '../../platform/client.js';
import { validateLoaded, type ValidationReport } from '../../flow/validate.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { readStdin } from '../stdin.js';
import { MAX_FILE_BYTES } from '../../flow/source/source-text.js';
import { packageVersion } from '../version.js';
import { formatGithub, formatJson, formatPretty, formatSarif } from '../output/format-diagnostics.js';

/** The command line's additions to a manifest's deployment. */
export interface OverrideFlags {
  set: string[];
  substitutions?: string | undefined;
  policy?: string | undefined;
  loops?: 'allow-with-exit' | 'error' | undefined;
}

/** `flowgate validate`'s options. */
export interface ValidateOptions extends OverrideFlags {
  files: string[];
  manifest?: string | undefined;
  /** An environment of the manifest (its values), as for `plan`. */
  env?: string | undefined;
  format?: 'pretty' | 'json' | 'sarif' | 'github' | 'codequality' | undefined;
  maxFileSize?: number | undefined;
  online: boolean;
  quiet: boolean;
}

/** Runs validation and prints the report; returns the exit code. */
export async function runValidate(opts: ValidateOptions, io: CliIo): Promise<number> {
  const patterns = opts.files;
  const maxFileBytes = opts.maxFileSize;
  if (maxFileBytes !== undefined && !(maxFileBytes > 0)) {
    throw new ConfigError('USAGE_MAX_FILE_SIZE', '--max-file-size must be a positive number of bytes', {
      hint: 'Example: --max-file-size 20000000',
    });
  }
  const { loadDeployment, loadDeploymentFlows } = await import('../../config/deployment.js');
  const deployment = await loadDeployment(opts.manifest, {
    ...deploymentOverrides(patterns, opts),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
  });
  const policy = deployment.policy;
  const loaded = await loadDeploymentFlows(deployment, {
    ...(maxFileBytes ? { maxFileBytes } : {}),
    readStdin: () =>
      readStdin(maxFileBytes ?? MAX_FILE_BYTES, 'Split the flow, or raise the limit (--max-file-size).'),
  });
  if (opts.online && !io.env.GENESYSCLOUD_OAUTHCLIENT_ID) {
    throw new ConfigError(
      'USAGE_ONLINE',
      '--online needs credentials: GENESYSCLOUD_OAUTHCLIENT_ID is not set',
      {
        hint: 'Set GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (or --base-url).',
      },
    );
  }
  // One client for the run: one token, one rate limiter for every call.
  let shared: PlatformClient | undefined;
  const client = async () =>
    (shared ??= (await import('../platform-client.js')).cliPlatformClient(io).client);
  const orgFlows = opts.online || policy?.maxFlows !== undefined ? await liveOrgFlows(io, client) : undefined;
  let report = validateLoaded(loaded, { ...(policy ? { policy } : {}), ...(orgFlows ? { orgFlows } : {}) });
  if (opts.online) report = await withOrgObjects(report, loaded, deployment.inputs, await client(), io);

  const format = opts.format ?? (io.env.GITHUB_ACTIONS === 'true' && !io.stdoutIsTty ? 'github' : 'pretty');
  switch (format) {
    case 'json':
      io.out(formatJson(report));
      break;
    case 'sarif':
      io.out(formatSarif(report, packageVersion()));
      break;
    case 'codequality': {
      const { formatCodeQuality } = await import('../output/format-codequality.js');
      io.out(formatCodeQuality(report));
      break;
    }
    case 'github':
      io.out(formatGithub(report));
      io.err(formatPretty(report, io.errColors, true));
      break;
    default:
      io.out(formatPretty(report, io.colors, opts.quiet));
  }
  return report.summary.errors > 0 ? ExitCode.Invalid : ExitCode.Ok;
}

/** The command line's additions to the manifest. */
export function deploymentOverrides(patterns: string[], flags: OverrideFlags): DeploymentOverrides {
  const out: DeploymentOverrides = { files: patterns, values: parseSetPairs(flags.set) };
  if (flags.substitutions !== undefined) out.substitutionsFile = flags.substitutions;
  if (flags.policy !== undefined) out.policyFile = flags.policy;
  if (flags.loops !== undefined) out.loops = flags.loops;
  return out;
}

/** `--set key=value` pairs (the last wins). */
function parseSetPairs(pairs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new ConfigError('USAGE_SET', `--set expects key=value, got '${pair}'`, {
        hint: 'Example: --set flow_name=Main',
      });
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** `--online`: the org objects the flows name (queues, data actions, prompts…), checked in the org. */
async function withOrgObjects(
  report: ValidationReport,
  loaded: LoadedFlow[],
  inputs: DeploymentInput[],
  client: PlatformClient,
  io: CliIo,
): Promise<ValidationReport> {
  const { checkOrgReferences, OrgObjectCache, withFindings } = await import('../../deploy/org-references.js');
  const info = await client.org.tokenInfo();
  const objects = await checkOrgReferences(loaded, {
    org: info.organization?.name ?? client.endpoints.environment,
    cache: new OrgObjectCache(client.objects),
    inputs,
  });
  const refs = objects.flows.reduce((n, f) => n + f.objects.length, 0);
  io.err(`checked ${refs} references to org objects (${objects.kinds.length} listings)\n`);
  return withFindings(report, objects.diagnostics);
}

/**
 * With credentials in the environment, the max-flows policy counts the org's flows live (the
 * platform has no max-flows limit of its own, docs/platform-api.md#organization-limits), and `--online` checks that referenced
 * flows exist; without credentials, only this run's flows count.
 */
async function liveOrgFlows(
  io: CliIo,
  clientOf: () => Promise<PlatformClient>,
): Promise<Array<{ name: string; type: string; published: boolean }> | undefined> {
  if (!io.env.GENESYSCLOUD_OAUTHCLIENT_ID) return undefined;
  const client = await clientOf();
  const flows = await client.flows.list();
  io.err(`counted ${plural(flows.length, 'flow')} in the org (${client.endpoints.environment})\n`);
  return flows.map((f) => ({
    name: f.name,
    type: f.type ?? '',
    published: f.publishedVersion !== undefined,
  }));
}
