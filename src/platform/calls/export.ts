/**
 * Architect export jobs (docs/platform-api.md "Export jobs, dependency tracking, delete"), the way
 * the Terraform provider reads a flow's YAML (`resource_genesyscloud_architect_flow_proxy.go`):
 * register `{flows: [{flow: {id, version}, fileName, exportType: 'Yaml'}]}`, poll
 * `GET /api/v2/flows/export/jobs/{id}?expand=messages` until `Success` (it polls every 2 s for up to
 * 90 s), download its `downloadUrl` (the YAML file for one flow, a zip for several), and re-run a job
 * that failed with Archy's transient "exit code: 107" (five attempts, waits of 15 s × attempt).
 */
import { unzipSync, strFromU8 } from 'fflate';
import { plural } from '../../shared/plural.js';
import { FlowgateError } from '../../errors.js';
import { JobFailedError } from '../errors.js';
import { isTransientJobFailure } from '../job-failure.js';
import { pollUntil, type PollOptions } from '../poll.js';
import { uploadUrlProblem, type Endpoints } from '../regions.js';
import type { RequestFn } from '../request.js';
import { ExportJobStateSchema, RegisterExportJobSchema, type ExportJobState } from '../schemas.js';
import { sleep as realSleep } from '../../shared/time.js';

/** One flow to export: its id and the version (the platform's choice when absent). */
export interface ExportRef {
  flowId: string;
  version?: string | undefined;
}

/** Options of {@link exportCalls}' `exportYaml`. */
export interface ExportYamlOptions extends PollOptions {
  /** Jobs run for one export, transient failures included. @default 5 (the Terraform provider's) */
  attempts?: number;
  /** The wait before attempt `n + 1` after a transient failure. @default 15 s × n */
  retryWaitMs?: (attempt: number) => number;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The file name each entry is given in the job: `f<index>`, so the zip's files map back to it. */
const fileNameOf = (i: number) => `f${i}`;

/** Export-job calls; `endpoints` say which hosts a download may come from. */
export function exportCalls(request: RequestFn, endpoints: Endpoints) {
  const api = {
    /** Registers an export job of these flows (YAML); returns its id. */
    async register(refs: readonly ExportRef[]): Promise<{ id: string }> {
      const flows = refs.map((r, i) => ({
        flow: r.version === undefined ? { id: r.flowId } : { id: r.flowId, version: r.version },
        fileName: fileNameOf(i),
        exportType: 'Yaml',
      }));
      // A duplicate job after a lost response only exports again: safe to resend.
      return (
        await request('POST', '/api/v2/flows/export/jobs', {
          body: { flows },
          schema: RegisterExportJobSchema,
          idempotent: true,
        })
      ).data;
    },

    /** The job's state with its messages. */
    async get(jobId: string): Promise<ExportJobState> {
      return (
        await request('GET', `/api/v2/flows/export/jobs/${encodeURIComponent(jobId)}`, {
          query: { expand: 'messages' },
          schema: ExportJobStateSchema,
        })
      ).data;
    },

    /** Polls until Success (the state) or Failure (a {@link JobFailedError}, transient or not). */
    async follow(jobId: string, options: PollOptions = {}): Promise<ExportJobState> {
      let last: ExportJobState | undefined;
      const state = await pollUntil(
        async () => {
          last = await api.get(jobId);
          return last.status === 'Success' || last.status === 'Failure' ? last : undefined;
        },
        // Terraform sleeps 2 s before each poll; a short first wait catches a small job sooner.
        { intervalMs: 500, maxIntervalMs: 2_000, ...options },
        90_000,
        () =>
          new FlowgateError(
            'JOB_TIMEOUT',
            `export job ${jobId} did not finish in time (last status ${last?.status ?? 'unknown'})`,
            { hint: 'Export fewer flows at once, or try again later.' },
          ),
      );
      if (state.status === 'Failure') {
        const texts = (state.messages ?? [])
          .map((m) => m.text)
          .filter((t): t is string => typeof t === 'string');
        throw new JobFailedError(
          jobId,
          texts,
          state.messages ?? [],
          isTransientJobFailure(texts),
          'export job',
        );
      }
      return state;
    },

    /**
     * Downloads a finished job's file (no Authorization header: the URL is signed).
     * @throws {FlowgateError} `DOWNLOAD_URL_REFUSED` when the URL is not https on the region's storage.
     */
    async download(url: string): Promise<Uint8Array> {
      const problem = uploadUrlProblem(url, endpoints);
      if (problem !== undefined)
        throw new FlowgateError(
          'DOWNLOAD_URL_REFUSED',
          `the export job's download URL was refused: ${problem}`,
          {
            hint: 'The platform hands out https URLs on its S3 storage; check the region or base URL, and any proxy in between.',
          },
        );
      return (await request<Uint8Array>('GET', url, { auth: false, binary: true })).data;
    },

    /**
     * The YAML of each flow, in `refs` order: one job for them all, re-run on a transient failure.
     * @throws {JobFailedError} when the job fails for good; `EXPORT_INCOMPLETE` when the download
     *   lacks a flow's file.
     */
    async exportYaml(refs: readonly ExportRef[], options: ExportYamlOptions = {}): Promise<string[]> {
      const attempts = options.attempts ?? 5;
      const wait = options.sleep ?? ((ms: number) => realSleep(ms, options.signal));
      for (let attempt = 1; ; attempt++) {
        const job = await api.register(refs);
        try {
          const state = await api.follow(job.id, options);
          if (!state.downloadUrl)
            throw new FlowgateError(
              'EXPORT_INCOMPLETE',
              `export job ${job.id} succeeded without a download URL`,
              {
                hint: 'Run the export again.',
              },
            );
          return filesOf(await api.download(state.downloadUrl), refs.length, job.id);
        } catch (e) {
          if (!(e instanceof JobFailedError) || !e.transient || attempt >= attempts) throw e;
          await wait(options.retryWaitMs?.(attempt) ?? 15_000 * attempt);
        }
      }
    },
  };
  return api;
}

/** The texts of a download: the file itself for one flow, else the zip's `f<i>.yaml` entries. */
function filesOf(bytes: Uint8Array, count: number, jobId: string): string[] {
  const isZip = ZIP_MAGIC.every((b, i) => bytes[i] === b);
  if (!isZip) {
    if (count === 1) return [strFromU8(bytes)];
    throw new FlowgateError(
      'EXPORT_INCOMPLETE',
      `export job ${jobId} gave one file for ${plural(count, 'flow')}`,
      {
        hint: 'Run the export again.',
      },
    );
  }
  const entries = unzipSync(bytes);
  const byName = new Map(
    Object.entries(entries).map(([name, data]) => [name.replace(/^.*\//, '').replace(/\.ya?ml$/i, ''), data]),
  );
  return Array.from({ length: count }, (_, i) => {
    const data = byName.get(fileNameOf(i));
    if (!data)
      throw new FlowgateError(
        'EXPORT_INCOMPLETE',
        `export job ${jobId}: the download holds no file for flow ${i + 1} of ${count}`,
        {
          hint: 'Run the export again.',
        },
      );
    return strFromU8(data);
  });
}
