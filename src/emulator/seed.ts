/**
 * Seed orgs: a small YAML/JSON description (flows, versions published some hours ago, locks,
 * clients with permission sets, traffic) turned into an {@link EmulatorState} with deterministic ids.
 */
import { z } from 'zod';
import { EXIT_REASONS } from '../exit-reasons.js';
import { ARCHY_ROOT_KEYS } from '../flow/index.js';
import { FaultRuleSchema } from './faults.js';
import { MAX_TIME_SCALE } from './flow-behaviour.js';
import { hash32, mulberry32, uuid } from './random.js';
import { objectsFromSeed, SeedObjectsSchema } from './seed-objects.js';
import type { EmClient, EmFlow, EmulatorState, EmVersion } from './types.js';

/** Exit reason → probability; together at most 1 (the rest end in the flow type's usual exit). */
const ExitMixSchema = z
  .partialRecord(z.enum(EXIT_REASONS), z.number().min(0).max(1))
  .refine((m) => Object.values(m).reduce<number>((n, p) => n + (p ?? 0), 0) <= 1, {
    message: 'the probabilities of the exit reasons add up to more than 1',
  });

const SeedVersionSchema = z
  .object({
    /** When it was published, in hours before start-up; unpublished when absent. */
    publishedHoursAgo: z.number().min(0).optional(),
    /** Failed outcomes, for a version whose configuration sets outcomes. */
    failureProbability: z.number().min(0).max(1).optional(),
    /** How its executions end (exit reason → probability), over the flow's. */
    exitReasons: ExitMixSchema.optional(),
    /** Its time in flow against the usual 5 to 180 s. */
    timeInFlowScale: z.number().min(0.1).max(MAX_TIME_SCALE).optional(),
    configuration: z.unknown().optional(),
    /** An Archy YAML file (relative to the seed) whose text is this version's configuration. */
    configurationFile: z.string().optional(),
    /**
     * Values for the `{{ tokens }}` of `configurationFile`, applied as Archy applies them before it
     * publishes (an org publishes no template: its content is the substituted text).
     */
    substitutions: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** The seed format. */
export const SeedSchema = z
  .object({
    org: z.object({ id: z.string().optional(), name: z.string() }).strict().optional(),
    randomSeed: z.number().int().optional(),
    settings: z
      .object({
        operationDelayMs: z.number().min(0).optional(),
        jobDelayMs: z.number().min(0).optional(),
        auditQueryDelayMs: z.number().min(0).optional(),
        tokenTtlSeconds: z.number().positive().optional(),
        clockSpeed: z.number().positive().optional(),
        /** What a publish of an old version does (`types.ts` RepublishOldVersion). */
        republishOldVersion: z.enum(['in-place', 'new-version', 'refuse']).optional(),
        /** How long dependency tracking counts a deleted consumer (`types.ts` dependencyLagMs). */
        dependencyLagMs: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
    divisions: z.array(z.string()).optional(),
    users: z.array(z.string()).optional(),
    clients: z
      .array(
        z
          .object({
            id: z.string(),
            name: z.string().optional(),
            /** Demo secret; the default client's secret comes from the environment or is generated. */
            secret: z.string().optional(),
            permissions: z.array(z.string()),
            scopes: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
    flows: z
      .array(
        z
          .object({
            name: z.string(),
            /** API type, any case: INBOUNDCALL, inqueuecall, … */
            type: z
              .string()
              .refine(
                (t) => Object.values(ARCHY_ROOT_KEYS).includes(t.toLowerCase()),
                'unknown flow type (use an API type such as INBOUNDCALL)',
              ),
            description: z.string().optional(),
            division: z.string().optional(),
            versions: z.array(SeedVersionSchema).optional(),
            lockedBy: z.string().optional(),
            arrivalsPerMinute: z.number().min(0).optional(),
            failureProbability: z.number().min(0).max(1).optional(),
            /** How its executions end (exit reason → probability), over the emulator's default mix. */
            exitReasons: ExitMixSchema.optional(),
          })
          .strict(),
      )
      .optional(),
    /** Queues, data actions, prompts, schedules… that flows name (`seed-objects.ts`). */
    objects: SeedObjectsSchema.optional(),
    limits: z.record(z.string(), z.record(z.string(), z.number())).optional(),
    /** Fault rules active from start-up (the same rules as `POST /__emulator/faults`). */
    faults: z.array(FaultRuleSchema).optional(),
  })
  .strict();

/** A seed. */
export type Seed = z.infer<typeof SeedSchema>;

/** The default client id when neither the seed nor the environment names one. */
export const DEFAULT_CLIENT_ID = 'flowgate-demo-client';

/** Builds a state from a seed. `defaultClient` is the client that holds every permission. */
export function stateFromSeed(
  seed: Seed,
  defaultClient: { id: string; secret: string },
  now = Date.now(),
): EmulatorState {
  const randomSeed = seed.randomSeed ?? 42;
  const rng = mulberry32(randomSeed);
  const divisions = (seed.divisions ?? ['Home']).map((name) => ({ id: uuid(rng), name }));
  const users = (seed.users ?? ['Alex Designer']).map((name) => ({ id: uuid(rng), name }));
  const clients: EmClient[] = [
    {
      id: defaultClient.id,
      name: 'flowgate deployer',
      secret: defaultClient.secret,
      permissions: ['*'],
      scopes: [
        'architect',
        'analytics:readonly',
        'audits:readonly',
        'organization:readonly',
        'routing:readonly',
        'integrations:readonly',
        'users:readonly',
        'groups:readonly',
      ],
    },
  ];
  for (const c of seed.clients ?? []) {
    if (c.id === defaultClient.id) continue;
    clients.push({
      id: c.id,
      name: c.name ?? c.id,
      secret: c.secret ?? uuid(rng),
      permissions: c.permissions,
      scopes: c.scopes ?? [],
    });
  }
  const flows: EmFlow[] = (seed.flows ?? []).map((f) => {
    const frng = mulberry32(hash32(`${randomSeed}:${f.type}:${f.name}`));
    const division = divisions.find((d) => d.name === f.division) ?? divisions[0]!;
    const versions: EmVersion[] = [];
    const flow: EmFlow = {
      id: uuid(frng),
      name: f.name,
      type: f.type.toUpperCase(),
      divisionId: division.id,
      versions,
      publications: [],
      deleted: false,
      active: false,
      arrivalsPerMinute: f.arrivalsPerMinute ?? 0,
      failureProbability: f.failureProbability ?? 0.02,
    };
    if (f.description !== undefined) flow.description = f.description;
    if (f.exitReasons !== undefined) flow.exitReasons = f.exitReasons;
    const published = (f.versions ?? [])
      .map((v, i) => ({ v, i }))
      .filter((x) => x.v.publishedHoursAgo !== undefined);
    published.sort((a, b) => b.v.publishedHoursAgo! - a.v.publishedHoursAgo!);
    (f.versions ?? []).forEach((v, i) => {
      const at = now - (v.publishedHoursAgo ?? 0) * 3_600_000;
      const version: EmVersion = {
        id: `${i + 1}.0`,
        type: v.publishedHoursAgo !== undefined ? 'PUBLISH' : 'CHECKIN',
        dateCreated: at - 60_000,
        createdBy: { kind: 'user', id: users[0]!.id, name: users[0]!.name },
        configuration: v.configuration ?? { name: f.name, type: f.type.toUpperCase(), version: `${i + 1}.0` },
      };
      if (v.failureProbability !== undefined) version.failureProbability = v.failureProbability;
      if (v.exitReasons !== undefined) version.exitReasons = v.exitReasons;
      if (v.timeInFlowScale !== undefined) version.timeInFlowScale = v.timeInFlowScale;
      versions.push(version);
    });
    published.forEach(({ v, i }, k) => {
      const start = now - v.publishedHoursAgo! * 3_600_000;
      const next = published[k + 1];
      const pub: EmFlow['publications'][number] = { versionId: `${i + 1}.0`, start };
      if (next) pub.end = now - next.v.publishedHoursAgo! * 3_600_000;
      flow.publications.push(pub);
    });
    if (versions.length > 0) flow.checkedInVersionId = versions[versions.length - 1]!.id;
    flow.active = flow.publications.length > 0;
    if (f.lockedBy !== undefined) {
      const user = users.find((u) => u.name === f.lockedBy) ?? users[0]!;
      flow.lock = { kind: 'user', id: user.id, name: user.name };
    }
    return flow;
  });
  return {
    org: { id: seed.org?.id ?? uuid(rng), name: seed.org?.name ?? 'flowgate emulated org' },
    divisions,
    users,
    clients,
    flows,
    objects: objectsFromSeed(
      seed.objects,
      randomSeed,
      (name) => (divisions.find((d) => d.name === name) ?? divisions[0]!).id,
    ),
    audits: [],
    limits: {
      // docs/platform-api.md#rate-limits: 300 requests per minute per client-credentials token by default.
      'platform.api': {
        'client.credentials.token.rate.per.minute': 300,
        'org.app.user.rate.per.minute': 3000,
      },
      architect: { 'flow.outcomes.per.org': 100, 'flow.milestones.per.org': 1000 },
      ...seed.limits,
    },
    publishFailures: [],
    scheduledLocks: [],
    settings: {
      operationDelayMs: seed.settings?.operationDelayMs ?? 500,
      jobDelayMs: seed.settings?.jobDelayMs ?? 1000,
      auditQueryDelayMs: seed.settings?.auditQueryDelayMs ?? 500,
      tokenTtlSeconds: seed.settings?.tokenTtlSeconds ?? 86_399,
      randomSeed,
      clockSpeed: seed.settings?.clockSpeed ?? 1,
      republishOldVersion: seed.settings?.republishOldVersion ?? 'in-place',
      dependencyLagMs: seed.settings?.dependencyLagMs ?? 0,
    },
  };
}
