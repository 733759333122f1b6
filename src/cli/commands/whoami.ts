/** `flowgate whoami`: checks the credentials and says what they can do. */
import { cliPlatformClient } from '../platform-client.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { terminalSafe as safe } from '../output/encode.js';

/**
 * The scopes flowgate's commands need: flows per the Terraform provider's docs/resources/flow.md;
 * the org objects per its docs/data-sources/*.md "Permissions and Scopes" (docs/platform-api.md "Org objects").
 */
const NEEDED: Array<{ scope: string; alternatives: string[]; for: string }> = [
  { scope: 'architect', alternatives: ['architect'], for: 'publishing and importing flows' },
  {
    scope: 'architect:readonly',
    alternatives: ['architect', 'architect:readonly'],
    for: 'reading flows; checking the data tables, prompts, schedules, schedule and emergency groups, outcomes and milestones flows name',
  },
  {
    scope: 'routing:readonly',
    alternatives: ['routing', 'routing:readonly'],
    for: 'checking the queues, skills, language skills and wrap-up codes flows name',
  },
  {
    scope: 'integrations:readonly',
    alternatives: ['integrations', 'integrations:readonly'],
    for: 'checking the data actions flows name',
  },
  {
    scope: 'users:readonly',
    alternatives: ['users', 'users:readonly'],
    for: 'checking the users flows transfer to',
  },
  {
    scope: 'groups:readonly',
    alternatives: ['groups', 'groups:readonly'],
    for: 'checking the groups flows transfer to',
  },
  {
    scope: 'analytics:readonly',
    alternatives: ['analytics', 'analytics:readonly'],
    for: 'adoption (flow aggregates)',
  },
  {
    scope: 'audits:readonly',
    alternatives: ['audits:readonly'],
    for: 'reconciling with the platform audit trail',
  },
];

/** Gets a token, reads `tokens/me` and the API limits, and reports missing scopes. */
export async function runWhoami(opts: { json: boolean }, io: CliIo): Promise<number> {
  const { client, settings } = cliPlatformClient(io);
  const info = await client.org.tokenInfo();
  const limits = await client.org.limits('platform.api').catch(() => []);
  const scopes = info.authorizedScope ?? [];
  const missing = NEEDED.filter((n) => !n.alternatives.some((a) => scopes.includes(a)));
  const rate = limits.find((l) => l.key === 'client.credentials.token.rate.per.minute')?.value;
  if (opts.json) {
    io.out(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          environment: settings.endpoints.environment,
          organization: info.organization ?? null,
          client: { id: settings.credentials.clientId, name: info.OAuthClient?.name ?? null },
          scopes,
          missingScopes: missing.map((m) => m.scope),
          requestsPerMinute: rate ?? null,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const c = io.colors;
    // Names and scopes are the org's answer: `terminalSafe`.
    io.out(`environment   ${safe(settings.endpoints.environment)}\n`);
    io.out(`organization  ${safe(`${info.organization?.name ?? '?'} (${info.organization?.id ?? '?'})`)}\n`);
    io.out(`client        ${safe(`${info.OAuthClient?.name ?? '?'} (${settings.credentials.clientId})`)}\n`);
    io.out(`scopes        ${safe(scopes.join(', ') || '(none)')}\n`);
    if (rate !== undefined) io.out(`rate limit    ${safe(String(rate))} requests per minute per token\n`);
    for (const m of missing) io.out(`${c.yellow('missing')}       ${m.scope}: needed for ${m.for}\n`);
  }
  return ExitCode.Ok;
}
