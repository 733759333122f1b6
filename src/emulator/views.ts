/** JSON views of emulator state in the shapes of the API definitions (`Flow`, `FlowVersion`, …). */
import type { EmActor, EmAudit, EmFlow, EmOperation, EmVersion, EmulatorState } from './types.js';

/** A `DomainEntityRef`/`User`-shaped reference to an actor. */
export function actorRef(a: EmActor): Record<string, unknown> {
  return a.kind === 'user'
    ? { id: a.id, name: a.name, selfUri: `/api/v2/users/${a.id}`, version: 1 }
    : { id: a.id, name: a.name, selfUri: `/api/v2/oauth/clients/${a.id}` };
}

/** `FlowVersion`. */
export function versionJson(flow: EmFlow, v: EmVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: v.id,
    name: flow.name,
    type: v.type,
    secure: false,
    debug: false,
    dateCreated: v.dateCreated,
    configurationUri: `/api/v2/flows/${flow.id}/versions/${v.id}/configuration`,
    selfUri: `/api/v2/flows/${flow.id}/versions/${v.id}`,
  };
  if (v.type !== 'SAVE') out.dateCheckedIn = v.dateCreated;
  if (v.createdBy?.kind === 'client') out.createdByClient = actorRef(v.createdBy);
  if (v.createdBy?.kind === 'user') out.createdBy = actorRef(v.createdBy);
  // datePublished/End: the latest span in which this version was the published one (docs/platform-api.md#flow-version-model).
  const pubs = flow.publications.filter((p) => p.versionId === v.id);
  const last = pubs[pubs.length - 1];
  if (last) {
    out.datePublished = new Date(last.start).toISOString();
    if (last.end !== undefined) out.datePublishedEnd = new Date(last.end).toISOString();
  }
  return out;
}

/** `Operation`. */
export function operationJson(op: EmOperation): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: op.id,
    complete: op.complete,
    actionName: op.actionName,
    actionStatus: op.actionStatus,
    errorDetails: [],
    errorMessageParams: {},
  };
  if (op.actor.kind === 'client') out.client = actorRef(op.actor);
  else out.user = actorRef(op.actor);
  if (op.errorCode !== undefined) {
    out.errorCode = op.errorCode;
    out.errorMessage = op.errorMessage ?? op.errorCode;
    out.errorDetails = [{ errorCode: op.errorCode, entityId: op.versionId ?? '', entityName: op.actionName }];
  }
  return out;
}

/** The published version of a flow, if any. */
export function publishedVersion(flow: EmFlow): EmVersion | undefined {
  const last = flow.publications[flow.publications.length - 1];
  if (!last || last.end !== undefined) return undefined;
  return flow.versions.find((v) => v.id === last.versionId);
}

/** `Flow`. */
export function flowJson(flow: EmFlow, state: EmulatorState): Record<string, unknown> {
  const division = state.divisions.find((d) => d.id === flow.divisionId) ?? state.divisions[0];
  const out: Record<string, unknown> = {
    id: flow.id,
    name: flow.name,
    type: flow.type,
    active: flow.active,
    system: false,
    deleted: flow.deleted,
    selfUri: `/api/v2/flows/${flow.id}`,
  };
  if (flow.description !== undefined) out.description = flow.description;
  if (division)
    out.division = {
      id: division.id,
      name: division.name,
      selfUri: `/api/v2/authorization/divisions/${division.id}`,
    };
  if (flow.lock?.kind === 'user') out.lockedUser = actorRef(flow.lock);
  if (flow.lock?.kind === 'client') out.lockedClient = actorRef(flow.lock);
  const published = publishedVersion(flow);
  if (published) out.publishedVersion = versionJson(flow, published);
  const checkedIn = flow.versions.find((v) => v.id === flow.checkedInVersionId);
  if (checkedIn) out.checkedInVersion = versionJson(flow, checkedIn);
  const saved = flow.versions.find((v) => v.id === flow.savedVersionId);
  if (saved) out.savedVersion = versionJson(flow, saved);
  if (flow.currentOperation) out.currentOperation = operationJson(flow.currentOperation);
  return out;
}

/** `AuditLogMessage`. */
export function auditJson(a: EmAudit, state: EmulatorState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: a.id,
    userHomeOrgId: state.org.id,
    remoteIp: ['127.0.0.1'],
    serviceName: 'Architect',
    level: 'USER',
    eventDate: a.eventDate,
    action: a.action,
    entity: { id: a.entityId, name: a.entityName, selfUri: `/api/v2/flows/${a.entityId}` },
    entityType: a.entityType,
    status: a.status,
    application: 'flowgate-emulator',
    transactionInitiator: true,
    propertyChanges: [],
    context: {},
    entityChanges: [],
  };
  if (a.clientId !== undefined)
    out.client = { id: a.clientId, selfUri: `/api/v2/oauth/clients/${a.clientId}` };
  if (a.userId !== undefined) out.user = { id: a.userId, selfUri: `/api/v2/users/${a.userId}` };
  return out;
}
