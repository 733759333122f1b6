/**
 * The emulated org: state plus the platform's rules (locks, versions, asynchronous operations,
 * import jobs, audit records). Time-based transitions are applied lazily by `settle()`, which
 * every request runs first, so there are no timers to leak.
 */
import { ARCHY_ROOT_KEYS } from '../flow/index.js';
import { loadFlowText } from '../flow/load.js';
import { validateLoaded } from '../flow/validate.js';
import { AggregateJobs } from './aggregate-jobs.js';
import { AuditQueries } from './audit-queries.js';
import { consumersOf } from './dependencies.js';
import { ExportJobs } from './export-jobs.js';
import { SimClock } from './clock.js';
import { systemClock, type Clock } from '../shared/time.js';
import { RateWindows } from './rate-windows.js';
import { OrgRuleError } from './errors.js';
import { hash32, mulberry32, uuid } from './random.js';
import type { EmActor, EmAudit, EmClient, EmFlow, EmOperation, EmVersion, EmulatorState } from './types.js';

/** An issued access token. */
export interface EmToken {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

/** An import job (docs/platform-api.md#import-jobs). */
export interface EmJob {
  id: string;
  signature: string;
  status: 'Registered' | 'Started' | 'Success' | 'Failure';
  command: 'Publish';
  actor: EmActor;
  registeredAt: number;
  finishAt?: number;
  yaml?: string;
  flowId?: string;
  messages: Array<{ dateTime: string; type: 'Error' | 'Warning'; text: string }>;
  /** The messages this job fails with, whatever its content (a configured failure). */
  failNext?: string[];
}

const ACTIVE_LIMIT_NS = 'platform.api';
const ACTIVE_LIMIT_KEY = 'client.credentials.token.rate.per.minute';

/** The emulated org. */
export class EmulatedOrg {
  readonly clock: SimClock;
  readonly random: () => number;
  readonly tokens = new Map<string, EmToken>();
  readonly jobs = new Map<string, EmJob>();
  /** Asynchronous audit queries (docs/platform-api.md#audit-queries). */
  readonly auditQueries: AuditQueries;
  /** Per-token rate-limit windows (docs/platform-api.md#rate-limits). */
  readonly rateWindows: RateWindows;
  /** Asynchronous flow aggregate jobs (docs/platform-api.md#aggregate-jobs). */
  readonly aggregateJobs: AggregateJobs;
  /** Architect export jobs (docs/platform-api.md: export jobs). */
  readonly exportJobs: ExportJobs;
  /** Job failures to inject into the next import jobs: the messages of each, in order. */
  jobFailures: string[][] = [];
  /** Deactivations answered but not applied, by flow id: how many are left (a fault). */
  readonly ignoredDeactivations = new Map<string, number>();

  /** `realClock`: the real time the simulated clock runs over (a test's own clock). */
  constructor(
    readonly state: EmulatorState,
    realClock: Clock = systemClock,
  ) {
    this.clock = new SimClock(state.settings.clockSpeed, realClock);
    this.random = mulberry32(state.settings.randomSeed ^ 0x5eed);
    this.auditQueries = new AuditQueries(
      state,
      () => this.now(),
      () => this.id(),
    );
    this.rateWindows = new RateWindows(() => this.now());
    this.aggregateJobs = new AggregateJobs(
      state,
      () => this.now(),
      () => this.id(),
    );
    this.exportJobs = new ExportJobs(
      state,
      () => this.now(),
      () => this.id(),
    );
  }

  /** A new id. */
  id(): string {
    return uuid(this.random);
  }

  now(): number {
    return this.clock.now();
  }

  // ---- OAuth ----------------------------------------------------------------

