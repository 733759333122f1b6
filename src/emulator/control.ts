/**
 * The control interface of the emulator, in-process and over HTTP under `/__emulator/` (a path no
 * real API uses): faults, traffic, clock, token revocation, locks, publish and job failures,
 * deactivations ignored; and in-process only, org objects created while it runs.
 */
import { z } from 'zod';
import { EXIT_REASONS } from '../exit-reasons.js';
import { OrgRuleError } from './errors.js';
import { exitMixOf, MAX_TIME_SCALE, mixTotal } from './flow-behaviour.js';
import type { FaultInjector, FaultRuleInput } from './faults.js';
import type { EmulatedOrg } from './org.js';
import { objectFromSeed } from './seed-objects.js';
import type { EmOrgObject, OrgObjectKind, RepublishOldVersion } from './types.js';

/** One request the emulator served (for tests and the demo). */
export interface RequestLogEntry {
  /** When it was served, on the org's simulated clock (as its `Date` header says). */
  at: string;
  method: string;
  path: string;
  status: number;
  clientId?: string;
  correlationId: string;
}

/** Traffic settings for a flow. */
export const TrafficSchema = z
  .object({
    flowId: z.string(),
    arrivalsPerMinute: z.number().min(0).optional(),
    /**
     * Outcome-failure probability, for one version when `version` is given, else the flow's default.
     * Only versions whose configuration sets outcomes record any.
     */
    failureProbability: z.number().min(0).max(1).optional(),
    /**
     * How executions end: probabilities by exit reason, merged reason by reason over what was set
     * before (the version's over the flow's over the default); what they leave ends in the flow
     * type's usual exit. `{ DISCONNECT: 0.25 }` makes a quarter of the callers hang up in the flow.
     */
    exitReasons: z.partialRecord(z.enum(EXIT_REASONS), z.number().min(0).max(1)).optional(),
    /** One version's time in flow against the usual (5 to 180 s); needs `version`. */
    timeInFlowScale: z.number().min(0.1).max(MAX_TIME_SCALE).optional(),
    version: z.string().optional(),
  })
  .strict()
  .refine((t) => t.timeInFlowScale === undefined || t.version !== undefined, {
    message: 'timeInFlowScale is set per version: give version too',
    path: ['timeInFlowScale'],
  });

/** Control operations. */
export interface EmulatorControl {
  addFault(rule: FaultRuleInput): string;
  clearFaults(id?: string): void;
  setTraffic(t: z.infer<typeof TrafficSchema>): void;
  /**
   * Changes the simulated clock: its speed (0 freezes it), a jump forward, or a jump forward to an
   * absolute time (`to`, epoch ms: tests that must see the same traffic on every run).
   */
  setClock(c: { speed?: number | undefined; advanceMs?: number | undefined; to?: number | undefined }): {
    now: string;
    speed: number;
  };
  revokeTokens(clientId?: string): number;
  /**
   * Another user takes the lock of a flow, now or `inMs` from now (simulated time): the user named
   * `userName` (added to the org's users when the seed has none of that name), else the first
   * seeded user.
   */
  lockByUser(flowId: string, userName?: string, inMs?: number): void;
  failPublishes(flowId: string, times?: number, errorCode?: string, errorMessage?: string): void;
  /**
   * The next `times` deactivations of a flow (default 1) are answered as done and not applied:
   * the flow stays active, as a client that checks it afterwards must notice.
   */
  ignoreDeactivations(flowId: string, times?: number): void;
  /** The next import job fails with this message (a failure on the flow's content, say). */
  failNextJob(message: string): void;
  /**
   * The next `times` import jobs fail: with `message`, or with `transient` the messages of
   * Archy's transient failure (`transientJobMessages`), which a client may retry with a new job.
   */
  failNextJobs(f: {
    message?: string | undefined;
    transient?: boolean | undefined;
    times?: number | undefined;
  }): void;
  /**
   * The next export jobs fail with `message`, or with Archy's transient failure (`transient`),
   * which a client re-runs as a new job.
   */
  failNextExportJobs(f: {
    message?: string | undefined;
    transient?: boolean | undefined;
    times?: number | undefined;
  }): void;
  setLimit(namespace: string, key: string, value: number): void;
  /**
   * Creates an org object (a queue, a prompt…) by name, in `division` (default: the home division),
   * as an admin would while the org runs: the demo's prod org gains the queue its values name.
   * Refused (`conflict`) when the org has one of that kind and name.
   */
  addObject(kind: OrgObjectKind, o: { name: string; division?: string | undefined }): EmOrgObject;
  /** What a publish of an old version does from now on (`types.ts` RepublishOldVersion). */
  setRepublishOldVersion(mode: RepublishOldVersion): void;
  /**
   * How long (simulated ms) dependency tracking still counts a deleted consumer, from now on: a
   * delete of what it used answers 409 `architect.dependency.object.in.use` until then.
   */
  setDependencyLag(ms: number): void;
  /** Requests served so far. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Settles due transitions and returns the state (a live reference). */
  state(): EmulatedOrg['state'];
  org: EmulatedOrg;
}

