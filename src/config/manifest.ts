/**
 * The deployment manifest (`flowgate.yaml`): the org, environments, the flows of a deployment
 * (Archy files to import and publish, or existing flows with a version to publish), their
 * substitution values, activation times, and the organisation policy. Validated once with zod,
 * reported with file:line:column. Credentials never come from the manifest: only from the
 * environment or a secret file it names.
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { PolicySchema, type Policy } from '../flow/check/policy-schema.js';
import { loadConfigFile } from './config-file.js';
import { DEFAULT_MANIFEST } from './defaults.js';
import { checkRequiredEnvironments, RequiresSchema, type ManifestRequires } from './gates-schema.js';
import { HealthSchema, type ManifestHealth } from './health-schema.js';
import { positionInFile, positionsInFile } from './manifest-position.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Values = z.record(z.string(), Scalar);
const Version = z
  .union([z.string().min(1), z.number()])
  .transform((v) => (typeof v === 'number' ? v.toFixed(1) : v));

/** ISO-8601 with an explicit offset: a time without one means different things on different runners. */
const ACTIVATE_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ActivateAt = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString() : v))
  .refine((v) => ACTIVATE_AT.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO-8601 time with a UTC offset, such as 2026-12-01T06:00:00+01:00 or …Z',
  });

/** False for a URL with a user or password in it (`https://user:pass@host/…`). */
function hasNoCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username === '' && u.password === '';
  } catch {
    return true; // not a URL at all: the events module says so when it resolves the webhook
  }
}

/**
 * The results an event can carry (a step's, a deployment's, a health verdict's), for `notify:`.
 * `degraded` is the health gate's verdict (README: the health gate).
 */
const NOTIFY_RESULTS = [
  'succeeded',
  'failed',
  'rolled-back',
  'partial',
  'interrupted',
  'scheduled',
  'degraded',
  'healthy',
  'insufficient',
] as const;

/** Where deployment events go (the events module reads this section). */
const EventsSchema = z
  .object({
    /** The hash-chained audit log. @default .flowgate/audit.jsonl */
    auditLog: z.string().optional(),
    /** Undelivered webhook events. @default .flowgate/dead-letter.jsonl */
    deadLetter: z.string().optional(),
    /** Longest wait for webhook deliveries when a deployment ends. @default 10000 */
    deliveryBudgetMs: z.number().int().min(0).max(600_000).optional(),
    webhooks: z
      .array(
        z
          .object({
            url: z
              .string()
              .min(1)
              .refine(hasNoCredentials, {
                // The value is not repeated: it holds a password.
                message:
                  'a webhook URL must not carry a user or password (user:pass@host): it is never sent as a login, and it would be written into the dead-letter file; authenticate receivers with the signature',
              })
              .optional(),
            /** Or the environment variable holding the URL (Slack's and Teams' URLs are secrets). */
            urlEnv: z
              .string()
              .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
              .optional(),
            format: z.enum(['json', 'servicenow', 'slack', 'teams']).optional(),
            /** The environment variable with the signing secret. @default FLOWGATE_WEBHOOK_SECRET */
            secretEnv: z.string().optional(),
            /** Or a file with it (relative to the manifest). */
            secretFile: z.string().optional(),
            types: z.array(z.string()).optional(),
            /** Only events with one of these results, so a channel is not flooded. */
            notify: z.array(z.enum(NOTIFY_RESULTS)).min(1).optional(),
            timeoutMs: z.number().int().positive().optional(),
          })
          .strict()
          .refine((w) => (w.url === undefined) !== (w.urlEnv === undefined), {
            message: 'give either url or urlEnv (the variable holding the URL), not both',
          }),
      )
      .optional(),
  })
  .strict();

/** The events section, resolved (paths absolute). */
export type ManifestEvents = z.infer<typeof EventsSchema>;

/** Where the org is (credentials come from the environment or `secretFile`, never from here). */
const OrgSchema = z
  .object({
    region: z.string().optional(),
    baseUrl: z.string().optional(),
    /** A file holding the client secret, or `{"clientId","clientSecret"}` (relative to the manifest). */
    secretFile: z.string().optional(),
  })
  .strict();

