/**
 * The org's audit queries (docs/platform-api.md#audit-queries): an asynchronous query moves Queued → Running → Succeeded
 * on the simulated clock (`auditQueryDelayMs`), and its results are read in cursor pages of at
 * most 500; the realtime query reaches back 14 days.
 */
import { cursorPage } from './cursor.js';
import { OrgRuleError } from './errors.js';
import type { EmAudit, EmulatorState } from './types.js';
import type { Clock } from '../shared/time.js';

/** An asynchronous audit query. */
export interface EmAuditQuery {
  id: string;
  submittedAt: number;
  request: Record<string, unknown>;
  results: EmAudit[];
}

/** The state of a query, as the API reports it. */
export type AuditQueryState = 'Queued' | 'Running' | 'Succeeded';

/** The org's audit queries. */
export class AuditQueries {
  private readonly queries = new Map<string, EmAuditQuery>();

  constructor(
    private readonly state: EmulatorState,
    private readonly now: Clock,
    private readonly newId: () => string,
  ) {}

  /** Submits a query; its results are fixed now, as the platform's are at submission. */
  submit(request: Record<string, unknown>): EmAuditQuery {
    if (typeof request.serviceName !== 'string')
      throw new OrgRuleError('invalid', 'bad.request', [], { message: 'serviceName is required.' });
    const q = { id: this.newId(), submittedAt: this.now(), request, results: this.find(request) };
    this.queries.set(q.id, q);
    return q;
  }

  /** A submitted query, or 404. */
  get(id: string | undefined): EmAuditQuery {
    const q = this.queries.get(id ?? '');
    if (!q) throw new OrgRuleError('not-found', 'not.found');
    return q;
  }

  /** Where a query is in its life. */
  stateOf(q: EmAuditQuery): AuditQueryState {
    const age = this.now() - q.submittedAt;
    const delay = this.state.settings.auditQueryDelayMs;
    return age >= delay ? 'Succeeded' : age >= delay / 2 ? 'Running' : 'Queued';
  }

  /** One cursor page of a finished query's results. */
  results(q: EmAuditQuery, cursor: string | undefined, pageSize: number): { page: EmAudit[]; next?: string } {
    if (this.stateOf(q) !== 'Succeeded')
      throw new OrgRuleError('invalid', 'bad.request', [], { message: 'The query has not completed.' });
    return cursorPage(q.results, cursor, pageSize);
  }

  /** The realtime query: the same filters over the last 14 days (docs/platform-api.md#audit-queries). */
  realtime(request: Record<string, unknown>): EmAudit[] {
    return this.find(request, this.now() - 14 * 86_400_000);
  }

  /** Filters audits by a query body (interval, serviceName, filters, sort). */
  private find(body: Record<string, unknown>, notBefore?: number): EmAudit[] {
    const interval = typeof body.interval === 'string' ? body.interval : '';
    const [from, to] = parseInterval(interval);
    if (body.serviceName !== undefined && body.serviceName !== 'Architect') return [];
    const filters = Array.isArray(body.filters)
      ? (body.filters as Array<{ property?: string; value?: string }>)
      : [];
    const out = this.state.audits.filter((a) => {
      const t = Date.parse(a.eventDate);
      if (t < from || t >= to) return false;
      if (notBefore !== undefined && t < notBefore) return false;
      return filters.every((f) => {
        switch (f.property) {
          case 'EntityType':
            return a.entityType === f.value;
          case 'Action':
            return a.action === f.value;
          case 'EntityId':
            return a.entityId === f.value;
          case 'ClientId':
            return a.clientId === f.value;
          case 'UserId':
            return a.userId === f.value;
          default:
            return true;
        }
      });
    });
    const sort = Array.isArray(body.sort) ? (body.sort as Array<{ sortOrder?: string }>)[0] : undefined;
    out.sort((a, b) => (a.eventDate < b.eventDate ? -1 : a.eventDate > b.eventDate ? 1 : 0));
    if (sort?.sortOrder === 'descending') out.reverse();
    return out;
  }
}

/** Parses an ISO-8601 `start/end` interval; throws `invalid.date`. */
export function parseInterval(interval: string): [number, number] {
  const [a, b] = interval.split('/');
  const from = Date.parse(a ?? '');
  const to = Date.parse(b ?? '');
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) {
    throw new OrgRuleError('invalid', 'invalid.date', [], {
      message: `Invalid interval '${interval}': dates must be ISO-8601 strings, start/end with start before end.`,
    });
  }
  return [from, to];
}
