/**
 * The control interface of the emulator, in-process and over HTTP under `/__emulator/` (a path no
 * real API uses): faults, traffic, clock, token revocation, locks, publish and job failures.
 */
import { z } from 'zod';
import { OrgRuleError } from './errors.js';
import type { FaultInjector, FaultRuleInput } from './faults.js';
import type { EmulatedOrg } from './org.js';
import type { RepublishOldVersion } from './types.js';

/** One request the emulator served (for tests and the demo). */
export interface RequestLogEntry {
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
    /** Outcome-failure probability, for one version when `version` is given, else the flow's default. */
    failureProbability: z.number().min(0).max(1).optional(),
    version: z.string().optional(),
  })
  .strict();

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
  setLimit(namespace: string, key: string, value: number): void;
  /** What a publish of an old version does from now on (`types.ts` RepublishOldVersion). */
  setRepublishOldVersion(mode: RepublishOldVersion): void;
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
      if (t.arrivalsPerMinute !== undefined) f.arrivalsPerMinute = t.arrivalsPerMinute;
      if (t.failureProbability !== undefined) {
        if (t.version !== undefined) {
          const v = f.versions.find((x) => x.id === t.version);
          if (!v)
            throw new OrgRuleError('not-found', 'architect.flow.version.missing', [], { entityId: f.id });
          v.failureProbability = t.failureProbability;
        } else f.failureProbability = t.failureProbability;
      }
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
    setLimit(namespace, key, value) {
      (org.state.limits[namespace] ??= {})[key] = value;
    },
    setRepublishOldVersion(mode) {
      org.state.settings.republishOldVersion = mode;
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