/**
 * The messages of an import job that Archy could not run (rate-limited inside the platform): the
 * texts users reported (MyPureCloud/terraform-provider-genesyscloud issue #2061: "setting the Archy
 * exit code to 107", "… Exception info: could not find the flow with id '…'") and the summary whose
 * substrings the provider's `isRetryableJobFailure` looks for ("Archy failed", "exit code: 107").
 */
export function transientJobMessages(flowId: string, correlationId: string): string[] {
  return [
    'setting the Archy exit code to 107',
    `ArchSession.startWithAuthToken - Caught unhandled exception during callback function execution. Ending session. Exception info: could not find the flow with id '${flowId}'. (correlationId: ${correlationId})`,
    'Archy failed with exit code: 107',
  ];
}

/** Builds the control object. */
export function createControl(
  org: EmulatedOrg,
  faults: FaultInjector,
  log: RequestLogEntry[],
): EmulatorControl {
  const flow = (id: string) => {
    const f = org.state.flows.find((x) => x.id === id);
    if (!f) throw new OrgRuleError('not-found', 'architect.flow.not.found', [], { entityId: id });
    return f;
  };
  return {
    org,
    addFault: (rule) => faults.add(rule),
    clearFaults: (id) => faults.clear(id),
    setTraffic(t) {
      const f = flow(t.flowId);
      const v = t.version === undefined ? undefined : f.versions.find((x) => x.id === t.version);
      if (t.version !== undefined && !v)
        throw new OrgRuleError('not-found', 'architect.flow.version.missing', [], { entityId: f.id });
      if (t.timeInFlowScale !== undefined && !v)
        throw new OrgRuleError('invalid', 'invalid.value', [
          String(t.timeInFlowScale),
          'timeInFlowScale',
          'a scale of one version (give version too)',
        ]);
      if (t.exitReasons !== undefined) {
        const merged = { ...(v ? v.exitReasons : f.exitReasons), ...t.exitReasons };
        const effective = v
          ? exitMixOf(f, { ...v, exitReasons: merged })
          : exitMixOf({ ...f, exitReasons: merged }, undefined);
        if (mixTotal(effective) > 1 + 1e-9)
          throw new OrgRuleError('invalid', 'invalid.value', [
            JSON.stringify(effective),
            'exitReasons',
            'probabilities that add up to at most 1',
          ]);
        if (v) v.exitReasons = merged;
        else f.exitReasons = merged;
      }
      if (t.arrivalsPerMinute !== undefined) f.arrivalsPerMinute = t.arrivalsPerMinute;
      if (t.failureProbability !== undefined) {
        if (v) v.failureProbability = t.failureProbability;
        else f.failureProbability = t.failureProbability;
      }
      if (v && t.timeInFlowScale !== undefined) v.timeInFlowScale = t.timeInFlowScale;
    },
    setClock(c) {
      if (c.speed !== undefined) {
        // 0 freezes the clock (tests then move it with advanceMs only).
        if (!(c.speed >= 0))
          throw new OrgRuleError('invalid', 'invalid.value', [
            String(c.speed),
            'speed',
            'zero or a positive number',
          ]);
        org.clock.setSpeed(c.speed);
      }
      if (c.advanceMs !== undefined) org.clock.advance(c.advanceMs);
      if (c.to !== undefined) org.clock.advanceTo(c.to);
      org.settle();
      return { now: new Date(org.now()).toISOString(), speed: org.clock.currentSpeed };
    },
    revokeTokens: (clientId) => org.revokeTokens(clientId),
    lockByUser(flowId, userName, inMs) {
      flow(flowId);
      const user = lockHolder(org, userName);
      org.state.scheduledLocks.push({ flowId, user, at: org.now() + (inMs ?? 0) });
      org.settle();
    },
    failPublishes(
      flowId,
      times = 1,
      errorCode = 'architect.flow.cannot.publish.missing.dependencies',
      errorMessage = 'Flow version cannot be published due to having one or more missing dependencies.',
    ) {
      flow(flowId);
      org.state.publishFailures.push({ flowId, errorCode, errorMessage, remaining: times });
    },
    ignoreDeactivations(flowId, times = 1) {
      flow(flowId);
      org.ignoredDeactivations.set(flowId, (org.ignoredDeactivations.get(flowId) ?? 0) + times);
    },
    failNextJob(message) {
      org.jobFailures.push([message]);
    },
    failNextJobs({ message, transient, times = 1 }) {
      if (message === undefined && !transient)
        throw new OrgRuleError('invalid', 'bad.request', [], {
          message: 'Give a message, or transient: true.',
        });
      for (let i = 0; i < times; i++)
        org.jobFailures.push(transient ? transientJobMessages(org.id(), org.id()) : [message!]);
    },
    failNextExportJobs({ message, transient, times = 1 }) {
      if (message === undefined && !transient)
        throw new OrgRuleError('invalid', 'bad.request', [], {
          message: 'Give a message, or transient: true.',
        });
      for (let i = 0; i < times; i++)
        org.exportJobs.failures.push(transient ? transientJobMessages(org.id(), org.id()) : [message!]);
    },
    setLimit(namespace, key, value) {
      (org.state.limits[namespace] ??= {})[key] = value;
    },
    addObject(kind, o) {
      const list = ((org.state.objects ??= {})[kind] ??= []);
      if (list.some((x) => x.name === o.name))
        throw new OrgRuleError('conflict', 'bad.request', [], {
          message: `The org already has a ${kind} named ${o.name}.`,
        });
      const divisions = org.state.divisions;
      const made = objectFromSeed(
        kind,
        o,
        org.state.settings.randomSeed,
        (name) => (divisions.find((d) => d.name === name) ?? divisions[0]!).id,
      );
      list.push(made);
      return made;
    },
    setRepublishOldVersion(mode) {
      org.state.settings.republishOldVersion = mode;
    },
    setDependencyLag(ms) {
      if (!(ms >= 0))
        throw new OrgRuleError('invalid', 'invalid.value', [String(ms), 'dependencyLagMs', 'zero or more']);
      org.state.settings.dependencyLagMs = ms;
    },
    requests: () => [...log],
    clearRequests: () => {
      log.length = 0;
    },
    state() {
      org.settle();
      return org.state;
    },
  };
}

/** The user a control lock names: a seeded user of that name, a new one, or the first seeded user. */
function lockHolder(org: EmulatedOrg, userName: string | undefined): { id: string; name: string } {
  const users = org.state.users;
  if (userName === undefined) return users[0] ?? addUser(org, 'Architect User');
  return users.find((u) => u.name === userName) ?? addUser(org, userName);
}

function addUser(org: EmulatedOrg, name: string): { id: string; name: string } {
  const user = { id: org.id(), name };
  org.state.users.push(user);
  return user;
}
