/**
 * Genesys Cloud regions (docs/platform-api.md#regions, from `purecloud-platform-client-v2@262.0.0`
 * `PureCloudRegionHosts.js`): the API host is `api.<env>` and the login host `login.<env>`.
 */
import { ConfigError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';

/** One Genesys Cloud environment. */
export interface Region {
  /** SDK key, e.g. `us_east_1`. */
  sdkKey: string;
  /** CLI key, e.g. `us-east-1` (three are spelled with underscores in the `gc` CLI). */
  cliKey: string;
  /** Environment domain, e.g. `mypurecloud.com`. */
  environment: string;
}

/** All 18 environments of docs/platform-api.md#regions. */
export const REGIONS: readonly Region[] = [
  { sdkKey: 'us_east_1', cliKey: 'us-east-1', environment: 'mypurecloud.com' },
  { sdkKey: 'eu_west_1', cliKey: 'eu-west-1', environment: 'mypurecloud.ie' },
  { sdkKey: 'ap_southeast_2', cliKey: 'ap-southeast-2', environment: 'mypurecloud.com.au' },
  { sdkKey: 'ap_northeast_1', cliKey: 'ap-northeast-1', environment: 'mypurecloud.jp' },
  { sdkKey: 'eu_central_1', cliKey: 'eu-central-1', environment: 'mypurecloud.de' },
  { sdkKey: 'us_west_2', cliKey: 'us-west-2', environment: 'usw2.pure.cloud' },
  { sdkKey: 'ca_central_1', cliKey: 'ca-central-1', environment: 'cac1.pure.cloud' },
  { sdkKey: 'ap_northeast_2', cliKey: 'ap-northeast-2', environment: 'apne2.pure.cloud' },
  { sdkKey: 'eu_west_2', cliKey: 'eu-west-2', environment: 'euw2.pure.cloud' },
  { sdkKey: 'ap_south_1', cliKey: 'ap-south-1', environment: 'aps1.pure.cloud' },
  { sdkKey: 'us_east_2', cliKey: 'us-east-2', environment: 'use2.us-gov-pure.cloud' },
  { sdkKey: 'sa_east_1', cliKey: 'sa-east-1', environment: 'sae1.pure.cloud' },
  { sdkKey: 'me_central_1', cliKey: 'me_central_1', environment: 'mec1.pure.cloud' },
  { sdkKey: 'ap_northeast_3', cliKey: 'ap_northeast_3', environment: 'apne3.pure.cloud' },
  { sdkKey: 'eu_central_2', cliKey: 'eu_central_2', environment: 'euc2.pure.cloud' },
  { sdkKey: 'mx_central_1', cliKey: 'mx-central-1', environment: 'mxc1.pure.cloud' },
  { sdkKey: 'ap_southeast_1', cliKey: 'ap-southeast-1', environment: 'apse1.pure.cloud' },
  { sdkKey: 'eusc_de_east_1', cliKey: 'eusc-de-east-1', environment: 'edee1.eusc-pure.cloud' },
];

/** Where login and API requests go. */
export interface Endpoints {
  /** Origin of `/oauth/token`, e.g. `https://login.mypurecloud.com`. */
  loginBaseUrl: string;
  /** Origin of `/api/v2/...`, e.g. `https://api.mypurecloud.com`. */
  apiBaseUrl: string;
  /** The environment domain, or the base URL's host for an explicit base URL. */
  environment: string;
}

/**
 * Resolves a region given as SDK key (`us_east_1`), CLI key (`us-east-1`), environment
 * (`mypurecloud.com`), API host (`api.mypurecloud.com`) or URL. Like the JS SDK's
 * `setEnvironment()`, it strips `https://` and a leading `api.`/`login.`.
 * @throws {ConfigError} `CONFIG_REGION` when nothing matches.
 */
export function resolveRegion(input: string): Endpoints {
  const raw = input.trim();
  const key = raw.toLowerCase();
  const byKey = REGIONS.find(
    (r) => r.sdkKey === key || r.cliKey === key || r.sdkKey === key.replace(/-/g, '_'),
  );
  if (byKey) return endpointsFor(byKey.environment);
  const host = key
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/^(api|login)\./, '');
  const byEnv = REGIONS.find((r) => r.environment === host);
  if (byEnv) return endpointsFor(byEnv.environment);
  throw new ConfigError('CONFIG_REGION', `unknown Genesys Cloud region '${input}'`, {
    hint: `Use a region key such as us-east-1 or eu-west-1, or an environment such as mypurecloud.ie. Known: ${REGIONS.map((r) => r.cliKey).join(', ')}.`,
  });
}