const FlowEntrySchema = z
  .object({
    /** An Archy YAML file to import and publish (relative to the manifest). */
    file: z.string().min(1).optional(),
    /** An existing flow, by id (a UUID: nothing that could change a URL path) … */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'a flow id (a UUID: letters, digits and dashes)')
      .optional(),
    /** … or by name and type. */
    name: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    /** The version of an existing flow to publish. */
    version: Version.optional(),
    /** A definition (graph JSON or Archy YAML) to validate before publishing an existing flow. */
    definition: z.string().min(1).optional(),
    /** The org's checked-in version must be this one, or the deployment stops (changed outside). */
    expectCheckedIn: Version.optional(),
    /** Values for this flow only (they win over the shared ones). */
    substitutions: Values.optional(),
    /** Publish no earlier than this time. */
    activateAt: ActivateAt.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const existing = f.id !== undefined || f.name !== undefined || f.type !== undefined;
    if (f.file !== undefined && existing)
      ctx.addIssue({
        code: 'custom',
        message: "give either 'file' or an existing flow ('id', or 'name' and 'type'), not both",
        path: ['file'],
      });
    else if (f.file === undefined && !existing)
      ctx.addIssue({
        code: 'custom',
        message: "a flow needs 'file' (Archy YAML), or 'id' / 'name' and 'type' with 'version'",
        path: [],
      });
    else if (existing) {
      if (f.id === undefined && (f.name === undefined || f.type === undefined))
        ctx.addIssue({
          code: 'custom',
          message: "an existing flow needs 'id', or both 'name' and 'type'",
          path: [f.name === undefined ? 'name' : 'type'],
        });
      if (f.version === undefined)
        ctx.addIssue({
          code: 'custom',
          message: "an existing flow needs the 'version' to publish",
          path: [],
        });
    } else if (f.version !== undefined || f.expectCheckedIn !== undefined || f.definition !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: "'version', 'expectCheckedIn' and 'definition' belong to existing flows, not to 'file'",
        path: [
          f.version !== undefined ? 'version' : f.definition !== undefined ? 'definition' : 'expectCheckedIn',
        ],
      });
  });