  /** Issues a token for valid client credentials, or undefined. */
  issueToken(clientId: string, secret: string): { token: string; expiresIn: number } | undefined {
    const client = this.state.clients.find((c) => c.id === clientId);
    if (!client || client.secret !== secret) return undefined;
    const token =
      Array.from({ length: 4 }, () => Math.floor(this.random() * 2 ** 32).toString(36)).join('') +
      hash32(`${clientId}:${this.now()}`).toString(36);
    const expiresIn = this.state.settings.tokenTtlSeconds;
    // Token expiry runs on the simulated clock like everything else: advancing it expires tokens.
    this.tokens.set(token, { clientId, expiresAt: this.now() + expiresIn * 1000, revoked: false });
    return { token, expiresIn };
  }

  /** The client of a valid token, or a 401. */
  authenticate(header: string | undefined): { client: EmClient; token: string } {
    if (!header || !/^bearer\s+/i.test(header))
      throw new OrgRuleError('unauthenticated', 'authentication.required');
    const token = header.replace(/^bearer\s+/i, '').trim();
    const t = this.tokens.get(token);
    if (!t || t.revoked || this.now() >= t.expiresAt)
      throw new OrgRuleError('unauthenticated', 'bad.credentials');
    const client = this.state.clients.find((c) => c.id === t.clientId);
    if (!client) throw new OrgRuleError('unauthenticated', 'bad.credentials');
    return { client, token };
  }

