/**
 * Archy import jobs (docs/platform-api.md#import-jobs), the way Terraform publishes YAML: register a job, PUT the YAML to
 * the presigned URL with exactly the returned headers, poll `GET /api/v2/flows/jobs/{id}?expand=messages`.
 */
import { FlowgateError } from '../../errors.js';
import { idSegment } from './ids.js';
import { JobFailedError } from '../errors.js';
import { isTransientJobFailure } from '../job-failure.js';
import { pollUntil, type PollOptions } from '../poll.js';
import { uploadUrlProblem, type Endpoints } from '../regions.js';
import type { RequestFn } from '../request.js';
import { JobStateSchema, RegisterJobSchema, type JobState } from '../schemas.js';

/** Polling options of an import job (`timeoutMs` defaults to 16 minutes). */
export type JobFollowOptions = PollOptions;

/** Import-job calls; `endpoints` say which hosts may receive the upload. */
export function jobCalls(request: RequestFn, endpoints: Endpoints) {
  const api = {
    /** Registers a job; returns its id, presigned URL and headers. */
    async register(): Promise<{
      id: string;
      presignedUrl: string;
      headers?: Record<string, string> | undefined;
    }> {
      // Safe to resend after a lost response: a registration nobody uploads to does nothing (the
      // job stays Registered and expires), so a second one cannot publish anything twice.
      return (await request('POST', '/api/v2/flows/jobs', { schema: RegisterJobSchema, idempotent: true }))
        .data;
    },

    /**
     * Uploads the YAML to the presigned URL (no Authorization header: the URL carries its own).
     * @throws {FlowgateError} `UPLOAD_URL_REFUSED`, before anything is sent, when the URL is not
     *   https (or loopback) on the region's storage ({@link uploadUrlProblem}).
     */
    async upload(presignedUrl: string, headers: Record<string, string>, yaml: string): Promise<void> {
      const problem = uploadUrlProblem(presignedUrl, endpoints);
      if (problem !== undefined)
        throw new FlowgateError(
          'UPLOAD_URL_REFUSED',
          // Only the origin: the query string is a credential until it expires.
          `the import job's upload URL (${originOf(presignedUrl)}) was refused: ${problem}; nothing was uploaded`,
          {
            hint: 'The platform hands out https URLs on its S3 storage; check the region or base URL, and any proxy in between.',
          },
        );
      await request('PUT', presignedUrl, { rawBody: yaml, headers, auth: false });
    },

    /** The job's state with its messages. */
    async get(jobId: string): Promise<JobState> {
      return (
        await request('GET', `/api/v2/flows/jobs/${idSegment('import job', jobId)}`, {
          query: { expand: 'messages' },
          schema: JobStateSchema,
        })
      ).data;
    },

    /**
     * Polls until Success (returns the state) or Failure (throws a {@link JobFailedError} with the
     * job's messages, marked transient when a new job may get past it).
     */
    async follow(jobId: string, options: JobFollowOptions = {}): Promise<JobState> {
      let last: JobState | undefined;
      const state = await pollUntil(
        async () => {
          last = await api.get(jobId);
          return last.status === 'Success' || last.status === 'Failure' ? last : undefined;
        },
        options,
        // Terraform waits up to 16 minutes (docs/platform-api.md#how-terraform-deploys-flows).
        16 * 60_000,
        () =>
          new FlowgateError(
            'JOB_TIMEOUT',
            `import job ${jobId} did not finish in time (last status ${last?.status ?? 'unknown'})`,
            { hint: 'Check the job later with its id.' },
          ),
      );
      if (state.status === 'Failure') {
        const texts = (state.messages ?? [])
          .map((m) => m.text)
          .filter((t): t is string => typeof t === 'string');
        throw new JobFailedError(jobId, texts, state.messages ?? [], isTransientJobFailure(texts));
      }
      return state;
    },

    /** Register, upload and follow: imports and publishes one Archy YAML. */
    async importYaml(yaml: string, options: JobFollowOptions = {}): Promise<JobState> {
      const job = await api.register();
      await api.upload(job.presignedUrl, job.headers ?? {}, yaml);
      return api.follow(job.id, options);
    },
  };
  return api;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'not a URL';
  }
}
