/**
 * Asynchronous flow aggregate jobs (API.md §3.1, "preview" in the SDK): a job is QUEUED, then
 * PENDING, then FULFILLED on the simulated clock (the audit query delay), and its results are read
 * in cursor pages. The results are those of the synchronous query over the same body, computed
 * when the job is submitted (the traffic is a pure function of time, so nothing changes after).
 */
import { cursorPage } from './cursor.js';
import { OrgRuleError } from './errors.js';
import { flowAggregates } from './traffic.js';
import type { EmulatorState } from './types.js';

interface Job {
  id: string;
  submittedAt: number;
  results: unknown[];
  cancelled: boolean;
}

/** The org's aggregate jobs. */
export class AggregateJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly state: EmulatorState,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  /** Submits a job; validation errors are the synchronous query's. */
  submit(body: Record<string, unknown>): Job {
    const { results } = flowAggregates(this.state, body, this.now()) as { results: unknown[] };
    const job = { id: this.newId(), submittedAt: this.now(), results, cancelled: false };
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

  /** One page of a fulfilled job's results. */
  page(job: Job, cursor: string | undefined, pageSize: number): { results: unknown[]; cursor?: string } {
    if (this.status(job).state !== 'FULFILLED')
      throw new OrgRuleError('invalid', 'bad.request', [], { message: 'The job has not been fulfilled.' });
    const { page, next } = cursorPage(job.results, cursor, pageSize);
    return next === undefined ? { results: page } : { results: page, cursor: next };
  }

  /** Cancels a job. */
  cancel(job: Job): void {
    job.cancelled = true;
  }
}