function endpointsFor(environment: string): Endpoints {
  return {
    environment,
    loginBaseUrl: `https://login.${environment}`,
    apiBaseUrl: `https://api.${environment}`,
  };
}

export { isLoopbackHost };

/**
 * An explicit base URL (the emulator, a gateway) serving both `/oauth/token` and `/api/v2/...`.
 * Anything that is not loopback must be https, so that secrets never cross a network in clear.
 * @throws {ConfigError} `CONFIG_BASE_URL` for a malformed or insecure URL.
 */
export function resolveBaseUrl(input: string): Endpoints {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ConfigError('CONFIG_BASE_URL', `base URL '${input}' is not a URL`, {
      hint: 'Example: https://api.example.test or http://127.0.0.1:8080',
    });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(
      'CONFIG_BASE_URL',
      `base URL '${url.origin}' must use https (plain http is only allowed on loopback)`,
      {
        hint: 'Use https://, or run the emulator on 127.0.0.1.',
      },
    );
  }
  const origin = url.origin + url.pathname.replace(/\/+$/, '');
  return { environment: url.host, loginBaseUrl: origin, apiBaseUrl: origin };
}

/**
 * Why a presigned upload URL (an import job's, docs/platform-api.md#import-jobs) is refused, or undefined when it is
 * fine. The YAML goes to storage, not to the API, so the base URL's https rule does not cover it:
 * - loopback is allowed over http or https (the emulator hands out its own origin);
 * - anything else must be https, carry no user or password, and be on the region's storage: a
 *   host under `amazonaws.com` or under the environment's own domain.
 *
 * Where that host rule comes from: no public source names the host (docs/platform-api.md#import-jobs); the
 * Terraform provider (`MyPureCloud/terraform-provider-genesyscloud`, `architect_flow`) and the
 * SDKs PUT to whatever URL the job returns without naming its host, so nothing documents the exact
 * bucket. Genesys Cloud runs on AWS and the URL carries S3 SigV4 query parameters
 * (`X-Amz-Signature`), which S3 answers on `*.amazonaws.com` (virtual-hosted
 * `bucket.s3.<region>.amazonaws.com` or path-style `s3.<region>.amazonaws.com`); the region's own
 * domain is allowed for a storage host Genesys fronts itself. Anything else is refused rather than
 * handed the flow.
 */
export function uploadUrlProblem(presignedUrl: string, endpoints: Endpoints): string | undefined {
  let url: URL;
  try {
    url = new URL(presignedUrl);
  } catch {
    return 'it is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'it carries a user or password';
  if (isLoopbackHost(url.hostname))
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `it uses ${url.protocol}`;
  if (url.protocol !== 'https:') return 'it is not https';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const domains = ['amazonaws.com', environmentDomain(endpoints)];
  if (!domains.some((d) => host === d || host.endsWith(`.${d}`)))
    return `${host} is not a storage host of the region (*.amazonaws.com or *.${domains[1]})`;
  return undefined;
}

/** The environment's domain: `mypurecloud.com` for a region, the base URL's host without `api.`/`login.` otherwise. */
function environmentDomain(endpoints: Endpoints): string {
  let host: string;
  try {
    host = new URL(endpoints.apiBaseUrl).hostname;
  } catch {
    host = endpoints.environment;
  }
  host = host.toLowerCase();
  const domain = host.replace(/^(api|login)\./, '');
  return domain.includes('.') ? domain : host; // never a bare top-level domain
}