  /** Revokes every token (or one client's). */
  revokeTokens(clientId?: string): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (!clientId || t.clientId === clientId) {
        t.revoked = true;
        n++;
      }
    }
    return n;
  }

  /** The per-token request limit per minute (docs/platform-api.md#rate-limits). */
  get requestsPerMinute(): number {
    return this.state.limits[ACTIVE_LIMIT_NS]?.[ACTIVE_LIMIT_KEY] ?? 300;
  }

  // ---- time -----------------------------------------------------------------

  /** Applies every transition that is due: operations, jobs, scheduled locks. */
  settle(): void {
    const now = this.now();
    for (const flow of this.state.flows) {
      const op = flow.currentOperation;
      if (op && !op.complete && now >= op.completeAt) this.completeOperation(flow, op);
    }
    for (const job of this.jobs.values()) {
      if (job.status === 'Started' && job.finishAt !== undefined && now >= job.finishAt) this.finishJob(job);
    }
    this.exportJobs.settle();
    const due = this.state.scheduledLocks.filter((l) => l.at <= now);
    if (due.length > 0) {
      this.state.scheduledLocks = this.state.scheduledLocks.filter((l) => l.at > now);
      for (const l of due) {
        const flow = this.state.flows.find((f) => f.id === l.flowId);
        if (flow) {
          flow.lock = { kind: 'user', id: l.user.id, name: l.user.name };
          this.audit('Checkout', flow, { kind: 'user', id: l.user.id, name: l.user.name });
        }
      }
    }
  }

  // ---- flows ----------------------------------------------------------------

  /** The flows a `GET /flows` query selects, in its order. */
  listFlows(q: {
    types: readonly string[];
    name?: string | undefined;
    includeDeleted: boolean;
    sortBy?: string | undefined;
    sortOrder?: string | undefined;
  }): EmFlow[] {
    const name = q.name?.toLowerCase();
    const flows = this.state.flows
      .filter(
        (f) =>
          (q.includeDeleted || !f.deleted) &&
          (q.types.length === 0 || q.types.includes(f.type.toLowerCase())) &&
          (name === undefined || f.name.toLowerCase().includes(name)),
      )
      .sort((a, b) => (q.sortBy === 'name' ? a.name.localeCompare(b.name) : a.id.localeCompare(b.id)));
    if (q.sortOrder === 'desc') flows.reverse();
    return flows;
  }

  /** A live flow or 404/410. */
  flow(flowId: string | undefined, allowDeleted = false): EmFlow {
    const flow = this.state.flows.find((f) => f.id === flowId);
    if (!flow)
      throw new OrgRuleError('not-found', 'architect.flow.not.found', [], { entityId: flowId ?? '' });
    if (flow.deleted && !allowDeleted)
      throw new OrgRuleError('gone', 'architect.flow.deleted', [], { entityId: flow.id });
    return flow;
  }

  private sameActor(a: EmActor | undefined, b: EmActor): boolean {
    return a !== undefined && a.kind === b.kind && a.id === b.id;
  }

  private assertNotLockedByOther(flow: EmFlow, actor: EmActor): void {
    if (flow.lock && !this.sameActor(flow.lock, actor)) {
      // As the platform: the body names the flow (`entityName`), never the holder, who is on
      // the flow's `lockedUser`/`lockedClient`.
      throw new OrgRuleError('conflict', 'architect.flow.locked.by.user', [], {
        entityId: flow.id,
        entityName: flow.name,
      });
    }
  }

  private assertNoOperation(flow: EmFlow): void {
    if (flow.currentOperation && !flow.currentOperation.complete) {
      throw new OrgRuleError('conflict', 'architect.operation.already.in.progress', [], {
        entityId: flow.id,
      });
    }
  }

  /** Creates a flow (POST /api/v2/flows). */
  createFlow(
    body: { name?: unknown; type?: unknown; description?: unknown; division?: { id?: unknown } },
    actor: EmActor,
  ): EmFlow {
    if (typeof body.name !== 'string' || body.name.trim() === '')
      throw new OrgRuleError('invalid', 'architect.flow.validate.failed.missing.name');
    const type = typeof body.type === 'string' ? body.type.toUpperCase() : '';
    if (!Object.values(ARCHY_ROOT_KEYS).includes(type.toLowerCase())) {
      throw new OrgRuleError('invalid', 'invalid.value', [
        String(body.type),
        'type',
        Object.values(ARCHY_ROOT_KEYS)
          .map((t) => t.toUpperCase())
          .join(', '),
      ]);
    }
    if (
      this.state.flows.some(
        (f) => !f.deleted && f.name.toLowerCase() === (body.name as string).toLowerCase() && f.type === type,
      )
    ) {
      throw new OrgRuleError('conflict', 'architect.flow.already.exists');
    }
    const divisionId = typeof body.division?.id === 'string' ? body.division.id : this.state.divisions[0]!.id;
    const flow: EmFlow = {
      id: this.id(),
      name: body.name,
      type,
      divisionId,
      versions: [],
      publications: [],
      deleted: false,
      active: false,
      arrivalsPerMinute: 0,
      failureProbability: 0.02,
    };
    if (typeof body.description === 'string') flow.description = body.description;
    this.state.flows.push(flow);
    this.audit('Create', flow, actor);
    return flow;
  }

  /**
   * Deletes a flow, with the platform's rules (docs/platform-api.md "Delete"): 405 while someone
   * else holds its lock, 409 `architect.dependency.object.in.use` while another flow consumes it
   * (the consumers are in `details`, as dependency tracking lists them, a consumer deleted within
   * `settings.dependencyLagMs` included).
   */
  deleteFlow(flow: EmFlow, actor: EmActor): void {
    if (flow.lock && !this.sameActor(flow.lock, actor))
      throw new OrgRuleError('not-allowed', 'architect.flow.cannot.delete.user.does.not.have.lock', [], {
        entityId: flow.id,
        entityName: flow.name,
      });
    const consumers = consumersOf(this.state.flows, flow, this.dependencyLag());
    if (consumers.length > 0)
      throw new OrgRuleError('conflict', 'architect.dependency.object.in.use', [], {
        entityId: flow.id,
        entityName: flow.name,
        details: consumers.map((c) => ({ entityId: c.id, entityName: c.name })),
      });
    flow.deleted = true;
    flow.deletedAt = this.now();
    flow.lock = undefined;
    this.audit('Delete', flow, actor);
  }

  /** Now, and how long dependency tracking lags behind a delete (`settings.dependencyLagMs`). */
  dependencyLag(): { now: number; ms: number } {
    return { now: this.now(), ms: this.state.settings.dependencyLagMs ?? 0 };
  }

  /** Locks the flow for the caller (checkout). */
  checkout(flow: EmFlow, actor: EmActor): void {
    this.assertNotLockedByOther(flow, actor);
    flow.lock = { ...actor };
    this.audit('Checkout', flow, actor);
  }

  /** Force-unlocks (admin). */
  unlock(flow: EmFlow, actor: EmActor): void {
    flow.lock = undefined;
    this.audit('Unlock', flow, actor);
  }

  /** Drops saved changes; the caller must hold the lock. */
  revert(flow: EmFlow, actor: EmActor): void {
    if (!this.sameActor(flow.lock, actor))
      throw new OrgRuleError('conflict', 'architect.flow.not.locked.by.user', [], { entityId: flow.id });
    if (flow.savedVersionId) flow.versions = flow.versions.filter((v) => v.id !== flow.savedVersionId);
    flow.savedVersionId = undefined;
    this.audit('Revert', flow, actor);
  }

  /** Saves a configuration as the saved (draft) version; the caller must hold the lock. */
  saveVersion(flow: EmFlow, configuration: unknown, actor: EmActor): EmVersion {
    if (!this.sameActor(flow.lock, actor))
      throw new OrgRuleError('conflict', 'architect.flow.not.locked.by.user', [], { entityId: flow.id });
    let v = flow.versions.find((x) => x.id === flow.savedVersionId);
    if (!v) {
      v = {
        id: this.nextVersionId(flow),
        type: 'SAVE',
        dateCreated: this.now(),
        createdBy: actor,
        configuration,
      };
      flow.versions.push(v);
      flow.savedVersionId = v.id;
    } else {
      v.configuration = configuration;
      v.dateCreated = this.now();
    }
    this.audit('Save', flow, actor);
    return v;
  }

  private nextVersionId(flow: EmFlow): string {
    const max = flow.versions.reduce((m, v) => Math.max(m, Number.parseFloat(v.id) || 0), 0);
    return `${Math.floor(max) + 1}.0`;
  }

  private startOperation(
    flow: EmFlow,
    actionName: EmOperation['actionName'],
    actor: EmActor,
    versionId?: string,
  ): EmOperation {
    const now = this.now();
    const op: EmOperation = {
      id: this.id(),
      actionName,
      actionStatus: 'STARTED',
      complete: false,
      actor,
      startedAt: now,
      completeAt: now + this.state.settings.operationDelayMs,
    };
    if (versionId !== undefined) op.versionId = versionId;
    flow.currentOperation = op;
    return op;
  }

  /** Starts a checkin (async): the saved version becomes the checked-in one and the lock is released. */
  checkin(flow: EmFlow, actor: EmActor): EmOperation {
    if (flow.lock && !this.sameActor(flow.lock, actor)) this.assertNotLockedByOther(flow, actor);
    this.assertNoOperation(flow);
    if (!flow.savedVersionId)
      throw new OrgRuleError('conflict', 'architect.flow.cannot.checkin.missing.config', [], {
        entityId: flow.id,
      });
    return this.startOperation(flow, 'CHECKIN', actor, flow.savedVersionId);
  }

  /**
   * Starts a publish (async) of a version, by default the checked-in one (docs/platform-api.md#operations). A version
   * older than the checked-in one is handled as `settings.republishOldVersion` says.
   */
  publish(flow: EmFlow, versionId: string | undefined, actor: EmActor): EmOperation {
    this.assertNotLockedByOther(flow, actor);
    this.assertNoOperation(flow);
    const id = versionId ?? flow.checkedInVersionId;
    if (id === undefined)
      throw new OrgRuleError('conflict', 'architect.flow.cannot.checkin.missing.config', [], {
        entityId: flow.id,
      });
    const v = flow.versions.find((x) => x.id === id && x.type !== 'SAVE');
    if (!v)
      throw new OrgRuleError('not-found', 'architect.flow.version.missing', [], {
        entityId: flow.id,
        entityName: id,
      });
    const old = flow.checkedInVersionId !== undefined && v.id !== flow.checkedInVersionId;
    const mode = this.state.settings.republishOldVersion ?? 'in-place';
    if (old && mode === 'refuse')
      throw new OrgRuleError('invalid', 'invalid.value', [v.id, 'version', flow.checkedInVersionId!]);
    const op = this.startOperation(flow, 'PUBLISH', actor, v.id);
    if (old && mode === 'new-version') op.asNewVersion = true;
    return op;
  }

  private completeOperation(flow: EmFlow, op: EmOperation): void {
    op.complete = true;
    if (op.actionName === 'CHECKIN') {
      const v = flow.versions.find((x) => x.id === op.versionId);
      if (v) v.type = 'CHECKIN';
      flow.checkedInVersionId = op.versionId;
      flow.savedVersionId = undefined;
      flow.lock = undefined;
      op.actionStatus = 'SUCCESS';
      this.audit('Checkin', flow, op.actor, 'SUCCESS', op.completeAt);
      return;
    }
    if (op.actionName === 'PUBLISH') {
      const failure = this.state.publishFailures.find((f) => f.flowId === flow.id && f.remaining > 0);
      if (failure) {
        failure.remaining--;
        op.actionStatus = 'FAILURE';
        op.errorCode = failure.errorCode;
        op.errorMessage = failure.errorMessage;
        this.audit('Publish', flow, op.actor, 'FAILURE', op.completeAt);
        return;
      }
      if (op.asNewVersion) op.versionId = this.copyAsNewVersion(flow, op.versionId!, op.actor, op.completeAt);
      this.makePublished(flow, op.versionId!, op.completeAt);
      op.actionStatus = 'SUCCESS';
      this.audit('Publish', flow, op.actor, 'SUCCESS', op.completeAt);
    }
  }

  /** Checks in a copy of an old version (its configuration and behaviour) as the newest; its id. */
  private copyAsNewVersion(flow: EmFlow, versionId: string, actor: EmActor, at: number): string {
    const from = flow.versions.find((x) => x.id === versionId)!;
    const v: EmVersion = {
      id: this.nextVersionId(flow),
      type: 'CHECKIN',
      dateCreated: at,
      createdBy: actor,
      configuration: structuredClone(from.configuration),
    };
    if (from.failureProbability !== undefined) v.failureProbability = from.failureProbability;
    flow.versions.push(v);
    flow.checkedInVersionId = v.id;
    this.audit('Checkin', flow, actor, 'SUCCESS', at);
    return v.id;
  }

  private makePublished(flow: EmFlow, versionId: string, at: number): void {
    const last = flow.publications[flow.publications.length - 1];
    if (last && last.end === undefined) last.end = at;
    flow.publications.push({ versionId, start: at });
    const v = flow.versions.find((x) => x.id === versionId);
    if (v && v.type === 'CHECKIN') v.type = 'PUBLISH';
    flow.active = true;
  }

  /** Deactivates a flow. */
  deactivate(flow: EmFlow, actor: EmActor): void {
    this.assertNotLockedByOther(flow, actor);
    const ignored = this.ignoredDeactivations.get(flow.id) ?? 0;
    if (ignored > 0) {
      // The fault: the request is answered as done, and the flow stays active.
      this.ignoredDeactivations.set(flow.id, ignored - 1);
      return;
    }
    const last = flow.publications[flow.publications.length - 1];
    if (last && last.end === undefined) last.end = this.now();
    flow.active = false;
    this.audit('Deactivate', flow, actor);
  }

  // ---- import jobs ------------------------------------------------------------

  /** Registers a job (POST /api/v2/flows/jobs). */
  registerJob(actor: EmActor): EmJob {
    const job: EmJob = {
      id: this.id(),
      signature: Math.floor(this.random() * 2 ** 48).toString(16),
      status: 'Registered',
      command: 'Publish',
      actor,
      registeredAt: this.now(),
      messages: [],
    };
    const failure = this.jobFailures.shift();
    if (failure !== undefined) job.failNext = failure;
    this.jobs.set(job.id, job);
    return job;
  }

  /** Receives the YAML of a job (the presigned PUT); the job starts. */
  uploadJob(job: EmJob, yaml: string): void {
    // S3 takes a second PUT of the same object: a client whose response was lost sends it again.
    if (job.status !== 'Registered' && job.yaml === yaml) return;
    if (job.status !== 'Registered')
      throw new OrgRuleError('conflict', 'bad.request', [], { message: 'The upload URL was already used.' });
    job.yaml = yaml;
    job.status = 'Started';
    job.finishAt = this.now() + this.state.settings.jobDelayMs;
  }

  private finishJob(job: EmJob): void {
    const at = job.finishAt ?? this.now();
    const fail = (text: string) => {
      job.status = 'Failure';
      job.messages.push({ dateTime: new Date(at).toISOString(), type: 'Error', text });
    };
    if (job.failNext !== undefined) {
      for (const text of job.failNext) fail(text);
      return;
    }
    // The job runs flowgate's own loader, as Archy runs server-side (docs/archy-format.md#how-the-import-service-runs).
    const loaded = loadFlowText(job.yaml ?? '', 'upload.yaml');
    const report = validateLoaded([loaded]);
    const blocking = report.diagnostics.filter(
      (d) => d.severity === 'error' && !['infinite-loop', 'dependency-cycle'].includes(d.code),
    );
    for (const d of report.diagnostics.filter((x) => x.severity === 'warning')) {
      job.messages.push({
        dateTime: new Date(at).toISOString(),
        type: 'Warning',
        text: `line ${d.line}: ${d.message}`,
      });
    }
    if (blocking.length > 0 || !loaded.graph?.flowType || !loaded.graph.name) {
      const d = blocking[0];
      return fail(
        d
          ? `Error parsing the flow file at line ${d.line}, column ${d.column}: ${d.message}`
          : 'The flow file has no flow type or name.',
      );
    }
    const type = loaded.graph.flowType.toUpperCase();
    let flow = this.state.flows.find((f) => !f.deleted && f.name === loaded.graph!.name && f.type === type);
    if (flow?.lock && !this.sameActor(flow.lock, job.actor)) {
      return fail(
        `The flow '${flow.name}' (type: '${type.toLowerCase()}') is locked by another entity. You can use the --forceUnlock command line parameter to unlock it.`,
      );
    }
    if (!flow) flow = this.createFlow({ name: loaded.graph.name, type }, job.actor);
    const v: EmVersion = {
      id: this.nextVersionId(flow),
      type: 'CHECKIN',
      dateCreated: at,
      createdBy: job.actor,
      configuration: job.yaml,
    };
    flow.versions.push(v);
    flow.checkedInVersionId = v.id;
    this.audit('Checkin', flow, job.actor, 'SUCCESS', at);
    const failure = this.state.publishFailures.find((f) => f.flowId === flow.id && f.remaining > 0);
    if (failure) {
      failure.remaining--;
      this.audit('Publish', flow, job.actor, 'FAILURE', at);
      return fail(`Flow publish failed: ${failure.errorCode}: ${failure.errorMessage}`);
    }
    this.makePublished(flow, v.id, at);
    this.audit('Publish', flow, job.actor, 'SUCCESS', at);
    job.flowId = flow.id;
    job.status = 'Success';
  }

  // ---- audits -----------------------------------------------------------------

  /** Records an audit entry (serviceName Architect, entityType Flow, docs/platform-api.md#audit-log-message). */
  audit(
    action: string,
    flow: EmFlow,
    actor: EmActor,
    status: EmAudit['status'] = 'SUCCESS',
    at = this.now(),
  ): void {
    const a: EmAudit = {
      id: this.id(),
      eventDate: new Date(at).toISOString(),
      action,
      entityType: 'Flow',
      entityId: flow.id,
      entityName: flow.name,
      status,
    };
    if (actor.kind === 'client') a.clientId = actor.id;
    else a.userId = actor.id;
    this.state.audits.push(a);
  }
}