/** The manifest's schema. */
export const ManifestSchema = z
  .object({
    version: z.literal(1).optional(),
    org: OrgSchema.optional(),
    /** Named environments: `--env prod` picks its org and substitution values. */
    environments: z
      .record(
        z.string(),
        z
          .object({
            org: OrgSchema.optional(),
            substitutions: Values.optional(),
            /** A YAML/JSON file of this environment's values (relative to the manifest; inline values win). */
            substitutionsFile: z.string().min(1).optional(),
            /** Gates: what must have passed elsewhere first (`deploy/gates.ts`). */
            requires: RequiresSchema.optional(),
          })
          .strict(),
      )
      .optional(),
    /** Values for `{{ tokens }}` shared by every flow. */
    substitutions: Values.optional(),
    /** Organisation policy, inline. */
    policy: PolicySchema.optional(),
    /** Or a policy file, relative to the manifest. */
    policyFile: z.string().optional(),
    /** The ledger: a SQLite file (`path`), or a team's PostgreSQL (`url`, no password in it). */
    ledger: z
      .object({
        path: z.string().optional(),
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
          .optional(),
        /** A file holding the PostgreSQL password (relative to the manifest). */
        passwordFile: z.string().optional(),
      })
      .strict()
      .refine((l) => !(l.path && l.url), 'ledger.path and ledger.url are two ledgers: choose one')
      .optional(),
    deploy: z
      .object({
        concurrency: z.number().int().min(1).max(32).optional(),
        atomic: z.boolean().optional(),
        /** How long to wait for flows another deployment holds, ISO-8601 (PT15M); PT0S fails at once. */
        lockTimeout: z
          .string()
          .regex(/^PT(\d+H)?(\d+M)?(\d+S)?$/, 'an ISO-8601 duration such as PT15M')
          .optional(),
        /** Deploy only when the scenarios next to the flows pass (`flowgate test`, docs/scenarios.md). */
        requireTests: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Audit log, webhooks, dead letters. */
    events: EventsSchema.optional(),
    /** Room for the adoption and health-gate settings: their own issue. */
    adoption: z.record(z.string(), z.unknown()).optional(),
    /** The health gate after a deployment (README: the statistical rule of each signal). */
    health: HealthSchema.optional(),
    flows: z.array(FlowEntrySchema).min(1),
  })
  .strict()
  .refine((m) => !(m.policy && m.policyFile), {
    message: "give either 'policy' or 'policyFile', not both",
    path: ['policyFile'],
  })
  .superRefine((m, ctx) => checkRequiredEnvironments(m.environments, ctx));

/** An existing flow to publish. */
export interface ExistingFlowTarget {
  id?: string | undefined;
  name?: string | undefined;
  type?: string | undefined;
  version: string;
  expectCheckedIn?: string | undefined;
}

/** One flow of a manifest, with its files resolved and its values merged. */
export interface ManifestFlow {
  /** The Archy file to import (absolute), for `file:` entries. */
  file?: string;
  /** The existing flow to publish, for `id:` / `name:` entries. */
  existing?: ExistingFlowTarget;
  /** The definition to validate first (absolute), for existing flows. */
  definition?: string;
  substitutions: Record<string, string>;
  /** The keys this entry sets itself (the rest come from the shared values). */
  ownKeys: ReadonlySet<string>;
  /** Keys whose value is the picked environment's (`environments.<env>.substitutions`). */
  envKeys?: ReadonlySet<string>;
  activateAt?: string;
  /** Where the entry's `file:` (or `definition:`) is written in the manifest, for messages about that file. */
  listedAt?: { line: number; column: number };
}

/** Where the org is, resolved. */
export interface ManifestOrg {
  region?: string | undefined;
  baseUrl?: string | undefined;
  /** Where `baseUrl` is written (`file:line:column`), for the endpoint rule's message. */
  baseUrlAt?: string | undefined;
  /** Absolute; must lie in the manifest's folder (`secret-file.ts`). */
  secretFile?: string | undefined;
}

/** A loaded manifest. */
export interface LoadedManifest {
  path: string;
  flows: ManifestFlow[];
  policy?: Policy;
  org?: ManifestOrg;
  /** The environment picked with `env`. */
  env?: string;
  /** Every environment the manifest names. */
  environments: string[];
  /** The picked environment's gates (`requires:`), when it has any. */
  requires?: ManifestRequires;
  /** Where that `requires:` is written (`file:line:column`). */
  requiresAt?: string;
  /** Absolute path of the ledger, when the manifest sets one. */
  ledgerPath?: string;
  /** The team ledger's URL, when the manifest sets one. */
  ledgerUrl?: string;
  /** Where `ledger.url` is written (`file:line:column`). */
  ledgerUrlAt?: string;
  /** Absolute path of the file holding the team ledger's password. */
  ledgerPasswordFile?: string;
  deploy: {
    concurrency?: number | undefined;
    atomic?: boolean | undefined;
    lockTimeout?: string | undefined;
    requireTests?: boolean | undefined;
  };
  /** Where events go (paths absolute). */
  events?: ManifestEvents;
  /** The raw sections the next stages read. */
  adoption?: Record<string, unknown>;
  health?: ManifestHealth;
}

const asStrings = (values: Record<string, string | number | boolean> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));

/** The values of an environment's `substitutionsFile` (a flat map, or under `substitutions:`). */
async function envValuesFile(file: string): Promise<Record<string, string>> {
  const { SubstitutionsSchema } = await import('./substitutions-schema.js');
  const loaded = await loadConfigFile(file, SubstitutionsSchema, 'substitutions');
  const values =
    'substitutions' in loaded && typeof loaded.substitutions === 'object' ? loaded.substitutions : loaded;
  return asStrings(values as Record<string, string | number | boolean>);
}

/**
 * Loads a manifest; files resolve against the manifest's folder. With `env`, the environment's org
 * replaces the manifest's and its values win over the per-flow ones.
 * @throws {ConfigError} with file:line:column when the manifest or its policy file is invalid, or
 *   `CONFIG_ENV` when `env` is not one of its environments.
 */
export async function loadManifest(path: string, env?: string): Promise<LoadedManifest> {
  const m = await loadConfigFile(path, ManifestSchema, 'manifest');
  const base = dirname(path);
  const environment = env === undefined ? undefined : m.environments?.[env];
  if (env !== undefined && !environment)
    throw new ConfigError('CONFIG_ENV', `the manifest ${path} has no environment '${env}'`, {
      hint: `Known: ${Object.keys(m.environments ?? {}).join(', ') || '(none: add environments: to the manifest)'}.`,
    });
  const shared = asStrings(m.substitutions);
  const envValues = {
    ...(environment?.substitutionsFile
      ? await envValuesFile(resolve(base, environment.substitutionsFile))
      : {}),
    ...asStrings(environment?.substitutions),
  };
  const listed = positionsInFile(
    path,
    m.flows.map((f, i) => ['flows', i, f.file !== undefined ? 'file' : 'definition']),
  );
  const flows = m.flows.map((f, i): ManifestFlow => {
    const out: ManifestFlow = {
      substitutions: { ...shared, ...asStrings(f.substitutions), ...envValues },
      ownKeys: new Set(Object.keys(f.substitutions ?? {})),
      envKeys: new Set(Object.keys(envValues)),
    };
    if (f.file !== undefined) out.file = resolve(base, f.file);
    else
      out.existing = {
        id: f.id,
        name: f.name,
        type: f.type?.toLowerCase(),
        version: f.version!,
        expectCheckedIn: f.expectCheckedIn,
      };
    if (f.definition !== undefined) out.definition = resolve(base, f.definition);
    if (f.activateAt !== undefined) out.activateAt = new Date(f.activateAt).toISOString();
    const at = listed[i];
    if (at && (f.file !== undefined || f.definition !== undefined)) out.listedAt = at;
    return out;
  });
  let policy: Policy | undefined = m.policy;
  if (m.policyFile) policy = await loadConfigFile(resolve(base, m.policyFile), PolicySchema, 'policy');
  const out: LoadedManifest = {
    path,
    flows,
    deploy: m.deploy ?? {},
    environments: Object.keys(m.environments ?? {}),
  };
  if (environment?.requires) {
    out.requires = environment.requires;
    out.requiresAt = positionInFile(path, ['environments', env!, 'requires']);
  }
  if (policy) out.policy = policy;
  const org = environment?.org ?? m.org;
  const orgPath = environment?.org ? ['environments', env!, 'org'] : ['org'];
  if (org)
    out.org = {
      ...org,
      ...(org.secretFile ? { secretFile: resolve(base, org.secretFile) } : {}),
      ...(org.baseUrl ? { baseUrlAt: positionInFile(path, [...orgPath, 'baseUrl']) } : {}),
    };
  if (env !== undefined) out.env = env;
  if (m.ledger?.path) out.ledgerPath = resolve(base, m.ledger.path);
  if (m.ledger?.url) {
    out.ledgerUrl = m.ledger.url;
    out.ledgerUrlAt = positionInFile(path, ['ledger', 'url']);
  }
  if (m.ledger?.passwordFile) out.ledgerPasswordFile = resolve(base, m.ledger.passwordFile);
  if (m.events)
    out.events = {
      ...m.events,
      ...(m.events.auditLog ? { auditLog: resolve(base, m.events.auditLog) } : {}),
      ...(m.events.deadLetter ? { deadLetter: resolve(base, m.events.deadLetter) } : {}),
      ...(m.events.webhooks
        ? {
            webhooks: m.events.webhooks.map((w) =>
              w.secretFile ? { ...w, secretFile: resolve(base, w.secretFile), manifest: path } : w,
            ),
          }
        : {}),
    };
  if (m.adoption) out.adoption = m.adoption;
  if (m.health) out.health = m.health;
  return out;
}

/**
 * A usage error for a missing manifest. Where files are accepted too (`validate`), it says so;
 * where only a manifest is (`plan`, `deploy`: issue 20 §12), it does not suggest files.
 */
export function noInputError(manifestOnly = false): ConfigError {
  if (manifestOnly)
    return new ConfigError('USAGE_NO_MANIFEST', `no ${DEFAULT_MANIFEST} here`, {
      hint: `A deployment is what a manifest lists: write a ${DEFAULT_MANIFEST} with its flows (README: the manifest), or name the manifest to use.`,
    });
  return new ConfigError('USAGE_NO_INPUT', `no flow files given and no ${DEFAULT_MANIFEST} here`, {
    hint: `Pass files or globs, or a manifest (a ${DEFAULT_MANIFEST} lists flows, substitutions and policy).`,
    details: { missing: 'flows' },
  });
}
