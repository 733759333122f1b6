/**
 * Asynchronous flow aggregate jobs (docs/platform-api.md#aggregate-jobs, "preview" in the SDK): a job is QUEUED, then
 * PENDING, then FULFILLED on the simulated clock (the audit query delay), and its results are read
 * in cursor pages. The results are those of the synchronous query over the same body, computed
 * when the job is submitted (the traffic is a pure function of time, so nothing changes after).
 */
import { cursorPage } from './cursor.js';
import { OrgRuleError } from './errors.js';
import { flowAggregates } from './traffic.js';
import type { EmulatorState } from './types.js';
import type { Clock } from '../shared/time.js';

interface Job {
  id: string;
  submittedAt: number;
  results: unknown[];
  /** Results per page: the job body's `pageSize` (`FlowAsyncAggregationQuery.pageSize`). */
  pageSize: number;
  cancelled: boolean;
}

/** The page size when the body names none, and the largest taken (values out of range are clamped). */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** The org's aggregate jobs. */
export class AggregateJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly state: EmulatorState,
    private readonly now: Clock,
    private readonly newId: () => string,
  ) {}

  /**
   * Submits a job; validation errors are the synchronous query's. The page size belongs to the
   * job's body (`FlowAsyncAggregationQuery.pageSize`); the results call takes only a cursor
   * (`getAnalyticsFlowsAggregatesJobResults(jobId, { cursor })` in the SDK's `index.d.ts`).
   */
  submit(body: Record<string, unknown>): Job {
    const { pageSize, ...query } = body;
    const { results } = flowAggregates(this.state, query, this.now()) as { results: unknown[] };
    const size = Number(pageSize ?? DEFAULT_PAGE_SIZE);
    const job = {
      id: this.newId(),
      submittedAt: this.now(),
      results,
      pageSize: Math.min(
        MAX_PAGE_SIZE,
        Math.max(1, Number.isFinite(size) ? Math.floor(size) : DEFAULT_PAGE_SIZE),
      ),
      cancelled: false,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** A job, or 404. */
  get(id: string | undefined): Job {
    const job = this.jobs.get(id ?? '');
    if (!job) throw new OrgRuleError('not-found', 'not.found');
    return job;
  }

  /** The job's status as the API reports it. */
  status(job: Job): Record<string, unknown> {
    const age = this.now() - job.submittedAt;
    const delay = this.state.settings.auditQueryDelayMs;
    const state = job.cancelled
      ? 'CANCELLED'
      : age >= delay
        ? 'FULFILLED'
        : age >= delay / 2
          ? 'PENDING'
          : 'QUEUED';
    const out: Record<string, unknown> = {
      state,
      submissionDate: new Date(job.submittedAt).toISOString(),
      expirationDate: new Date(job.submittedAt + 86_400_000).toISOString(),
    };
    if (state === 'FULFILLED') out.completionDate = new Date(job.submittedAt + delay).toISOString();
    return out;
  }

  /** One page of a fulfilled job's results, of the job's page size. */
  page(job: Job, cursor: string | undefined): { results: unknown[]; cursor?: string } {
    if (this.status(job).state !== 'FULFILLED')
      throw new OrgRuleError('invalid', 'bad.request', [], { message: 'The job has not been fulfilled.' });
    const { page, next } = cursorPage(job.results, cursor, job.pageSize);
    return next === undefined ? { results: page } : { results: page, cursor: next };
  }

  /** Cancels a job. */
  cancel(job: Job): void {
    job.cancelled = true;
  }
}
